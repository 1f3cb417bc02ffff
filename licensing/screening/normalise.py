"""Normalisation of briefs for the lexical screen: case, accents, look-alike letters, leetspeak,
spacing and separators ("s e x", "s.e.x", "ѕех", "s3x" all become "sex"). Pure."""
from __future__ import annotations

import operator
import re
import unicodedata
from itertools import chain

# Look-alike letters (after casefold) mapped to the Latin letter they imitate.
_CONFUSABLES = {
    # Cyrillic
    "а": "a", "б": "b", "в": "b", "г": "r", "е": "e", "ё": "e", "ж": "x", "з": "3", "и": "u",
    "й": "u", "к": "k", "л": "n", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c",
    "т": "t", "у": "y", "ф": "o", "х": "x", "ц": "u", "ч": "4", "ш": "w", "щ": "w", "ь": "b",
    "ы": "bi", "ъ": "b", "э": "e", "ю": "io", "я": "r", "ѕ": "s", "і": "i", "ї": "i", "ј": "j",
    "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y", "ғ": "f", "ҝ": "k", "ӄ": "k",
    "ҫ": "c", "ҳ": "x", "ӡ": "3", "ɡ": "g",
    # Greek
    "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "ζ": "z", "η": "n", "θ": "o", "ι": "i",
    "κ": "k", "λ": "l", "μ": "u", "ν": "v", "ξ": "e", "ο": "o", "π": "n", "ρ": "p", "σ": "o",
    "ς": "s", "τ": "t", "υ": "u", "φ": "o", "χ": "x", "ψ": "w", "ω": "w", "ϲ": "c", "ϳ": "j",
    # Latin look-alikes that NFKD leaves alone
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss", "æ": "ae", "œ": "oe",
    "þ": "p", "ð": "d", "ɑ": "a", "ɛ": "e", "ɩ": "i", "ʀ": "r", "ʏ": "y", "ᴀ": "a", "ʙ": "b",
    "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l",
    "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ǫ": "q", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w",
    "ᴢ": "z",
    # punctuation that stands in for a letter or that is an apostrophe
    "€": "e", "£": "l", "¢": "c", "¡": "i", "‘": "'", "’": "'", "ʼ": "'", "`": "'", "´": "'",
}
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)
# The look-alikes in ASCII (the backtick), replaced one by one in ASCII briefs: str.translate with a
# mapping costs more than the whole rest of folding such a brief. One by one is the same as at once
# because no replacement holds a character that is itself replaced.
_ASCII_CONFUSABLES = tuple((k, v) for k, v in _CONFUSABLES.items() if k.isascii())
assert not any(k in v for k, _ in _ASCII_CONFUSABLES for _, v in _ASCII_CONFUSABLES)

# Leetspeak: applied only inside tokens that contain a letter, so "12 year old" keeps its number.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"})
_LEET_CHARS = "@$!|"
_TOKEN_RE = re.compile(r"[0-9a-z@$!|]+")
_LETTER_OR_LEET_RE = re.compile(r"[a-z" + re.escape(_LEET_CHARS) + "]")
_REPEAT_RE = re.compile(r"(.)\1{2,}")
# French and Italian elision: an article, pronoun or preposition that loses its vowel before a word
# ("l'enfant", "d'étrangler", "qu'il", "j'ai", "n'est", "s'il", "dell'uomo", "un'arma") is a word of
# its own, split off so the word after it is matched as written ("lenfant" hid "enfant"). Only at the
# start of a token (a quote mark before it is fine: "'l'enfant'"), so English contractions ("don't",
# "it's", "o'brien", "rock'n'roll") are glued as before.
_ELISION_RE = re.compile(
    r"(?<![0-9a-z@$!|])(?<![0-9a-z]')(l|d|j|n|s|m|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu|dell|all|nell|sull|dall|"
    r"coll|quell|quest|un|anch|tutt|nessun|cent|sant|bell|buon)'(?=[0-9a-z@$])"
)


def _fold(text: str) -> str:
    """Compatibility-decompose, drop accents and invisible characters, casefold, map look-alikes."""
    if text.isascii():
        # the same result for ASCII: NFKD leaves it alone, no ASCII character is a mark or a format
        # character, casefold is lower, and the only look-alike in ASCII is the backtick
        text = text.lower()
        for k, v in _ASCII_CONFUSABLES:
            text = text.replace(k, v)
        return text
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Me", "Cf"))
    text = text.casefold().translate(_CONFUSABLE_TABLE)
    # NFKD again: a mapped look-alike may itself decompose; and casefold may expand.
    return unicodedata.normalize("NFKD", text)


def _clean_uncached(tok: str) -> str:
    if _LETTER_OR_LEET_RE.search(tok):  # a letter, or one of the leet symbols
        tok = tok.translate(_LEET)
    if _REPEAT_RE.search(tok):  # (``sub`` alone costs more than the search on the usual word)
        tok = _REPEAT_RE.sub(r"\1", tok)  # "seeeex" -> "sex", "kiiill" -> "kill"
    return tok if tok.isalnum() else "".join(c for c in tok if c.isalnum())


