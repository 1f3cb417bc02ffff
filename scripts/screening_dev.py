"""Measure the content screen on a development set the tuner writes (default
``licensing/screening_data/dev.jsonl``, same format as the held-out sets: ``{"brief", "category",
"style"}``): recall per category and per evasion style, false refusals of the benign look-alikes,
ms per brief. For tuning; it never reads a held-out set (it refuses a path named ``heldout*``).

Run: ``PYTHONPATH=$PWD .venv/bin/python scripts/screening_dev.py [FILE] [--misses] [--heads DIR]``
(``--heads``: ``DIR/head.npz`` and ``DIR/ngram.npz`` instead of the shipped heads)
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV = ROOT / "licensing" / "screening_data" / "dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=str(DEV))
    parser.add_argument("--misses", action="store_true", help="print the briefs the screen gets wrong")
    parser.add_argument("--heads", help="a folder with head.npz and ngram.npz to screen with instead of the shipped heads")
    args = parser.parse_args()
    path = Path(args.path)
    if path.name.startswith("heldout"):
        sys.exit("refused: held-out sets are measured only by benchmarks/screening.py")

    import torch

    torch.set_num_threads(1)
    from licensing.screening import ContentRules, load_model, screen

    load_model()
    if args.heads:
        from licensing.screening import model as model_mod
        from licensing.screening import ngram as ngram_mod

        model_mod._HEAD = model_mod.Head.load(Path(args.heads) / "head.npz")
        ngram_mod._NGRAM, ngram_mod._NGRAM_LOADED = ngram_mod.NgramHead.load(Path(args.heads) / "ngram.npz"), True
    talent = [ContentRules(label="The likeness")]
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    screen("a warm-up brief", talent)
    by_cat: dict[str, list[bool]] = defaultdict(list)
    by_style: dict[str, list[bool]] = defaultdict(list)
    wrong: list[tuple[str, str, str, list[str]]] = []
    elapsed = 0.0
    for r in rows:
        t0 = time.perf_counter()
        refusals = screen(r["brief"], talent)
        elapsed += time.perf_counter() - t0
        refused = bool(refusals)
        by_cat[r["category"]].append(refused)
        if r["category"] != "benign":
            by_style[r["style"]].append(refused)
        if refused != (r["category"] != "benign"):
            wrong.append((r["category"], r["style"], r["brief"], sorted({f"{x.rule}: {x.detail}" for x in refusals})))
    harmful = [v for c, vs in by_cat.items() if c != "benign" for v in vs]
    benign = by_cat.get("benign", [])
    for cat in sorted(by_cat):
        if cat != "benign":
            vs = by_cat[cat]
            print(f"  {cat:24s} recall {100 * sum(vs) / len(vs):5.1f}% ({sum(vs)}/{len(vs)})")
    for style in sorted(by_style):
        vs = by_style[style]
        print(f"  style {style:18s} recall {100 * sum(vs) / len(vs):5.1f}% ({sum(vs)}/{len(vs)})")
    if args.misses:
        for cat, style, brief, why in wrong:
            print(f"  WRONG {cat}/{style}: {brief!r} {why}")
    recall = 100 * sum(harmful) / max(1, len(harmful))
    fr = 100 * sum(benign) / max(1, len(benign))
    print(f"dev: recall {recall:.1f}% false refusals {fr:.1f}% ({sum(benign)}/{len(benign)}) on {len(rows)} briefs; "
          f"{1000 * elapsed / max(1, len(rows)):.1f} ms per brief")


if __name__ == "__main__":
    main()
