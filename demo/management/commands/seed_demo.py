"""Demo data for the embedded default, built through the real services (a real face check on a photo
scikit-image ships, the offline payment backend, real generations by the built-in model), so that
every page has something to show in every state it can be in: listed talent with portraits and
offers, a studio character, licences bought, prepaid credit, briefs accepted, refused and waiting
for approval, an output waiting for approval, a published feed with likes, comments (one reported)
and a remix chain of three, earnings; the money pages' rarer states (a paid add-on and its invoice,
a taxed order partly refunded, an add-on partly refunded with its credit note, a campaign checkout whose refund failed:
seed_money_demo). Safe to run again: it adds only what is missing."""
import io
import zlib
from datetime import date  # noqa: E402  (sorted below by ruff)

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from licensing import services
from licensing.consent_text import CONSENT_TEXT, CONSENT_TITLE
from licensing.models import Likeness
from licensing.selectors import consent_document_current

DEMO_PASSWORD = "rightscast-demo"
DEMO_USERS = [
    ("talent@demo.rightscast.local", "Ava Stone", User.Kind.TALENT),
    ("estate@demo.rightscast.local", "Eileen Collins (demo)", User.Kind.TALENT),
    ("brand@demo.rightscast.local", "Fizzly Drinks", User.Kind.BRAND),
    ("creator@demo.rightscast.local", "Remy Creator", User.Kind.CREATOR),
    ("creator2@demo.rightscast.local", "Nia Remixer", User.Kind.CREATOR),
    ("creator3@demo.rightscast.local", "Olu Remixer", User.Kind.CREATOR),
    ("studio@demo.rightscast.local", "Comet Studios", User.Kind.STUDIO),
    ("moderator@demo.rightscast.local", "Mo Derator", User.Kind.MODERATOR),
    ("agent@demo.rightscast.local", "Andy Agent (Stars Agency)", User.Kind.TALENT),
    ("guardian@demo.rightscast.local", "Gina Guardian", User.Kind.TALENT),
    ("heir@demo.rightscast.local", "Harriet Heir (Estate of Sam Archer)", User.Kind.TALENT),
]
ESTATE, TALENT, BRAND = "estate@demo.rightscast.local", "talent@demo.rightscast.local", "brand@demo.rightscast.local"
CREATORS = ["creator@demo.rightscast.local", "creator2@demo.rightscast.local", "creator3@demo.rightscast.local"]


def demo_face_png() -> bytes:
    """A real photograph with a face that ships inside scikit-image (no download)."""
    from PIL import Image
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buf, format="PNG")
    return buf.getvalue()


def demo_picture_png(which: str) -> bytes:
    """Another picture scikit-image ships (for a character's portrait)."""
    from PIL import Image
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(getattr(data, which)()).convert("RGB").save(buf, format="PNG")
    return buf.getvalue()


def ensure_user(email: str, name: str, kind: str) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name, kind=kind)
        if kind == User.Kind.MODERATOR:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