class _Memo(dict):
    """A pure function's answers, by argument: ``memo[x]`` is ``fn(x)``, worked out on the first ask
    (``__missing__``) and kept, and the whole memo is dropped once it holds ``size`` answers (the
    words of briefs repeat, so a bound this size is rarely reached). A hit is a plain dict lookup,
    so ``map(memo.__getitem__, xs)`` runs in C."""

    def __init__(self, fn, size: int = 50_000) -> None:
        super().__init__()
        self.fn, self.size = fn, size

    def __missing__(self, key):
        if len(self) >= self.size:
            self.clear()
        out = self[key] = self.fn(key)
        return out


# One token, cleaned (``_clean_uncached``).
_CLEANED = _Memo(_clean_uncached)
_clean = _CLEANED.__getitem__


def _word_uncached(found: str) -> tuple[str, str, str]:
    """A token as the tokeniser finds it: (the token with a leading "@" and trailing "!"/"|"
    dropped, that token cleaned, "1" if it is one character long, "0" if longer, "" if empty)."""
    tok = found.lstrip("@").rstrip("!|")
    return (tok, _clean(tok) if tok else "", ("1" if len(tok) == 1 else "0") if tok else "")


_WORDS = _Memo(_word_uncached)


def _split_elisions(folded: str) -> str:
    """ "l'enfant" -> "l enfant", "qu'il" -> "qu il" (see ``_ELISION_RE``); the folded text otherwise."""
    return _ELISION_RE.sub(r"\1 ", folded)


# Per piece of a folded text between white space (``str.split``): the ``_WORDS`` of each token in
# it. No token holds white space, so a text's tokens are its pieces' tokens in order; briefs are
# made of the same pieces ("the", "hour,"), so each is tokenised once.
_PIECES = _Memo(lambda piece: tuple(map(_WORDS.__getitem__, _TOKEN_RE.findall(piece))))


_CLEANED_TOKEN, _LENGTH_CODE = operator.itemgetter(1), operator.itemgetter(2)


def _token_views(text: str) -> tuple[list[str], list[str]]:
    """The normalised tokens of a text, twice: with runs of three or more single characters joined
    ("s e x" -> "sex"), and with such runs left as single letters ("a n u d e" -> "a n u d e", where
    joining would have made "anude"); the lexical layer matches on both."""
    folded = _fold(text)
    if "'" in folded:
        folded = _split_elisions(folded).replace("'", "")  # "it's" -> "its", "o'brien" -> "obrien"
    # leet symbols count as letters only inside or before letters: "@nike" is a mention,
    # "wow!" is an exclamation, "a$$" and "h@te" are obfuscation.
    pieces = folded.split()
    words = list(chain.from_iterable(map(_PIECES.__getitem__, pieces)))  # (in C: no Python per word)
    if "111" not in "".join(map(_LENGTH_CODE, words)):
        # no word spelled out letter by letter (the usual brief): both views are the cleaned tokens
        joined = list(filter(None, map(_CLEANED_TOKEN, words)))
        return joined, list(joined)
    raw = [w[0] for w in words if w[0]]
    joined: list[str] = []
    split: list[str] = []
    i = 0
    while i < len(raw):
        j = i
        while j < len(raw) and len(raw[j]) == 1:
            j += 1
        if j - i >= 3:  # "s e x", "s.e.x", "k-i-l-l", "n u d e": a word spelled out
            run = _clean("".join(raw[i:j]))
            if run:
                # "a s w a s t i k a": the article before a spelled-out word stays a word
                if j - i >= 5 and raw[i] in ("a", "i") and raw[i + 1] not in ("a", "i"):
                    joined.extend((run[0], run[1:]))
                else:
                    joined.append(run)
                split.extend(run)
            i = j
        else:
            tok = _clean(raw[i])
            if tok:
                joined.append(tok)
                split.append(tok)
            i += 1
    return joined, split


def _tokens(text: str) -> list[str]:
    """The normalised tokens of a text (see ``normalise``)."""
    return _token_views(text)[0]


def normalise(text: str) -> str:
    """Casefolded, accent-free, look-alike- and leetspeak-mapped text, one space between tokens.

    Separators between single characters are collapsed, so "S e x", "s.e.x", "ѕех" and "s3x" all
    normalise to "sex". Pure numbers are kept ("a 12 year old"). See ``despace`` for the form with
    no spaces at all.
    """
    return " ".join(_tokens(text))


def despace(text: str) -> str:
    """The normalised text with every space removed: "se x" and "s ex" both become "sex"."""
    return "".join(_tokens(text))



_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def cjk_text(text: str) -> str:
    """The Chinese characters of a text, in order, with everything between them removed
    ("她 在.床上" -> "她在床上"): Chinese terms are matched as substrings of this."""
    if text.isascii():  # NFKC leaves ASCII alone, and no ASCII character is a Chinese one
        return ""
    return "".join(_CJK_RE.findall(unicodedata.normalize("NFKC", text)))
