"""Fitting the classifier head (``screening_data/head.npz``) on the shipped training set.

The protocol (the held-out sets are never read here, except to refuse to train on a brief they hold):

1. ``training.jsonl`` carries a ``split`` per brief, ``train`` or ``validation``, fixed when the set
   is generated (``scripts/screening_training_set.py``: by core phrase, so every brief made from one
   phrase lands on the same side, and the validation briefs are phrasings the head never fitted).
   With ``--with-dev`` the human-written dev sets (``dev*.jsonl``) join the ``train`` split
   (``training_rows``): each dev brief once, weight 1, labelled by its category; with
   ``--with-ordinary`` so do the ordinary brand briefs of ``ordinary.jsonl`` (benign); a brief that
   is in a held-out set is dropped (``heldout_keys``). The validation split is ``training.jsonl``'s
   alone, so the thresholds are calibrated as before.
2. For each regularisation strength ``C`` and class weighting in the grid, the head is fitted on the
   train split and the whole screen is replayed on the validation split: a brief is refused when
   the lexicon refuses it or the head's highest harmful probability over the brief's pieces (as
   ``category_hits`` reads it) reaches the threshold. The threshold is the lowest at which the head
   refuses at most ``TARGET_HEAD_BENIGN_REFUSALS`` of the validation's benign briefs that the
   lexicon lets through (the lexicon's own benign refusals are not the head's to spend); the setting
   with the best validation recall at that threshold wins.
3. The head is fitted again on train and validation together with the winning setting, and saved
   with the threshold chosen in step 2.
4. The n-gram head (``ngram.py``: character n-grams of the normalised text, no embedder) is fitted
   on the train split for each ``NGRAM_C_GRID`` strength; its threshold is the lowest at which the
   screen with both heads (the embedding head at its step-2 threshold) refuses no more of the
   validation's benign briefs than the screen with the embedding head alone, so it adds recall
   within the same budget; the strength with the best validation recall wins, and the head is
   refitted on both splits and saved (``ngram.npz``).

Reproducible: the data is a file in the repository, the embeddings are deterministic, the solver is
deterministic (L-BFGS, fixed seed).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from .model import CJK_HEAD_THRESHOLD, HEAD_PATH, Head, category_pieces, load_model
from .ngram import NGRAM_PATH, NGRAM_RANGE, NgramHead, matrix
from .normalise import _token_views, cjk_text, normalise

DATA = Path(__file__).resolve().parent.parent / "screening_data"
TRAINING_PATH = DATA / "training.jsonl"
HELDOUT_PATH = DATA / "heldout.jsonl"
DEV_PATHS = tuple(sorted(DATA.glob("dev*.jsonl")))  # the human-written dev sets: training data (train split) since screen-dev
# ordinary brand and creator briefs (benign, five languages, camera/pose/studio vocabulary) to sit
# beside the dev sets' harmful camera briefs: ``screening_train --with-ordinary``
ORDINARY_PATH = DATA / "ordinary.jsonl"
HELDOUT_PATHS = tuple(sorted(DATA.glob("heldout*.jsonl")))  # every held-out set (heldout.jsonl first, then heldout_2, ...): never trained on
TARGET_BENIGN_REFUSALS = 0.04  # the whole screen's budget as the head was first calibrated (lexicon + head)
# The embedding head's own budget: the share of the validation's benign briefs that the lexicon lets
# through which the head may refuse. Until the awareness round the budget was the whole screen's
# (TARGET_BENIGN_REFUSALS, lexicon and head together), so every lexicon mask that lifted a benign
# validation brief was spent by the next refit on a lower head threshold: masking "paint stripper"
# (six phrasings of one validation core) took the lexicon's benign validation refusals from 8 to 2,
# and a refit of the unchanged training set fell from 0.570 to 0.501 (0.479 without the gloss piece),
# refusing 18 of 568 dev benign briefs against the shipped head's 13. 2.85% is the share the shipped
# head (threshold 0.559) was fitted at: 28 of 709 benign allowed, 8 of them the lexicon's, so the
# head 20 of the 701 the lexicon passed (20/701 = 2.853%; 0.0286 so that the floor allows 20).
TARGET_HEAD_BENIGN_REFUSALS = 0.0286
C_GRID = (2.0, 4.0, 8.0)
WEIGHTS = (None,)
THRESHOLD_RANGE = (0.2, 0.95)
NGRAM_C_GRID = (16.0,)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def heldout_keys() -> set[str]:
    """The guard's keys of every held-out brief (membership only: nothing else is read from them)."""
    return {_key(r["brief"]) for path in HELDOUT_PATHS if path.exists() for r in read_jsonl(path)}


