"""Leave-one-dev-set-out: what training the heads on the human-written dev sets buys.

Training on the dev sets (``manage.py screening_train --with-dev``, optionally ``--with-ordinary``)
makes a dev set's own figures training fit, not a measurement: this script is the evidence.

For each dev set k (``licensing/screening_data/dev*.jsonl``), the heads are fitted by the trainer
(``licensing/screening/training.train``, its own protocol: C grid, validation replay, threshold rule)
on the trainer's own rows (``training.training_rows``: ``training.jsonl`` plus the dev sets' briefs in
the ``train`` split, each once, less any the guard finds in a held-out set) less every brief of dev
set k, the dev rows repeated ``weight`` times (and, with ``--ordinary N``, ``ordinary.jsonl``'s
benign brand briefs repeated N times, in every fold and in the weight-0 refit), and dev set k is screened
with the whole screen (lexicon and both heads, as ``scripts/screening_dev.py`` does) beside the
shipped heads (fitted without the dev sets) and a refit on ``training.jsonl`` alone (weight 0, the same for every fold). Prints
recall and false refusals per fold and summed over the eight folds. Never reads a held-out set
(the trainer's own guard refuses a training brief that is in one).

    SCREENING_TRAIN_CACHE=/tmp/emb.npz PYTHONPATH=$PWD .venv/bin/python scripts/screening_folds.py --weights 0 1 3 10
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "licensing" / "screening_data"


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weights", type=int, nargs="+", default=[0, 1, 3, 10],
                        help="times each dev brief is repeated in the train split (0: training.jsonl alone)")
    parser.add_argument("--ordinary", type=int, default=0,
                        help="times each ordinary.jsonl brief is added to every fit's train split (0: none)")
    parser.add_argument("--folds", nargs="+", help="only these dev sets' folds (default: all; for parallel runs)")
    parser.add_argument("--out", help="write the per-fold counts as JSON here")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    from licensing import screening
    from licensing.screening import ContentRules, screen, training
    from licensing.screening import model as model_mod
    from licensing.screening import ngram as ngram_mod

    dev_paths = list(training.DEV_PATHS)
    assert dev_paths and not any(p.name.startswith("heldout") for p in dev_paths)
    devs = {p.stem: _read(p) for p in dev_paths}
    base_rows = training.training_rows(with_dev=False) + training.ordinary_rows() * args.ordinary
    emb = screening.load_model()
    training._cache_load(emb)
    talent = [ContentRules(label="The likeness")]
    shipped = (model_mod._HEAD, ngram_mod._NGRAM)

    def use(heads) -> None:
        model_mod._HEAD, ngram_mod._NGRAM = heads
        ngram_mod._NGRAM_LOADED = True

    def measure(rows: list[dict]) -> tuple[int, int]:
        hit = fr = 0
        for r in rows:
            refused = bool(screen(r["brief"], talent))
            if r["category"] == "benign":
                fr += refused
            else:
                hit += refused
        return hit, fr

    def fit(rows: list[dict]):
        with tempfile.TemporaryDirectory() as tmp:
            h, stats = training.train(rows, out=Path(tmp) / "head.npz", ngram_out=Path(tmp) / "ngram.npz")
            heads = (model_mod.Head.load(Path(tmp) / "head.npz"), ngram_mod.NgramHead.load(Path(tmp) / "ngram.npz"))
        return heads, {"C": stats["C"], "threshold": stats["threshold"], "val_recall": stats["val_recall"],
                       "ngram_threshold": stats["ngram"]["threshold"]}

    sizes = {k: (sum(r["category"] != "benign" for r in v), sum(r["category"] == "benign" for r in v)) for k, v in devs.items()}
    result: dict = {"sizes": sizes, "folds": {}}
    use(shipped)
    if not args.folds:
        result["folds"]["shipped"] = {k: measure(v) for k, v in devs.items()}
        print("shipped", result["folds"]["shipped"], flush=True)
    for w in args.weights:
        name = f"w{w}" + (f"+o{args.ordinary}" if args.ordinary else "")
        result["folds"][name], result.setdefault("fits", {})[name] = {}, {}
        if w == 0:
            heads, info = fit(base_rows)
            use(heads)
            for k, v in devs.items():
                result["folds"][name][k] = measure(v)
            result["fits"][name]["all"] = info
            print(name, info, result["folds"][name], flush=True)
            continue
        for k, held in devs.items():
            if args.folds and k not in args.folds:
                continue
            # the trainer's dev rows (its held-out guard applies) less every brief of dev set k
            extra = training.dev_rows(exclude={training._key(r["brief"]) for r in held})
            heads, info = fit(base_rows + extra * w)
            use(heads)
            result["folds"][name][k] = measure(held)
            result["fits"][name][k] = info
            print(name, k, info, result["folds"][name][k], flush=True)
        use(shipped)
    total_h = sum(s[0] for s in sizes.values())
    total_b = sum(s[1] for s in sizes.values())
    print(f"{'variant':10s} " + " ".join(f"{k:>9s}" for k in devs) + "   all (recall; false refusals)")
    for name, folds in result["folds"].items():
        h = sum(f[0] for f in folds.values())
        b = sum(f[1] for f in folds.values())
        if len(folds) != len(devs):
            continue  # a partial run (--folds): its folds are printed above
        print(f"{name:10s} " + " ".join(f"{f[0]:>4d}/{f[1]:<4d}" for f in folds.values())
              + f"   {h}/{total_h} ({100 * h / total_h:.1f}%); {b}/{total_b} ({100 * b / total_b:.1f}%)")
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
