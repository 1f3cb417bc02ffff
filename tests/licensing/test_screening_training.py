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


# -- the dev sets are training data (screen-dev): train split, each brief once, held-out guard applies


class _Encoded(Exception):
    pass


@pytest.fixture
def small_data(tmp_path, monkeypatch):
    """A two-split training set and two dev sets on disk, the trainer pointed at them; the model
    records what the trainer embeds for fitting and stops it there (nothing is fitted or saved)."""
    import json

    def write(name, rows):
        path = tmp_path / name
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        return path

    training_path = write("training.jsonl", _rows("the talent throws a punch at a stranger in the street"))
    dev = write("dev.jsonl", [
        {"brief": "the talent tells fans to send a deposit to claim a prize", "category": "scams", "style": "plain"},
        {"brief": "the talent waters tomatoes on an allotment", "category": "benign", "style": "benign"},
    ])
    dev_2 = write("dev_2.jsonl", [
        {"brief": "The talent waters  tomatoes on an allotment", "category": "benign", "style": "benign"},  # the same brief again
        {"brief": "the talent endorses a miracle cure for cancer", "category": "medical_misinformation", "style": "plain"},
    ])
    monkeypatch.setattr(training, "TRAINING_PATH", training_path)
    monkeypatch.setattr(training, "DEV_PATHS", (dev, dev_2))
    monkeypatch.setattr(training, "heldout_keys", lambda: set())
    embedded: list[str] = []

    class Model:
        _cache: dict = {}

        def encode(self, texts):
            embedded.extend(texts)
            raise _Encoded

    monkeypatch.setattr(training, "load_model", Model)
    return embedded


def test_the_trainer_fits_on_the_dev_briefs_in_the_train_split(small_data):
    rows = training.training_rows(with_dev=True)
    dev = [r for r in rows if r.get("source", "").startswith("dev")]
    assert [(r["brief"], r["label"], r["split"]) for r in dev] == [
        ("the talent tells fans to send a deposit to claim a prize", "scams", "train"),
        ("the talent waters tomatoes on an allotment", "benign", "train"),  # once, though dev_2 has it too
        ("the talent endorses a miracle cure for cancer", "medical_misinformation", "train"),
    ]
    assert [r for r in rows if r.get("split") == "validation"] == [r for r in training.read_jsonl(training.TRAINING_PATH) if r["split"] == "validation"]
    with pytest.raises(_Encoded):
        training.train(with_dev=True, out=None, ngram_out=None)
    assert training._text("the talent endorses a miracle cure for cancer") in small_data


def test_a_dev_brief_in_a_held_out_set_is_dropped(small_data, monkeypatch):
    monkeypatch.setattr(training, "heldout_keys", lambda: {training._key("the talent endorses a miracle cure for cancer")})
    briefs = [r["brief"] for r in training.training_rows(with_dev=True)]
    assert "the talent endorses a miracle cure for cancer" not in briefs
    assert "the talent tells fans to send a deposit to claim a prize" in briefs
    with pytest.raises(_Encoded):  # dropped, not refused: the guard's ValueError is for training.jsonl's own briefs
        training.train(with_dev=True, out=None, ngram_out=None)
    assert training._text("the talent endorses a miracle cure for cancer") not in small_data


def test_the_default_leaves_the_dev_sets_out(small_data):
    from django.core.management import call_command

    assert training.training_rows() == training.read_jsonl(training.TRAINING_PATH)
    with pytest.raises(_Encoded):
        call_command("screening_train")  # the default, as the shipped heads were fitted: no dev sets
    assert small_data and training._text("the talent tells fans to send a deposit to claim a prize") not in small_data
    small_data.clear()
    with pytest.raises(_Encoded):
        call_command("screening_train", "--with-dev")
    assert training._text("the talent tells fans to send a deposit to claim a prize") in small_data


def test_the_shipped_dev_sets_are_the_trainers():
    assert {p.name for p in training.DEV_PATHS} == {p.name for p in training.DATA.glob("dev*.jsonl")}
    assert training.DEV_PATHS and not any(p.name.startswith("heldout") for p in training.DEV_PATHS)