def dev_rows(exclude: set[str] = frozenset(), paths: tuple[Path, ...] | None = None) -> list[dict]:
    """The dev sets' briefs as training rows of the ``train`` split (label: the brief's category),
    each brief once (the first dev set that has it, in file order), less any brief whose key is in
    ``exclude`` or in a held-out set (the guard's ``heldout_keys``: dropped, never trained on)."""
    drop = set(exclude) | heldout_keys()
    rows = []
    for path in DEV_PATHS if paths is None else paths:
        assert not path.name.startswith("heldout"), path
        for r in read_jsonl(path):
            key = _key(r["brief"])
            if key not in drop:
                drop.add(key)
                rows.append({"brief": r["brief"], "label": r["category"], "split": "train", "source": path.name})
    return rows


def ordinary_rows(exclude: set[str] = frozenset()) -> list[dict]:
    """``ordinary.jsonl``'s briefs (all benign) as training rows of the ``train`` split, each once,
    under the same held-out guard as the dev sets' (``dev_rows``)."""
    return dev_rows(exclude, paths=(ORDINARY_PATH,))


def training_rows(*, with_dev: bool = False, with_ordinary: bool = False, exclude: set[str] = frozenset()) -> list[dict]:
    """What the trainer fits on: ``training.jsonl``, plus the dev sets' briefs in the train split
    (``dev_rows``, less ``exclude``) where ``with_dev`` (``screening_train --with-dev``), plus the
    ordinary briefs (``ordinary_rows``) where ``with_ordinary`` (``--with-ordinary``). DESIGN.md,
    Training on the dev sets, says which of them the shipped heads are fitted on."""
    rows = read_jsonl(TRAINING_PATH)
    if with_dev:
        rows = rows + dev_rows(exclude)
    if with_ordinary:
        rows = rows + ordinary_rows(exclude)
    return rows


def _key(brief: str) -> str:
    return normalise(brief) + "|" + cjk_text(brief)


def _text(brief: str) -> str:
    return normalise(brief) or cjk_text(brief) or brief


def _cache_file() -> Path | None:
    """Where to keep embeddings between runs of the trainer (SCREENING_TRAIN_CACHE, a .npz path;
    unset: nowhere). Keyed by text and by whether the model is quantised."""
    import os

    path = os.environ.get("SCREENING_TRAIN_CACHE")
    return Path(path) if path else None


def _cache_load(model) -> None:
    import numpy as np

    path = _cache_file()
    if path is None or not path.exists():
        return
    with np.load(path, allow_pickle=False) as data:
        if bool(data["quantized"]) != bool(getattr(model, "quantized", False)):
            return
        model._cache.update(zip((str(t) for t in data["texts"]), data["vecs"]))


def _cache_save(model) -> None:
    import numpy as np

    path = _cache_file()
    if path is None:
        return
    texts = list(model._cache)
    np.savez(path, texts=np.array(texts), vecs=np.stack([model._cache[t] for t in texts]),
             quantized=np.array(bool(getattr(model, "quantized", False))))


def _fit(x, y, c, weight):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight=weight, max_iter=3000, random_state=0).fit(x, y)


def head_scores(rows: list[dict], clf, piece_vecs: list):
    """Per brief, the embedding head's highest harmful probability over its pieces, as
    ``category_refused`` reads it (a Chinese-only piece counts only at CJK_HEAD_THRESHOLD)."""
    import numpy as np

    cjk_pieces = [[not p.isascii() for p in category_pieces(r["brief"])] for r in rows]

    harmful = [k for k, c in enumerate(clf.classes_) if c != "benign"]
    return np.array([
        max((p for p, cjk in zip(clf.predict_proba(v)[:, harmful].max(axis=1), only_cjk) if not cjk or p >= CJK_HEAD_THRESHOLD), default=0.0)
        for v, only_cjk in zip(piece_vecs, cjk_pieces)
    ])


