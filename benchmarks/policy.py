"""How many policy decisions per second the engine makes for a brief with 1, 5 and 20 parties,
side by side with the time of one generation job on the default (built-in) model, and the real
path (`licensing.services.policy_evaluate` on PostgreSQL: facts gathered from the locked rows plus
batched queries) at 2 and 20 parties.

    python benchmarks/policy.py [--seconds 2] [--repeats 5] [--no-real-path] [--no-semantic]

The engine runs on a compiled snapshot (`licensing.policy.Snapshot`): every party's content rules
merged into one screen plan. Three figures per party count, side by side: the old way (the
prompt screened against every party, as `decide` did before snapshots), a first decision on a
snapshot (the prompt changes every decision: one screen call), and decisions on a snapshot that
has screened this prompt already (a job's re-checks at start and finish).

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

from licensing.policy import BriefRequest, LicenceFacts, PartyFacts, Snapshot, decide  # noqa: E402
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


def _words(block: str) -> tuple[str, ...]:
    return tuple(" ".join(x.split()) for x in block.split("|"))


# New briefs for every decision: a subject, a product, an action, a place and a style drawn from
# everyday brand imagery (29 x 24 x 22 x 27 x 20 combinations, each used once, with a take number),
# so no decision re-checks a brief the snapshot has screened; the words themselves repeat, as they
# do in real briefs.
_SUBJECTS = _words("""a smiling woman|a tall man|two friends|an older couple|a young chef|a cyclist|a dancer|a tennis
player|a barista|a family of four|a street musician|a painter|a runner|a surfer|a gardener|a pilot|a nurse on her
break|a student|a climber|a baker|a fisherman|a skateboarder|a violinist|a yoga teacher|a florist|a mechanic|a
photographer|a hiker|a waiter""")
_PRODUCTS = _words("""a can of lemon soda|a denim jacket|new running shoes|a leather handbag|a smartwatch|a cup of
coffee|a bottle of sparkling water|wireless headphones|a summer dress|a bicycle helmet|a tube of sunscreen|a bar of
dark chocolate|a bowl of salad|an electric scooter|a straw hat|a phone with a cracked case|a picnic basket|a wool
scarf|a camera bag|a jar of honey|a box of cereal|a travel mug|a pair of sunglasses|a laptop sleeve""")
_ACTIONS = _words("""holding|laughing beside|unpacking|showing off|carrying|pointing at|sharing|admiring|balancing|
reaching for|opening|wearing|trying on|tossing|reviewing|photographing|drawing|cleaning|wrapping|choosing|
recommending|testing""")
_PLACES = _words("""on a sunny beach|in a busy kitchen|on a city rooftop|in a quiet library|at a farmers market|in a
snowy forest|on a mountain trail|in a bright office|at a train station|in a flower shop|by a lake at dawn|in a
recording studio|on a basketball court|in a vintage diner|at a music festival|in a greenhouse|on a sailing boat|in a
bakery|on a bridge at night|in a desert canyon|at a bus stop in the rain|in a bamboo garden|on a ferry deck|in a
bookshop|at a ski lodge|in a laundromat|on a picnic lawn""")
_STYLES = _words("""golden hour|studio lighting|35mm film look|soft pastel palette|high contrast black and white|
cinematic wide shot|overhead flat lay|shallow depth of field|bold pop art colours|watercolour illustration|warm
tungsten light|cool morning mist|neon reflections|documentary style|minimalist composition|motion blur|polaroid
frame|clean product shot|editorial fashion look|hand drawn sketch""")


def new_prompts():
    """An endless stream of briefs, none the same."""
    import itertools
    import random

    rng = random.Random(14)
    for take in itertools.count():
        yield (f"{rng.choice(_SUBJECTS)} {rng.choice(_ACTIONS)} {rng.choice(_PRODUCTS)} {rng.choice(_PLACES)}, "
               f"{rng.choice(_STYLES)}, take {take}")


def rate(fn, seconds: float, batch: int = 50) -> float:
    n, start = 0, time.perf_counter()
    while True:
        for _ in range(batch):
            fn()
        n += batch
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed


def cpu_rate(fn, seconds: float, batch: int = 50) -> float:
    """Decisions per second of this process's CPU time (what the machine's other work does not
    stretch as much as the wall clock)."""
    n, start, wall = 0, time.process_time(), time.perf_counter()
    while True:
        for _ in range(batch):
            fn()
        n += batch
        if time.perf_counter() - wall >= seconds:
            return n / (time.process_time() - start)


def load() -> str:
    return "/".join(open("/proc/loadavg").read().split()[:3])


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
    ap.add_argument("--no-real-path", action="store_true", help="skip the PostgreSQL real path")
    ap.add_argument("--decisions", type=int, default=200, help="real-path decisions per party count")
    ap.add_argument("--no-semantic", action="store_true", help="skip the semantic screen and the generation job")
    args = ap.parse_args()

    lexical = lambda prompt, rules: screen(prompt, rules, semantic=False)  # noqa: E731
    request = BriefRequest(requester_id=1, prompt=PROMPT, at=NOW, channel="paid_social", territory="GB", commercial=True)
    assert decide(request, parties(20), screen=lexical).allowed, decide(request, parties(20), screen=lexical).reasons

    print(f"load average {load()}; medians of {args.repeats} runs; decisions/s of wall clock (of CPU time in brackets)")
    print(f"{'parties':>8} {'per-party screen, new prompt':>29} {'snapshot, new prompt':>26} {'snapshot, re-check':>26}")
    results, cold_results, old_results = {}, {}, {}
    prompts = new_prompts()
    for n in (1, 5, 20):
        ps = parties(n)
        rules = [p.content for p in ps]

        def old_way():
            prompt = next(prompts)
            req = BriefRequest(requester_id=1, prompt=prompt, at=NOW, channel="paid_social", territory="GB")
            decide(req, Snapshot(tuple(ps), Snapshot.compile([]).plan))  # the engine without its screen
            lexical(prompt, rules)  # ... and the screen over every party, as before snapshots

        def first_decision():  # the headline: every decision screens a brief never seen before
            req = BriefRequest(requester_id=1, prompt=next(prompts), at=NOW, channel="paid_social", territory="GB")
            decide(req, Snapshot.compile(ps), screen=lexical)

        snap = Snapshot.compile(ps)
        decide(request, snap, screen=lexical)
        for _ in range(2000):  # warm: the words of everyday briefs have been seen once
            first_decision()
        old = [(rate(old_way, args.seconds / 2), cpu_rate(old_way, args.seconds / 4)) for _ in range(args.repeats)]
        cold = [(rate(first_decision, args.seconds), cpu_rate(first_decision, args.seconds / 2)) for _ in range(args.repeats)]
        warm = [(rate(lambda: decide(request, snap, screen=lexical), args.seconds / 2),
                 cpu_rate(lambda: decide(request, snap, screen=lexical), args.seconds / 4)) for _ in range(args.repeats)]
        med = lambda xs, k: statistics.median(x[k] for x in xs)  # noqa: E731
        results[n], cold_results[n], old_results[n] = med(warm, 0), med(cold, 0), med(old, 0)
        cell = lambda xs: f"{med(xs, 0):,.0f} ({med(xs, 1):,.0f})"  # noqa: E731
        print(f"{n:>8} {cell(old):>29} {cell(cold):>26} {cell(warm):>26}")
    print(f"at 20 parties: new prompt {cold_results[20] / old_results[20]:.1f}x the per-party screen; load average {load()}")

    if not args.no_semantic:
        semantic = lambda prompt, rules: screen(prompt, rules, semantic=True)  # noqa: E731
        t0 = time.perf_counter()
        decide(request, parties(20), screen=semantic)
        load_s = time.perf_counter() - t0
        ps20 = parties(20)

        def semantic_first():  # a new prompt each time: the model pass runs every decision
            req = BriefRequest(requester_id=1, prompt=next(prompts), at=NOW, channel="paid_social", territory="GB")
            decide(req, Snapshot.compile(ps20), screen=semantic)

        sem = statistics.median(rate(semantic_first, args.seconds / 2, batch=5) for _ in range(3))
        print(f"\nwith the semantic screen (MiniLM, CPU), 20 parties, new prompt each time: {sem:,.1f} decisions/s ({1e3 / sem:.1f} ms each; first call {load_s:.1f} s loads the model)")

        job_s, device = one_generation_job_seconds(max(3, args.repeats))
        print(f"one generation job on the built-in model ({device}, 256x256, 8 steps, watermark + C2PA): {job_s * 1e3:.0f} ms (median)")
        print(f"ratio: one job takes as long as {job_s * cold_results[20]:,.0f} decisions at 20 parties ({job_s * sem:,.1f} with the semantic screen)")
    real = None if args.no_real_path else real_path(args)
    tail = f"; real path {real[20][0]:.1f} ms and {real[20][1]} queries per decision on PostgreSQL" if real else ""
    print(f"re-checks of a brief the snapshot has screened (a job's start and finish): {results[20]:,.0f} decisions/s at 20 parties")
    print(f"policy: {cold_results[20]:,.0f} decisions/s at 20 parties{tail}")


# --- the real path on PostgreSQL ------------------------------------------------------------------------

BENCH_DB = "rightscast_bench_policy"


def real_path(args) -> dict:
    """`policy_evaluate` as `brief_submit` and the worker call it: inside a transaction, with the
    parties locked (`_lock_parties`, not counted), a remix chain above the brief. Each decision gets
    a new prompt, so the screen runs every time. Semantic screening off (the lexical screen of the
    job start and finish re-checks; the semantic screen's model pass is timed above)."""
    # A database of its own, made afresh on the server DATABASE_URL names (this machine's by
    # default): the benchmark never writes into a configured database, and a second run does not
    # meet the first one's rows.
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    server = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(urlunsplit(server._replace(scheme="postgresql", path="/postgres")), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = urlunsplit(server._replace(path=f"/{BENCH_DB}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    settings.CONTENT_SCREENING_SEMANTIC = False
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-policy-media-")
    if connection.vendor != "postgresql":
        sys.exit("the real path runs on PostgreSQL (set DATABASE_URL)")
    call_command("migrate", verbosity=0, interactive=False)

    from accounts.models import Membership, Organisation, User
    from generation.services import _lock_parties
    from licensing import services as licensing
    from licensing.models import Licence
    from tests.factories import UserFactory, granted_licence, licence_on, studio_with_asset

    brand = UserFactory(kind=User.Kind.BRAND)
    org = Organisation.objects.create(name="Fizz", kind=Organisation.Kind.BRAND, category="Soft drinks")
    Membership.objects.create(user=brand, organisation=org)
    lead = granted_licence(licensee=brand, quota=10_000, derivatives="allowed")
    asset, _ = studio_with_asset()
    character = licence_on(asset, licensee=brand, generation_quota=10_000, derivatives="allowed")
    chains = {}
    with transaction.atomic():
        for n in (2, 20):  # 2 parties: one licence and its remix parent; 20: two licences and 18 ancestors
            parent = None
            for i in range(1 if n == 2 else n - 2):
                lic = Licence.objects.select_for_update().get(pk=lead.pk)
                parent = licensing.usage_record(licence=lic, reference=f"bench-{n}-{i}", parent=parent)
            chains[n] = parent

    out = {}
    print("\nreal path on PostgreSQL (policy_evaluate with the parties locked; lexical screen, new prompt each time):")
    prompts = new_prompts()
    for n in (2, 20):
        times, cpu, queries, trips = [], [], [], []
        for _ in range(args.decisions):
            with transaction.atomic():
                locked = _lock_parties([lead.pk] if n == 2 else [lead.pk, character.pk])
                prompt = next(prompts)
                with CaptureQueriesContext(connection) as ctx:
                    t0, c0 = time.perf_counter(), time.process_time()
                    d = licensing.policy_evaluate(licences=locked, requester=brand, prompt=prompt, parent=chains[n],
                                                  quota_already_used=True)
                    times.append(time.perf_counter() - t0)
                    cpu.append(time.process_time() - c0)
                queries.append(len(ctx.captured_queries))
                # side by side: one bare round trip to the same server, at the same moment
                with connection.cursor() as c:
                    t0 = time.perf_counter()
                    c.execute("SELECT 1")
                    c.fetchone()
                    trips.append(time.perf_counter() - t0)
            assert d.allowed, d.reasons
        ms = statistics.median(times) * 1e3
        trip = statistics.median(trips) * 1e3
        assert len(d.reasons) == 1 and len(locked) + (1 if n == 2 else n - 2) == n
        out[n] = (ms, max(queries))
        print(f"{n:>8} parties: {ms:.2f} ms median, {max(queries)} queries per decision; {statistics.median(cpu) * 1e3:.2f} ms of "
              f"this process's CPU; a bare SELECT 1 round trip meanwhile {trip:.2f} ms ({max(queries)} of them: "
              f"{max(queries) * trip:.1f} ms); load average {load()}")
    return out


if __name__ == "__main__":
    main()
