"""The authorisation matrix, generated from the URL configuration: every API endpoint and page
that names an object, for every role of another tenant (brand, talent, studio, creator, and
anonymous), on tenant A's private objects: the answer is 401/403/404 (405 for a method the route
does not have; a page may send the anonymous to the login), never the object and never a
validation error (the object is checked before the input, so a 400 cannot tell a guessed id
from a real one); every route with a parameter gets a real object; and no list shows anything
of tenant A.

Moderators are left out on purpose: reviewing everyone's verifications, orders and outputs is
their job. Public objects are left out too: a listed likeness's market page and its offers are
for sale to everyone (buying one is the point)."""
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Membership, Organisation, User
from accounts.tokens import api_token_issue
from generation.models import StoredManifest
from licensing import services as licensing
from licensing.models import Approval, MisuseReport, ReferenceImage
from marketplace import services as market
from marketplace.models import LedgerAccount, LedgerTransaction, UsageCharge
from marketplace.services.addons import addon_create
from tests.factories import UserFactory, active_licence, listed_likeness, studio_with_asset, upload, verified_likeness
from tests.marketplace.money import buy, top_up, use

pytestmark = [pytest.mark.django_db, pytest.mark.timeout(900)]
SKIP_PREFIXES = ("admin/", "accounts/", "_allauth/", "api/schema/", "api/docs/", "api/stripe/webhook/", "static/")
PUBLIC = {  # routes whose objects are public by design
    "market/<uuid:likeness_id>/", "offers/<uuid:offer_id>/buy/", "api/offers/<str:offer_id>/purchase/",
    "market/ip/<uuid:asset_id>/",  # an opted-in character is in the market, like a listed likeness
    "market/portraits/<int:portrait_id>/", "showcase/<int:item_id>/image",  # a listed holding's pictures
    # A post in the public feed is published by its maker; remixing it needs the remixer's own licence.
    "feed/<uuid:post_id>/", "feed/<uuid:post_id>/image", "feed/<uuid:post_id>/remix/",
}
# Asking a listed likeness's talent for permission is open to every signed-in user (it is a request).
PUBLIC_ACTIONS = {("post", "api/likenesses/<str:likeness_id>/use-requests/")}
REFUSED = {401, 403, 404, 405}
INT_IDS = ("token_id", "studio_id", "charge_id", "account_id", "txn_id", "claim_id")  # small integers: not searched for in lists


def _routes():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    return [r for r in walk(get_resolver().url_patterns) if not r.startswith(SKIP_PREFIXES)]


def _fill(route: str, ids: dict) -> str | None:
    missing = [name for name in re.findall(r"<(?:\w+:)?(\w+)>", route) if name not in ids]
    if missing:
        return None
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), route)