def validate(rows: list[dict], clf, lexical: list[bool], piece_vecs: list) -> tuple[float, float, float, float]:
    """(threshold, recall, benign refusal rate, the head's own benign refusal rate) of the whole
    screen on ``rows`` with this head. The threshold is the lowest at which the head refuses at most
    ``TARGET_HEAD_BENIGN_REFUSALS`` of the benign briefs the lexicon lets through: the head's budget
    is its own, so a lexicon mask that lifts benign briefs never lowers the head's threshold."""
    import numpy as np

    lexical = np.asarray(lexical, dtype=bool)
    score = np.where(lexical, 1.0, head_scores(rows, clf, piece_vecs))
    benign = np.array([r["label"] == "benign" for r in rows])
    lo, hi = THRESHOLD_RANGE
    passed = benign & ~lexical
    allowed = int(np.floor(passed.sum() * TARGET_HEAD_BENIGN_REFUSALS + 1e-9))
    # the lowest threshold above all but ``allowed`` of the head's scores of those benign briefs
    benign_scores = np.sort(score[passed])[::-1]
    threshold = lo if allowed >= len(benign_scores) else float(benign_scores[allowed]) + 1e-6
    threshold = min(hi, max(lo, threshold))
    refused = score >= threshold
    return threshold, float(refused[~benign].mean()), float(refused[benign].mean()), float(refused[passed].mean()) if passed.any() else 0.0


def train(rows: list[dict] | None = None, *, with_dev: bool = False, with_ordinary: bool = False,
          out: Path | None = HEAD_PATH, ngram_out: Path | None = NGRAM_PATH, threshold: float | None = None,
          c: float | None = None) -> tuple[Head, dict]:
    """Fit and save both heads on ``rows`` (default ``training_rows(with_dev=..., with_ordinary=...)``);
    ``threshold``: the embedding head's, where one chosen on the dev sets replaces the validation split's;
    ``c``: the embedding head's regularisation strength, where one chosen on the dev sets replaces the
    grid's choice on the validation split (the class weighting is still chosen there)."""
    import numpy as np

    from .lexicon import CHILD, lexical_categories

    rows = rows if rows is not None else training_rows(with_dev=with_dev, with_ordinary=with_ordinary)
    held = heldout_keys()
    leaked = [r["brief"] for r in rows if _key(r["brief"]) in held]
    if leaked:
        raise ValueError(f"{len(leaked)} training briefs are in the held-out set, e.g. {leaked[0]!r}")
    model = load_model()
    _cache_load(model)
    x = model.encode([_text(r["brief"]) for r in rows])
    labels = np.array([r["label"] for r in rows])
    is_val = np.array([r.get("split") == "validation" for r in rows])
    if not is_val.any() or is_val.all():
        raise ValueError("the training set needs both a train and a validation split")
    val_rows = [r for r, v in zip(rows, is_val) if v]
    lexical = [bool(lexical_categories(_token_views(r["brief"]), cjk_text(r["brief"])).keys() - {CHILD}) for r in val_rows]
    piece_vecs = [model.encode(category_pieces(r["brief"])) for r in val_rows]
    _cache_save(model)

    trials = []
    fitted = {}
    for strength in (C_GRID if c is None else (float(c),)):
        for weight in WEIGHTS:
            clf = fitted[strength, weight] = _fit(x[~is_val], labels[~is_val], strength, weight)
            val_threshold, recall, fr, head_fr = validate(val_rows, clf, lexical, piece_vecs)
            trials.append({"C": strength, "class_weight": weight, "threshold": round(val_threshold, 4),
                           "val_recall": round(recall, 4), "val_benign_refusals": round(fr, 4),
                           "val_head_benign_refusals": round(head_fr, 4)})
    # the threshold is capped (THRESHOLD_RANGE): a setting that cannot get under the target there is out
    within = [t for t in trials if t["val_head_benign_refusals"] <= TARGET_HEAD_BENIGN_REFUSALS] or trials
    best = max(within, key=lambda t: (t["val_recall"] - (t["val_head_benign_refusals"] if within is trials else 0), -t["val_benign_refusals"], -t["C"]))
    if threshold is not None:
        # an operating point chosen on the dev sets (``screening_train --threshold``), not the validation split's
        best = {**best, "validation_threshold": best["threshold"], "threshold": round(float(threshold), 4)}
    clf = _fit(x, labels, best["C"], best["class_weight"])
    head = Head(tuple(str(c) for c in clf.classes_), clf.coef_.astype("float32"), clf.intercept_.astype("float32"), best["threshold"])
    if out is not None:
        head.save(out)
    base = np.array(lexical) | (head_scores(val_rows, fitted[best["C"], best["class_weight"]], piece_vecs) >= best["threshold"])
    ngram, ngram_stats = train_ngram(rows, labels, is_val, base, out=ngram_out)
    stats = {
        "briefs": len(rows), "train": int((~is_val).sum()), "validation": int(is_val.sum()),
        "dev_briefs": sum(1 for r in rows if r.get("source", "").startswith("dev")),
        "ordinary_briefs": sum(1 for r in rows if r.get("source", "") == ORDINARY_PATH.name),
        "lexical_benign_refusals": [r["brief"] for r, lx in zip(val_rows, lexical) if lx and r["label"] == "benign"],
        "trials": trials, **best, "ngram": ngram_stats,
    }
    return head, stats


