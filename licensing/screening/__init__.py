"""Content screening of briefs: a pure, Django-free package.

A brief (the prompt a licensee sends) is screened against the content rules of every party in the
work (the talent, each IP owner, each remix ancestor). Each party's ``ContentRules`` says which
categories that party relaxed (all are blocked by default; ``relaxable_categories`` says which may
be), the party's own blocked words and the party's free-text rules ("no alcohol", "I am vegan, no
meat"). ``screen`` returns every refusal, one per party and rule; an empty list means the brief
passes. The most restrictive party wins because every party is screened and every refusal kept.

Layers (each adds what the others missed):

* lexical (``lexicon``): the prompt is normalised (case, accents, look-alikes, leetspeak, spacing,
  separators) and matched, in one pass, against curated terms, phrase patterns and stems of every
  category in English, German, French, Spanish and Chinese, and against every party's blocked words
  and rule subjects;
* the classifier (``model``): a logistic-regression head over all-MiniLM-L6-v2 embeddings of the
  brief and its parts, trained on ``screening_data/training.jsonl``;
* the n-gram classifier (``ngram``): a logistic-regression head over hashed character n-grams of the
  normalised brief and its parts (no embedder: reads misspellings and leetspeak as the lexicon folds
  them), trained on the same set; a category refuses when either head reaches its threshold;
* owner rules (``model.rule_hits``): pieces of the brief compared with examples expanded from the
  rule's words, against everyday anchors;
* optionally a deployment's guard model (``guard``), when ``guard=`` is passed.

Refusal messages shown to the person who wrote the brief name the category, or "a rule of the
rights holder": never a party's private words (``Refusal.message``); the holder reads the exact rule
(``Refusal.private_message``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

from .categories import (
    CATEGORY_DEFINITIONS,
    CATEGORY_LABELS,
    NEVER_RELAXABLE,
    PROFILES,
    SENSITIVE_CATEGORIES,
    category_definition,
    relaxable_categories,
)
from .lexicon import CHILD, _Lexicon, awareness_text, lexical_categories, nonpartisan_notice
from .model import (
    NeedsInference,
    ScreeningModelUnavailable,
    category_hits,
    category_pieces,
    category_refused,
    child_harm,
    gloss_piece,
    load_model,
    ngram_hits,
    ngram_refused,
    rule_hits,
    rule_refused,
    texts_to_embed,
)
from .normalise import _token_views, _tokens, cjk_text, despace, normalise
from .rules import AMBIGUOUS_RELATED, related_words, rule_examples, rule_subject, rule_subjects

POLITICAL = "political_endorsement"
# A brief that says it takes no side (``lexicon.nonpartisan_notice``) is refused as political
# endorsement by a head only at this probability or above: heads trained with the dev sets
# (``screening_train --with-dev``, n-gram threshold 0.520) read "a nonpartisan notice: remember to
# register to vote" at 0.53; "nonpartisan" calls to back a party or candidate read 0.87-0.97.
NONPARTISAN_BAR = 0.7

__all__ = [
    "SENSITIVE_CATEGORIES", "CATEGORY_LABELS", "CATEGORY_DEFINITIONS", "NEVER_RELAXABLE", "PROFILES",
    "relaxable_categories", "category_definition", "ContentRules", "Refusal", "ScreeningModelUnavailable", "NeedsInference",
    "normalise", "despace", "rule_subject", "rule_subjects", "rule_examples", "screen", "warm", "load_model",
    "cjk_text", "_tokens",
]

KIND_CATEGORY = "category"
KIND_BLOCKED_WORD = "blocked_word"
KIND_RULE = "rule"
KIND_GUARD = "guard"

HOLDER_RULE = "a rule of the rights holder"


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
    """One reason a brief is refused: which party, which rule, what kind of rule, and the evidence.

    ``rule`` and ``detail`` may hold the party's private words: show people ``message``; only the
    party itself may read ``private_message``."""

    party: str
    rule: str  # the category key, the blocked word or the free-text rule, as the party wrote it
    kind: str  # "category" | "blocked_word" | "rule" | "guard"
    detail: str  # the matched text, or the probability/similarity and the piece of the brief

    @property
    def category(self) -> str:
        """The category key, or "holder_rule" for a blocked word or a free-text rule."""
        return self.rule if self.kind in (KIND_CATEGORY, KIND_GUARD) else "holder_rule"

    @property
    def public_reason(self) -> str:
        if self.kind == KIND_CATEGORY:
            return f"the content category “{CATEGORY_LABELS.get(self.rule, self.rule)}”"
        if self.kind == KIND_GUARD:
            label = CATEGORY_LABELS.get(self.rule, "unsafe content")
            return f"the content category “{label}” (content guard)"
        return HOLDER_RULE

    @property
    def message(self) -> str:
        """One line for the person who wrote the brief: who refused and by which category, or that
        a rule of the rights holder did (never the rule's words)."""
        return f"{self.party}: refused by {self.public_reason}."

    @property
    def private_message(self) -> str:
        """For the rights holder only: the exact rule and the evidence."""
        if self.kind == KIND_BLOCKED_WORD:
            what = f'your blocked word "{self.rule}"'
        elif self.kind == KIND_RULE:
            what = f'your rule "{self.rule}"'
        else:
            what = self.public_reason
        return f"Refused by {what}; {self.detail}"

    def __str__(self) -> str:
        return self.message


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.lru_cache(maxsize=2048)
def _parties_lexicon(parties: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]) -> _Lexicon:
    """One lexicon of every party's blocked words and rule subjects, keyed (party, kind, rule)."""
    lex = _Lexicon()
    for i, (words, rules) in enumerate(parties):
        for w in words:
            lex.add((i, KIND_BLOCKED_WORD, w), w)
        for r in rules:
            for subject in rule_subjects(r):
                lex.add((i, KIND_RULE, r), subject)
                for word in related_words(subject):
                    if word not in AMBIGUOUS_RELATED:
                        lex.add((i, KIND_RULE, r), word)
    return lex


