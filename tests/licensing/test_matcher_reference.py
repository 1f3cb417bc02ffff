"""The engine's shortcuts (issue #14) give the answers of a straightforward reference, written out
here without them: tokens cleaned afresh for every brief, the fuzzy pass probing every word, the
Chinese pass on every brief, the screen walking every party and every category, and `decide`
walking every party's facts. Compared on a few hundred generated briefs (everyday briefs, held-out
ones, misspellings, German/French/Spanish/Chinese terms, letters spelled out with spaces and dots,
leetspeak, look-alike letters) and on generated parties in and out of good standing."""
import importlib
import json
import random
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

from licensing.policy import PAID_CHANNELS, BriefRequest, Decision, LicenceFacts, PartyFacts, Snapshot, decide
from licensing.screening import (
    KIND_BLOCKED_WORD,
    KIND_CATEGORY,
    KIND_RULE,
    SENSITIVE_CATEGORIES,
    ContentRules,
    Refusal,
    _parties_lexicon,
    screen,
)

lexicon = importlib.import_module("licensing.screening.lexicon")
normalise = importlib.import_module("licensing.screening.normalise")
DATA = Path(lexicon.__file__).resolve().parents[1] / "screening_data"
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)

# --- the reference: the matcher and the engine without their shortcuts ---------------------------


def plain_fold(text):
    if not text.isascii():
        return normalise._fold(text)
    return text.lower().translate(normalise._CONFUSABLE_TABLE)


def plain_token_views(text):
    # French/Italian elision split on every brief (the engine skips briefs without an apostrophe)
    folded = normalise._ELISION_RE.sub(r"\1 ", plain_fold(text)).replace("'", "")
    raw = [tok for tok in (m.lstrip("@").rstrip("!|") for m in normalise._TOKEN_RE.findall(folded)) if tok]
    joined, split, i = [], [], 0
    while i < len(raw):
        j = i
        while j < len(raw) and len(raw[j]) == 1:
            j += 1
        if j - i >= 3:
            run = normalise._clean_uncached("".join(raw[i:j]))
            if run:
                if j - i >= 5 and raw[i] in ("a", "i") and raw[i + 1] not in ("a", "i"):
                    joined.extend((run[0], run[1:]))
                else:
                    joined.append(run)
                split.extend(run)
            i = j
        else:
            tok = normalise._clean_uncached(raw[i])
            if tok:
                joined.append(tok)
                split.append(tok)
            i += 1
    return joined, split


