"""The content screen runs again, in full (owner rules included), when a job starts and before its
output is released, from the embeddings cached when the brief was screened: a rule added after
submission stops queued work, and no model inference runs while the parties' rows are locked."""
import pytest
from django.db import connection

from generation import services as gen
from generation.models import GenerationJob
from licensing import screening
from licensing import services as licensing
from licensing.models import ScreeningRefusal
from licensing.screening import model as screening_model
from tests.factories import granted_licence

pytestmark = pytest.mark.django_db


@pytest.fixture
def inference_depths(monkeypatch):
    """The transaction depth at every model inference (the test's own transaction is the baseline)."""
    depths = []
    original = screening_model._Embedder._embed

    def spy(self, texts):
        depths.append(len(connection.atomic_blocks))
        return original(self, texts)

    monkeypatch.setattr(screening_model._Embedder, "_embed", spy)
    return depths


def _queued(licence, prompt):
    """Submit without running the after-commit enqueue: the job waits in the queue."""
    brief = gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt=prompt)
    job = GenerationJob.objects.get(brief=brief)
    assert job.status == "queued"
    return job


@pytest.mark.parametrize(
    "rule, prompt",
    [
        ("no alcohol", "her raising a pint of lager on a terrace"),  # the rule's related words, lexically
        ("never show me gambling", "him placing chips on a roulette table in a casino"),  # and by meaning
    ],
)
def test_a_rule_added_after_submission_stops_the_queued_job(rule, prompt, builtin_model, inference_depths):
    licence = granted_licence()
    baseline = len(connection.atomic_blocks)
    job = _queued(licence, prompt)
    licensing.controls_update(holding=licence.likeness, actor=licence.likeness.owner, content_rules=[rule])
    gen.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert "a rule of the rights holder" in job.transitions.order_by("-id").first().detail
    [row] = ScreeningRefusal.objects.filter(reference=str(job.brief_id))
    assert (row.stage, row.kind, row.rule, row.category) == ("job_start", "rule", rule, "holder_rule")
    # every inference ran outside the services' transactions (at the test's own depth)
    assert inference_depths and all(d == baseline for d in inference_depths), (baseline, inference_depths)


def test_the_requester_never_reads_the_rule(builtin_model):
    licence = granted_licence()
    job = _queued(licence, "her raising a pint of lager on a terrace")
    licensing.controls_update(holding=licence.likeness, actor=licence.likeness.owner, content_rules=["no alcohol, ever"])
    gen.job_run(job_id=job.pk)
    job.refresh_from_db()
    from generation.models import JobTransition

    details = " ".join(JobTransition.objects.filter(job=job).values_list("detail", flat=True))
    assert "a rule of the rights holder" in details and "alcohol" not in details.lower()


def test_an_allowed_queued_job_still_runs_and_screens_from_the_cache(builtin_model, inference_depths):
    licence = granted_licence()
    licensing.controls_update(holding=licence.likeness, actor=licence.likeness.owner, content_rules=["no alcohol"])
    job = _queued(licence, "her drinking fresh orange juice in a sunny kitchen")
    submitted = len(inference_depths)
    gen.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "released"
    # the job start and release re-checks found every embedding in the cache: no new inference
    assert len(inference_depths) == submitted


def test_a_rule_added_between_warm_and_lock_is_warmed_and_screened(builtin_model, monkeypatch):
    """The race: the rule lands after the warm but before the locks. The screen under the locks
    refuses to run the model (NeedsInference), the transaction rolls back, the warm runs again with
    the new rule and the retry refuses the brief."""
    licence = granted_licence()
    job = _queued(licence, "him placing chips on a roulette table in a casino")
    original = licensing.screen_warm_many  # the worker warms its batch's briefs together
    calls = []

    def warm_then_rule_lands(briefs):
        original(briefs)
        calls.append(1)
        if len(calls) == 1:
            licensing.controls_update(holding=licence.likeness, actor=licence.likeness.owner, content_rules=["never show me croupiers or casino tables"])

    monkeypatch.setattr(licensing, "screen_warm_many", warm_then_rule_lands)
    gen.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "cancelled" and len(calls) == 2


def test_screening_never_runs_unscreened_when_the_cache_is_cold():
    rules = [screening.ContentRules("Ava", rules=("no gambling",))]
    with pytest.raises(screening.NeedsInference):
        screening.screen("a brand new brief nobody embedded: a croupier spinning a wheel at dawn", rules, infer=False)


def test_a_rule_added_while_the_job_renders_quarantines_the_output(builtin_model, monkeypatch):
    """Before release the screen runs again in full: a rule that lands while the job renders keeps
    the output from being released."""
    licence = granted_licence()
    job = _queued(licence, "her raising a pint of lager on a terrace")
    original = gen._marked_and_stored  # between rendering and release (marking, signing, storing)

    def rule_lands_then_store(finishing):
        licensing.controls_update(holding=licence.likeness, actor=licence.likeness.owner, content_rules=["no alcohol"])
        return original(finishing)

    monkeypatch.setattr(gen, "_marked_and_stored", rule_lands_then_store)
    gen.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "quarantined"
    [row] = ScreeningRefusal.objects.filter(reference=str(job.brief_id))
    assert row.stage == "release"


def test_serving_processes_load_the_model_at_start_up(monkeypatch, settings):
    from licensing import apps

    assert apps._serving_process(["manage.py", "rundev"]) and apps._serving_process(["manage.py", "runserver"])
    assert apps._serving_process(["/venv/bin/celery", "-A", "config", "worker"]) and apps._serving_process(["/venv/bin/daphne", "x"])
    assert not apps._serving_process(["/venv/bin/pytest"]) and not apps._serving_process(["manage.py", "migrate"])
    assert not apps._serving_process(["/venv/bin/celery", "-A", "config", "beat"])
    loaded = []
    monkeypatch.setattr(screening, "screen", lambda *a, **k: loaded.append(a) or [])
    settings.CONTENT_SCREENING_SEMANTIC = False
    apps.preload_screening()
    assert loaded == []
    settings.CONTENT_SCREENING_SEMANTIC = True
    apps.preload_screening()
    assert len(loaded) == 1
