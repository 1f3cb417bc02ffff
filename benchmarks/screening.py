"""Content screening on the held-out evaluation sets (licensing/screening_data/heldout.jsonl,
heldout_2.jsonl ... heldout_6.jsonl: every heldout*.jsonl, each measured and printed on its own, then together): recall
per category, overall recall, false refusal rate on the benign look-alikes, recall per evasion
style, and milliseconds per brief, each brief screened exactly as a brief to a likeness with no
relaxed categories and no owner rules (lexicon + classifier head on all-MiniLM-L6-v2).

    python benchmarks/screening.py [--lexical-only] [--heldout FILE ...]

The held-out sets are never trained on (the training script refuses any brief that is in any of them)
and each was written before the tuning of its session (heldout.jsonl before the lexicons and the head
were first tuned; heldout_2.jsonl in the issue-9b session, heldout_3.jsonl in the issue-9c session, heldout_4.jsonl in the issue-9d session and heldout_5.jsonl, written blind, in the round after the minors-cue session, heldout_6.jsonl,
written blind, in the sixth session, each before that session's tuning). The last line is over all the sets measured, together. Time per brief is the mean over the whole set,
every brief screened once with an empty embedding cache (the model loaded and warmed on other text
first): what a new brief costs. The figure reported is the median wall-clock time per brief (the
machine may be shared: the mean and the CPU time per brief, and the load average before and after,
are printed beside it). A harmful brief counts as caught when it is refused (whatever the
category); "right category" says how often the category it is labelled with is among the refusals.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from licensing import screening  # noqa: E402
from licensing.screening import ContentRules, screen  # noqa: E402

DATA = ROOT / "licensing" / "screening_data"
HELDOUT = tuple(sorted(DATA.glob("heldout*.jsonl")))  # every shipped set, as the trainer's guard finds them
ALIASES = {"political": "political_endorsement"}  # the held-out file's label for it
TALENT = [ContentRules(label="The likeness")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lexical-only", action="store_true", help="the lexical screen alone (no model)")
    ap.add_argument("--show-misses", action="store_true", help="list what was missed (do not tune on it)")
    ap.add_argument("--heldout", nargs="+", type=Path, default=list(HELDOUT), help="held-out JSON-lines files (default: every shipped set)")
    args = ap.parse_args()
    rows = []
    for path in args.heldout:
        rows += [dict(json.loads(line), _set=path.name) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    semantic = not args.lexical_only
    if semantic:
        model = screening.load_model()
        screen("a warm-up brief: a portrait in a garden at noon, then a city street", TALENT)
        model._cache.clear()

    caught = collections.Counter()
    right = collections.Counter()
    total = collections.Counter()
    style_caught = collections.Counter()
    style_total = collections.Counter()
    false_refusals = 0
    benign = 0
    misses = []
    per_set: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    walls: list[float] = []
    cpus: list[float] = []
    load_before = os.getloadavg()[0]
    for r in rows:
        cat = ALIASES.get(r["category"], r["category"])
        t0, c0 = time.perf_counter(), time.process_time()
        refusals = screen(r["brief"], TALENT, semantic=semantic)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        cats = {x.rule for x in refusals}
        per_set[r["_set"]]["benign" if cat == "benign" else "harmful"] += 1
        per_set[r["_set"]][("refused_" if refusals else "allowed_") + ("benign" if cat == "benign" else "harmful")] += 1
        if cat == "benign":
            benign += 1
            false_refusals += bool(refusals)
            if refusals:
                misses.append(("false refusal", r["brief"], sorted(cats)))
            continue
        total[cat] += 1
        style_total[r["style"]] += 1
        if refusals:
            caught[cat] += 1
            style_caught[r["style"]] += 1
            right[cat] += cat in cats
        else:
            misses.append(("missed " + cat, r["brief"], []))

    n_harm = sum(total.values())
    print(f"held-out set: {len(rows)} briefs ({n_harm} harmful, {benign} benign look-alikes); "
          f"{'lexical only' if args.lexical_only else 'lexicon + classifier head'}; screening torch threads {os.environ.get('CONTENT_SCREENING_THREADS', '1')}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'category':<24}{'briefs':>7}{'recall':>9}{'right category':>16}")
    for cat in screening.SENSITIVE_CATEGORIES:
        if total[cat]:
            print(f"{cat:<24}{total[cat]:>7}{caught[cat] / total[cat]:>9.1%}{right[cat] / total[cat]:>16.1%}")
    print(f"{'evasion style':<24}{'briefs':>7}{'recall':>9}")
    for style in sorted(style_total):
        print(f"{style:<24}{style_total[style]:>7}{style_caught[style] / style_total[style]:>9.1%}")
    if args.show_misses:
        for kind, brief, cats in misses:
            print(f"  {kind}: {brief!r} {cats or ''}")
    for name, c in per_set.items():
        print(f"set {name}: recall {c['refused_harmful'] / c['harmful'] * 100:.1f}% ({c['refused_harmful']}/{c['harmful']}) "
              f"false refusals {c['refused_benign'] / c['benign'] * 100:.1f}% ({c['refused_benign']}/{c['benign']}) "
              f"on {c['harmful'] + c['benign']} held-out briefs")
    recall = sum(caught.values()) / n_harm
    fr = false_refusals / benign
    ms = statistics.median(walls) * 1000
    print(f"time per brief: median {ms:.1f} ms wall clock (mean {statistics.mean(walls) * 1000:.1f} ms); "
          f"CPU median {statistics.median(cpus) * 1000:.1f} ms, mean {statistics.mean(cpus) * 1000:.1f} ms; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs; "
          f"int8 linear layers: {getattr(screening.load_model(), 'quantized', False) if semantic else 'n/a'} (the median wall figure is the one reported)")
    print(f"screening: recall {recall * 100:.1f}% false refusals {fr * 100:.1f}% on {len(rows)} held-out briefs; {ms:.1f} ms per brief")


if __name__ == "__main__":
    main()