def plain_cjk(text):
    return "".join(re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", unicodedata.normalize("NFKC", text)))


def plain_near_misspelling(a, b):
    """Words of one length: every differing position within two neighbours; else Damerau distance
    one, by the textbook table."""
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return not diffs or diffs[-1] - diffs[0] <= 1
    d = [[max(i, j) if min(i, j) == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    return d[len(a)][len(b)] <= 1


def plain_fuzzy(lex, tokens, found):
    known = lexicon._known_words()
    if known == frozenset({""}):
        return
    for tok in tokens:
        if len(tok) < lex._fuzzy_min - 1 or tok in lex._by_joined or tok in known:
            continue
        for v in {tok, *(tok[:i] + tok[i + 1 :] for i in range(1, len(tok)))}:
            for key, term in lex._fuzzy.get(v, ()):
                word = term.tokens[0]
                if key in found or word[0] != tok[0] or abs(len(word) - len(tok)) > 1:
                    continue
                if len(word) < 6 and sorted(word) != sorted(tok):
                    continue
                if not plain_near_misspelling(word, tok):
                    continue
                found[key] = f'matched "{term.text}" as "{tok}"'


def plain_categories(text):
    """``lexical_categories`` with the reference tokens and fuzzy pass (the phrase, Chinese and age
    passes are the module's own: their shortcuts are held by test_lexicon_matcher)."""
    views = plain_token_views(text)
    cjk = plain_cjk(text)
    masked = (lexicon._mask_exceptions(views[0]), lexicon._mask_exceptions(views[1]))
    found = dict(lexicon._CATEGORY_LEXICON.match(masked))
    plain_fuzzy(lexicon._CATEGORY_LEXICON, masked[0], found)
    rest = lexicon.lexical_categories(views, cjk)
    for cat, evidence in rest.items():
        found.setdefault(cat, evidence)
    return found


def plain_screen(prompt, parties):
    """The lexical screen, party by party and category by category."""
    views = plain_token_views(prompt)
    cats = plain_categories(prompt)
    own = _parties_lexicon(tuple((p.blocked_words, p.rules) for p in parties)).match(views)
    out = []
    for i, party in enumerate(parties):
        for cat in SENSITIVE_CATEGORIES:
            if cat not in party.allowed_categories and cat in cats:
                out.append(Refusal(party.label, cat, KIND_CATEGORY, cats[cat]))
        for w in party.blocked_words:
            if own.get((i, KIND_BLOCKED_WORD, w)):
                out.append(Refusal(party.label, w, KIND_BLOCKED_WORD, own[(i, KIND_BLOCKED_WORD, w)]))
        for r in party.rules:
            if own.get((i, KIND_RULE, r)):
                out.append(Refusal(party.label, r, KIND_RULE, own[(i, KIND_RULE, r)]))
    return out


def plain_decide(request, parties, screen_fn):
    reasons, approvals = [], []
    if not request.prompt.strip():
        reasons.append("The brief has no prompt.")
    if not parties:
        reasons.append("No rights holder is attached to this brief.")
    paid = request.commercial or request.channel in PAID_CHANNELS
    for p in parties:
        who = p.label
        if p.revoked:
            reasons.append(f"{who} has been revoked by the rights holder.")
        elif not p.listed:
            reasons.append(f"{who} is not currently listed.")
        if not p.consent_current:
            reasons.append(f"{who} has no current consent on record." if p.kind != "ip_asset" else f"{who} is not opted in by its owner.")
        if not p.permits_requester:
            reasons.append(f"{who} does not allow you to use it.")
        if p.minor and paid:
            reasons.append(f"{who} is under 18 and cannot be used commercially.")
        if p.minor and p.requester_is_organisation:
            reasons.append(f"{who} belongs to a minor and is never used by a brand or a studio.")
        if p.exclusive_conflict:
            reasons.append(f"{who} is licensed exclusively to another brand in your category.")
        if p.kind == "ancestor":
            if p.derivatives == "none":
                reasons.append(f"{who} does not allow remixes.")
            elif p.derivatives == "approval":
                approvals.append(who)
        elif p.licence is None:
            reasons.append(f"You hold no licence for {who}.")
        else:
            reasons.extend(plain_licence_reasons(request, who, p.licence))
        if p.requires_brief_approval:
            approvals.append(who)
    rules = [p.content for p in parties if p.content is not None]
    refusals = screen_fn(request.prompt, rules) if rules else []
    # each refusal once, as the plan's attribution hands them back
    refusals = list(dict.fromkeys(refusals))
    reasons.extend(dict.fromkeys(r.message for r in refusals))
    if reasons:
        return Decision(False, tuple(reasons), refusals=tuple(refusals))
    why = "Every party allows it: licences active, in term and scope, quota left, content rules met."
    return Decision(True, (why,), needs_approval_from=tuple(dict.fromkeys(approvals)))


def plain_licence_reasons(req, who, lic):
    out = []
    if req.requester_id != lic.licensee_id:
        out.append(f"The licence for {who} belongs to someone else.")
    if lic.status != "active":
        out.append(f"The licence for {who} is {lic.status}, not active.")
    if lic.starts_at and req.at < lic.starts_at:
        out.append(f"The licence term for {who} has not started yet.")
    if lic.ends_at and req.at >= lic.ends_at:
        out.append(f"The licence term for {who} has ended.")
    if lic.quota_used >= lic.quota_total:
        out.append(f"The generation quota ({lic.quota_total}) for {who} is used up.")
    if req.commercial and not lic.commercial_use:
        out.append(f"The licence for {who} is for non-commercial use only.")
    elif not lic.commercial_use and req.channel in PAID_CHANNELS:
        out.append(f"The licence for {who} is for non-commercial use only: {req.channel.replace('_', ' ')} is a paid, commercial channel.")
    if lic.channels and not req.channel:
        out.append(f"The licence for {who} covers only {', '.join(c.replace('_', ' ') for c in lic.channels)}: state the channel.")
    if lic.territories and not req.territory:
        out.append(f"The licence for {who} covers only {', '.join(lic.territories)}: state the territory.")
    if req.channel and lic.channels and req.channel not in lic.channels:
        out.append(f"The licence for {who} does not cover the {req.channel.replace('_', ' ')} channel.")
    if req.territory and lic.territories and req.territory.upper() not in lic.territories:
        out.append(f"The licence for {who} does not cover territory {req.territory.upper()}.")
    return out


# --- generated briefs ----------------------------------------------------------------------------

EVERYDAY = ("a smiling woman holding a can of lemon soda on a sunny beach", "it`s a 'cool' co`caine shot", "two friends sharing a picnic in a park",
            "a chef plating pasta in a bright kitchen", "a cyclist on a mountain trail at dawn, 35mm film look")
TERMS = ("cocaine", "swastika", "suicide", "naked", "heroin", "nackt", "selbstmord", "nue", "desnuda", "cocaina",
         "hakenkreuz", "bleeding", "terrorist", "motorbike", "cigarette", "casino", "rivalcola", "lingerie")
CJK = ("她在床上", "裸体", "毒品", "一杯咖啡", "海滩")
LOOKALIKE = str.maketrans({"a": "а", "e": "е", "o": "о", "c": "с"})
LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "$"})


def _misspell(rng, word):
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return rng.choice([word[:i] + word[i + 1 :], word[:i] + word[i + 1] + word[i] + word[i + 2 :], word[:i] + "x" + word[i + 1 :],
                       word[:i] + word[i] + word[i:]])


def _perturb(rng, word):
    how = rng.randrange(7)
    if how == 0:
        return _misspell(rng, word)
    if how == 1:
        return rng.choice([" ", ".", "-", " . "]).join(word)
    if how == 2:
        return word.translate(LOOKALIKE)
    if how == 3:
        return word.translate(LEET)
    if how == 4:
        return word.upper() + rng.choice(["!", "!!", "|", ""])
    if how == 5:
        return "@" + word
    return word.replace("e", "é").replace("a", "à")


def generated_briefs(n=400):
    rng = random.Random(1414)
    held = []
    for name in ("heldout.jsonl", "heldout_3.jsonl"):
        path = DATA / name
        if path.exists():
            held += [json.loads(x).get("brief") or json.loads(x)["text"] for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    out = []
    for k in range(n):
        base = rng.choice(held) if held and k % 2 else rng.choice(EVERYDAY)
        words = base.split()
        for _ in range(rng.randrange(1, 4)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(TERMS))
        words = [_perturb(rng, w) if rng.random() < 0.3 else w for w in words]
        if rng.random() < 0.15:
            words.append(rng.choice(CJK))
        if rng.random() < 0.1:
            words.append(f"a {rng.randrange(5, 40)} year old")
        out.append(" ".join(words) + f", take {k}")
    return out


def test_token_views_and_categories_equal_the_reference():
    fuzzy_hits = spelled = 0
    for text in generated_briefs():
        views = normalise._token_views(text)
        assert views == plain_token_views(text), text
        assert normalise.cjk_text(text) == plain_cjk(text), text
        found = lexicon.lexical_categories(views, normalise.cjk_text(text))
        assert found == plain_categories(text), text
        fuzzy_hits += any(" as " in e and "matched \"" in e for e in found.values())
        spelled += views[0] != views[1]
    # the generated briefs do reach the shortcuts' edges: misspellings read, words spelled out
    assert fuzzy_hits > 20 and spelled > 20


def test_screen_equals_the_reference_party_by_party():
    parties = [
        ContentRules(label="A", blocked_words=("motorbike", "rivalcola", "lemon soda"), rules=("no alcohol", "never show me smoking")),
        ContentRules(label="B", allowed_categories=frozenset({"drugs", "violence"}), blocked_words=("casino",)),
        ContentRules(label="C", allowed_categories=frozenset(c for c in SENSITIVE_CATEGORIES if c != "minors"), rules=("no gambling",)),
    ]
    refused = 0
    for text in generated_briefs():
        got = screen(text, parties, semantic=False)
        assert got == plain_screen(text, parties), text
        refused += bool(got)
    assert refused > 100


def _random_parties(rng, n):
    out = []
    for i in range(n):
        kind = rng.choice(["likeness", "ip_asset", "ancestor"])
        bad = rng.random() < 0.1  # some parties out of good standing
        lic = LicenceFacts(status="active", starts_at=None, ends_at=NOW + timedelta(days=9), quota_total=10, quota_used=0,
                           licensee_id=1) if rng.random() < 0.7 else LicenceFacts(
            status="active" if rng.random() < 0.9 else "suspended",
            starts_at=NOW - timedelta(days=rng.choice([3, -1])) if rng.random() < 0.8 else None,
            ends_at=NOW + timedelta(days=rng.choice([30, -2])) if rng.random() < 0.8 else None,
            quota_total=10, quota_used=rng.choice([0, 5, 10]), licensee_id=rng.choice([1, 1, 1, 2]),
            commercial_use=rng.random() < 0.8, channels=rng.choice([(), ("web",), ("paid_social", "web")]),
            territories=rng.choice([(), ("GB",), ("FR", "US")]),
        )
        out.append(PartyFacts(
            label=f"Party {i}", listed=not (bad and rng.random() < 0.3), revoked=bad and rng.random() < 0.3,
            consent_current=not (bad and rng.random() < 0.3), kind=kind, permits_requester=not (bad and rng.random() < 0.3),
            minor=bad and rng.random() < 0.2, requester_is_organisation=rng.random() < 0.5,
            licence=None if kind == "ancestor" or (bad and rng.random() < 0.2) else lic,
            derivatives=rng.choice(["allowed", "allowed", "approval", "none" if bad else "allowed"]),
            exclusive_conflict=bad and rng.random() < 0.2, requires_brief_approval=rng.random() < 0.2,
            content=ContentRules(label=f"Party {i}", blocked_words=("casino", f"rival{i}"), rules=("no alcohol",)) if rng.random() < 0.8 else None,
        ))
    return out


def test_decide_equals_the_reference_on_generated_parties():
    rng = random.Random(14)
    lexical = lambda prompt, rules: screen(prompt, rules, semantic=False)  # noqa: E731
    briefs = generated_briefs(120) + ["", "   "] + [f"{b}, take {k}" for k, b in enumerate(EVERYDAY * 30)]
    fast = allowed = 0
    for k in range(300):
        parties = _random_parties(rng, rng.choice([0, 1, 2, 3, 5, 20]))
        request = BriefRequest(requester_id=1, prompt=rng.choice(briefs), at=NOW, channel=rng.choice([None, "web", "paid_social", "tv"]),
                               territory=rng.choice([None, "gb", "GB", "US", ""]), commercial=rng.random() < 0.7)
        snap = Snapshot.compile(parties)
        got = decide(request, snap, screen=lexical)
        assert got == plain_decide(request, parties, lexical), (k, request)
        assert decide(request, parties) == plain_decide(request, parties, lambda p, r: []), k
        fast += snap.standing is not None
        allowed += got.allowed
    assert fast > 30 and 300 - fast > 30 and allowed > 10  # both ways through, both answers


def test_every_licence_checked_at_once_equals_each_licence_checked():
    # parties all in good standing: ``decide`` checks their licences together (``_Licences``) and
    # walks them one by one only where that finds a fault; the answers are each licence's own
    rng = random.Random(1402)
    times = [None, NOW - timedelta(days=3), NOW - timedelta(seconds=1), NOW, NOW + timedelta(seconds=1), NOW + timedelta(days=2)]
    allowed = refused = 0
    channels = [(), ("web",), ("paid_social", "web"), ("web", "tv"), ("paid_social", "web", "tv")]
    territories = [(), ("GB",), ("GB", "FR"), ("FR", "US"), ("GB", "FR", "US")]
    for k in range(600):
        request = BriefRequest(requester_id=1 if rng.random() < 0.95 else 2, prompt="a cup of coffee", at=NOW,
                               channel=rng.choice([None, "", "web", "web", "paid_social", "tv"]),
                               territory=rng.choice([None, "", "gb", "GB", "FR", "us"]), commercial=rng.random() < 0.8)
        # most licences cover the request (fit), a few fail it in one way or several
        fit = dict(status="active", starts_at=rng.choice(times[:4]), ends_at=rng.choice(times[4:] + [None]), quota_total=10, quota_used=9,
                   licensee_id=1, commercial_use=True,
                   channels=rng.choice([c for c in channels if not c or (request.channel and request.channel in c)]),
                   territories=rng.choice([t for t in territories if not t or (request.territory and request.territory.upper() in t)]))
        other = dict(status=["suspended"], starts_at=times, ends_at=times, quota_used=[10], licensee_id=[2], commercial_use=[False],
                     channels=channels, territories=territories)
        licences = []
        for _ in range(rng.choice([1, 2, 3, 8, 16])):
            terms = dict(fit)
            if rng.random() < 0.15:  # one term drawn afresh (it may still fit)
                name = rng.choice(sorted(other))
                terms[name] = rng.choice(other[name])
            licences.append(LicenceFacts(**terms))
        parties = [PartyFacts(label=f"Party {i}", listed=True, revoked=False, consent_current=True, kind=rng.choice(["likeness", "ip_asset"]),
                              licence=lic, requires_brief_approval=rng.random() < 0.1) for i, lic in enumerate(licences)]
        parties += [PartyFacts(label="Remix parent", listed=True, revoked=False, consent_current=True, kind="ancestor",
                               derivatives=rng.choice(["allowed", "approval"]))] * rng.choice([0, 1])
        snap = Snapshot.compile(parties)
        assert snap.standing is not None and snap.licences is not None
        got = decide(request, snap)
        assert got == plain_decide(request, parties, lambda p, r: []), (k, request, licences)
        allowed += got.allowed
        refused += not got.allowed
    assert allowed > 100 and refused > 100
    # times that cannot be compared together (naive and aware): no shortcut, each licence as before
    naive = LicenceFacts(status="active", starts_at=datetime(2026, 5, 1), ends_at=None, quota_total=1, quota_used=0, licensee_id=1)
    aware = LicenceFacts(status="active", starts_at=NOW - timedelta(days=1), ends_at=None, quota_total=1, quota_used=0, licensee_id=1)
    mixed = Snapshot.compile([PartyFacts(label=f"P{i}", listed=True, revoked=False, consent_current=True, licence=lic)
                              for i, lic in enumerate((naive, aware))])
    assert mixed.standing is not None and mixed.licences is None