def _subjects(parties: Sequence[ContentRules]) -> list[str]:
    return [s for p in parties for r in p.rules for s in rule_subjects(r)]


def _blocked_somewhere(parties: Sequence[ContentRules]) -> bool:
    return any(len(p.allowed_categories) < len(SENSITIVE_CATEGORIES) for p in parties)


@dataclass(frozen=True)
class _Prepared:
    """What a screen needs of a set of parties, whatever the brief: worked out once per set."""

    blocked_somewhere: bool
    subjects: list[str]
    lexicon: _Lexicon
    refused_categories: tuple[tuple[str, ...], ...]  # per party, the categories it has not relaxed, in order


# By the identity of the rule objects (a plan screens the same merged rules brief after brief):
# each entry holds the objects themselves, so an id is never reused while its entry lives, and a
# hit is confirmed object by object. ``ContentRules`` is frozen, so nothing goes stale.
_PREPARED_BY_ID: dict[tuple[int, ...], tuple[tuple[ContentRules, ...], _Prepared]] = {}


def _prepared(parties: Sequence[ContentRules]) -> _Prepared:
    ids = tuple(map(id, parties))
    hit = _PREPARED_BY_ID.get(ids)
    if hit is not None and hit[0] == tuple(parties):  # element by element, identity first
        return hit[1]
    prep = _Prepared(
        blocked_somewhere=_blocked_somewhere(parties),
        subjects=_subjects(parties),
        lexicon=_parties_lexicon(tuple((p.blocked_words, p.rules) for p in parties)),
        refused_categories=tuple(tuple(c for c in SENSITIVE_CATEGORIES if c not in p.allowed_categories) for p in parties),
    )
    if len(_PREPARED_BY_ID) >= 256:
        _PREPARED_BY_ID.clear()
    _PREPARED_BY_ID[ids] = (tuple(parties), prep)
    return prep


def warm(prompt: str, parties: Sequence[ContentRules]) -> None:
    """Embed, ahead and outside any lock, everything a full screen of this brief for these parties
    will read, so that ``screen(..., infer=False)`` can run under locks."""
    warm_texts(texts_for_warm(prompt, parties))


def texts_for_warm(prompt: str, parties: Sequence[ContentRules]) -> list[str]:
    """What ``warm`` embeds for this brief and these parties."""
    blocked = _blocked_somewhere(parties)
    return texts_to_embed(prompt, _subjects(parties), categories=blocked, category_text=awareness_text(prompt) if blocked else None)


def warm_texts(texts: Sequence[str]) -> None:
    """Embed these texts (several briefs' ``texts_for_warm`` at once: one model call)."""
    texts = list(dict.fromkeys(texts))
    if texts:
        load_model().encode(texts)