def _fit_ngram(x, y, c, used, bits):
    """A multinomial logistic regression on the n-gram features, fitted on the buckets that any
    training text fills (``used``; the others would get zero weights anyway), as a ``NgramHead``."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=3000, random_state=0).fit(x[:, used], y)
    coef = np.zeros((len(clf.classes_), 1 << bits), dtype=np.float32)
    coef[:, used] = clf.coef_
    return NgramHead.from_dense(clf.classes_, coef, clf.intercept_, 0.5, bits=bits, ngram_range=NGRAM_RANGE)


def ngram_scores(h: NgramHead, rows: list[dict]):
    """Per brief, the n-gram head's highest harmful probability over its pieces (``ngram_hits``)."""
    import numpy as np

    harmful = [k for k, c in enumerate(h.classes) if c != "benign"]
    return np.array([h.probabilities(p)[:, harmful].max() if p else 0.0 for p in (category_pieces(r["brief"]) for r in rows)])


def train_ngram(rows: list[dict], labels, is_val, base_refused, *, out: Path | None = NGRAM_PATH) -> tuple[NgramHead, dict]:
    """Step 4 of the protocol: ``base_refused`` is, per validation brief, whether the screen with the
    embedding head (at its threshold, fitted on train) refuses it."""
    import numpy as np

    from .ngram import BITS

    x = matrix([_text(r["brief"]) for r in rows])
    used = np.unique(x.indices)
    val_rows = [r for r, v in zip(rows, is_val) if v]
    benign = np.array([r["label"] == "benign" for r in val_rows])
    trials = []
    for c in NGRAM_C_GRID:
        score = ngram_scores(_fit_ngram(x[~is_val], labels[~is_val], c, used, BITS), val_rows)
        # the lowest threshold above every benign brief the first head's screen lets through: no more
        # benign briefs refused than by that screen alone (the lexicon's and the head's, TARGET_HEAD_BENIGN_REFUSALS)
        passed = score[benign & ~base_refused]
        threshold = min(1.0, max(THRESHOLD_RANGE[0], float(passed.max()) + 1e-6 if len(passed) else 0.0))
        threshold = math.ceil(threshold * 1e4) / 1e4  # rounded up, so it stays above that brief
        refused = base_refused | (score >= threshold)
        trials.append({"C": c, "threshold": threshold, "val_recall": round(float(refused[~benign].mean()), 4),
                       "val_benign_refusals": round(float(refused[benign].mean()), 4)})
    best = max(trials, key=lambda t: (t["val_recall"], -t["C"]))
    head = _fit_ngram(x, labels, best["C"], used, BITS)
    head = NgramHead(head.classes, head.rows, head.coef, head.bias, best["threshold"], head.bits, head.ngram_range)
    if out is not None:
        head.save(out)
    return head, {"trials": trials, "base_val_recall": round(float(base_refused[~benign].mean()), 4), **best}
