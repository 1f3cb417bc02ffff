"""A pluggable stronger screen: a local transformers sequence-classification guard model.

A deployment that has one sets ``CONTENT_SCREENING_GUARD_MODEL`` to its directory; every brief is
then also classified by it, and a label other than its safe label with a probability at or over
``CONTENT_SCREENING_GUARD_THRESHOLD`` refuses the brief. A label named like one of our categories
(``violence``, ``sexual``...) refuses as that category; any other unsafe label as ``guard``.
Loaded from disk only (``local_files_only``); never from a hub. Pure apart from the model.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from .categories import SENSITIVE_CATEGORIES

SAFE_LABELS = frozenset({"safe", "benign", "ok", "allowed", "none", "negative", "label_0"})


@dataclass(frozen=True)
class GuardVerdict:
    label: str  # a category key, or "guard"
    raw_label: str
    probability: float


class GuardScreen:
    def __init__(self, path: str, *, threshold: float = 0.5, max_length: int = 256) -> None:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self._torch = torch
        self.path = path
        self.threshold = threshold
        self.max_length = max_length
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True).eval()
        self._labels = {int(k): str(v) for k, v in self._model.config.id2label.items()}
        self._lock = threading.Lock()

    def classify(self, text: str) -> list[GuardVerdict]:
        """Every unsafe label at or over the threshold."""
        torch = self._torch
        batch = self._tokenizer([text], truncation=True, max_length=self.max_length, return_tensors="pt")
        with self._lock, torch.inference_mode():
            logits = self._model(**batch).logits[0]
        if getattr(self._model.config, "problem_type", None) == "multi_label_classification":
            probs = torch.sigmoid(logits)
        else:
            probs = torch.softmax(logits, dim=-1)
        out = []
        for i, p in enumerate(probs.tolist()):
            raw = self._labels.get(i, f"LABEL_{i}")
            if raw.casefold() in SAFE_LABELS or p < self.threshold:
                continue
            key = raw.casefold().replace("-", "_").replace(" ", "_")
            out.append(GuardVerdict(key if key in SENSITIVE_CATEGORIES else "guard", raw, float(p)))
        return out


_GUARDS: dict[tuple[str, float], GuardScreen] = {}
_GUARD_LOCK = threading.Lock()


def load_guard(path: str, threshold: float = 0.5) -> GuardScreen:
    key = (str(path), float(threshold))
    if key not in _GUARDS:
        with _GUARD_LOCK:
            if key not in _GUARDS:
                _GUARDS[key] = GuardScreen(str(path), threshold=threshold)
    return _GUARDS[key]
