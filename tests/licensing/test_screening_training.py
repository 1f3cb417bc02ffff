"""The classifier head's trainer refuses to train on a held-out brief (licensing.screening.training).

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