@pytest.fixture
def tenant_a(api, builtin_model, django_capture_on_commit_callbacks):
    licence, order, offer = active_licence()
    brand, likeness = licence.licensee, licence.likeness
    talent = likeness.owner
    api.force_authenticate(brand)
    with django_capture_on_commit_callbacks(execute=True):
        brief = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "tenant-a-secret-prompt"}, format="json").json()
    use_request = api.post(f"/api/likenesses/{likeness.pk}/use-requests/", {"message": "tenant-a-secret-ask"}, format="json").json()
    from marketplace.services import credit

    topup = api.post("/api/credit/top-ups/", {"amount_minor": credit.MIN_TOPUP_MINOR, "currency": "gbp"}, format="json").json()
    variants = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "tenant-a-secret-variants", "variants": 2}, format="json").json()
    endpoint = api.post("/api/webhooks/", {"url": "https://127.0.0.1:9/tenant-a-secret-hook", "events": ["job.finished"]}, format="json").json()
    from webhooks.models import WebhookEndpoint
    from webhooks.services import webhook_ping

    delivery = webhook_ping(endpoint=WebhookEndpoint.objects.get(pk=endpoint["id"]), actor=brand)  # written, not sent (no commit here)
    campaign = api.post("/api/campaigns/", {"name": "tenant-a-secret-campaign", "budget_minor": 10**9, "price_ceiling_minor": 10**9}, format="json").json()
    api.force_authenticate(None)
    claim = licensing.screening_profile_claim(
        likeness=likeness, actor=talent, profile="politician", statement="tenant-a-secret-claim: I run a campaign in Ruritania"
    )
    verification = licensing.verification_start(user=talent, likeness=likeness)
    asset, studio_member = studio_with_asset(name="Tenant A Character")
    token, _ = api_token_issue(user=brand, name="tenant-a")
    reference = ReferenceImage.objects.filter(likeness=likeness).first()
    # A per-generation fee tenant A's brand paid, an add-on it has not paid yet, the ledger rows of its sale.
    fee_likeness, _ = listed_likeness(name="Tenant A Fee Talent")
    fee_offer = market.offer_create(
        likeness=fee_likeness, actor=fee_likeness.owner, title="Per use", price_minor=1_000, currency="gbp", per_generation_fee_minor=250,
        addon_generation_price_minor=100,
    )
    fee_order = buy(brand, fee_offer)
    top_up(brand, 1_000)
    use(fee_order.licence, "tenant-a-fee-use")
    charge = UsageCharge.objects.get(order=fee_order)
    addon = addon_create(buyer=brand, licence=fee_order.licence, generations=1)
    # A refund of part of that purchase, paid back: its credit note is the brand's document.
    refund = market.order_refund(order=fee_order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=100)
    assert refund.credit_note.pk
    ledger_account = LedgerAccount.objects.filter(owner=talent).first()
    ledger_txn = LedgerTransaction.objects.filter(order=order).first()
    # An output held for the talent's approval: its approval, and the manifest it was signed with
    # (not released, so not in the public manifest repository).
    licensing.controls_update(holding=likeness, actor=talent, require_output_approval=True)
    api.force_authenticate(brand)
    with django_capture_on_commit_callbacks(execute=True):
        held = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "tenant-a-held-poster, a sunny beach at noon"}, format="json")
    assert held.status_code == 201, held.content
    held = held.json()
    api.force_authenticate(None)
    approval = Approval.objects.get(reference=str(held["id"]), status=Approval.Status.PENDING)
    manifest = StoredManifest.objects.get(job__brief_id=held["id"])
    # A misuse report tenant A's talent filed, and an estate's proof of authority.
    report = licensing.misuse_report_create(
        reporter=talent, kind=MisuseReport.Kind.values[0], description="tenant-a-secret-report about a fake", likeness=likeness
    )
    estate = Organisation.objects.create(name="Tenant A Estate", kind=Organisation.Kind.ESTATE)
    executor = UserFactory(kind=User.Kind.TALENT)
    Membership.objects.create(user=executor, organisation=estate)
    authority = licensing.estate_authority_submit(
        likeness=verified_likeness(owner=executor, name="Tenant A Deceased"), estate=estate, actor=executor,
        document=upload("p.pdf", b"%PDF-1.4 tenant-a letters of administration"),
    )
    ids = {
        "likeness_id": likeness.pk, "licence_id": licence.pk, "order_id": order.pk, "offer_id": offer.pk,
        "job_id": brief["job"]["job_id"], "verification_id": verification.pk, "asset_id": asset.pk,
        "token_id": token.pk, "reference_id": reference.pk, "request_id": use_request["id"], "topup_id": topup["id"],
        "studio_id": asset.studio_id,
        "brief_id": variants["id"], "group_id": variants["variant_group"], "endpoint_id": endpoint["id"], "delivery_id": delivery.pk,
        "campaign_id": campaign["id"],
        "charge_id": charge.pk, "addon_id": addon.pk, "account_id": ledger_account.pk, "txn_id": ledger_txn.pk,
        "approval_id": approval.pk, "manifest_id": manifest.manifest_id, "report_id": report.pk, "authority_id": authority.pk, "claim_id": claim.pk,
        "refund_id": refund.pk, "kind": "likeness", "holding_id": likeness.pk,
    }
    assert manifest.job.status != "released"
    public = ("likeness_id", "offer_id", "asset_id", "kind", "holding_id", *INT_IDS)
    private = [str(v) for k, v in ids.items() if k not in public]
    private += [brand.email, talent.email, studio_member.email, "tenant-a-secret-prompt", "tenant-a-secret-ask", str(brief["id"])]
    private += ["tenant-a-secret-claim", "tenant-a-held-poster", "tenant-a-secret-report", executor.email, "tenant-a-fee-use"]
    private += ["tenant-a-secret-variants", "tenant-a-secret-campaign", endpoint["secret"], "tenant-a-secret-hook"]
    return ids, private