class Command(BaseCommand):
    help = "Create demo users and data that put every page in every state (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-generate", action="store_true", help="Skip the demo generations (no model run).")

    def handle(self, *args, no_generate=False, **options):
        with transaction.atomic():
            if consent_document_current() is None:
                services.consent_document_publish(title=CONSENT_TITLE, text=CONSENT_TEXT)
            users = {email: ensure_user(email, name, kind) for email, name, kind in DEMO_USERS}
        estate = users[ESTATE]
        if not Likeness.objects.filter(owner=estate).exists():
            self._listed_likeness(estate, "Eileen Collins (demo)", "Demo likeness, verified from a photo that ships with scikit-image.")
        asset = self._organisations(users)
        if not Likeness.objects.filter(owner=users[TALENT]).exists() and not no_generate:
            self._scenes(users, asset)
        seed_consent_and_representation_demo(users)
        seed_money_demo(users)
        self.stdout.write("Demo logins (password for all: %s):" % DEMO_PASSWORD)
        for email, name, kind in DEMO_USERS:
            self.stdout.write(f"  {kind:<9} {email}")

    def _organisations(self, users: dict):
        """A verified brand (soft drinks) and a studio with one opted-in character and its portrait."""
        from django.utils import timezone

        from accounts.models import Membership, Organisation
        from licensing.models import IPAsset
        from marketplace.services import offer_create, portrait_set

        brand_org, _ = Organisation.objects.get_or_create(
            name="Fizzly Drinks", kind=Organisation.Kind.BRAND, defaults={"category": "soft drinks", "verified_at": timezone.now()}
        )
        Membership.objects.get_or_create(user=users[BRAND], organisation=brand_org, defaults={"role": "owner"})
        studio_org, _ = Organisation.objects.get_or_create(name="Comet Studios", kind=Organisation.Kind.STUDIO)
        member = users["studio@demo.rightscast.local"]
        Membership.objects.get_or_create(user=member, organisation=studio_org, defaults={"role": "owner"})
        asset = IPAsset.objects.filter(studio=studio_org).first()
        if asset is None:
            asset = services.ip_asset_create(studio=studio_org, actor=member, kind="character", name="Captain Comet", description="A cheerful space hero in a red suit, for family-friendly campaigns.")
            services.ip_asset_opt_in(asset=asset, actor=member)
            services.controls_update(holding=asset, actor=member, blocked_words=["guns", "blood"], content_rules=["no alcohol"])
            portrait_set(holding=asset, actor=member, file=SimpleUploadedFile("comet.png", demo_picture_png("rocket"), content_type="image/png"), alt_text="A rocket on its launch pad")
            # Sold like a likeness: a brand buys it in the marketplace and the studio is paid.
            offer_create(ip_asset=asset, actor=member, title="Character campaign, 30 days", price_minor=40000, currency="gbp",
                         channels=["organic_social", "paid_social"], duration_days=30, generation_quota=20)
            services.ip_asset_create(studio=studio_org, actor=member, kind="world", name="Nebula Nine", description="A world still in development: not opted in.")
        asset.refresh_from_db()
        return asset

    def _listed_likeness(self, owner: User, name: str, bio: str) -> Likeness:
        from marketplace.services import offer_create, portrait_set

        moderator = User.objects.filter(kind=User.Kind.MODERATOR).first()
        likeness = _demo_verified(owner, moderator, name=name, bio=bio, date_of_birth=date(1956, 11, 19) if owner.email == ESTATE else date(1991, 4, 3))
        offer_create(
            likeness=likeness, actor=owner, title="Social campaign, 30 days", price_minor=25000, currency="gbp",
            channels=["organic_social", "paid_social"], duration_days=30, generation_quota=20,
        )
        offer_create(
            likeness=likeness, actor=owner, title="Creator remix licence", price_minor=500, per_generation_fee_minor=50, currency="gbp",
            commercial_use=False, duration_days=90, generation_quota=50, derivatives="allowed", revenue_share_bps=1000,
        )
        portrait_set(holding=likeness, actor=owner, file=SimpleUploadedFile("portrait.png", demo_face_png(), content_type="image/png"), alt_text=f"Portrait of {name}")
        services.likeness_publish(likeness=likeness, actor=owner)
        return likeness

    def _scenes(self, users: dict, asset) -> None:
        """Licences bought, briefs in every state, the feed with a remix chain of three."""
        from generation import feed
        from generation.services import PolicyRefused
        from marketplace import services as money

        estate_lk = Likeness.objects.filter(owner=users[ESTATE]).first()
        ava = self._listed_likeness(users[TALENT], "Ava Stone", "Actor and presenter. Warm, outdoorsy, great with comedy.")
        brand = users[BRAND]

        def buy(buyer, offer):
            order = money.order_create(buyer=buyer, offer=offer)
            if order.status == "pending":
                order = money.offline_checkout_complete(order=order, buyer=buyer, pay=True)
            return order.licence

        def top_up(buyer, amount):
            topup = money.topup_create(buyer=buyer, amount_minor=amount, currency="gbp")
            money.offline_topup_complete(topup=topup, buyer=buyer, pay=True)

        social = lambda lk: lk.offers.get(title="Social campaign, 30 days")  # noqa: E731
        remixable = lambda lk: lk.offers.get(title="Creator remix licence")  # noqa: E731
        top_up(brand, 10_000)
        self._past_sales(buy, brand, [(150, social(ava)), (120, social(estate_lk)), (90, social(ava)), (60, social(ava)), (30, social(estate_lk))])
        brand_estate = buy(brand, social(estate_lk))
        brand_ava = buy(brand, social(ava))
        comet = services.licence_grant(holding=asset, actor=users["studio@demo.rightscast.local"], licensee=brand, generation_quota=10, derivatives="allowed")

        # An accepted brief with the character, released.
        campaign = self._generate(brand, brand_estate, "Eileen and Captain Comet wave from a launch pad at sunrise", extra=[comet])
        # Ava approves outputs: one output waits for her.
        services.controls_update(holding=ava, actor=users[TALENT], require_output_approval=True, blocked_words=["motorbike"], content_rules=["no alcohol"])
        self._generate(brand, brand_ava, "Ava laughing on a picnic blanket in a sunny park")
        # ...and then briefs: one waits for her.
        services.controls_update(holding=ava, actor=users[TALENT], require_brief_approval=True)
        self._generate(brand, brand_ava, "Ava reading a book by a window, soft light")
        # A refused brief (her blocked word).
        try:
            self._generate(brand, brand_ava, "Ava riding a motorbike along the coast")
        except PolicyRefused:
            pass
        if campaign is not None:
            feed.feed_publish(job=campaign.job, actor=brand, caption="Launch day with Captain Comet")

        # Creators: a remix chain of three on the estate's remix licence, all in the feed.
        parent = None
        posts = []
        for i, email in enumerate(CREATORS):
            creator = users[email]
            top_up(creator, 2_000)
            lic = buy(creator, remixable(estate_lk))
            prompt = ["Eileen as a watercolour astronaut", "the watercolour astronaut, now at night", "the night astronaut, surrounded by paper stars"][i]
            brief = self._generate(creator, lic, prompt, parent=parent)
            if brief is None:
                break
            posts.append(feed.feed_publish(job=brief.job, actor=creator, caption=prompt.capitalize()))
            parent = brief
        if posts:
            feed.feed_like_toggle(post=posts[0], user=users[CREATORS[1]])
            feed.feed_like_toggle(post=posts[0], user=brand)
            feed.comment_add(post=posts[0], author=users[CREATORS[1]], text="Love this: remixing it now.")
            rude = feed.comment_add(post=posts[0], author=users[CREATORS[2]], text="This is terrible and so are you.")
            feed.comment_report(comment_id=rude.pk, reporter=users[CREATORS[0]], reason="Rude")
        # The listings' showcases: outputs their rights holders chose to show.
        from generation.showcase import showcase_set

        shown = ([campaign.job.pk] if campaign is not None else []) + [p.job_id for p in posts[:2]]
        if shown:
            showcase_set(holding=estate_lk, actor=users[ESTATE], job_ids=shown)
        if campaign is not None:
            showcase_set(holding=asset, actor=users["studio@demo.rightscast.local"], job_ids=[campaign.job.pk])

    def _past_sales(self, buy, buyer, sales) -> None:
        """Earnings over several months: the same purchases through the same services, with the
        clock set back (every timestamp, ledger included, comes from django.utils.timezone.now)."""
        from datetime import timedelta
        from unittest import mock

        from django.utils import timezone

        real_now = timezone.now
        for days_ago, offer in sales:
            then = real_now() - timedelta(days=days_ago)
            with mock.patch("django.utils.timezone.now", return_value=then):
                buy(buyer, offer)

    def _generate(self, requester, licence, prompt, *, extra=(), parent=None):
        """Submit a brief through the policy and, when it is accepted, render it now."""
        from generation import services as gen
        from generation.tasks import run_job

        # a brief under licences limited to channels or territories states one every licence allows
        licences = [licence, *extra]
        channels = [c for c in (licence.terms.channels or ()) if all(not x.terms.channels or c in x.terms.channels for x in licences)]
        territories = [t for t in (licence.terms.territories or ()) if all(not x.terms.territories or t in x.terms.territories for x in licences)]
        if not channels:
            channels = next((list(x.terms.channels) for x in licences if x.terms.channels), [])
        brief = gen.brief_submit(
            requester=requester, licence_id=licence.pk, prompt=prompt, seed=zlib.crc32(prompt.encode()) % 10_000,
            extra_licence_ids=[x.pk for x in extra], parent_brief_id=str(parent.pk) if parent else None,
            channel=channels[0] if channels else "", territory=territories[0] if territories else "",
        )
        if hasattr(brief, "job"):
            run_job(str(brief.job.pk))
            brief.job.refresh_from_db()
            return brief
        return None


