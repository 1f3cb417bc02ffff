"""How many policy decisions per second the engine makes for a brief with 1, 5 and 20 parties,
side by side with the time of one generation job on the default (built-in) model.

    python benchmarks/policy.py [--seconds 2] [--repeats 5]

The engine is `licensing.policy.decide`: every party's licence facts, permissions, derivative
terms and content rules (lexical screening of the prompt against each party's blocked words, rule
subjects and the sensitive-category lexicon). The semantic screen (MiniLM embeddings of the prompt
against category exemplars and free-text rules) costs one model pass per brief whatever the number
of parties; it is timed separately. Medians of several timed runs; machines here are noisy."""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from licensing.policy import BriefRequest, LicenceFacts, PartyFacts, decide  # noqa: E402
from licensing.screening import ContentRules, screen  # noqa: E402

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
PROMPT = "A smiling woman in a denim jacket holding a can of lemon soda on a sunny beach, golden hour"


def parties(n: int) -> list[PartyFacts]:
    out = []
    for i in range(n):
        licence = LicenceFacts(
            status="active", starts_at=NOW - timedelta(days=3), ends_at=NOW + timedelta(days=27), quota_total=100, quota_used=i,
            licensee_id=1, commercial_use=True, channels=("organic_social", "paid_social", "web"), territories=("GB", "FR", "US"),
        )
        rules = ContentRules(
            label=f"Party {i}",
            blocked_words=(f"rivalcola{i}", "motorbike", "cigarette", "casino"),
            rules=("no alcohol", "never show me smoking"),
        )
        kind = "ancestor" if i and i % 4 == 0 else ("ip_asset" if i % 3 == 2 else "likeness")
        out.append(
            PartyFacts(
                label=f"Party {i}", listed=True, revoked=False, consent_current=True, kind=kind,
                licence=None if kind == "ancestor" else licence, derivatives="allowed", content=rules,
            )
        )
    return out


def rate(fn, seconds: float) -> float:
    n, start = 0, time.perf_counter()
    while True:
        for _ in range(50):
            fn()
        n += 50
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed


def one_generation_job_seconds(repeats: int) -> tuple[float, str]:
    """Render + watermark + C2PA-sign one output on the built-in model, as a worker does."""
    from diffusers.utils import logging as diffusers_logging

    from generation.provenance import credentials, watermark
    from generation.runtime import RuntimeConfig, build_default_model, get_runtime

    diffusers_logging.disable_progress_bar()
    diffusers_logging.set_verbosity_error()
    model_dir = ROOT / "var" / "models" / "builtin"
    build_default_model(model_dir)
    rt = get_runtime(RuntimeConfig(model_path=None, builtin_dir=model_dir, device="cpu", dtype="float32", steps=8, size=256))
    material = credentials.ensure_dev_certificates(Path(tempfile.mkdtemp(prefix="bench-c2pa-")))
    key = b"benchmark-key"
    from PIL import Image

    reference = Image.new("RGB", (256, 256), (180, 140, 120))
    rt.render(prompt=PROMPT, seed=0, reference_images=[reference])  # warm
    times = []
    for i in range(repeats):
        t0 = time.perf_counter()
        image = rt.render(prompt=PROMPT, seed=i, reference_images=[reference])
        marked = watermark.embed(image, watermark.new_mark_id(), key)
        buf = io.BytesIO()
        marked.save(buf, format="PNG")
        claim = credentials.CredentialClaim(
            generation_id=f"bench-{i}", licence_id="bench", licence_terms_digest="0" * 64, rights_holders=["Bench"],
            model_name=rt.model_name, title="bench", parents=[],
        )
        credentials.sign(buf.getvalue(), mime="image/png", claim=claim, material=material)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), rt.device


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=2.0, help="timed seconds per measurement")
    ap.add_argument("--repeats", type=int, default=5, help="measurements per figure (median reported)")
    args = ap.parse_args()

    lexical = lambda prompt, rules: screen(prompt, rules, semantic=False)  # noqa: E731
    request = BriefRequest(requester_id=1, prompt=PROMPT, at=NOW, channel="paid_social", territory="GB", commercial=True)
    assert decide(request, parties(20), screen=lexical).allowed, decide(request, parties(20), screen=lexical).reasons

    print(f"{'parties':>8} {'decisions/s':>14} {'µs/decision':>12}   (engine + lexical screening, median of {args.repeats})")
    results = {}
    for n in (1, 5, 20):
        ps = parties(n)
        r = statistics.median(rate(lambda: decide(request, ps, screen=lexical), args.seconds) for _ in range(args.repeats))
        results[n] = r
        print(f"{n:>8} {r:>14,.0f} {1e6 / r:>12.1f}")

    semantic = lambda prompt, rules: screen(prompt, rules, semantic=True)  # noqa: E731
    t0 = time.perf_counter()
    decide(request, parties(20), screen=semantic)
    load = time.perf_counter() - t0
    ps20 = parties(20)
    sem = statistics.median(rate(lambda: decide(request, ps20, screen=semantic), args.seconds / 2) for _ in range(3))
    print(f"\nwith the semantic screen (MiniLM, CPU), 20 parties: {sem:,.1f} decisions/s ({1e3 / sem:.1f} ms each; first call {load:.1f} s loads the model)")

    job_s, device = one_generation_job_seconds(max(3, args.repeats))
    print(f"one generation job on the built-in model ({device}, 256x256, 8 steps, watermark + C2PA): {job_s * 1e3:.0f} ms (median)")
    print(f"ratio: one job takes as long as {job_s * results[20]:,.0f} decisions at 20 parties ({job_s * sem:,.1f} with the semantic screen)")
    print(f"policy: {results[20]:,.0f} decisions/s at 20 parties")


if __name__ == "__main__":
    main()
