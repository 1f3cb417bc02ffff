"""Object-level access: both sides of every rule."""
import pytest

from accounts.models import User
from tests.factories import UserFactory, active_licence

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(api, builtin_model, django_capture_on_commit_callbacks):
    licence, order, offer = active_licence()
    api.force_authenticate(licence.licensee)
    with django_capture_on_commit_callbacks(execute=True):
        brief = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "studio portrait"}, format="json").json()
    api.force_authenticate(None)
    return licence, brief


def test_a_brand_cannot_see_another_brands_briefs_jobs_or_outputs(api, generated):
    licence, brief = generated
    other = UserFactory(kind=User.Kind.BRAND)
    api.force_authenticate(other)
    job_id = brief["job"]["job_id"]
    assert api.get("/api/briefs/").json() == []
    assert api.get(f"/api/jobs/{job_id}/").status_code == 404
    assert api.get(f"/api/jobs/{job_id}/output/").status_code == 404
    assert api.get(f"/api/licences/{licence.pk}/").status_code == 404
    r = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "steal"}, format="json")
    assert r.status_code == 404
    # ... while the owner sees all of it.
    api.force_authenticate(licence.licensee)
    assert [b["id"] for b in api.get("/api/briefs/").json()] == [brief["id"]]
    assert api.get(f"/api/jobs/{job_id}/").status_code == 200
    assert api.get(f"/api/jobs/{job_id}/output/").status_code == 200


def test_talent_sees_every_use_of_their_likeness_and_nothing_of_others(api, generated):
    licence, brief = generated
    talent = licence.likeness.owner
    other_talent = UserFactory(kind=User.Kind.TALENT)
    api.force_authenticate(talent)
    assert [u["id"] for u in api.get("/api/uses/").json()] == [brief["id"]]
    assert api.get(f"/api/jobs/{brief['job']['job_id']}/").status_code == 200
    api.force_authenticate(other_talent)
    assert api.get("/api/uses/").json() == []
    assert api.get(f"/api/jobs/{brief['job']['job_id']}/").status_code == 404
    assert api.post(f"/api/likenesses/{licence.likeness.pk}/publish/").status_code == 404


def test_talent_cannot_generate_under_a_licence_they_do_not_hold(api, generated):
    licence, brief = generated
    api.force_authenticate(licence.likeness.owner)
    r = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "x"}, format="json")
    assert r.status_code == 403


def test_browser_pages_enforce_the_same_rules(client, generated):
    licence, brief = generated
    other = UserFactory(kind=User.Kind.BRAND)
    client.force_login(other)
    job_id = brief["job"]["job_id"]
    assert client.get(f"/jobs/{job_id}/").status_code == 404
    assert client.get(f"/jobs/{job_id}/output").status_code == 404
    assert client.get(f"/licences/{licence.pk}/brief/").status_code == 404
    client.force_login(licence.licensee)
    assert client.get(f"/jobs/{job_id}/").status_code == 200


def test_anonymous_api_calls_are_refused(api):
    assert api.get("/api/briefs/").status_code in (401, 403)
    assert api.get("/api/uses/").status_code in (401, 403)


def test_micro_batching_claims_compatible_queued_jobs(builtin_model, settings):
    """One job_run takes the other waiting jobs into the same pipeline call; their own messages
    then find them done and change nothing."""
    from generation import services
    from generation.models import GenerationJob, JobTransition

    settings.GENERATION_MAX_BATCH_SIZE = 3
    licence, _, _ = active_licence(quota=5)
    briefs = [services.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt=f"batch {i}", seed=i) for i in range(4)]
    jobs = [b.job for b in briefs]  # queued: on_commit callbacks do not run here
    services.job_run(job_id=jobs[0].pk)
    statuses = {j.pk: GenerationJob.objects.get(pk=j.pk).status for j in jobs}
    assert sorted(statuses.values()) == ["queued", "released", "released", "released"]
    workers = {GenerationJob.objects.get(pk=j.pk).worker for j in jobs if statuses[j.pk] == "released"}
    assert len(workers) == 1
    for j in jobs:  # every delivery, duplicates included
        services.job_run(job_id=j.pk)
    assert all(GenerationJob.objects.get(pk=j.pk).status == "released" for j in jobs)
    assert all(JobTransition.objects.filter(job=j, to_status="released").count() == 1 for j in jobs)
