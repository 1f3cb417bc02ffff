"""The second learned head of the content screen: a logistic regression over hashed character
n-grams of the normalised brief (licensing.screening.ngram, ``screening_data/ngram.npz``).

It ships beside the embedding head, loads with it, refuses what its n-grams read as harmful where
the embedding head does not, passes benign look-alikes, and its artifact holds numbers only (no
pickle) and round-trips. The briefs here were written for these tests (not taken from the
training, development or held-out sets)."""
import numpy as np
import pytest

from licensing import screening
from licensing.screening import ContentRules, ngram, normalise, screen
from licensing.screening import model as screening_model
from licensing.screening.categories import SENSITIVE_CATEGORIES
from licensing.screening.lexicon import lexical_categories
from licensing.screening.normalise import _token_views, cjk_text

TALENT = ContentRules(label="The likeness")



def test_the_shipped_head_loads_small_and_without_pickle():
    assert ngram.NGRAM_PATH.exists()
    assert ngram.NGRAM_PATH.stat().st_size < 2_000_000
    with np.load(ngram.NGRAM_PATH, allow_pickle=False) as data:  # numbers and strings only
        assert set(data.files) == {"classes", "rows", "coef", "bias", "threshold", "bits", "ngram_range"}
    h = ngram.ngram_head()
    assert h is not None
    assert set(h.classes) == set(SENSITIVE_CATEGORIES) | {"benign"}
    assert h.coef.shape == (len(h.rows), len(h.classes))
    assert 0.2 <= h.threshold <= 1.0
    assert h.ngram_range == ngram.NGRAM_RANGE


def test_it_loads_with_the_model(model):
    assert ngram._NGRAM_LOADED and ngram._NGRAM is not None


def test_features_are_char_ngrams_of_words_hashed_counted_and_normalised():
    counts = ngram.ngram_counts("ab", 2, 3, bits=8)  # " ab " -> " a", "ab", "b ", " ab", "ab "
    assert sum(counts.values()) == 5
    idx, vals = ngram.features("the cat the cat")
    assert len(idx) == len(set(idx)) and abs(sum(v * v for v in vals) - 1) < 1e-9
    # Chinese text is read as runs of characters (" 她在床上 ": four of 3, three of 4, two of 5)
    assert sum(ngram.ngram_counts("她在床上", 3, 5).values()) == 4 + 3 + 2
    # leetspeak and spacing are folded before the head reads the text
    assert ngram.features(normalise("Wh1t3 p.0.w.d.e.r")) == ngram.features(normalise("white powder"))


def test_the_artifact_round_trips(tmp_path):
    h = ngram.ngram_head()
    path = tmp_path / "ngram.npz"
    h.save(path)
    again = ngram.NgramHead.load(path)
    assert again.classes == h.classes and again.threshold == pytest.approx(h.threshold)
    assert again.bits == h.bits and again.ngram_range == h.ngram_range
    texts = ["a photo of the talent at the beach", "her home address and daily routine"]
    assert np.allclose(again.probabilities(texts), h.probabilities(texts), atol=1e-6)


def test_a_dense_head_keeps_only_the_buckets_with_weights():
    dense = np.zeros((2, 1 << 8), dtype=np.float32)
    dense[1, [3, 200]] = [0.5, -0.25]
    h = ngram.NgramHead.from_dense(["benign", "violence"], dense, [0.0, 0.0], 0.6, bits=8, ngram_range=(2, 3))
    assert list(h.rows) == [3, 200] and h.coef.shape == (2, 2)
    p = h.probabilities(["", "zz"])
    assert np.allclose(p.sum(axis=1), 1)


def test_an_unknown_class_is_refused(tmp_path):
    h = ngram.ngram_head()
    bad = ngram.NgramHead(("benign", "no_such_category"), h.rows, h.coef[:, :2], h.bias[:2], h.threshold, h.bits, h.ngram_range)
    bad.save(tmp_path / "bad.npz")
    with pytest.raises(screening.ScreeningModelUnavailable, match="unknown classes"):
        ngram.NgramHead.load(tmp_path / "bad.npz")


def _lexical(brief):
    return lexical_categories(_token_views(brief), cjk_text(brief))


