"""factory_boy factories, and builders that take the real service paths (verification with a
real photo, consent, offers, purchase) so tests exercise what users do."""
import io
from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from licensing import services as licensing
from licensing.consent_text import CONSENT_TEXT, CONSENT_TITLE
from licensing.selectors import consent_document_current

PASSWORD = "pw-for-tests-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    display_name = factory.Faker("name")
    kind = User.Kind.BRAND
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def face_png(size: int = 512) -> bytes:
    from PIL import Image
    from skimage import data

    img = Image.fromarray(data.astronaut())
    if size != 512:
        img = img.resize((size, size))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def noise_png(size: int = 256, seed: int = 0) -> bytes:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (size, size, 3), dtype=np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


from licensing.demo_media import _jittered, clip_mp4, liveness_clip, pose_frames  # noqa: E402,F401


def challenge_of(verification) -> tuple:
    return tuple(verification.challenge.split())


_READABLE_SEED: dict = {}


def readable_clip(sequence, *, comment: str = "") -> bytes:
    """A synthetic clip of `sequence` that the Haar cascades read as performed (they miss some
    synthetic profile frames; a person would simply record again). `comment` makes each
    recording's bytes its own, and it changes what x264 writes, so the very bytes returned are
    checked: the seed that last worked for the sequence is tried first, then the others."""
    from accounts.uploads import read_media_upload
    from licensing import faces
    from licensing.services.verification import MAX_CLIP_FRAMES

    sequence = tuple(sequence)
    first = _READABLE_SEED.get(sequence, 0)
    for seed in [first] + [s for s in range(16) if s != first]:
        data = liveness_clip(sequence, seed=seed, comment=comment)
        frames, _ = read_media_upload(upload("c.mp4", data, "video/mp4"), max_frames=MAX_CLIP_FRAMES)
        if faces.check_sequence(frames, sequence).passed:
            _READABLE_SEED[sequence] = seed
            return data
    raise AssertionError(f"no synthetic clip of {sequence} reads as performed")


def clip_upload(verification):
    """A clip performing this verification's challenge (a recording of its own)."""
    return upload("me.mp4", readable_clip(challenge_of(verification), comment=str(verification.pk)), "video/mp4")


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def consent_document():
    return consent_document_current() or licensing.consent_document_publish(title=CONSENT_TITLE, text=CONSENT_TEXT)


ADULT_DOB = date(1990, 5, 17)


def moderator() -> User:
    return User.objects.filter(kind=User.Kind.MODERATOR).first() or UserFactory(kind=User.Kind.MODERATOR)


def verified_likeness(*, owner: User | None = None, name: str = "Test Talent", approve: bool = True, date_of_birth=ADULT_DOB, **create):
    """A likeness through creation (with a date of birth), a real photo through verification,
    consent, and (unless told not) a moderator's approval of the verification."""
    owner = owner or UserFactory(kind=User.Kind.TALENT)
    likeness = licensing.likeness_create(owner=owner, name=name, date_of_birth=date_of_birth, **create)
    v = licensing.verification_start(user=owner, likeness=likeness)
    v = licensing.verification_submit(verification=v, user=owner, files=[clip_upload(v)])
    assert v.status == "passed", v.failure_reason
    if approve:
        # Every test talent wears the same photographed face: the moderator clears the match.
        licensing.verification_review(verification=v, moderator=moderator(), approve=True, note="matches the date of birth", clear_match=True)
    doc = consent_document()
    licensing.consent_accept(user=owner, likeness=likeness, document_version=doc.version, ip_address="127.0.0.1", user_agent="tests")
    likeness.refresh_from_db()
    return likeness


def listed_likeness(*, owner: User | None = None, name: str = "Test Talent", price_minor: int = 10_000, quota: int = 5):
    """A likeness that went through verification (a real photo with a face), consent, an offer
    and publishing. Returns (likeness, offer)."""
    owner = owner or UserFactory(kind=User.Kind.TALENT)
    likeness = verified_likeness(owner=owner, name=name)
    from marketplace import services as market

    offer = market.offer_create(
        likeness=likeness, actor=owner, title="Campaign", price_minor=price_minor, currency="gbp", generation_quota=quota
    )
    likeness = licensing.likeness_publish(likeness=likeness, actor=owner)
    return likeness, offer


def active_licence(*, buyer: User | None = None, **kwargs):
    """A licence bought through the offline backend. Returns (licence, order, offer)."""
    from marketplace import services as market

    buyer = buyer or UserFactory(kind=User.Kind.BRAND)
    likeness, offer = listed_likeness(**kwargs)
    order = market.order_create(buyer=buyer, offer=offer)
    if order.status != "paid":
        order = market.offline_checkout_complete(order=order, buyer=buyer, pay=True)
    order.licence.refresh_from_db()
    return order.licence, order, offer


def studio_with_asset(*, name: str = "Captain Comet", opted_in: bool = True, **controls):
    """A studio organisation, a member, and a character it owns (opted in unless told not)."""
    from accounts.models import Membership, Organisation

    member = UserFactory(kind=User.Kind.STUDIO)
    studio = Organisation.objects.create(name="Comet Studios", kind=Organisation.Kind.STUDIO)
    Membership.objects.create(user=member, organisation=studio, role=Membership.Role.OWNER)
    asset = licensing.ip_asset_create(studio=studio, actor=member, kind="character", name=name)
    if controls:
        asset = licensing.controls_update(holding=asset, actor=member, **controls)
    if opted_in:
        asset = licensing.ip_asset_opt_in(asset=asset, actor=member)
    return asset, member


def licence_on(holding, *, licensee: User, **terms):
    """An active licence on any holding, granted directly (as a free offer would)."""
    from licensing.models import Licence, Likeness

    kind = {"likeness": holding} if isinstance(holding, Likeness) else {"ip_asset": holding}
    lic = licensing.licence_create(licensee=licensee, terms=licensing.terms_create(**terms), **kind)
    return licensing.licence_transition(licence=lic, to=Licence.Status.ACTIVE, actor=None, reason="granted in a test")


def published_likeness(*, owner: User | None = None, name: str = "Test Talent"):
    """A verified, consented, listed likeness (no offer: the rights core alone)."""
    likeness = verified_likeness(owner=owner, name=name)
    return licensing.likeness_publish(likeness=likeness, actor=likeness.owner)


def granted_licence(*, licensee: User | None = None, quota: int = 5, **terms):
    """An active licence on a fresh published likeness, granted without the marketplace."""
    licensee = licensee or UserFactory(kind=User.Kind.BRAND)
    return licence_on(published_likeness(), licensee=licensee, generation_quota=quota, **terms)