# --- consent, minors, estates and agents, misuse reports (issue #10): kept apart for merges -------

def _demo_verified(owner: User, moderator: User, **create) -> Likeness:
    """A likeness through the real path: a synthetic clip performing the challenge (scikit-image
    photographs, licensing.demo_media), a moderator's approval (clearing the demo's shared face),
    consent (as the guardian for a minor)."""
    from licensing.demo_media import liveness_clip

    likeness = services.likeness_create(owner=owner, **create)
    for attempt in range(8):
        v = services.verification_start(user=owner, likeness=likeness)
        clip = SimpleUploadedFile("demo.mp4", liveness_clip(tuple(v.challenge.split()), seed=attempt, comment=str(v.pk)), content_type="video/mp4")
        v = services.verification_submit(verification=v, user=owner, files=[clip])
        if v.status == "passed":
            break
    if v.status == "passed":
        services.verification_review(verification=v, moderator=moderator, approve=True, note="demo data", clear_match=True)
        doc = consent_document_current()
        services.consent_accept(user=owner, likeness=likeness, document_version=doc.version, ip_address="127.0.0.1", user_agent="seed_demo")
    return likeness


def seed_consent_and_representation_demo(users: dict) -> None:
    """An estate with accepted authority over the deceased astronaut's likeness; an agency managing
    a talent's likeness; a guardian with a minor's personal likeness shared with one named
    creator; an open misuse report. Idempotent."""
    from datetime import date

    from django.utils import timezone

    from accounts.models import Membership, Organisation
    from licensing.models import EstateAuthority, ManagementGrant, MisuseReport

    moderator = users["moderator@demo.rightscast.local"]
    executor = users["estate@demo.rightscast.local"]
    estate_org, _ = Organisation.objects.get_or_create(name="Estate of Eileen Collins (demo)", kind=Organisation.Kind.ESTATE)
    Membership.objects.get_or_create(user=executor, organisation=estate_org, defaults={"role": "owner"})
    deceased = Likeness.objects.filter(owner=executor).first()
    if deceased is not None and not EstateAuthority.objects.filter(likeness=deceased).exists():
        proof = SimpleUploadedFile("letters.pdf", b"%PDF-1.4\n% demo letters of administration\n", content_type="application/pdf")
        authority = services.estate_authority_submit(likeness=deceased, estate=estate_org, actor=executor, document=proof)
        services.estate_authority_review(authority=authority, moderator=moderator, accept=True, note="demo: letters of administration")

    talent, agent = users["talent@demo.rightscast.local"], users["agent@demo.rightscast.local"]
    agency, _ = Organisation.objects.get_or_create(name="Stars Agency (demo)", kind=Organisation.Kind.AGENCY)
    Membership.objects.get_or_create(user=agent, organisation=agency, defaults={"role": "owner"})
    managed = Likeness.objects.filter(owner=talent).first() or _demo_verified(
        talent, moderator, name="Ava Stone (demo)", bio="Managed by Stars Agency.", date_of_birth=date(1991, 4, 3)
    )
    if not ManagementGrant.objects.filter(likeness=managed, agency=agency, revoked_at__isnull=True).exists():
        services.management_grant(likeness=managed, talent=talent, agency=agency)

    guardian, creator = users["guardian@demo.rightscast.local"], users["creator@demo.rightscast.local"]
    if not Likeness.objects.filter(guardian=guardian).exists():
        today = timezone.now().date()
        ward = _demo_verified(
            guardian, moderator, name="Gina's son (demo, 12)", bio="A minor's personal likeness: only named family may use it.",
            date_of_birth=today.replace(year=today.year - 12, day=min(today.day, 28)), as_guardian=True, ward_email="son@demo.rightscast.local",
        )
        services.access_entry_set(holding=ward, actor=guardian, user=creator, kind="allow")
        if ward.consents.exists():
            services.licence_grant(holding=ward, actor=guardian, licensee=creator, commercial_use=False, generation_quota=5)

    # A second estate whose proof of authority waits for a moderator (the queue's open state).
    heir = users["heir@demo.rightscast.local"]
    archer_estate, _ = Organisation.objects.get_or_create(name="Estate of Sam Archer (demo)", kind=Organisation.Kind.ESTATE)
    Membership.objects.get_or_create(user=heir, organisation=archer_estate, defaults={"role": "owner"})
    if not EstateAuthority.objects.filter(estate=archer_estate).exists():
        archer = Likeness.objects.filter(owner=heir).first() or services.likeness_create(
            owner=heir, name="Sam Archer (demo)", bio="A late actor's likeness; the estate's proof is with a moderator.", date_of_birth=date(1931, 2, 2),
        )
        proof = SimpleUploadedFile("grant-of-probate.pdf", b"%PDF-1.4\n% demo grant of probate\n", content_type="application/pdf")
        services.estate_authority_submit(likeness=archer, estate=archer_estate, actor=heir, document=proof)

    if deceased is not None and not MisuseReport.objects.filter(likeness=deceased).exists():
        services.misuse_report_create(
            reporter=None, email="worried.fan@example.com", kind="my_likeness",
            description="An advert on a video site shows Eileen Collins endorsing a soft drink; is it licensed?",
            link="https://video.example.com/watch?v=demo", likeness=deceased,
        )