# A leetspeak euphemism and a misspelt endorsement the embedding head reads below its threshold and
# the lexicon does not match: the n-gram head refuses them.
@pytest.mark.parametrize("brief, category", [
    ("4 l1ttl3 wh1t3 p0wd3r p4rty f4v0ur f0r th3 v1p r00m", "drugs"),
    ("the star hinting which candidat gets her tick on polling day", "political_endorsement"),
])
def test_it_refuses_what_the_embedding_head_misses(model, brief, category):
    assert not _lexical(brief)
    first = screening_model.category_hits(model, brief)
    assert not any(screening_model.category_refused(h) for h in first.values())
    hits = screening_model.ngram_hits(brief)
    assert screening_model.ngram_refused(hits[category])
    refusals = screen(brief, [TALENT])
    assert [r.rule for r in refusals] == [category]
    assert "n-gram classifier probability" in refusals[0].detail
    # relaxing the category lifts it for that party only
    relaxed = ContentRules(label="Studio", allowed_categories=frozenset({category}))
    assert [r.party for r in screen(brief, [TALENT, relaxed])] == ["The likeness"]


@pytest.mark.parametrize("brief", [
    "the star hinting which flavour gets her vote at the bake-off",
    "a baking-powder party cake for the kids' room",
    "die Sängerin empfiehlt ein Shampoo für glänzendes Haar",
    "ihr Tagesablauf als Marathonläuferin, für eine Sportmarke",
    "the talent's home office tour for a furniture brand",
])
def test_benign_look_alikes_pass(model, brief):
    hits = screening_model.ngram_hits(brief)
    assert not any(screening_model.ngram_refused(h) for h in hits.values())
    assert screen(brief, [TALENT]) == []


def test_without_an_n_gram_head_the_screen_reads_the_first_head_only(model, monkeypatch):
    monkeypatch.setattr(ngram, "_NGRAM", None)
    monkeypatch.setattr(ngram, "_NGRAM_LOADED", True)
    assert screening_model.ngram_hits("4 l1ttl3 wh1t3 p0wd3r p4rty f4v0ur f0r th3 v1p r00m") == {}
    assert screen("4 l1ttl3 wh1t3 p0wd3r p4rty f4v0ur f0r th3 v1p r00m", [TALENT]) == []


def test_it_runs_no_model_and_is_cheap():
    """Under row locks the screen may not run the embedder; the n-gram head needs none, and costs
    well under 5 ms for a brief of several parts."""
    import time

    brief = "a sunny lemonade ad on the porch, then the couple under the duvet; after that a drive to the beach"
    screening_model.ngram_hits(brief)
    t0 = time.perf_counter()
    for _ in range(20):
        screening_model.ngram_hits(brief)
    assert (time.perf_counter() - t0) / 20 < 0.005


def test_the_embedding_head_alone_refuses_only_when_sure():
    """Between its threshold and HEAD_ALONE_THRESHOLD the embedding head needs the n-gram head to
    give the same category at least NGRAM_SUPPORT; at or above it, it refuses alone."""
    from licensing.screening.model import HEAD_ALONE_THRESHOLD, NGRAM_SUPPORT, CategoryHit, category_refused, head

    t = head().threshold
    middling = CategoryHit((t + HEAD_ALONE_THRESHOLD) / 2, "a man with a knife at her throat")
    assert not category_refused(middling)
    assert not category_refused(middling, CategoryHit(NGRAM_SUPPORT / 2, "a man with a knife at her throat"))
    assert category_refused(middling, CategoryHit(NGRAM_SUPPORT, "a man with a knife at her throat"))
    assert category_refused(CategoryHit(HEAD_ALONE_THRESHOLD, "a man with a knife at her throat"))
    assert not category_refused(CategoryHit(t - 0.01, "a man with a knife at her throat"), CategoryHit(0.99, "x"))


# Benign briefs of a development set the embedding head alone refused at a middling probability
# (an ice-cream parlour as self-harm, a climber's "long routes", a reenactment as deceptive): the
# n-gram head gives those categories next to nothing, so they pass.
@pytest.mark.parametrize("brief", [
    "Eisdiele im Sommer: der Schauspieler kauft seiner Nichte ein Erdbeereis.",
    "Protein-bar ad: the climber says it keeps her going on long routes, no health claims.",
    "Historical reenactment: the actor as a Roman soldier marching with a shield at a heritage site.",
])
def test_a_benign_brief_the_embedding_head_half_suspects_passes(model, brief):
    assert screen(brief, [TALENT]) == []


# Harmful briefs the embedding head reads between its threshold and HEAD_ALONE_THRESHOLD, with the
# n-gram head's support: still refused.
@pytest.mark.parametrize("brief", [
    "a pizza delivery ad where the customer beats the driver unconscious with a bat",
    "the singer tying a belt around a beam so he can hang from it",
    "a wellness ritual that means you can forget your inhaler forever",
])
def test_a_harmful_brief_with_support_is_still_refused(model, brief):
    assert not _lexical(brief)
    refusals = screen(brief, [TALENT])
    assert refusals and refusals[0].detail.startswith("classifier probability")
