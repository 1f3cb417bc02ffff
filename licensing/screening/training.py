"""Fitting the classifier head (``screening_data/head.npz``) on the shipped training set.

Reproducible: the training set is a file in the repository, the embeddings are deterministic, the
solver is deterministic (L-BFGS, fixed seed). The refusal threshold is chosen on out-of-fold
probabilities of the training set (5 folds): the lowest probability at which at most
``TARGET_BENIGN_REFUSALS`` of the benign training briefs would be refused. The held-out set is
never read here, except to refuse to train on any brief it holds.
"""
from __future__ import annotations

import json
from pathlib import Path

from .model import HEAD_PATH, Head, load_model
from .normalise import cjk_text, normalise

DATA = Path(__file__).resolve().parent.parent / "screening_data"
TRAINING_PATH = DATA / "training.jsonl"
HELDOUT_PATH = DATA / "heldout.jsonl"
TARGET_BENIGN_REFUSALS = 0.01
C = 4.0


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _key(brief: str) -> str:
    return normalise(brief) + "|" + cjk_text(brief)


def train(rows: list[dict] | None = None, *, out: Path | None = HEAD_PATH) -> tuple[Head, dict]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    rows = rows if rows is not None else read_jsonl(TRAINING_PATH)
    held = {_key(r["brief"]) for r in read_jsonl(HELDOUT_PATH)} if HELDOUT_PATH.exists() else set()
    leaked = [r["brief"] for r in rows if _key(r["brief"]) in held]
    if leaked:
        raise ValueError(f"{len(leaked)} training briefs are in the held-out set, e.g. {leaked[0]!r}")
    texts = [normalise(r["brief"]) or cjk_text(r["brief"]) or r["brief"] for r in rows]
    labels = np.array([r["label"] for r in rows])
    x = load_model().encode(texts)

    def fit(xs, ys):
        return LogisticRegression(C=C, max_iter=2000, random_state=0).fit(xs, ys)

    oof = np.zeros(len(rows))
    for tr, te in StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(x, labels):
        clf = fit(x[tr], labels[tr])
        p = clf.predict_proba(x[te])
        harmful = [k for k, c in enumerate(clf.classes_) if c != "benign"]
        oof[te] = p[:, harmful].max(axis=1)
    benign = np.sort(oof[labels == "benign"])
    k = int(np.floor(len(benign) * (1 - TARGET_BENIGN_REFUSALS)))
    threshold = float(min(0.9, max(0.2, benign[min(k, len(benign) - 1)] + 1e-6)))
    recall = float((oof[labels != "benign"] >= threshold).mean())
    clf = fit(x, labels)
    head = Head(tuple(str(c) for c in clf.classes_), clf.coef_.astype("float32"), clf.intercept_.astype("float32"), threshold)
    if out is not None:
        head.save(out)
    stats = {"briefs": len(rows), "threshold": round(threshold, 4), "cv_recall": round(recall, 4),
             "cv_benign_refusals": round(float((benign >= threshold).mean()), 4)}
    return head, stats