# --- money pages: an add-on's invoice, a taxed refund, a failed checkout refund: kept apart for merges ---

ADDON_OFFER = "Campaign with add-ons, 30 days"
DEMO_TAX_BPS = 2_000  # UK VAT's standard rate: what Stripe Tax would add to a UK brand's licence purchase
DEMO_BUYER_DETAILS = {
    "name": "Fizzly Drinks Ltd", "email": BRAND,
    "address": {"line1": "1 Bottling Lane", "city": "Bristol", "postal_code": "BS1 4DJ", "country": "GB"},
    "tax_ids": [{"type": "gb_vat", "value": "GB123456789"}],
}


def _demo_event(event_id: str, kind: str, obj: dict) -> dict:
    """A provider event in Stripe's shape, under an id derived from the row it is about (feeding it
    again is a duplicate delivery: nothing happens twice)."""
    import time

    return {"id": event_id, "object": "event", "type": kind, "created": int(time.time()), "data": {"object": obj}}


def seed_money_demo(users: dict) -> None:
    """Through the real services and the offline backend (no provider call leaves the machine):
    the brand buys a licence with add-ons and then 10 more generations and 7 more days (the add-on's
    own invoice); buys a licence whose checkout Stripe Tax taxed (20% VAT) and is refunded £60.00 of
    it by a moderator (of which tax £10.00); pays a campaign-style checkout of two licences one of
    which was cancelled meanwhile, whose refund of that line the provider fails every time (finance's
    "Failed checkout refunds" lists it, with a retry); pays another campaign checkout of two licences
    whose charge is partly disputed and lost, shared across them (finance's "Disputes of campaign
    checkouts"); and a licence revoked by its talent once its own term was spent, whose add-on's
    unused days come back pro rata. Idempotent: each part is made only when missing."""
    from marketplace.models import CheckoutBundle, LicenceAddOn, Order

    estate_lk = Likeness.objects.filter(owner=users[ESTATE], status="listed").first()
    if estate_lk is None:  # the estate's face check did not pass: nothing is for sale
        return
    brand, moderator = users[BRAND], users["moderator@demo.rightscast.local"]
    if not LicenceAddOn.objects.filter(buyer=brand, licence__order__offer__title=ADDON_OFFER).exists():
        _seed_paid_addon(brand, users[ESTATE], estate_lk)
    if not Order.objects.filter(buyer=brand, offer__title=REVOKED_ADDON_OFFER).exists():
        _seed_revoked_addon(brand, users[ESTATE], estate_lk)
    social = estate_lk.offers.get(title="Social campaign, 30 days")
    taxed = Order.objects.filter(buyer=brand, invoice__tax_minor__gt=0, bundle=None).first()
    if taxed is None:
        taxed = _seed_taxed_order(brand, social)
    if not taxed.refunds.exists():
        from marketplace.services import order_refund

        order_refund(order=taxed, actor=moderator, amount_minor=6_000, note="demo: the brand used only part of the campaign")
    addon = LicenceAddOn.objects.filter(buyer=brand, licence__order__offer__title=ADDON_OFFER, status=LicenceAddOn.Status.PAID).first()
    if addon is not None and not addon.refunds.exists():
        from marketplace.services import addon_refund

        addon_refund(addon=addon, actor=moderator, amount_minor=1_500, note="demo: 5 of the 10 extra generations went unused")
    bundle = CheckoutBundle.objects.filter(buyer=brand, refund_minor__gt=0).first()
    if bundle is None:
        bundle = _seed_refused_bundle(brand, social)
    if bundle is not None:
        _seed_bundle_refund_failures(bundle)
    from marketplace.models import Dispute

    if not Dispute.objects.filter(bundle__buyer=brand).exists():
        _seed_bundle_dispute(brand, social)


