"""The second learned head: a multinomial logistic regression over hashed character n-grams of the
screen's normalised text (``ngram.npz``, fitted by ``manage.py screening_train`` next to the
embedding head).

It does not go through the English embedder: the text it reads is already folded by ``normalise``
(case, accents, look-alikes, leetspeak, spacing), and its features are the letter sequences of
each word ("char_wb": every run of 3 to 5 characters of the word padded with a space each side), so
a German, French, Spanish or misspelt word shares most of its features with the spelling the
training set holds, and a Chinese piece (``cjk_text``, no spaces) is read as runs of characters.

The features are hashed (CRC-32 of the n-gram's UTF-8 bytes, modulo ``2**bits``), counted,
sublinearly scaled (1 + log count) and L2-normalised. Only numbers travel in the artifact: the
vectoriser's parameters, the classes, the coefficients of the buckets any training text filled
(the others are zero under L2 regularisation) and the threshold. Inference is numpy only.
"""
from __future__ import annotations

import functools
import math
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .categories import SENSITIVE_CATEGORIES

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

NGRAM_PATH = Path(__file__).resolve().parent.parent / "screening_data" / "ngram.npz"
BITS = 18
NGRAM_RANGE = (3, 5)


@functools.lru_cache(maxsize=65_536)
def _word_buckets(word: str, lo: int, hi: int, bits: int) -> tuple[int, ...]:
    """The buckets of one word's n-grams (padded with a space each side), in order. A brief's words
    recur in its parts and its gloss and across briefs ("the", "camera"), so each is hashed once:
    counting the dev briefs' pieces took 0.057 ms of CPU a brief, 0.024 with the words seen before
    (the same buckets in the same order, so the same float32 sums)."""
    mask = (1 << bits) - 1
    crc = zlib.crc32
    w = f" {word} ".encode() if word.isascii() else f" {word} "  # n-grams of characters, not of bytes
    size = len(w)
    return tuple(
        crc(g if isinstance(g, bytes) else g.encode()) & mask
        for n in range(lo, min(hi, size) + 1)
        for g in (w[i : i + n] for i in range(size - n + 1))
    )


def ngram_counts(text: str, lo: int = NGRAM_RANGE[0], hi: int = NGRAM_RANGE[1], bits: int = BITS) -> dict[int, int]:
    """Bucket -> count of the text's character n-grams (``lo``..``hi`` characters, within each word
    padded with a space each side), in the order the n-grams first occur."""
    counts: dict[int, int] = {}
    get = counts.get
    for word in text.split():
        for k in _word_buckets(word, lo, hi, bits):
            counts[k] = get(k, 0) + 1
    return counts


def features(text: str, lo: int = NGRAM_RANGE[0], hi: int = NGRAM_RANGE[1], bits: int = BITS) -> tuple[list[int], list[float]]:
    """The text's feature vector, sparse: bucket indices and their values (1 + log count, L2-normalised)."""
    counts = ngram_counts(text, lo, hi, bits)
    idx = list(counts)
    vals = [1.0 + math.log(c) for c in counts.values()]
    norm = math.sqrt(sum(v * v for v in vals)) or 1.0
    return idx, [v / norm for v in vals]


def matrix(texts: Sequence[str], lo: int = NGRAM_RANGE[0], hi: int = NGRAM_RANGE[1], bits: int = BITS):
    """The texts' features as a scipy CSR matrix (for fitting)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for t in texts:
        idx, vals = features(t, lo, hi, bits)
        indices.extend(idx)
        data.extend(vals)
        indptr.append(len(indices))
    return csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(texts), 1 << bits))


@dataclass(frozen=True)
class NgramHead:
    """Classes, coefficients (buckets x classes, only the buckets in ``rows``; the rest are zero),
    biases, the vectoriser's parameters and the probability at which a category refuses."""

    classes: tuple[str, ...]
    rows: "np.ndarray"  # int32, sorted: the buckets that have coefficients
    coef: "np.ndarray"  # float32, len(rows) x classes
    bias: "np.ndarray"  # float32, classes
    threshold: float
    bits: int = BITS
    ngram_range: tuple[int, int] = NGRAM_RANGE

    @classmethod
    def from_dense(cls, classes, coef_dense, bias, threshold, *, bits=BITS, ngram_range=NGRAM_RANGE) -> "NgramHead":
        """From a fitted classifier's ``coef_`` (classes x 2**bits)."""
        import numpy as np

        coef_dense = np.asarray(coef_dense, dtype=np.float32)
        rows = np.flatnonzero(np.abs(coef_dense).max(axis=0) > 0).astype(np.int32)
        return cls(tuple(str(c) for c in classes), rows, coef_dense[:, rows].T.copy(), np.asarray(bias, dtype=np.float32),
                   float(threshold), bits, tuple(ngram_range))

    def __post_init__(self) -> None:
        import numpy as np

        # a dense lookup from bucket to row (-1: no coefficient), built once
        lookup = np.full(1 << self.bits, -1, dtype=np.int32)
        lookup[self.rows] = np.arange(len(self.rows), dtype=np.int32)
        object.__setattr__(self, "_lookup", lookup)

    def probabilities(self, texts: Sequence[str]) -> "np.ndarray":
        """texts x classes."""
        import numpy as np

        lo, hi = self.ngram_range
        out = np.empty((len(texts), len(self.classes)), dtype=np.float64)
        for i, t in enumerate(texts):
            idx, vals = features(t, lo, hi, self.bits)
            r = self._lookup[idx] if idx else np.zeros(0, dtype=np.int32)
            keep = r >= 0
            z = np.asarray(vals, dtype=np.float32)[keep] @ self.coef[r[keep]] + self.bias
            z = z - z.max()
            e = np.exp(z)
            out[i] = e / e.sum()
        return out

    def save(self, path: Path) -> None:
        import numpy as np

        np.savez_compressed(
            path, classes=np.array(self.classes), rows=self.rows.astype(np.int32), coef=self.coef.astype(np.float16),
            bias=self.bias.astype(np.float32), threshold=np.array(self.threshold, dtype=np.float32),
            bits=np.array(self.bits, dtype=np.int32), ngram_range=np.array(self.ngram_range, dtype=np.int32),
        )

    @classmethod
    def load(cls, path: Path) -> "NgramHead":
        import numpy as np

        from .model import ScreeningModelUnavailable

        with np.load(path, allow_pickle=False) as data:
            head = cls(
                tuple(str(c) for c in data["classes"]), data["rows"].astype(np.int32), data["coef"].astype(np.float32),
                data["bias"].astype(np.float32), float(data["threshold"]), int(data["bits"]),
                tuple(int(n) for n in data["ngram_range"]),
            )
        unknown = set(head.classes) - set(SENSITIVE_CATEGORIES) - {"benign"}
        if unknown:
            raise ScreeningModelUnavailable(f"the n-gram head has unknown classes: {', '.join(sorted(unknown))}")
        return head


_NGRAM: NgramHead | None = None
_NGRAM_LOADED = False
_LOCK = threading.Lock()


def ngram_head() -> NgramHead | None:
    """The shipped n-gram head (loaded once, thread-safe), or None where none ships."""
    global _NGRAM, _NGRAM_LOADED
    if not _NGRAM_LOADED:
        with _LOCK:
            if not _NGRAM_LOADED:
                _NGRAM = NgramHead.load(NGRAM_PATH) if NGRAM_PATH.exists() else None
                _NGRAM_LOADED = True
    return _NGRAM
