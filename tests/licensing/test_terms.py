"""Terms that always hold: channels and territories, exclusivity, sublicensing and AI training
set on offers, and remixes that answer to their parent's holders."""
import pytest
from django.utils import timezone

from accounts.errors import DomainError, NotFound
from accounts.models import Membership, Organisation, User
from generation import services as gen
from generation.models import Brief
from licensing import services as licensing
from licensing.selectors import ai_training_allowed
from marketplace import services as market
from tests.factories import UserFactory, licence_on, published_likeness, verified_likeness

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lexical(settings):
    settings.CONTENT_SCREENING_SEMANTIC = False


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks, builtin_model):
    def submit(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return gen.brief_submit(**kwargs)
    return submit


def refused(fn, **kwargs) -> str:
    with pytest.raises(DomainError) as exc:
        fn(**kwargs)
    return " ".join([exc.value.message, *exc.value.reasons])


def brand_in(category: str, name: str) -> User:
    user = UserFactory(kind=User.Kind.BRAND)
    org = Organisation.objects.create(name=name, kind="brand", category=category, verified_at=timezone.now())
    Membership.objects.create(user=user, organisation=org)
    return user


def test_a_brief_under_a_restricted_licence_must_state_channel_and_territory(api, client):
    brand = UserFactory(kind=User.Kind.BRAND)
    lic = licence_on(published_likeness(), licensee=brand, channels=["paid_social"], territories=["GB"])
    ask = dict(requester=brand, licence_id=lic.pk, prompt="a portrait")
    assert "channel" in refused(gen.brief_submit, **ask)
    assert "territor" in refused(gen.brief_submit, channel="paid_social", **ask)
    assert "channel" in refused(gen.brief_submit, channel="tv", territory="GB", **ask)
    assert "territor" in refused(gen.brief_submit, channel="paid_social", territory="US", **ask)
    assert not Brief.objects.exists()  # nothing half-written
    api.force_authenticate(brand)
    r = api.post("/api/briefs/", {"licence_id": str(lic.pk), "prompt": "a portrait"}, format="json")
    assert r.status_code == 400 and "paid_social" in r.json()["detail"]
    # The policy engine says the same if asked directly (a re-check at job start, another caller).
    decision = licensing.policy_evaluate(licences=[lic], requester=brand, prompt="a portrait")
    assert not decision.allowed and any("state the channel" in r for r in decision.reasons)
    # The brief form offers only what the licence allows.
    client.force_login(brand)
    page = client.get(f"/licences/{lic.pk}/brief/").content.decode()
    assert 'value="paid_social"' in page and 'value="tv"' not in page and 'value="GB"' in page
    assert licensing.policy_evaluate(licences=[lic], requester=brand, prompt="a portrait", channel="paid_social", territory="gb").allowed


def test_offers_keep_exclusivity_sublicensing_and_ai_training(api, client):
    likeness = verified_likeness()
    api.force_authenticate(likeness.owner)
    r = api.post(
        f"/api/likenesses/{likeness.pk}/offers/",
        {"title": "Exclusive", "price_minor": 1000, "currency": "gbp", "exclusivity_category": "Soft drinks", "sublicensable": True, "ai_training": True},
        format="json",
    )
    assert r.status_code == 201, r.content
    terms = r.json()["terms"]
    assert terms["exclusivity_category"] == "Soft drinks" and terms["sublicensable"] and terms["ai_training"]
    client.force_login(likeness.owner)
    r = client.post(
        f"/talent/likenesses/{likeness.pk}/offers/",
        {"title": "Browser", "price": "10", "currency": "gbp", "duration_days": "30", "generation_quota": "3", "commercial_use": "on",
         "channels": ["paid_social"], "territories": ["GB", "IE"], "exclusivity_category": "Trainers", "sublicensable": "on",
         "derivatives": "none", "revenue_policy": "relative"},
    )
    assert r.status_code == 302, r.content
    offer = likeness.offers.get(title="Browser")
    assert (offer.terms.exclusivity_category, offer.terms.sublicensable, offer.terms.ai_training) == ("Trainers", True, False)
    assert offer.terms.territories == ["GB", "IE"]


def test_exclusivity_refuses_competitors_however_they_spell_the_market(run_jobs):
    likeness = published_likeness()
    fizz, pop = brand_in("Soft drinks", "Fizz"), brand_in("soft-DRINKS ", "Pop")
    early = licence_on(likeness, licensee=pop)  # Pop licensed it before anyone was exclusive
    # Exclusivity cannot be sold over a competitor's running licence…
    assert "another brand in that market" in refused(licensing.licence_grant, holding=likeness, actor=likeness.owner, licensee=fizz, exclusivity_category="soft drinks")
    licensing.licence_revoke(licence=early, actor=likeness.owner, reason="ended by agreement")
    exclusive = licensing.licence_grant(holding=likeness, actor=likeness.owner, licensee=fizz, exclusivity_category="soft drinks")
    # …and once sold, no competitor gets a licence in that market for the term, however it is spelt.
    assert "exclusively" in refused(licensing.licence_grant, holding=likeness, actor=likeness.owner, licensee=pop)
    assert "exclusively" in refused(licensing.licence_create, likeness=likeness, licensee=pop, terms=licensing.terms_create())
    offer = market.offer_create(likeness=likeness, actor=likeness.owner, title="Open", price_minor=0, currency="gbp")
    assert "exclusively" in refused(market.order_create, buyer=pop, offer=offer)
    # A brand in another market is fine.
    shoes = brand_in("trainers", "Kicks")
    assert licensing.licence_grant(holding=likeness, actor=likeness.owner, licensee=shoes).status == "active"
    assert exclusive.status == "active"


def test_ai_training_is_off_unless_every_licence_allows_it():
    brand = UserFactory()
    likeness = published_likeness()
    off = licence_on(likeness, licensee=brand)
    on = licence_on(published_likeness(), licensee=brand, ai_training=True)
    assert ai_training_allowed([on]) and not ai_training_allowed([off]) and not ai_training_allowed([on, off])
    assert "Not for AI training." in off.terms.plain_language()


def test_a_remix_parent_must_be_visible_to_the_remixer(run_jobs):
    likeness = published_likeness()
    maker, remixer = UserFactory(kind=User.Kind.CREATOR), UserFactory(kind=User.Kind.CREATOR)
    parent = run_jobs(requester=maker, licence_id=licence_on(likeness, licensee=maker, derivatives="allowed", commercial_use=False).pk, prompt="an original")
    mine = licence_on(likeness, licensee=remixer, commercial_use=False)
    # Someone who learnt the id of an unpublished output cannot remix it.
    with pytest.raises(NotFound):
        gen.brief_submit(requester=remixer, licence_id=mine.pk, prompt="a remix", parent_brief_id=parent.pk)
    with pytest.raises(DomainError):
        gen.output_publish(job=parent.job, actor=remixer)  # only its maker publishes it
    gen.output_publish(job=parent.job, actor=maker)
    assert gen.brief_submit(requester=remixer, licence_id=mine.pk, prompt="a remix", parent_brief_id=parent.pk).status == "accepted"
    gen.output_publish(job=parent.job, actor=maker, published=False)
    with pytest.raises(NotFound):
        gen.brief_submit(requester=remixer, licence_id=mine.pk, prompt="another remix", parent_brief_id=parent.pk)


def test_the_parents_holders_rules_apply_to_the_remix(run_jobs):
    """A remixer who holds no licence on the parent's likeness (they remix with a character) is
    still bound by what that likeness's talent says."""
    from tests.factories import studio_with_asset

    likeness = published_likeness()
    talent = likeness.owner
    maker, remixer = UserFactory(kind=User.Kind.CREATOR), UserFactory(kind=User.Kind.CREATOR)
    parent = run_jobs(requester=maker, licence_id=licence_on(likeness, licensee=maker, derivatives="allowed", commercial_use=False).pk, prompt="an original")
    gen.output_publish(job=parent.job, actor=maker)
    asset, _ = studio_with_asset()
    char = licence_on(asset, licensee=remixer, commercial_use=False)
    ask = dict(requester=remixer, licence_id=char.pk, prompt="the character meets them", parent_brief_id=parent.pk)
    # Deny list.
    licensing.access_entry_set(holding=likeness, actor=talent, user=remixer, kind="deny")
    assert "does not allow you" in refused(gen.brief_submit, **ask)
    licensing.access_entry_remove(holding=likeness, actor=talent, user=remixer)
    # Permission level: people I approve.
    licensing.controls_update(holding=likeness, actor=talent, permission_level="approved")
    assert "does not allow you" in refused(gen.brief_submit, **ask)
    licensing.access_entry_set(holding=likeness, actor=talent, user=remixer, kind="allow")
    # Approval before generation: the remix waits for the parent's talent.
    licensing.controls_update(holding=likeness, actor=talent, require_brief_approval=True)
    brief = gen.brief_submit(**ask)
    assert brief.status == "awaiting_approval"
    from licensing.models import Approval

    assert Approval.objects.filter(reference=str(brief.pk), likeness=likeness, status="pending").exists()
