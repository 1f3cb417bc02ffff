"""Misuse reports, played by a victim who has no account, by a talent, and by moderators."""
import pytest
from django.core import mail
from django.core.cache import cache

from accounts.models import User
from generation import services as gen
from generation.models import GenerationJob
from licensing.models import AuditEvent, MisuseReport
from tests.factories import UserFactory, granted_licence, moderator, noise_png, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle(settings):
    settings.CONTENT_SCREENING_SEMANTIC = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def made_here(django_capture_on_commit_callbacks, builtin_model):
    licence = granted_licence()
    with django_capture_on_commit_callbacks(execute=True):
        brief = gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="a portrait in a park")
    job = GenerationJob.objects.get(brief=brief)
    data = b"".join(job.output.open("rb"))
    return licence, job, data


def test_anyone_reports_an_output_and_it_is_checked_against_the_watermark(api, made_here, django_capture_on_commit_callbacks):
    licence, job, data = made_here
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(
            "/api/reports/",
            {"kind": "my_likeness", "description": "This advert uses my face without asking.", "email": "victim@example.test",
             "file": upload("seen-online.png", data)},
            format="multipart",
        )
    assert r.status_code == 201, r.content
    report = MisuseReport.objects.get(pk=r.json()["id"])
    assert report.reporter is None and report.reporter_email == "victim@example.test" and report.status == "new"
    assert report.auto_check["made_here"] is True and report.generation_id == str(job.pk)
    assert report.licence_id == licence.pk and report.likeness_id == licence.likeness_id
    assert report.evidence and report.evidence.name.endswith(".png")  # kept privately, not under a public URL
    # The talent sees reports about their likeness (not who sent them).
    api.force_authenticate(licence.likeness.owner)
    mine = api.get("/api/reports/about-me/").json()
    assert [m["id"] for m in mine] == [str(report.pk)] and "reporter_email" not in mine[0]
    api.force_authenticate(UserFactory(kind=User.Kind.TALENT))
    assert api.get("/api/reports/about-me/").json() == []