def screen(prompt: str, parties: Sequence[ContentRules], *, semantic: bool = True, infer: bool = True, guard=None) -> list[Refusal]:
    """Every refusal of the brief by every party; an empty list means the brief is allowed.

    A category is refused for every party that has not relaxed it, so one party's relaxation never
    lifts another's default. Per party, a rule that matches lexically is reported once, with the
    lexical evidence; the semantic layer adds what the lexical layer missed. ``infer=False`` screens
    in full from cached embeddings only and raises ``NeedsInference`` if one is missing (see
    ``warm``). ``guard`` is an optional ``guard.GuardScreen``.
    """
    views = _token_views(prompt)
    cjk = cjk_text(prompt)
    lex_text = awareness_text(prompt)
    if lex_text != prompt:
        lexical_cats = lexical_categories(_token_views(lex_text), cjk_text(lex_text))
    else:
        lexical_cats = lexical_categories(views, cjk)

    cat_hits = {}
    ng_hits = {}
    hits_by_subject = {}
    gloss_of = ""
    prep = _prepared(parties)
    blocked_somewhere = prep.blocked_somewhere
    subjects = prep.subjects
    if semantic and (views[0] or cjk) and (blocked_somewhere or subjects):
        model = load_model()
        if blocked_somewhere:
            # the gloss and the pieces once per screen (both heads read the same pieces; the gloss
            # was worked out three times: 1.7 + 1.2 ms of a 115 ms brief at load 20 on 2 CPUs)
            # the heads read the brief less the harm an awareness frame campaigns against
            # (``lexicon.awareness_text``: "a stop stalking campaign" is not stalking; what it shows is read)
            head_text = awareness_text(prompt)
            english = gloss_piece(head_text)
            pieces = category_pieces(head_text, english)
            cat_hits = category_hits(model, head_text, infer=infer, pieces=pieces)
            ng_hits = ngram_hits(head_text, pieces)
            gloss_of = english if cat_hits else ""
        hits_by_subject = rule_hits(model, prompt, subjects, infer=infer)
    if (POLITICAL in cat_hits or POLITICAL in ng_hits) and POLITICAL not in lexical_cats and nonpartisan_notice(views, cjk):
        # a notice that says it takes no side: a head's middling "endorsement" is its civic words; a
        # sure one (a party or candidate backed: 0.87-0.97 on "nonpartisan" calls to vote for one)
        # and the lexicon's own political terms and phrases still refuse it
        cat_hits = {c: h for c, h in cat_hits.items() if c != POLITICAL or h.probability >= NONPARTISAN_BAR}
        ng_hits = {c: h for c, h in ng_hits.items() if c != POLITICAL or h.probability >= NONPARTISAN_BAR}
    guard_hits = guard.classify(prompt) if guard is not None and blocked_somewhere else []
    if cat_hits and CHILD in lexical_cats and "minors" not in lexical_cats:
        # a child in the scene is "minors" only with harm beside it (the lexicon found no cue)
        why = child_harm(cat_hits, ng_hits, gloss_of)
        if why is not None:
            lexical_cats = {**lexical_cats, "minors": f"{lexical_cats[CHILD]}, with {why}"}

    party_lex = prep.lexicon
    own = party_lex.match(views) if party_lex.max_len else {}

    refusals: list[Refusal] = []
    if not (lexical_cats or cat_hits or guard_hits or own or hits_by_subject):
        return refusals  # the usual brief: nothing matched, nothing to hand to any party
    for i, party in enumerate(parties):
        label = party.label
        if lexical_cats or cat_hits:
            for cat in prep.refused_categories[i]:
                if cat in lexical_cats:
                    refusals.append(Refusal(label, cat, KIND_CATEGORY, lexical_cats[cat]))
                elif cat in cat_hits and category_refused(cat_hits[cat], ng_hits.get(cat), gloss_of):
                    h = cat_hits[cat]
                    refusals.append(Refusal(label, cat, KIND_CATEGORY, f'classifier probability {h.probability:.2f} for "{_clip(h.piece)}"'))
                elif cat in ng_hits and ngram_refused(ng_hits[cat]):
                    h = ng_hits[cat]
                    refusals.append(Refusal(label, cat, KIND_CATEGORY, f'n-gram classifier probability {h.probability:.2f} for "{_clip(h.piece)}"'))
        for g in guard_hits:
            if g.label not in party.allowed_categories:
                refusals.append(Refusal(label, g.label, KIND_GUARD, f"guard label {g.raw_label} at {g.probability:.2f}"))
        if own:
            for w in party.blocked_words:
                evidence = own.get((i, KIND_BLOCKED_WORD, w))
                if evidence:
                    refusals.append(Refusal(label, w, KIND_BLOCKED_WORD, evidence))
        if own or hits_by_subject:
            for rule in party.rules:
                evidence = own.get((i, KIND_RULE, rule))
                if evidence:
                    refusals.append(Refusal(label, rule, KIND_RULE, evidence))
                    continue
                hits = [h for h in (hits_by_subject.get(s) for s in rule_subjects(rule)) if h is not None and rule_refused(h)]
                if hits:
                    h = max(hits, key=lambda h: h.score)
                    refusals.append(Refusal(label, rule, KIND_RULE, f'similarity {h.score:.2f} of "{_clip(h.piece)}" to "{h.against}"'))
    return refusals


def screen_one(brief: str, rules: Sequence[str] = (), *, label: str = "The likeness") -> dict:
    """Screen a brief exactly as a brief to a likeness with these owner rules and no relaxed
    categories: ``{"allowed", "categories", "reasons"}`` (the reasons as the holder reads them).
    What ``manage.py screen_briefs`` and the talent's "test my rules" page answer."""
    refusals = screen(brief, [ContentRules(label=label, rules=tuple(rules))])
    return {
        "allowed": not refusals,
        "categories": list(dict.fromkeys(r.category for r in refusals)),
        "reasons": [r.private_message for r in refusals],
    }