def _seed_paid_addon(brand: User, owner: User, likeness: Likeness) -> None:
    from marketplace import services as money
    from marketplace.services.addons import addon_create, offline_addon_complete

    offer = likeness.offers.filter(title=ADDON_OFFER).first() or money.offer_create(
        likeness=likeness, actor=owner, title=ADDON_OFFER, price_minor=20_000, currency="gbp", channels=["organic_social", "paid_social"],
        duration_days=30, generation_quota=10, addon_generation_price_minor=300, addon_day_price_minor=500,
    )
    order = _buy_paid(brand, offer)
    addon = addon_create(buyer=brand, licence=order.licence, generations=10, days=7)
    offline_addon_complete(addon=addon, buyer=brand, pay=True)



REVOKED_ADDON_OFFER = "Short campaign with extra days, 30 days"


def _seed_revoked_addon(brand: User, owner: User, likeness: Likeness) -> None:
    """A licence bought 33 days ago, extended by 10 days (£50.00) just before its own 30 ran out, and
    revoked now by its talent: its own term is spent (nothing back), 7 of the add-on's 10 days are
    unused, so £35.00 of the add-on comes back pro rata, with a credit note on its invoice. Bought
    with the clock set back, as the past sales are."""
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    from licensing.models import Licence
    from marketplace import services as money
    from marketplace.services.addons import addon_create, offline_addon_complete

    offer = likeness.offers.filter(title=REVOKED_ADDON_OFFER).first() or money.offer_create(
        likeness=likeness, actor=owner, title=REVOKED_ADDON_OFFER, price_minor=15_000, currency="gbp", channels=["organic_social"],
        duration_days=30, generation_quota=5, addon_day_price_minor=500,
    )
    real_now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=real_now - timedelta(days=33)):
        order = _buy_paid(brand, offer)
    with mock.patch("django.utils.timezone.now", return_value=real_now - timedelta(days=5)):
        addon = addon_create(buyer=brand, licence=order.licence, days=10)
        offline_addon_complete(addon=addon, buyer=brand, pay=True)
    licence = services.licence_revoke(licence=Licence.objects.get(pk=order.licence_id), actor=owner,
                                       reason="demo: the talent withdrew from short campaigns", notice_days=7)
    due = licence.refund_due
    money.revocation_refund_settle(refund_due_id=due.pk)  # as its task does on commit (once)


