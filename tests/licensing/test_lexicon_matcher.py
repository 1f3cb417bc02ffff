"""The lexical matcher's shortcuts give the answers the plain scan gives: a run of tokens stops
growing only where no term (or plural of one) starts with it, a word that starts no term is not
scanned at all, and at each word the phrase patterns tried are every pattern that can match
there (a pattern left out would be a brief let through)."""
import importlib
import json
import re
from pathlib import Path

import pytest

from licensing.screening import ContentRules, screen

lexicon = importlib.import_module("licensing.screening.lexicon")
normalise = importlib.import_module("licensing.screening.normalise")

DATA = Path(lexicon.__file__).resolve().parents[1] / "screening_data"


def _briefs(limit=None):
    out = []
    for name in ("heldout.jsonl", "training.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append(row.get("brief") or row["text"])
    return out[:limit]


EVASIONS = [
    "s e x on the b e a c h", "a s w a s t i k a flag", "c0ca1ne lines", "kiiill him", "ѕех tape",
    "beers and wines at the pub", "two motorbikes", "riding shotgun with the kids", "vote 4 the senator",
    "a n u d e model", "cigarettes", "casinoes", "se x", "k ill", "selfharm", "Ｎａｋｅｄ", "he is 12 years old",
]


def _plain_match(lex, views):
    """The scan without shortcuts: every run of up to 12 tokens from every word, joined."""
    found = {}
    for tokens in dict.fromkeys(tuple(v) for v in views):
        n = len(tokens)
        for i in range(n):
            joined = ""
            for j in range(i, min(n, i + lexicon._MAX_JOIN_TOKENS)):
                joined += tokens[j]
                if len(joined) > lex.max_len:
                    break
                hits = lex._lookup(joined)
                span = tuple(tokens[i : j + 1])
                for key, term in hits:
                    if key in found:
                        continue
                    exact = span == term.tokens or (len(span) == len(term.tokens) and span[:-1] == term.tokens[:-1])
                    if not exact and len(span) > 1 and any(t in lexicon._JOIN_STOPWORDS for t in span):
                        continue
                    shown = " ".join(span)
                    found[key] = f'matched "{term.text}"' + ("" if shown == " ".join(term.tokens) else f' as "{shown}"')
    return found


def _party_lexicon():
    lex = lexicon._Lexicon()
    for w in ("rivalcola", "motorbike", "cigarette", "casino", "hot dog", "se x", "lemon soda"):
        lex.add(("word", w), w)
    return lex


@pytest.mark.parametrize("lex_name", ["categories", "party words"])
def test_the_pruned_scan_finds_what_the_plain_scan_finds(lex_name):
    lex = lexicon._CATEGORY_LEXICON if lex_name == "categories" else _party_lexicon()
    for text in _briefs(1500) + EVASIONS:
        views = normalise._token_views(text)
        assert lex.match(views) == _plain_match(lex, views), text


# briefs where a wide pattern (one that may start at any word) matches, and others that hold its text
WIDE = ["vote jones for mayor go vote", "smith for senate this year vote", "a poster: garcia for president on election day",
        "a cup for senate staff", "a gift for mayor", "votes for congress"]


def test_every_phrase_pattern_that_matches_at_a_word_is_tried_there_and_the_first_is_found():
    singles = [re.compile(pat) for _, pat in lexicon._PHRASE_LIST]
    tried = wide = 0
    for text in _briefs() + EVASIONS + WIDE:
        tokens = lexicon._mask_exceptions(normalise._token_views(text)[0])
        spaced = " ".join(tokens)
        absent = lexicon._absent_wide(spaced)
        expected = []
        pos = 0
        for tok in tokens:
            # what `_phrase_matches` tries at this word: the patterns filed under the next four characters
            rx = lexicon._phrase_head_rx(spaced[pos : pos + 4], absent)
            candidates = set(rx.groupindex) if rx is not None else set()
            first = None
            for idx, single in enumerate(singles):
                m = single.match(spaced, pos)
                if m:
                    tried += 1
                    wide += idx in dict(lexicon._WIDE_NEEDS)
                    assert f"p{idx}" in candidates, (text, lexicon._PHRASE_LIST[idx][1])
                    first = first or (f"p{idx}", m.group(0))
            if first:
                expected.append(first)
            pos += len(tok) + 1
        # the patterns tried together find, at each word, the first pattern (in order) that matches there
        assert [(m.lastgroup, m.group(0)) for m in lexicon._phrase_matches(spaced, tokens)] == expected, text
    assert tried > 100 and wide >= 3  # the briefs do exercise the patterns, the wide ones too


def test_a_wide_pattern_is_left_out_only_where_the_brief_lacks_its_text():
    assert lexicon._WIDE_NEEDS  # "[a-z]+ for (senate|mayor|...) ... vote" may start at any word
    for idx, need in lexicon._WIDE_NEEDS:
        single = re.compile(lexicon._PHRASE_LIST[idx][1])
        for text in _briefs() + WIDE:
            spaced = " ".join(normalise._token_views(text)[0])
            for m in single.finditer(spaced):
                assert need in m.group(0), (need, text)
    assert lexicon.lexical_categories(normalise._token_views("Vote JONES for Mayor, go vote!"), "")
    assert lexicon._required_text(r"\b(?:a|b) for (?:x|y)\b") == " for "
    assert lexicon._required_text(r"\bab|cd for\b") is None  # an alternation at the top: no text every match holds
    assert lexicon._required_text(r"(?i)\bx for y\b") is None


def test_the_first_four_characters_of_a_pattern():
    from re import _parser

    assert lexicon._prefixes(_parser.parse(r"\b(?:kill|kills) (?:him|her)\b"), 4) == {"kill"}
    assert lexicon._prefixes(_parser.parse(r"\b(?:a|an) (?:gun|knife)\b"), 4) == {"a gu", "a kn", "an g", "an k"}
    assert lexicon._prefixes(_parser.parse(r"\b\d{1,2} yo\b"), 4) == {f"{d} yo" for d in "0123456789"} | {
        f"{a}{b} y" for a in "0123456789" for b in "0123456789"}
    for idx in range(len(lexicon._PHRASE_LIST)):
        deep = lexicon._deep_prefixes(idx)
        assert deep is None or all(len(x) == 4 for x in deep)
    # at a head that begins none of a pattern's matches the pattern is not tried; at the brief's end
    # (fewer than four characters left) no pattern whose every match is longer
    for head in ("qzxj", "kill", "a gu", "gun", "of"):
        rx = lexicon._phrase_head_rx(head, ())
        for group in rx.groupindex if rx is not None else ():
            deep = lexicon._deep_prefixes(int(group[1:]))
            assert deep is None or head in deep, (head, group)


def test_token_views_fast_path_equals_the_spelled_out_path():
    # a brief with no spelled-out word goes the fast way; the same words with one spelled out do not
    fast = normalise._token_views("A smiling woman with l3mon soda, Café at noon")
    assert fast == (["a", "smiling", "woman", "with", "lemon", "soda", "cafe", "at", "noon"],) * 2
    slow = normalise._token_views("A smiling woman with l e m o n soda")
    assert slow[0] == ["a", "smiling", "woman", "with", "lemon", "soda"]
    assert slow[1] == ["a", "smiling", "woman", "with", "l", "e", "m", "o", "n", "soda"]


def test_a_blocked_word_in_a_plural_spelled_out_is_still_refused():
    rules = [ContentRules(label="A", blocked_words=("motorbike",))]
    assert screen("two m o t o r b i k e s at dawn", rules, semantic=False)
    assert screen("Two MOTORBIKES at dawn", rules, semantic=False)
    assert not screen("two motors and a bike at dawn", rules, semantic=False)


# Since main's screening change an age alone is the classifier's to judge: the lexicon reads
# "minors" where an age under 18 meets a sexual cue, so each brief carries one.
@pytest.mark.parametrize("age", ["a 12 year old", "aged 9,", "a 15 yo", "15 y o", "a 16 years old", "a 7 yrs old"])
def test_an_age_under_18_is_still_read_behind_its_shortcut(age):
    views = normalise._token_views(f"{age} posing naked on a bed")
    assert "minors" in lexicon.lexical_categories(views, "")


def test_an_adult_age_is_not_a_minor():
    found = lexicon.lexical_categories(normalise._token_views("a 34 year old model aged 34 posing naked on a bed"), "")
    assert "sexual" in found and "minors" not in found


@pytest.mark.parametrize("text", [
    "a\tsmiling\nwoman\r\nwith  soda", "hour,golden,hour", "a, b, c", "—", " , ", "", "s3x!! on the b3ach|", "@nike shoes@",
    "k i\u3000l l him", "x\u00a0y\u2003z", "take 1234,5678", "sex\u200bual", "wow!!! it's 12yo", "a\x0bb\x0cc\x1cd", "s\te\nx",
    "l'enfant qu'il, don't", "'l'enfant'",
])
def test_token_views_read_pieces_as_the_whole_text(text):
    folded = normalise._split_elisions(normalise._fold(text)).replace("'", "")
    whole = [normalise._word_uncached(m) for m in normalise._TOKEN_RE.findall(folded)]  # the tokeniser over the whole text at once
    assert [w for piece in folded.split() for w in normalise._PIECES[piece]] == whole
    views = normalise._token_views(text)
    if "111" not in "".join(w[2] for w in whole):
        assert views == ([w[1] for w in whole if w[1]],) * 2
    assert views == normalise._token_views(text)  # the second time, from the pieces seen


def test_every_age_the_expression_reads_passes_its_quick_test():
    # the age expression runs only where "aged " or a number before a "y" is in the brief
    # (``_AGE_HINT``): every text it reads holds one, spelled every way it reads ages
    forms = ["years old", "year old", "yrs old", "yr old", "yo", "y o"]
    texts = [f"{pre}{n}{sep}{form}{post}" for n in [*range(25), 99] for form in forms for sep in ("", " ")
             for pre in ("a ", "aged ", "") for post in ("", " girl")]
    texts += [f"a model aged {n}{post}" for n in range(25) for post in ("", " on a beach")]
    hits = 0
    for text in texts + _briefs():
        spaced = " ".join(normalise._token_views(text)[0])
        if lexicon._AGE_RE.search(spaced):
            hits += 1
            assert "aged " in spaced or lexicon._AGE_HINT.search(spaced), text
    assert hits > 500
    # ... and the quick test lets an adult's or a child's age through to the expression
    assert "minors" in lexicon.lexical_categories(normalise._token_views("a 15 yo posing naked on a bed"), "")
    assert "minors" not in lexicon.lexical_categories(normalise._token_views("a 34 yo posing naked on a bed"), "")


def test_a_misspelling_is_read_every_time_it_is_met():
    # the fuzzy pass skips words it has seen match nothing: never a word it has seen match
    for brief in ("a line of cocane on the table", "cocane for the party", "a line of cocane on the table"):
        assert "drugs" in lexicon.lexical_categories(normalise._token_views(brief), ""), brief


_FUZZY_PROBE = """
import json
from licensing.screening import lexicon
lex = lexicon._compile_lexicon()[0]
out = {}
for w in ("suicidl", "suicidall", "sucidal", "suicde", "cocane", "swastica", "overdoes", "stalkr", "heroien"):
    found = {}
    lex.fuzzy_match([w], found)
    out[w] = sorted(found.values())
print(json.dumps(out, sort_keys=True))
"""


def test_a_misspelling_names_the_same_evidence_in_every_process():
    """The reason a misspelling gives ('matched "suicidal" as "suicidl"') is the same whatever
    Python's hash seed: a set's order once chose between "suicide" and "suicidal" (seeds 1-4 gave
    two answers), so the same brief read differently in the web process and a worker."""
    import os
    import subprocess
    import sys

    root = Path(lexicon.__file__).resolve().parents[2]
    answers = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        run = subprocess.run([sys.executable, "-c", _FUZZY_PROBE], env=env, capture_output=True, text=True, timeout=120, check=True)
        answers.add(run.stdout)
    assert len(answers) == 1
    assert json.loads(answers.pop())["suicidl"]  # the probe reads misspellings at all
