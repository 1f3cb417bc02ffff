"""Free-text owner rules ("no alcohol", "I am vegan, no meat"): their subjects, the examples expanded
from the rule's words, and the pieces of a brief they are compared with. Pure."""
from __future__ import annotations

import functools
import re

from .normalise import _tokens

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


_SELF_RE = re.compile(r"^(?:i am|i'm|i’m|im|as a|i'm a|being)\b")


@functools.lru_cache(maxsize=4096)
def rule_subjects(rule: str) -> tuple[str, ...]:
    """The subject of a rule split on "or", "and", commas and slashes, each part matched on its own:
    "no alcohol or tobacco" -> ("alcohol", "tobacco"); "never show me smoking" -> ("smoking",)."""
    parts = re.split(r"[,/;&+]|\bor\b|\band\b|\bnor\b", rule.casefold())
    # "I am vegan, no meat": a description of the holder is context, not a subject
    parts = [p for p in parts if not _SELF_RE.match(p.strip())] or parts
    subjects = [" ".join(_strip_filler(re.findall(r"[\w'’-]+", p))) for p in parts]
    return tuple(dict.fromkeys(s for s in subjects if s)) or (rule_subject(rule),)




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

RULE_THRESHOLD = 0.55  # similarity of a piece of the brief to one of the rule's examples
RULE_MARGIN = 0.0  # ... and how much closer to the rule than to the nearest remaining anchor
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



# The examples a rule is matched with, expanded from its subject's words: "no meat" is matched with
# "meat" and with scenes in which meat is there ("eating meat", "a plate of meat"...). A piece of the
# brief refused by any example is refused by the rule.
_EXPANSIONS = ("{s}", "{s} in the picture")
_VERB_EXPANSIONS = {
    "food": ("eating {s}", "a plate of {s}"),
    "drink": ("drinking {s}", "a glass of {s}"),
}


# Words a rule's subject stands for, by the subject's words (stems): "no alcohol" also means beer,
# lager, wine... These are matched as words (lexically) and as examples (semantically).
RELATED: dict[str, tuple[str, ...]] = {
    "alcohol": ("beer", "lager", "ale", "wine", "champagne", "prosecco", "whisky", "whiskey", "vodka", "gin", "rum",
                "tequila", "spirits", "liquor", "booze", "cider", "pub crawl"),
    "drink": ("beer", "wine", "champagne", "whisky"),
    "drinking": ("beer", "wine", "champagne", "whisky"),
    "meat": ("beef", "pork", "chicken", "lamb", "bacon", "ham", "steak", "burger", "sausage", "salami", "veal", "turkey", "hot dog"),
    "vegan": ("meat", "dairy", "cheese", "milk", "eggs", "leather", "fur", "honey"),
    "fish": ("salmon", "tuna", "sushi", "seafood", "prawns", "shrimp"),
    "smoking": ("cigarette", "cigar", "vape", "vaping", "pipe", "tobacco", "e cigarette"),
    "tobacco": ("cigarette", "cigar", "vape", "pipe", "smoking"),
    "gambling": ("casino", "poker", "betting", "bet", "slot machine", "roulette", "blackjack", "bookmaker", "lottery"),
    "swimwear": ("bikini", "swimsuit", "swimming costume", "trunks", "bathing suit"),
    "underwear": ("lingerie", "bra", "briefs", "boxers", "knickers"),
    "gun": ("pistol", "rifle", "handgun", "shotgun", "firearm"),
    "fast food": ("burger", "fries", "hot dog", "fried chicken", "pizza"),
    "sugar": ("candy", "sweets", "soda", "cake", "chocolate bar"),
    "fur": ("mink", "fox fur", "fur coat"),
    "car": ("sports car", "suv", "truck", "vehicle"),
}


# Related words with other everyday meanings ("wine-coloured", "high spirits", "ginger ale", "a
# pipe", "swimming trunks"): compared by meaning only, never matched as words.
AMBIGUOUS_RELATED = frozenset({"wine", "spirits", "rum", "gin", "ale", "pipe", "bet", "turkey", "ham", "trunks", "briefs",
                               "boxers", "bar", "milk", "honey", "eggs", "cake", "truck", "vehicle", "lottery", "pizza"})


def related_words(subject: str) -> tuple[str, ...]:
    """What a subject stands for, from its words: "alcohol" -> beer, lager, wine..."""
    words = subject.split()
    out: list[str] = list(RELATED.get(subject, ()))
    for w in words:
        stem = w[:-1] if len(w) > 3 and w.endswith("s") else w
        out.extend(RELATED.get(w, ()) or RELATED.get(stem, ()))
    return tuple(dict.fromkeys(x for x in out if x != subject))


@functools.lru_cache(maxsize=4096)
def rule_examples(subject: str) -> tuple[str, ...]:
    """The sentences a rule's subject is compared with, expanded from its words."""
    out = [e.format(s=subject) for e in _EXPANSIONS]
    out += related_words(subject)
    for group in _VERB_EXPANSIONS.values():
        out.extend(e.format(s=subject) for e in group)
    return tuple(dict.fromkeys(out))