def test_a_file_not_made_here_is_said_so(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post("/api/reports/", {"kind": "other", "description": "Some picture I found online.", "email": "a@example.test",
                                       "file": upload("x.png", noise_png())}, format="multipart")
    assert r.status_code == 201
    report = MisuseReport.objects.get()
    assert report.auto_check["made_here"] is False and report.licence_id is None


@pytest.mark.parametrize(
    "body,field",
    [
        ({"kind": "other", "description": "Description long enough.", "link": "https://x.test/a"}, "e-mail"),
        ({"kind": "other", "description": "Description long enough.", "email": "a@example.test"}, "link, a file"),
        ({"kind": "other", "description": "Description long enough.", "email": "a@example.test", "link": "javascript:alert(1)"}, "web address"),
        ({"kind": "other", "description": "short", "email": "a@example.test", "link": "https://x.test"}, "10 to 4000"),
    ],
)
def test_bad_reports_get_a_clear_400_and_write_nothing(api, body, field):
    r = api.post("/api/reports/", body, format="json")
    assert r.status_code == 400 and field in r.json()["detail"], r.content
    assert not MisuseReport.objects.exists() and not AuditEvent.objects.filter(action="report.created").exists()


def test_a_link_typed_without_its_scheme_is_kept_as_https_on_the_page_and_refused_clearly_by_the_api(api):
    """A careless reporter pastes "x.test/post/1": the page's form keeps it as https:// (never an
    insecure http:// guess); the API asks for the scheme with a clear 400 and writes nothing."""
    from licensing.forms import MisuseReportForm

    form = MisuseReportForm(data={"kind": "other", "description": "A post that uses my face.", "link": "x.test/post/1"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["link"] == "https://x.test/post/1"
    r = api.post("/api/reports/", {"kind": "other", "description": "A post that uses my face.", "email": "a@example.test",
                                   "link": "x.test/post/1"}, format="json")
    assert r.status_code == 400 and "https://" in r.json()["detail"]
    assert not MisuseReport.objects.exists()


def test_a_garbage_file_is_refused(api):
    r = api.post("/api/reports/", {"kind": "other", "description": "Description long enough.", "email": "a@example.test",
                                   "file": upload("x.png", b"\x89PNG garbage")}, format="multipart")
    assert r.status_code == 400 and not MisuseReport.objects.exists()


def test_the_public_report_endpoint_is_throttled(api, settings):
    settings.SECURITY_LIMITS = {**settings.SECURITY_LIMITS, "public": "10/m/ip"}
    body = {"kind": "other", "description": "Spam spam spam spam.", "email": "s@example.test", "link": "https://x.test/"}
    codes = [api.post("/api/reports/", body, format="json").status_code for _ in range(11)]
    assert codes[:10] == [201] * 10 and codes[10] == 429


def test_moderators_work_the_queue(api, made_here, django_capture_on_commit_callbacks):
    licence, job, data = made_here
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post("/api/reports/", {"kind": "breaks_terms", "description": "Used for a political ad, against the terms.",
                                       "email": "w@example.test", "generation_id": str(job.pk)}, format="json")
    report_id = r.json()["id"]
    api.force_authenticate(licence.licensee)
    assert api.get("/api/moderation/reports/").status_code == 403
    assert api.post(f"/api/moderation/reports/{report_id}/", {"status": "dismissed"}, format="json").status_code == 403
    mod = moderator()
    api.force_authenticate(mod)
    queue = api.get("/api/moderation/reports/").json()
    assert [q["id"] for q in queue] == [report_id] and queue[0]["auto_check"]["made_here"] is True and queue[0]["due_at"]
    assert api.post(f"/api/moderation/reports/{report_id}/", {"status": "investigating"}, format="json").json()["status"] == "investigating"
    r = api.post(f"/api/moderation/reports/{report_id}/", {"action": "licence_suspension", "note": "pending review"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "actioned"
    licence.refresh_from_db()
    assert licence.status == "suspended"
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/moderation/reports/{report_id}/", {"action": "takedown", "note": "political ad"}, format="json")
    job.refresh_from_db()
    assert job.taken_down_at and not job.output
    api.post(f"/api/moderation/reports/{report_id}/", {"action": "account_suspension"}, format="json")
    assert not User.objects.get(pk=licence.licensee_id).is_active
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/moderation/reports/{report_id}/", {"answer": "We took it down and suspended the licence."}, format="json")
    assert [a["action"] for a in r.json()["actions"]] == ["licence_suspension", "takedown", "account_suspension"]
    assert mail.outbox[-1].to == ["w@example.test"] and "took it down" in mail.outbox[-1].body
    # An actioned report cannot be dismissed without reopening; nonsense is a 400.
    assert api.post(f"/api/moderation/reports/{report_id}/", {"status": "dismissed"}, format="json").status_code == 409
    assert api.post(f"/api/moderation/reports/{report_id}/", {"action": "burn"}, format="json").status_code == 400
    assert api.post("/api/moderation/reports/not-a-uuid/", {"status": "investigating"}, format="json").status_code == 404
    acted = AuditEvent.objects.filter(object_id=report_id, action__startswith="report.action.")
    assert acted.count() == 3 and all(a.actor_id == mod.pk for a in acted)


def test_the_pages_report_queue_audit_and_history(client, made_here, django_capture_on_commit_callbacks):
    licence, job, data = made_here
    # Anyone: the form keeps the input and says what is missing.
    page = client.get(f"/report/?generation={job.pk}")
    assert page.status_code == 200 and str(job.pk).encode() in page.content
    r = client.post("/report/", {"kind": "my_likeness", "description": "That advert is my face!", "generation_id": str(job.pk)})
    assert r.status_code == 400 and b"e-mail" in r.content and b"That advert is my face!" in r.content
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/report/", {"kind": "my_likeness", "description": "That advert is my face!", "email": "me@example.test",
                                     "generation_id": str(job.pk)}, follow=True)
    assert r.status_code == 200 and b"your report is in" in r.content
    # The talent sees it on their likeness page.
    client.force_login(licence.likeness.owner)
    assert b"Reports about this likeness" in client.get(f"/talent/likenesses/{licence.likeness_id}/").content
    assert client.get("/moderation/reports/").status_code == 403
    assert client.get("/moderation/audit/").status_code == 403
    # Moderators: queue, a decision, the audit trail filtered, the likeness's history.
    mod = moderator()
    client.force_login(mod)
    report = MisuseReport.objects.get()
    page = client.get("/moderation/reports/")
    assert b"That advert is my face!" in page.content and b"made here" in page.content
    r = client.post("/moderation/reports/", {"report": str(report.pk), "status": "investigating", "note": "looking"}, follow=True)
    assert b"Investigating" in r.content
    audit = client.get("/moderation/audit/", {"action": "report.", "person": mod.email}).content.decode()
    assert "report.investigating" in audit and "report.created" not in audit
    audit = client.get("/moderation/audit/", {"licence": str(licence.pk)}).content.decode()
    assert "licence.active" in audit
    history = client.get(f"/moderation/likenesses/{licence.likeness_id}/history/").content.decode()
    assert "likeness.created" in history and "verification.passed" in history and "consent.accepted" in history
    assert "report.investigating" in history and "(The person themselves)" in history
