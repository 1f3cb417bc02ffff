"""The lexical screen's data: per category, the curated terms, the Chinese terms and the phrase
patterns, in English, German, French, Spanish and Chinese; the phrases that make a listed term
innocent; the minors terms, cues and ages. Data only: ``lexicon`` compiles and matches it.

The lists are assembled here, in a fixed order: ``base`` (the first lists), then the additions of
``round_9c``, ``languages`` (the core vocabulary of de/fr/es/zh, in passes), ``round_9d``, ``round_9e``,
``harassment`` (mocking a person for their body, a disability or their looks), ``round_10``, ``round_12``
(street-word families of drugs, guns and knives, slurs and self-harm), ``round_11`` (whose advice
frame, not a list of terms, ``lexicon.awareness_text`` reads) and ``round_13`` (dev_13's families), each
appended per category in the order its ``ADDITIONS`` lists them; last, the minors terms that only say
a child is there are filed under ``CHILD`` (``minors``). A new term goes in the module of its topic,
or a new round module appended to ``_ROUNDS``."""
from __future__ import annotations

from . import base, harassment, languages, round_9c, round_9d, round_9e, round_10, round_11, round_12, round_13
from ._util import _split
from .exceptions import (
    AWARENESS_AFTER,
    AWARENESS_BEFORE,
    AWARENESS_CJK,
    AWARENESS_HARMS,
    AWARENESS_MODIFIERS,
    AWARENESS_NO,
    AWARENESS_NO_TO,
    AWARENESS_SKIP,
    CATEGORY_TERM_EXCEPTIONS,
    CJK_EXCEPTIONS,
    CLOSE_UP_WORDS,
    FIXATION_PREFIXES,
    FIXATION_WORDS,
    FOOD_HEAT_CONTEXTS,
    FOOD_HEAT_KILL_RE,
    FOOTWEAR_CONTEXTS,
    FOOTWEAR_PHRASES,
    FOOTWEAR_STEMS,
    NONPARTISAN_CUES,
    NONPARTISAN_CUES_CJK,
)
from .minors import (
    AGE_RE,
    CHILD,
    CHILD_EXTRA_TERMS,
    MINOR_CUE_PATTERNS,
    MINOR_CUES,
    MINOR_CUES_CJK,
    MINORS_ALWAYS_CJK,
    MINORS_ALWAYS_PATTERN_MARKS,
    MINORS_ALWAYS_PATTERNS,
    MINORS_ALWAYS_TERMS,
    SWIM_FAMILY_CONTEXTS,
    SWIM_FAMILY_CONTEXTS_CJK,
    SWIMWEAR_CUES,
    SWIMWEAR_CUES_CJK,
)

__all__ = [
    "AGE_RE", "AWARENESS_AFTER", "AWARENESS_BEFORE", "AWARENESS_CJK", "AWARENESS_HARMS", "AWARENESS_MODIFIERS", "AWARENESS_NO", "AWARENESS_NO_TO", "AWARENESS_SKIP", "CATEGORY_PATTERNS", "CATEGORY_TERMS", "CATEGORY_TERM_EXCEPTIONS", "CHILD", "CJK_EXCEPTIONS",
    "CJK_TERMS", "CLOSE_UP_WORDS", "FIXATION_PREFIXES", "FIXATION_WORDS", "FOOTWEAR_CONTEXTS", "FOOTWEAR_PHRASES", "FOOTWEAR_STEMS", "MINOR_CUES", "MINOR_CUES_CJK", "MINOR_CUE_PATTERNS", "MINORS_ALWAYS_CJK", "MINORS_ALWAYS_TERMS",
    "SWIM_FAMILY_CONTEXTS", "SWIM_FAMILY_CONTEXTS_CJK", "FOOD_HEAT_CONTEXTS", "FOOD_HEAT_KILL_RE", "NONPARTISAN_CUES", "NONPARTISAN_CUES_CJK", "SWIMWEAR_CUES", "SWIMWEAR_CUES_CJK",
]

_ROUNDS = (round_9c, languages, round_9d, round_9e, harassment, round_10, round_12, round_11, round_13)


def _assemble() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    terms = dict(base.CATEGORY_TERMS)
    cjk = dict(base.CJK_TERMS)
    patterns = dict(base.CATEGORY_PATTERNS)
    targets = {"terms": terms, "cjk": cjk, "patterns": patterns}
    for module in _ROUNDS:
        for kind, additions in module.ADDITIONS:
            target = targets[kind]
            for cat, extra in additions.items():
                target[cat] = target[cat] + (_split(extra) if kind == "terms" else extra)
    # a child in the scene is not the category: see ``minors``
    terms[CHILD] = tuple(t for t in terms["minors"] if t not in MINORS_ALWAYS_TERMS) + CHILD_EXTRA_TERMS
    terms["minors"] = tuple(t for t in terms["minors"] if t in MINORS_ALWAYS_TERMS)
    cjk[CHILD] = tuple(t for t in cjk["minors"] if t not in MINORS_ALWAYS_CJK)
    cjk["minors"] = tuple(t for t in cjk["minors"] if t in MINORS_ALWAYS_CJK)
    marked = [any(m in p for m in MINORS_ALWAYS_PATTERN_MARKS) for p in patterns["minors"]]
    patterns[CHILD] = tuple(p for p, m in zip(patterns["minors"], marked) if not m)
    patterns["minors"] = tuple(p for p, m in zip(patterns["minors"], marked) if m) + MINORS_ALWAYS_PATTERNS
    return terms, cjk, patterns


CATEGORY_TERMS, CJK_TERMS, CATEGORY_PATTERNS = _assemble()