def _buy_paid(buyer: User, offer):
    from marketplace import services as money

    order = money.order_create(buyer=buyer, offer=offer)
    if order.status == "pending":
        order = money.offline_checkout_complete(order=order, buyer=buyer, pay=True)
    return order


def _seed_taxed_order(brand: User, offer):
    """The checkout.session.completed the offline page sends, with what Stripe Tax adds to it (the
    offline backend computes no tax): the tax in `total_details`, the total with it, the buyer's
    details; handled by the same door as Stripe's (booked to tax_collected, on the invoice)."""
    from marketplace.payments.offline import OfflineGateway
    from marketplace.services import order_create, payment_event_ingest

    order = order_create(buyer=brand, offer=offer)
    tax = order.amount_minor * DEMO_TAX_BPS // 10_000
    obj = OfflineGateway.completed_event(order=order)["data"]["object"]
    obj.update(
        amount_total=order.amount_minor + tax, customer_details=DEMO_BUYER_DETAILS,
        total_details={"amount_tax": tax, "breakdown": {"taxes": [
            {"amount": tax, "rate": {"display_name": "VAT", "percentage": DEMO_TAX_BPS / 100, "jurisdiction": "United Kingdom", "country": "GB"}},
        ]}},
    )
    payment_event_ingest(backend="offline", event=_demo_event(f"evt_offline_demo_taxed_{order.pk.hex}", "checkout.session.completed", obj))
    order.refresh_from_db()
    return order


