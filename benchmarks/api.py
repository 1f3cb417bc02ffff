"""The API's busiest lists on PostgreSQL, side by side with a bare Django JSON view returning the
same rows, at 100 and 1,000 rows, in one run.

    python benchmarks/api.py [--rows 100 1000] [--repeats 15]

Three lists: the marketplace (`GET /api/listings/`: listed likenesses with their active
offers and the offers' terms, in plain language too), a brand's briefs (`GET /api/briefs/`,
at most 200 rows) and a talent's every-use list (`GET /api/uses/`, every brief naming their
likeness, at most 500). Each goes through the whole Django stack in process (the test client:
middleware, sessions, authentication, DRF, JSON rendering) and is compared with a bare Django view
behind the same stack that reads the same rows with `.values()` and returns them with
`JsonResponse`: the floor for a Python JSON list. Rows are written in bulk (set-up, not measured).
Each figure is the median of `--repeats` requests, the two sides taking turns; queries are counted
per request.

The last line: `api: marketplace list <p>% of bare Django JSON; <q> queries per request at any page size`
(p: bare time / API time at 1,000 rows; q: the API's queries, the same at every size)."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "rightscast_bench_api"


def prepare_database() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        url = f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


# --- the bare views: the same rows, .values() and JsonResponse ---------------------------------------

TERM_FIELDS = (
    "commercial_use", "channels", "territories", "duration_days", "generation_quota", "derivatives", "revenue_share_bps",
    "attribution", "content_standards", "exclusivity_category", "sublicensable", "ai_training",
)


def bare_listings(request):
    from django.http import JsonResponse

    from licensing.models import LicenceTerms, Likeness
    from marketplace.models import Offer

    likenesses = list(Likeness.objects.filter(status="listed").order_by("name").values("id", "name", "bio"))
    offers: dict = {}
    rows = Offer.objects.filter(is_active=True, likeness__status="listed").select_related("terms").order_by("price_minor")
    for o in rows:
        terms = {f: getattr(o.terms, f) for f in TERM_FIELDS}
        terms["plain_language"] = LicenceTerms.plain_language(o.terms)
        offers.setdefault(o.likeness_id, []).append({
            "id": o.id, "likeness_id": o.likeness_id, "title": o.title, "price_minor": o.price_minor,
            "per_generation_fee_minor": o.per_generation_fee_minor, "currency": o.currency, "is_active": o.is_active, "terms": terms,
        })
    for row in likenesses:
        row["offers"] = offers.get(row["id"], [])
    return JsonResponse(likenesses, safe=False)


def _brief_rows(qs, limit):
    from generation.progress import job_snapshot

    out = []
    for b in qs[:limit]:
        job = getattr(b, "job", None)
        out.append({
            "id": b.id, "licence_id": b.licence_id, "likeness_name": b.licence.holding.name, "requester": b.requester.email,
            "prompt": b.prompt, "seed": b.seed, "media": b.media, "status": b.status, "decision": b.decision,
            "created_at": b.created_at, "job": job_snapshot(job) if job else None,
        })
    return out


def bare_briefs(request):
    from django.http import JsonResponse

    from generation.models import Brief

    qs = Brief.objects.filter(requester=request.user).select_related("licence__likeness", "licence__ip_asset", "requester", "job")
    return JsonResponse(_brief_rows(qs.order_by("-created_at"), 200), safe=False)


def bare_uses(request):
    from django.http import JsonResponse

    from generation.models import Brief

    qs = Brief.objects.filter(licence__likeness__owner=request.user).select_related("licence__likeness", "licence__ip_asset", "requester", "job")
    return JsonResponse(_brief_rows(qs.order_by("-created_at"), 500), safe=False)


# --- data ---------------------------------------------------------------------------------------------

def build(rows: int, brand, talent, lead_licence) -> None:
    """`rows` more listed likenesses with two offers each, `rows` more briefs (with jobs) by the
    brand on the talent's likeness."""
    from django.utils import timezone

    from accounts.models import User
    from generation.models import Brief, GenerationJob
    from licensing.models import LicenceTerms, Likeness
    from marketplace.models import Offer

    owners = User.objects.bulk_create([User(email=f"t{uuid.uuid4().hex[:12]}@bench.test", kind="talent") for _ in range(rows)])
    likes = Likeness.objects.bulk_create([Likeness(owner=o, name=f"Talent {uuid.uuid4().hex[:8]}", bio="Bench talent.", status="listed") for o in owners])
    terms = LicenceTerms.objects.create(channels=["web", "paid_social"], territories=["GB", "US"], generation_quota=50, derivatives="allowed")
    Offer.objects.bulk_create(
        [Offer(likeness=lk, title=f"Campaign {i}", terms=terms, price_minor=1000 + i, currency="gbp") for lk in likes for i in range(2)]
    )
    now = timezone.now()
    briefs = Brief.objects.bulk_create([
        Brief(requester=brand, licence=lead_licence, prompt=f"A portrait on a beach, take {i}", seed=i, status="accepted",
              decision={"allowed": True, "reasons": ["Every party allows it."], "needs_approval_from": []}, created_at=now)
        for i in range(rows)
    ])
    GenerationJob.objects.bulk_create([
        GenerationJob(brief=b, status="released", step=8, total_steps=8, mark_id=int.from_bytes(os.urandom(5), "big"), output_sha256="0" * 64)
        for b in briefs
    ])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    prepare_database()
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import include, path

    if connection.vendor != "postgresql":
        sys.exit("benchmarks/api.py runs on PostgreSQL (set DATABASE_URL)")
    call_command("migrate", verbosity=0, interactive=False)

    import config.urls as project_urls

    class BenchUrls:
        urlpatterns = [
            path("bench/listings/", bare_listings), path("bench/briefs/", bare_briefs), path("bench/uses/", bare_uses),
            path("", include(project_urls)),
        ]

    from accounts.models import User
    from tests.factories import UserFactory, granted_licence

    brand = UserFactory(kind=User.Kind.BRAND)
    lead = granted_licence(licensee=brand, quota=10)
    talent = lead.likeness.owner
    from django.urls import reverse

    endpoints = [
        ("marketplace list", reverse("api-listings"), "/bench/listings/", brand),
        ("brand's briefs", reverse("api-briefs"), "/bench/briefs/", brand),
        ("every-use list", reverse("api-uses"), "/bench/uses/", talent),
    ]
    built = 0
    results: dict = {}
    with override_settings(ROOT_URLCONF=BenchUrls, DEBUG=False, ALLOWED_HOSTS=["*"]):
        for rows in sorted(args.rows):
            build(rows - built, brand, talent, lead)
            built = rows
            print(f"\n{rows:,} rows (listings {rows + 1}, briefs {rows}):")
            print(f"  {'list':<18} {'API ms':>8} {'bare ms':>8} {'API/bare':>9} {'API queries':>12} {'bare queries':>13} {'items':>6}")
            for name, api_url, bare_url, user in endpoints:
                client = Client()
                if user is not None:
                    client.force_login(user)
                api_t, bare_t = [], []
                for url in (api_url, bare_url):  # warm
                    r = client.get(url)
                    assert r.status_code == 200, (url, r.status_code, r.content[:300])
                items = len(client.get(api_url).json())
                assert items == len(client.get(bare_url).json()), name
                for _ in range(args.repeats):
                    for url, bucket in ((api_url, api_t), (bare_url, bare_t)):
                        t0 = time.perf_counter()
                        client.get(url)
                        bucket.append(time.perf_counter() - t0)
                with CaptureQueriesContext(connection) as q_api:
                    client.get(api_url)
                with CaptureQueriesContext(connection) as q_bare:
                    client.get(bare_url)
                a, b = statistics.median(api_t) * 1e3, statistics.median(bare_t) * 1e3
                results[(name, rows)] = (a, b, len(q_api.captured_queries))
                print(f"  {name:<18} {a:>8.1f} {b:>8.1f} {a / b:>8.2f}x {len(q_api.captured_queries):>12} {len(q_bare.captured_queries):>13} {items:>6}")
    top = max(args.rows)
    a, b, _ = results[("marketplace list", top)]
    counts = {q for (name, _), (_, _, q) in results.items() if name == "marketplace list"}
    all_same = all(len({q for (n, _), (_, _, q) in results.items() if n == name}) == 1 for name, _, _, _ in endpoints)
    q = counts.pop() if len(counts) == 1 else "varying"
    print(f"\nquery counts the same at every size for every list: {all_same}")
    print(f"api: marketplace list {100 * b / a:.0f}% of bare Django JSON; {q} queries per request at any page size")
    del settings


if __name__ == "__main__":
    main()
