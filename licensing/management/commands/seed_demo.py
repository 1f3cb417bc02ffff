"""Demo data for the embedded default: a consent document, demo users with verified e-mail, and
one likeness already verified (through the real liveness path, on a photo scikit-image ships),
consented, listed and on offer. Safe to run again: it adds what is missing."""
import io

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
    ("studio@demo.rightscast.local", "Comet Studios", User.Kind.STUDIO),
    ("moderator@demo.rightscast.local", "Mo Derator", User.Kind.MODERATOR),
    ("agent@demo.rightscast.local", "Andy Agent (Stars Agency)", User.Kind.TALENT),
    ("guardian@demo.rightscast.local", "Gina Guardian", User.Kind.TALENT),
]


def demo_face_png() -> bytes:
    """A real photograph with a face that ships inside scikit-image (no download)."""
    from PIL import Image
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buf, format="PNG")
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
    help = "Create demo users and a listed demo likeness (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            if consent_document_current() is None:
                services.consent_document_publish(title=CONSENT_TITLE, text=CONSENT_TEXT)
            users = {email: ensure_user(email, name, kind) for email, name, kind in DEMO_USERS}
        estate = users["estate@demo.rightscast.local"]
        if not Likeness.objects.filter(owner=estate).exists():
            self._listed_likeness(estate)
        self._organisations(users)
        seed_consent_and_representation_demo(users)
        self.stdout.write("Demo logins (password for all: %s):" % DEMO_PASSWORD)
        for email, name, kind in DEMO_USERS:
            self.stdout.write(f"  {kind:<9} {email}")

    def _organisations(self, users: dict) -> None:
        """A verified brand (soft drinks) and a studio with one opted-in character."""
        from django.utils import timezone

        from accounts.models import Membership, Organisation
        from licensing.models import IPAsset

        brand_org, _ = Organisation.objects.get_or_create(
            name="Fizzly Drinks", kind=Organisation.Kind.BRAND, defaults={"category": "soft drinks", "verified_at": timezone.now()}
        )
        Membership.objects.get_or_create(user=users["brand@demo.rightscast.local"], organisation=brand_org, defaults={"role": "owner"})
        studio_org, _ = Organisation.objects.get_or_create(name="Comet Studios", kind=Organisation.Kind.STUDIO)
        member = users["studio@demo.rightscast.local"]
        Membership.objects.get_or_create(user=member, organisation=studio_org, defaults={"role": "owner"})
        if not IPAsset.objects.filter(studio=studio_org).exists():
            asset = services.ip_asset_create(studio=studio_org, actor=member, kind="character", name="Captain Comet", description="A demo space hero.")
            services.ip_asset_opt_in(asset=asset, actor=member)

    def _listed_likeness(self, owner: User) -> None:
        from datetime import date

        from marketplace.services import offer_create

        likeness = services.likeness_create(
            owner=owner, name="Eileen Collins (demo)", bio="Demo likeness, verified from a photo that ships with scikit-image.",
            date_of_birth=date(1956, 11, 19),
        )
        from licensing.demo_media import liveness_clip

        for attempt in range(5):  # a synthetic clip performing the challenge (licensing.demo_media)
            v = services.verification_start(user=owner, likeness=likeness)
            clip = SimpleUploadedFile("demo.mp4", liveness_clip(tuple(v.challenge.split()), seed=attempt), content_type="video/mp4")
            v = services.verification_submit(verification=v, user=owner, files=[clip])
            if v.status == "passed":
                break
        moderator = User.objects.filter(kind=User.Kind.MODERATOR).first()
        services.verification_review(
            verification=v, moderator=moderator, approve=True, note="demo data: clip and date of birth checked", clear_match=True
        )
        doc = consent_document_current()
        services.consent_accept(user=owner, likeness=likeness, document_version=doc.version, ip_address="127.0.0.1", user_agent="seed_demo")
        offer_create(
            likeness=likeness, actor=owner, title="Social campaign, 30 days", price_minor=25000, currency="gbp",
            channels=["organic_social", "paid_social"], duration_days=30, generation_quota=20,
        )
        services.likeness_publish(likeness=likeness, actor=owner)


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

    if deceased is not None and not MisuseReport.objects.filter(likeness=deceased).exists():
        services.misuse_report_create(
            reporter=None, email="worried.fan@example.com", kind="my_likeness",
            description="An advert on a video site shows Eileen Collins endorsing a soft drink; is it licensed?",
            link="https://video.example.com/watch?v=demo", likeness=deceased,
        )