def _answers(client, api, who, url, method):
    if url.startswith("/api/"):
        return getattr(api, method)(url, {}, format="json") if method != "get" else api.get(url)
    return getattr(client, method)(url)


def test_no_role_of_another_tenant_reaches_tenant_as_objects(client, api, tenant_a, settings):
    ids, private = tenant_a
    settings.SECURITY_LIMITS = {**settings.SECURITY_LIMITS, "verify": "1000/m/ip"}
    _, member_b = studio_with_asset(name="Tenant B Character")
    roles = {
        "brand": UserFactory(kind=User.Kind.BRAND), "talent": UserFactory(kind=User.Kind.TALENT),
        "studio": member_b, "creator": UserFactory(kind=User.Kind.CREATOR), "anonymous": None,
    }
    routes = _routes()
    object_routes = [r for r in routes if "<" in r and r not in PUBLIC]
    list_routes = [r for r in routes if "<" not in r]
    assert len(object_routes) > 40 and len(list_routes) > 30  # the URLconf, not a hand-picked list
    leaks, untested = [], [r for r in object_routes if _fill(r, ids) is None]
    for role, user in roles.items():
        api.force_authenticate(user)
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for route in object_routes:
            url = _fill(route, ids)
            if url is None:
                continue
            for method in ("get", "post", "delete") if route.startswith("api/") else ("get", "post"):
                if (method, route) in PUBLIC_ACTIONS:
                    continue
                r = _answers(client, api, role, url, method)
                status = r.status_code
                if status in REFUSED:
                    continue
                if role == "anonymous" and status == 302 and "/accounts/login/" in r.get("Location", ""):
                    continue
                leaks.append((role, method.upper(), url, status))
        for route in list_routes:
            r = _answers(client, api, role, "/" + route, "get")
            if r.status_code != 200 or r.get("Content-Type", "").startswith(("image/", "video/")):
                continue
            body = r.content.decode(errors="replace")
            shown = [p for p in private if p in body]
            if shown:
                leaks.append((role, "GET", "/" + route, f"shows {shown}"))
    print(f"\nmatrix: {len(object_routes)} object routes x {len(roles)} roles, {len(list_routes)} lists; "
          f"routes with a parameter tenant A has no object for: {untested}")
    assert leaks == [], "\n".join(map(str, leaks))
    assert untested == [], "give tenant A an object for each of these routes (or name it public, with why)"


def test_bad_input_on_ones_own_object_is_still_a_clear_400(api):
    """Checking the object first changes nothing for its owner: a body that is wrong is a 400 that says why."""
    licence, order, offer = active_licence()
    talent, brand = licence.likeness.owner, licence.licensee
    api.force_authenticate(talent)
    for url in (f"/api/likenesses/{licence.likeness_id}/consent/", f"/api/licences/{licence.pk}/revoke/",
                f"/api/likenesses/{licence.likeness_id}/access/", f"/api/likenesses/{licence.likeness_id}/offers/"):
        r = api.post(url, {}, format="json")
        assert r.status_code == 400 and r.json(), (url, r.status_code, r.content)  # the fields and what is wrong with each
    api.force_authenticate(brand)
    campaign = api.post("/api/campaigns/", {"name": "c", "budget_minor": 10**6, "price_ceiling_minor": 10**6}, format="json").json()
    r = api.post(f"/api/campaigns/{campaign['id']}/brief/", {}, format="json")
    assert r.status_code == 400 and r.json()
