"""A minor's likeness, played by the careless guardian and by the brand that wants it anyway."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import Membership, Organisation, User
from licensing import services as licensing
from licensing.models import AccessEntry, ConsentRecord, Likeness
from marketplace import services as market
from tests.factories import UserFactory, consent_document, licence_on, verified_likeness

pytestmark = pytest.mark.django_db


def twelve_years_ago() -> date:
    today = timezone.now().date()
    return today.replace(year=today.year - 12)


def refused(fn, **kwargs) -> str:
    with pytest.raises(DomainError) as exc:
        fn(**kwargs)
    return " ".join([exc.value.message, *exc.value.reasons])


@pytest.fixture
def ward():
    guardian = UserFactory(kind=User.Kind.TALENT)
    return verified_likeness(owner=guardian, name="Kid Star", date_of_birth=twelve_years_ago(), as_guardian=True, ward_email="kid@example.test")


def test_a_date_of_birth_is_required_and_a_minor_cannot_list_themselves(api, talent):
    assert "date of birth" in refused(licensing.likeness_create, owner=talent, name="No Birthday")
    api.force_authenticate(talent)
    r = api.post("/api/likenesses/", {"name": "No Birthday"}, format="json")
    assert r.status_code == 400 and "date_of_birth" in r.json(), r.json()
    assert not Likeness.objects.exists()
    # A 12-year-old signing up as talent and typing their real birthday is sent to their guardian.
    r = api.post("/api/likenesses/", {"name": "Me", "date_of_birth": twelve_years_ago().isoformat()}, format="json")
    assert r.status_code == 403 and "guardian" in r.json()["detail"]
    # An adult cannot be put under someone's "guardianship" to hide who controls it.
    assert "Only a minor" in refused(licensing.likeness_create, owner=talent, name="Adult", date_of_birth=date(1990, 1, 1), as_guardian=True)
    assert "future" in refused(licensing.likeness_create, owner=talent, name="Unborn", date_of_birth=timezone.now().date() + timedelta(days=3))


def test_the_guardian_consents_and_it_is_never_listed_or_offered(ward):
    guardian = ward.owner
    assert ward.guardian_id == guardian.pk and ward.permission_level == "approved"
    assert ConsentRecord.objects.filter(likeness=ward).values_list("role", flat=True).get() == "guardian"
    assert "never listed" in refused(licensing.likeness_publish, likeness=ward, actor=guardian)
    for commercial in (True, False):
        assert "minor" in refused(
            market.offer_create, likeness=ward, actor=guardian, title="Free fan art", price_minor=0, currency="gbp", commercial_use=commercial
        )
    ward.refresh_from_db()
    assert ward.status == "draft"


def test_the_reported_attack_a_brand_with_a_paid_social_brief_is_refused(ward, settings):
    """The child's likeness, free and non-commercial, taken by a brand for a 'paid social ad'."""
    settings.CONTENT_SCREENING_SEMANTIC = False
    guardian = ward.owner
    brand_user = UserFactory(kind=User.Kind.BRAND)
    org = Organisation.objects.create(name="Fizz", kind=Organisation.Kind.BRAND, category="soft drinks", verified_at=timezone.now())
    Membership.objects.create(user=brand_user, organisation=org)
    # The careless guardian even names the brand's buyer on the allow list.
    licensing.access_entry_set(holding=ward, actor=guardian, user=brand_user, kind="allow")
    why = refused(licensing.licence_grant, holding=ward, actor=guardian, licensee=brand_user, commercial_use=False)
    assert "never licensed to a brand" in why
    # A creator who then works for a brand: same answer. A creator account in a studio, too.
    creator_in_studio = UserFactory(kind=User.Kind.CREATOR)
    Membership.objects.create(user=creator_in_studio, organisation=Organisation.objects.create(name="S", kind="studio"))
    licensing.access_entry_set(holding=ward, actor=guardian, user=creator_in_studio, kind="allow")
    assert "brand or a studio" in refused(licensing.licence_grant, holding=ward, actor=guardian, licensee=creator_in_studio, commercial_use=False)
    # Suppose a licence exists anyway (written before these rules, or by hand): every brief is refused.
    lic = licence_on(ward, licensee=brand_user, commercial_use=False)
    for channel in ("paid_social", None):
        decision = licensing.policy_evaluate(licences=[lic], requester=brand_user, prompt="paid social ad with the kid holding our can", channel=channel)
        assert not decision.allowed
        assert any("never used by a brand" in r for r in decision.reasons)
    assert any("commercial" in r for r in licensing.policy_evaluate(
        licences=[lic], requester=brand_user, prompt="ad", channel="paid_social").reasons)


