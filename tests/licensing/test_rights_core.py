"""The rights core end to end through the services: who may use a likeness, content rules,
approvals, revocation, takedown, consent withdrawal, moderation, multi-party works and remixes."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.errors import Conflict, DomainError
from accounts.models import Membership, Organisation, User
from generation import services as gen
from generation.models import Brief, GenerationJob
from licensing import services as licensing
from licensing.models import Approval, Licence, RefundDue, UsageRecord, Verification
from tests.factories import UserFactory, granted_licence, licence_on, published_likeness, studio_with_asset, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks, builtin_model):
    """Run what is queued after commit (the job, inline in tests)."""
    def submit(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return gen.brief_submit(**kwargs)
    return submit


def refused(fn, **kwargs):
    with pytest.raises(DomainError) as exc:
        fn(**kwargs)
    return " ".join([exc.value.message, *exc.value.reasons])


# --- who may use it ---------------------------------------------------------------------------

def test_permission_levels_and_lists(run_jobs):
    licence = granted_licence()
    likeness, talent, brand = licence.likeness, licence.likeness.owner, licence.licensee
    ask = dict(requester=brand, licence_id=licence.pk, prompt="a portrait")

    licensing.controls_update(holding=likeness, actor=talent, permission_level="approved")
    assert "does not allow you" in refused(gen.brief_submit, **ask)

    req = licensing.use_request_create(likeness=likeness, requester=brand, message="Summer campaign")
    with pytest.raises(Conflict):
        licensing.use_request_create(likeness=likeness, requester=brand)
    licensing.use_request_decide(request=req, actor=talent, approve=True)
    assert run_jobs(**ask).status == "accepted"

    licensing.access_entry_set(holding=likeness, actor=talent, user=brand, kind="deny")
    assert "does not allow you" in refused(gen.brief_submit, **ask)
    licensing.access_entry_remove(holding=likeness, actor=talent, user=brand)

    licensing.controls_update(holding=likeness, actor=talent, permission_level="verified_brands")
    assert "does not allow you" in refused(gen.brief_submit, **ask)
    org = Organisation.objects.create(name="Fizz", kind="brand", verified_at=timezone.now())
    Membership.objects.create(user=brand, organisation=org)
    assert run_jobs(**ask).status == "accepted"

    licensing.controls_update(holding=likeness, actor=talent, permission_level="only_me")
    assert "does not allow you" in refused(gen.brief_submit, **ask)


def test_widening_needs_a_fresh_verification():
    likeness = published_likeness()
    Verification.objects.filter(likeness=likeness).update(completed_at=timezone.now() - timedelta(hours=2))
    licensing.controls_update(holding=likeness, actor=likeness.owner, permission_level="approved")  # narrowing is fine
    with pytest.raises(Conflict) as exc:
        licensing.controls_update(holding=likeness, actor=likeness.owner, permission_level="everyone")
    assert exc.value.code == "reverify"
    with pytest.raises(Conflict):
        licensing.controls_update(holding=likeness, actor=likeness.owner, allowed_categories=["violence"])


def test_content_rules_refuse_without_showing_the_holders_words(run_jobs):
    import json

    from licensing.models import ScreeningRefusal
    from licensing.selectors import screening_refusals_for_holder

    licence = granted_licence()
    talent = licence.likeness.owner
    licensing.controls_update(holding=licence.likeness, actor=talent, blocked_words=["motorbike"], content_rules=["no alcohol"])
    ask = dict(requester=licence.licensee, licence_id=licence.pk)
    told = refused(gen.brief_submit, prompt="riding a m0t0rbike", **ask)
    assert "a rule of the rights holder" in told and "motorbike" not in told.lower()
    told = refused(gen.brief_submit, prompt="holding a pint of beer in a pub", **ask)
    assert "a rule of the rights holder" in told and "alcohol" not in told.lower()
    assert "violence" in refused(gen.brief_submit, prompt="stabbing a man with a knife", **ask)
    assert run_jobs(prompt="drinking orange juice on a beach", **ask).status == "accepted"
    # Refusals are recorded; what the requester can read (the decision) holds no private words
    briefs = list(Brief.objects.filter(status="refused"))
    assert len(briefs) == 3
    for b in briefs:
        assert "motorbike" not in json.dumps(b.decision).lower() and "alcohol" not in json.dumps(b.decision).lower()
    # the talent reads the exact rule in their every-use view; the brand never does
    refs = [str(b.pk) for b in briefs]
    mine = " ".join(sum(screening_refusals_for_holder(user=talent, references=refs).values(), []))
    assert "motorbike" in mine and "no alcohol" in mine and "violence" in mine
    assert screening_refusals_for_holder(user=licence.licensee, references=refs) == {}
    assert {"holder_rule", "violence"} <= set(ScreeningRefusal.objects.values_list("category", flat=True))


def test_a_talent_can_relax_a_category_but_a_buyer_never_can(run_jobs):
    licence = granted_licence()
    ask = dict(requester=licence.licensee, licence_id=licence.pk, prompt="him beaten up in an alley, bruised and bloodied")
    assert "violence" in refused(gen.brief_submit, **ask)
    with pytest.raises(DomainError):
        licensing.controls_update(holding=licence.likeness, actor=licence.licensee, allowed_categories=["violence"])
    licensing.controls_update(holding=licence.likeness, actor=licence.likeness.owner, allowed_categories=["violence"])
    assert run_jobs(**ask).status == "accepted"


def test_minors_cannot_be_used_commercially():
    licence = granted_licence()
    licensing.likeness_details_update(likeness=licence.likeness, actor=licence.likeness.owner, date_of_birth=date.today() - timedelta(days=365 * 15))
    assert "under 18" in refused(gen.brief_submit, requester=licence.licensee, licence_id=licence.pk, prompt="a portrait")


def test_exclusivity_keeps_competitors_out():
    likeness = published_likeness()
    first, second = UserFactory(), UserFactory()
    for user, name in ((first, "Fizz"), (second, "Pop")):
        org = Organisation.objects.create(name=name, kind="brand", category="Soft drinks")
        Membership.objects.create(user=user, organisation=org)
    licence_on(likeness, licensee=first, exclusivity_category="soft drinks")
    theirs = licence_on(likeness, licensee=second)
    assert "exclusively to another brand" in refused(gen.brief_submit, requester=second, licence_id=theirs.pk, prompt="a portrait")


# --- approvals ----------------------------------------------------------------------------------

def test_brief_approval_then_output_approval(run_jobs, client, django_capture_on_commit_callbacks):
    licence = granted_licence()
    talent, brand = licence.likeness.owner, licence.licensee
    licensing.controls_update(holding=licence.likeness, actor=talent, require_brief_approval=True, require_output_approval=True)
    brief = run_jobs(requester=brand, licence_id=licence.pk, prompt="a portrait at dusk")
    assert brief.status == "awaiting_approval"
    licence.refresh_from_db()
    assert licence.quota_used == 0 and not GenerationJob.objects.exists()

    approval = Approval.objects.get(reference=str(brief.pk), kind="brief")
    with pytest.raises(DomainError):
        gen.approval_decide(approval=approval, actor=brand, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        brief_after = _decide(approval, talent, True)
    assert brief_after.status == "accepted"
    job = GenerationJob.objects.get(brief=brief)
    assert job.status == "awaiting_approval"
    client.force_login(brand)
    assert client.get(f"/api/jobs/{job.pk}/output/").status_code == 404  # not released yet
    client.force_login(talent)
    assert client.get(f"/api/jobs/{job.pk}/output/").status_code == 200  # the holder reviews it

    out = Approval.objects.get(reference=str(brief.pk), kind="output")
    gen.approval_decide(approval=out, actor=talent, approve=True)
    job.refresh_from_db()
    assert job.status == "released"
    client.force_login(brand)
    assert client.get(f"/api/jobs/{job.pk}/output/").status_code == 200


def _decide(approval, actor, approve):
    gen.approval_decide(approval=approval, actor=actor, approve=approve)
    return Brief.objects.get(pk=approval.reference)


def test_rejected_output_is_quarantined_and_lapsed_brief_ends(run_jobs, django_capture_on_commit_callbacks):
    licence = granted_licence()
    talent = licence.likeness.owner
    licensing.controls_update(holding=licence.likeness, actor=talent, require_output_approval=True)
    brief = run_jobs(requester=licence.licensee, licence_id=licence.pk, prompt="portrait one")
    gen.approval_decide(approval=Approval.objects.get(reference=str(brief.pk), kind="output"), actor=talent, approve=False, reason="no")
    assert GenerationJob.objects.get(brief=brief).status == "quarantined"

    licensing.controls_update(holding=licence.likeness, actor=talent, require_brief_approval=True)
    waiting = run_jobs(requester=licence.licensee, licence_id=licence.pk, prompt="portrait two")
    Approval.objects.filter(reference=str(waiting.pk)).update(deadline=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert gen.approvals_lapse() == 1
    waiting.refresh_from_db()
    assert waiting.status == "rejected"


# --- revocation, takedown, withdrawal, moderation ----------------------------------------------

def test_revocation_cancels_queued_flags_outputs_and_owes_a_refund(run_jobs, django_capture_on_commit_callbacks, api):
    licence = granted_licence()
    talent, brand = licence.likeness.owner, licence.licensee
    released = run_jobs(requester=brand, licence_id=licence.pk, prompt="first")
    queued = gen.brief_submit(requester=brand, licence_id=licence.pk, prompt="second")  # enqueue not run: stays queued
    assert queued.job.status == "queued"

    with django_capture_on_commit_callbacks(execute=True):
        licensing.likeness_revoke(likeness=licence.likeness, actor=talent, reason="changed my mind")
    queued.job.refresh_from_db()
    assert queued.job.status == "cancelled"
    licence.refresh_from_db()
    assert licence.status == "revoked" and licence.notice_ends_at > timezone.now()
    due = RefundDue.objects.get(licence=licence)
    assert 0 < due.remaining_seconds <= due.total_seconds
    assert "revoked" in refused(gen.brief_submit, requester=brand, licence_id=licence.pk, prompt="third")

    data = b"".join(GenerationJob.objects.get(brief=released).output.open("rb"))
    answer = api.post("/api/verify/", {"file": upload("o.png", data)}, format="multipart").json()
    assert answer["made_here"] and answer["licence_status"] == "revoked" and answer["licence_valid"] is False


def test_takedown_removes_the_output_everywhere(run_jobs, client, django_capture_on_commit_callbacks):
    licence = granted_licence()
    brief = run_jobs(requester=licence.licensee, licence_id=licence.pk, prompt="a portrait in a garden, to be taken down")
    job = GenerationJob.objects.get(brief=brief)
    name, storage = job.output.name, job.output.storage
    assert storage.exists(name)
    with pytest.raises(DomainError):
        gen.output_take_down(job=job, actor=licence.licensee, reason="mine")  # the buyer cannot
    with django_capture_on_commit_callbacks(execute=True):
        gen.output_take_down(job=job, actor=licence.likeness.owner, reason="misuse reported")
    client.force_login(licence.licensee)
    r = client.get(f"/api/jobs/{job.pk}/output/")
    assert r.status_code == 410 and "misuse reported" in r.json()["detail"]
    assert client.get(f"/jobs/{job.pk}/output").status_code == 410
    job.refresh_from_db()
    assert job.taken_down_at and not job.output
    assert not storage.exists(name)


def test_withdrawing_consent_revokes_everything():
    licence = granted_licence()
    licensing.consent_withdraw(user=licence.likeness.owner, likeness=licence.likeness, ip_address="127.0.0.1", user_agent="t")
    licence.refresh_from_db()
    licence.likeness.refresh_from_db()
    assert licence.likeness.status == "revoked" and licence.status == "revoked"
    from licensing.selectors import consent_current_for

    assert not consent_current_for(licence.likeness)


def test_a_moderator_rejecting_the_verification_delists():
    likeness = published_likeness()
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    v = Verification.objects.get(likeness=likeness, status="passed")
    with pytest.raises(DomainError):
        licensing.verification_review(verification=v, moderator=likeness.owner, approve=False)
    licensing.verification_review(verification=v, moderator=moderator, approve=False, note="not the same person")
    likeness.refresh_from_db()
    assert likeness.status == "draft"


# --- several parties and remixes -----------------------------------------------------------------

def test_a_work_with_a_character_needs_both_and_the_strictest_wins(run_jobs):
    licence = granted_licence()
    brand = licence.licensee
    asset, studio_member = studio_with_asset(blocked_words=["cigarette"])
    char_licence = licence_on(asset, licensee=brand)
    ask = dict(requester=brand, licence_id=licence.pk, extra_licence_ids=[char_licence.pk])
    assert "a rule of the rights holder" in refused(gen.brief_submit, prompt="smoking a cigarette", **ask)
    brief = run_jobs(prompt="on a spaceship together", **ask)
    assert GenerationJob.objects.get(brief=brief).status == "released"
    assert set(UsageRecord.objects.filter(reference=str(brief.pk)).values_list("licence_id", flat=True)) == {licence.pk, char_licence.pk}
    # The studio sees every use of its character, the refused one included.
    from generation.selectors import use_list_for_talent

    uses = {b.pk: b.status for b in use_list_for_talent(user=studio_member)}
    assert uses[brief.pk] == "accepted" and sorted(uses.values()) == ["accepted", "refused"]


def test_ip_is_never_available_until_opted_in():
    licence = granted_licence()
    asset, _ = studio_with_asset(opted_in=False)
    char_licence = licence_on(asset, licensee=licence.licensee)
    reason = refused(gen.brief_submit, requester=licence.licensee, licence_id=licence.pk, extra_licence_ids=[char_licence.pk], prompt="x y")
    assert "not opted in" in reason or "not currently listed" in reason


def test_remixes_follow_the_parents_derivative_terms_and_revocation_cascades(run_jobs, django_capture_on_commit_callbacks):
    likeness = published_likeness()
    maker, remixer = UserFactory(kind=User.Kind.CREATOR), UserFactory(kind=User.Kind.CREATOR)
    parent_licence = licence_on(likeness, licensee=maker, derivatives="none", commercial_use=False)
    parent = run_jobs(requester=maker, licence_id=parent_licence.pk, prompt="an original")
    remix_licence = licence_on(likeness, licensee=remixer, commercial_use=False)
    ask = dict(requester=remixer, licence_id=remix_licence.pk, prompt="a remix", parent_brief_id=parent.pk)
    assert "does not allow remixes" in refused(gen.brief_submit, **ask)

    parent2_licence = licence_on(likeness, licensee=maker, derivatives="allowed", commercial_use=False)
    parent2 = run_jobs(requester=maker, licence_id=parent2_licence.pk, prompt="a remixable original")
    child = gen.brief_submit(requester=remixer, licence_id=remix_licence.pk, prompt="a remix", parent_brief_id=parent2.pk)
    usage = UsageRecord.objects.get(reference=str(child.pk))
    assert usage.parent.reference == str(parent2.pk)
    assert child.job.status == "queued"
    with django_capture_on_commit_callbacks(execute=True):
        licensing.licence_revoke(licence=Licence.objects.get(pk=parent2_licence.pk), actor=None, reason="parent revoked")
    child.job.refresh_from_db()
    assert child.job.status == "cancelled"


def test_consent_ledger_export(run_jobs, client):
    licence = granted_licence()
    run_jobs(requester=licence.licensee, licence_id=licence.pk, prompt="for the ledger")
    with pytest.raises(DomainError):
        gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="a knife fight, stabbing")
    client.force_login(licence.likeness.owner)
    rows = client.get("/talent/consent-ledger/?format=json").json()
    assert len(rows) == 2
    done = next(r for r in rows if r["generation_id"])
    assert done["prompt_sha256"] and done["watermark_payload"] and done["model"] and done["licences"][0]["terms"]["generation_quota"]
    csv = client.get("/talent/consent-ledger/?format=csv")
    assert csv.status_code == 200 and csv.content.decode().count("\n") == 3
    assert client.get("/talent/consent-ledger/?format=xml").status_code == 400
    client.force_login(UserFactory())
    assert client.get("/talent/consent-ledger/?format=json").json() == []


def test_revoking_a_parent_flags_its_remixes_on_the_verify_page(run_jobs, django_capture_on_commit_callbacks, api):
    likeness = published_likeness()
    maker, remixer = UserFactory(kind=User.Kind.CREATOR), UserFactory(kind=User.Kind.CREATOR)
    parent_licence = licence_on(likeness, licensee=maker, derivatives="allowed", commercial_use=False)
    parent = run_jobs(requester=maker, licence_id=parent_licence.pk, prompt="an original")
    asset, _ = studio_with_asset()
    remix_licence = licence_on(asset, licensee=remixer, commercial_use=False)
    child = run_jobs(requester=remixer, licence_id=remix_licence.pk, prompt="a remix", parent_brief_id=parent.pk)
    data = b"".join(GenerationJob.objects.get(brief=child).output.open("rb"))
    assert api.post("/api/verify/", {"file": upload("r.png", data)}, format="multipart").json()["licence_status"] == "active"
    with django_capture_on_commit_callbacks(execute=True):
        licensing.licence_revoke(licence=Licence.objects.get(pk=parent_licence.pk), actor=None, reason="parent revoked")
    answer = api.post("/api/verify/", {"file": upload("r.png", data)}, format="multipart").json()
    assert answer["made_here"] and answer["licence_status"] == "revoked" and not answer["licence_valid"]