def _seed_refused_bundle(brand: User, social):
    """Two licences in one checkout; one order cancelled while the checkout was open (as an order
    whose own checkout expired is), so paying grants one line and owes the other back."""
    from django.conf import settings

    from licensing.models import IPAsset
    from marketplace import services as money
    from marketplace.services import order_cancel

    comet = IPAsset.objects.filter(name="Captain Comet", status="listed").first()
    if comet is None:
        return None
    orders = [money.order_create(buyer=brand, offer=o, checkout=False)
              for o in (social, comet.offers.get(title="Character campaign, 30 days"))]
    bundle = money.bundle_checkout_create(buyer=brand, orders=orders, title="Fizzly summer campaign", return_url=settings.SITE_URL + "/")
    order_cancel(order_id=orders[1].pk, reason="demo: cancelled while the campaign checkout was open")
    return money.bundle_offline_complete(bundle=bundle, buyer=brand, pay=True)


def _seed_bundle_dispute(brand: User, social) -> None:
    """A second campaign checkout, both lines granted, whose card holder disputes £300.00 of the
    charge and the dispute is lost: the chargeback is shared across the two licences by what each was paid (the
    finance page's "Disputes of campaign checkouts", each receipt's "Charged back")."""
    from django.conf import settings

    from licensing.models import IPAsset
    from marketplace import services as money
    from marketplace.services import payment_event_ingest

    comet = IPAsset.objects.filter(name="Captain Comet", status="listed").first()
    if comet is None:
        return
    orders = [money.order_create(buyer=brand, offer=o, checkout=False)
              for o in (social, comet.offers.get(title="Character campaign, 30 days"))]
    bundle = money.bundle_checkout_create(buyer=brand, orders=orders, title="Fizzly autumn campaign", return_url=settings.SITE_URL + "/")
    bundle = money.bundle_offline_complete(bundle=bundle, buyer=brand, pay=True)
    if bundle.status != "paid" or not bundle.charge_id:
        return
    obj = {"id": f"du_demo_{bundle.pk.hex[:16]}", "object": "dispute", "amount": 30_000, "currency": bundle.currency,
           "charge": bundle.charge_id, "payment_intent": bundle.payment_intent_id, "reason": "product_unacceptable",
           "status": "needs_response"}
    payment_event_ingest(backend="offline", event=_demo_event(f"evt_offline_demo_{obj['id']}_created", "charge.dispute.created", obj))
    payment_event_ingest(backend="offline", event=_demo_event(f"evt_offline_demo_{obj['id']}_closed", "charge.dispute.closed",
                                                              {**obj, "status": "lost"}))


def _seed_bundle_refund_failures(bundle) -> None:
    """The provider fails the refund of the refused line every time it is asked (refund.failed, as
    Stripe sends it for a closed card), until the service gives up and finance has to act. Once
    that is so, or finance retried it since, nothing more."""
    from marketplace.services import payment_event_ingest
    from marketplace.services.bundles import bundle_refund_submit, refund_max_attempts

    for _ in range(refund_max_attempts()):
        bundle.refresh_from_db()
        if bundle.refund_gave_up_at or bundle.refund_attempts >= refund_max_attempts():  # (finance retried it since: left alone)
            return
        if not bundle.provider_refund_id:
            bundle_refund_submit(bundle_id=bundle.pk)
            bundle.refresh_from_db()
        refund_id = bundle.provider_refund_id
        if not refund_id:
            return
        obj = {"id": refund_id, "object": "refund", "status": "failed", "failure_reason": "expired_or_canceled_card",
               "amount": bundle.refund_minor, "currency": bundle.currency, "payment_intent": bundle.payment_intent_id,
               "metadata": {"bundle_id": str(bundle.pk), "attempt": str(bundle.refund_attempts + 1)}}
        payment_event_ingest(backend="offline", event=_demo_event(f"evt_offline_demo_{refund_id}_failed", "refund.failed", obj))