def test_only_people_the_guardian_names_use_it_personally(ward, settings):
    settings.CONTENT_SCREENING_SEMANTIC = False
    guardian = ward.owner
    grandma = UserFactory(kind=User.Kind.CREATOR)
    stranger = UserFactory(kind=User.Kind.CREATOR)
    assert "only people the guardian named" in refused(licensing.licence_grant, holding=ward, actor=guardian, licensee=stranger, commercial_use=False)
    licensing.access_entry_set(holding=ward, actor=guardian, user=grandma, kind="allow")
    assert "commercially" in refused(licensing.licence_grant, holding=ward, actor=guardian, licensee=grandma, commercial_use=True)
    assert "AI training" in refused(licensing.licence_grant, holding=ward, actor=guardian, licensee=grandma, commercial_use=False, ai_training=True)
    lic = licensing.licence_grant(holding=ward, actor=guardian, licensee=grandma, commercial_use=False)
    assert licensing.policy_evaluate(licences=[lic], requester=grandma, prompt="a birthday card with a cake").allowed
    # A paid channel is commercial whatever the licence says.
    assert not licensing.policy_evaluate(licences=[lic], requester=grandma, prompt="a birthday card", channel="paid_social").allowed
    # Taken off the list: refused at the next brief.
    licensing.access_entry_remove(holding=ward, actor=guardian, user=grandma)
    assert not licensing.policy_evaluate(licences=[lic], requester=grandma, prompt="a birthday card with a cake").allowed
    # The guardian cannot open it to everyone or to brands.
    for level in ("everyone", "verified_brands"):
        assert "names" in refused(licensing.controls_update, holding=ward, actor=guardian, permission_level=level)


def test_no_category_is_relaxable_for_a_minor_at_either_layer(ward, settings):
    settings.CONTENT_SCREENING_SEMANTIC = False
    guardian = ward.owner
    for category in ("sexual", "violence"):
        assert "relaxed" in refused(licensing.controls_update, holding=ward, actor=guardian, allowed_categories=[category])
    named = UserFactory(kind=User.Kind.CREATOR)
    licensing.access_entry_set(holding=ward, actor=guardian, user=named, kind="allow")
    lic = licensing.licence_grant(holding=ward, actor=guardian, licensee=named, commercial_use=False)
    # Even if the stored controls say otherwise (an old row, a bug elsewhere), the evaluation ignores them.
    Likeness.objects.filter(pk=ward.pk).update(allowed_categories=["sexual"])
    decision = licensing.policy_evaluate(licences=[lic], requester=named, prompt="nude photo of her")
    assert not decision.allowed and any("sexual" in r.lower() for r in decision.reasons), decision.reasons


def test_at_18_the_person_is_asked_to_take_over_and_until_then_nothing_changes(ward):
    guardian = ward.owner
    eighteenth = ward.date_of_birth.replace(year=ward.date_of_birth.year + 18)
    assert licensing.minors_coming_of_age(today=eighteenth - timedelta(days=1)) == []
    assert [x.pk for x in licensing.minors_coming_of_age(today=eighteenth)] == [ward.pk]
    assert licensing.minors_coming_of_age(today=eighteenth) == []  # asked once
    ward.refresh_from_db()
    assert ward.takeover_requested_at and ward.guardian_id == guardian.pk and licensing.is_ward(ward)  # nothing changed
    assert "never listed" in refused(licensing.likeness_publish, likeness=ward, actor=guardian)

    token = licensing.takeover_token(ward)
    impostor = UserFactory(kind=User.Kind.TALENT)
    assert "verified e-mail" in refused(licensing.likeness_take_over, likeness=ward, user=impostor, token=token)
    assert "guardian cannot" in refused(licensing.likeness_take_over, likeness=ward, user=guardian, token=token)
    adult = UserFactory(kind=User.Kind.TALENT, email="kid@example.test")
    assert "not valid" in refused(licensing.likeness_take_over, likeness=ward, user=adult, token=token + "x")
    ward = licensing.likeness_take_over(likeness=ward, user=adult, token=token)
    assert ward.owner_id == adult.pk and ward.guardian_id is None
    # The guardian's consent no longer counts: the adult consents for themselves.
    from licensing.selectors import consent_current_for

    assert not consent_current_for(ward)
    licensing.consent_accept(user=adult, likeness=ward, document_version=consent_document().version, ip_address=None, user_agent="t")
    assert consent_current_for(ward)
    assert not AccessEntry.objects.filter(likeness=ward, kind="deny").exists()


def test_a_guardian_creates_it_in_the_browser_and_a_missing_birthday_keeps_the_form(client):
    guardian = UserFactory(kind=User.Kind.TALENT)
    client.force_login(guardian)
    r = client.post("/talent/likenesses/new/", {"name": "Kid", "bio": "my son"})
    assert r.status_code == 400 and b"This field is required" in r.content and b'value="Kid"' in r.content
    r = client.post("/talent/likenesses/new/", {"name": "Kid", "date_of_birth": twelve_years_ago().isoformat()})
    assert r.status_code == 403 and b"guardian" in r.content and b'value="Kid"' in r.content
    r = client.post("/talent/likenesses/new/", {"name": "Kid", "date_of_birth": twelve_years_ago().isoformat(), "as_guardian": "on"})
    assert r.status_code == 302
    page = client.get(r["Location"])
    assert b"never listed publicly" in page.content
