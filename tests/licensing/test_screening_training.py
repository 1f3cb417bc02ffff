"""The classifier head's trainer (licensing.screening.training) refuses to train on a held-out brief, and
its head threshold is not moved by the lexicon's benign refusals.

Every held-out set (every `heldout*.jsonl` shipped in licensing/screening_data) is only ever measured; a
training set that carries one of its briefs, even re-cased or re-spaced, is refused before the
model is loaded, so nothing is fitted on it.
"""
import pytest

from licensing.screening import training

# every held-out file that ships, found on disk: a new one cannot be forgotten by the guard
HELDOUT_FILES = tuple(sorted(p.name for p in training.DATA.glob("heldout*.jsonl")))


@pytest.fixture
def no_model(monkeypatch):
    def refuse_to_load(*args, **kwargs):
        raise AssertionError("the trainer loaded the model: the held-out brief was not refused first")

    monkeypatch.setattr(training, "load_model", refuse_to_load)


def _rows(leaked: str) -> list[dict]:
    return [
        {"brief": "a portrait of the talent in a sunny garden for a tea brand", "label": "benign", "split": "train"},
        {"brief": leaked, "label": "sexual", "split": "train"},
        {"brief": "the talent reading a cookbook in a studio kitchen", "label": "benign", "split": "validation"},
    ]


def test_every_shipped_held_out_file_is_guarded():
    assert {p.name for p in training.HELDOUT_PATHS} == set(HELDOUT_FILES)
    for path in training.HELDOUT_PATHS:
        assert path.exists(), path


@pytest.mark.parametrize("name", HELDOUT_FILES)
def test_a_held_out_brief_is_refused_as_training_input(no_model, name):
    rows = training.read_jsonl(training.DATA / name)
    brief = rows[len(rows) // 2]["brief"]
    with pytest.raises(ValueError, match="in the held-out set"):
        training.train(_rows(brief), out=None)


def test_a_heldout_3_brief_re_cased_and_re_spaced_is_still_refused(no_model):
    """The careless (or hostile) copy: the same brief with other capitals and spacing."""
    brief = next(r["brief"] for r in training.read_jsonl(training.DATA / "heldout_3.jsonl") if r["category"] == "scams")
    with pytest.raises(ValueError, match="in the held-out set"):
        training.train(_rows("  " + brief.upper().replace(" ", "   ") + " "), out=None)


class _FixedHead:
    """A stand-in for a fitted head: each brief's one piece gets the harmful probability given."""

    classes_ = ("benign", "violence")

    def predict_proba(self, vecs):
        import numpy as np

        p = np.asarray(vecs, dtype=float)[:, :1]
        return np.hstack([1 - p, p])


def _validation(benign_scores, harmful_scores):
    import numpy as np

    rows = [{"brief": f"a benign brief number {i}", "label": "benign"} for i in range(len(benign_scores))]
    rows += [{"brief": f"a harmful brief number {i}", "label": "violence"} for i in range(len(harmful_scores))]
    vecs = [np.array([[s]]) for s in (*benign_scores, *harmful_scores)]
    return rows, vecs


def test_a_lexicon_mask_is_not_spent_on_a_lower_head_threshold():
    """The head's budget is its own share of the benign briefs the lexicon passes: lifting benign
    briefs out of the lexicon's refusals (a mask, as "paint stripper" was) must not lower the head's
    threshold. Under the whole-screen budget the six lifted briefs let the threshold fall past six
    more benign briefs (0.570 -> 0.501 on the shipped set)."""
    benign = [0.2 + i / 2000 for i in range(1000)]  # head scores 0.2000 .. 0.6995, one benign brief each
    rows, vecs = _validation(benign + [0.01] * 6, [0.97] * 50)
    lexicon_refuses = [False] * 1000 + [True] * 6 + [False] * 50
    lexicon_masked = [False] * 1056
    before = training.validate(rows, _FixedHead(), lexicon_refuses, vecs)
    after = training.validate(rows, _FixedHead(), lexicon_masked, vecs)
    assert before[0] == after[0]
    # the head refuses its own share, and no more, of the benign briefs the lexicon passes
    allowed = int(1000 * training.TARGET_HEAD_BENIGN_REFUSALS)
    assert round(before[3] * 1000) == allowed
    assert abs(before[0] - (benign[-allowed - 1] + 1e-6)) < 1e-9
