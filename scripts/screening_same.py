"""Whether two checkouts of the screen decide every brief alike: screens every brief of the dev sets
and of the training set (the benchmark's way: model loaded and warmed, embedding cache cleared once,
no relaxed categories), then the dev sets again with three owner rules, in a fresh process per
checkout, and compares the full result brief by brief (allowed, categories, and the reasons as the
holder reads them, probabilities included). For a change meant to make the screen faster without
changing a decision. Never reads a held-out set.

    python scripts/screening_same.py OLD_CHECKOUT [NEW_CHECKOUT]   # NEW defaults to this one

The checkouts are repository roots (e.g. ``git archive main licensing | tar -x -C /tmp/old``: only
``licensing/`` is imported); both screen this checkout's briefs.
"""
from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "licensing" / "screening_data"
RULES = ("no alcohol", "I am vegan, no meat", "never show me smoking or gambling")


def _briefs() -> tuple[list[str], int]:
    dev = [json.loads(line)["brief"] for p in sorted(glob.glob(str(DATA / "dev*.jsonl"))) for line in open(p, encoding="utf-8") if line.strip()]
    train = [json.loads(line)["brief"] for line in open(DATA / "training.jsonl", encoding="utf-8") if line.strip()]
    return dev + train, len(dev)


def _dump() -> None:
    """In the checkout on sys.path: one JSON line per screen."""
    from licensing import screening
    from licensing.screening import ContentRules, screen, screen_one

    briefs, n_dev = _briefs()
    model = screening.load_model()
    screen("a warm-up brief: a portrait in a garden at noon, then a city street", [ContentRules(label="The likeness")])
    model._cache.clear()
    for b in briefs:
        print(json.dumps(screen_one(b), ensure_ascii=False), flush=False)
    for b in briefs[:n_dev]:
        print(json.dumps(screen_one(b, RULES), ensure_ascii=False), flush=False)


def _run(checkout: Path) -> list[str]:
    # the same string hashes in both: the lexicon's fuzzy match names the first near term in set
    # order, so its evidence ("suicide" or "suicidal" for "suicida") varies with the hash seed
    env = dict(os.environ, PYTHONPATH=str(checkout), PYTHONHASHSEED="0", HF_HUB_OFFLINE="1", TRANSFORMERS_VERBOSITY="error")
    out = subprocess.run([sys.executable, __file__, "--dump"], env=env, cwd=checkout, check=True, capture_output=True, text=True)
    return out.stdout.splitlines()


def main() -> None:
    if sys.argv[1:] == ["--dump"]:
        _dump()
        return
    old = Path(sys.argv[1]).resolve()
    new = Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else ROOT
    a, b = _run(old), _run(new)
    briefs, n_dev = _briefs()
    labels = briefs + [f"{x} [with rules]" for x in briefs[:n_dev]]
    differ = [(labels[i], x, y) for i, (x, y) in enumerate(zip(a, b)) if x != y]
    for brief, x, y in differ[:20]:
        print(f"DIFFERS: {brief!r}\n  old {x}\n  new {y}")
    same = len(a) == len(b) == len(labels) and not differ
    print(f"{len(labels)} screens ({n_dev} dev briefs, {len(briefs) - n_dev} training briefs, the dev briefs again with rules): "
          f"{'identical' if same else f'{len(differ)} differ'}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
