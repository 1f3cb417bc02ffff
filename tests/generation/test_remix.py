"""Remixes that remix: the parent's output reaches the pipeline (image-to-image at the strength
the creator set), over the API and the browser; bad strengths are refused."""
import io

import numpy as np
import pytest
from PIL import Image

from accounts.models import User
from generation.models import Brief, GenerationJob
from tests.factories import UserFactory, licence_on, published_likeness

pytestmark = pytest.mark.django_db(transaction=True)


def _pixels(job) -> np.ndarray:
    with job.output.open("rb") as fh:
        return np.asarray(Image.open(io.BytesIO(fh.read())).convert("RGB"), dtype=np.float32)


@pytest.fixture
def parent_and_remixer(api, builtin_model):
    likeness = published_likeness()
    maker, remixer = UserFactory(kind=User.Kind.CREATOR), UserFactory(kind=User.Kind.CREATOR)
    parent_licence = licence_on(likeness, licensee=maker, derivatives="allowed", commercial_use=False)
    api.force_authenticate(maker)
    parent = api.post("/api/briefs/", {"licence_id": str(parent_licence.pk), "prompt": "an original", "seed": 11}, format="json").json()
    assert GenerationJob.objects.get(pk=parent["job"]["job_id"]).status == "released"
    # published, so someone else may remix it (an unpublished output is nobody else's parent)
    assert api.post(f"/api/jobs/{parent['job']['job_id']}/publish/", {"published": True}, format="json").status_code == 200
    remix_licence = licence_on(likeness, licensee=remixer, commercial_use=False, generation_quota=10)
    api.force_authenticate(remixer)
    return parent, remix_licence


def test_a_remix_starts_from_its_parent_at_the_strength_set(api, parent_and_remixer):
    parent, licence = parent_and_remixer
    ask = {"licence_id": str(licence.pk), "prompt": "a different take entirely", "seed": 99}
    fresh = api.post("/api/briefs/", ask, format="json").json()
    close = api.post("/api/briefs/", {**ask, "parent_brief_id": parent["id"], "remix_strength": 0.1}, format="json").json()
    far = api.post("/api/briefs/", {**ask, "parent_brief_id": parent["id"], "remix_strength": 1.0}, format="json").json()
    default = api.post("/api/briefs/", {**ask, "parent_brief_id": parent["id"]}, format="json").json()
    assert close["remix_strength"] == 0.1 and far["remix_strength"] == 1.0 and default["remix_strength"] == 0.6
    assert close["parent_id"] == parent["id"]
    jobs = {k: GenerationJob.objects.get(pk=v["job"]["job_id"]) for k, v in {"parent": parent, "fresh": fresh, "close": close, "far": far}.items()}
    assert all(j.status == "released" for j in jobs.values())
    p = _pixels(jobs["parent"])
    d = {k: float(np.abs(_pixels(j) - p).mean()) for k, j in jobs.items() if k != "parent"}
    assert d["close"] < d["far"] and d["close"] < d["fresh"], d  # the parent's pixels reached the pipeline
    # (The development model's VAE has random weights, so no render, a remix included, looks like
    # a picture: the distances are close in absolute terms and only their order is meaningful.)


@pytest.mark.parametrize("strength", [0, 0.01, 1.5, -1, "lots"])
def test_bad_strengths_are_refused(api, parent_and_remixer, strength):
    parent, licence = parent_and_remixer
    before = Brief.objects.count()
    r = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "x", "parent_brief_id": parent["id"], "remix_strength": strength}, format="json")
    assert r.status_code == 400, r.content
    assert Brief.objects.count() == before


def test_a_strength_without_a_parent_is_refused(api, parent_and_remixer):
    _, licence = parent_and_remixer
    r = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "x", "remix_strength": 0.5}, format="json")
    assert r.status_code == 400 and "parent" in r.json()["detail"]


def test_the_browser_remixes_from_the_brief_form(client, parent_and_remixer):
    parent, licence = parent_and_remixer
    client.force_login(licence.licensee)
    page = client.get(f"/licences/{licence.pk}/brief/?parent={parent['id']}").content.decode()
    assert "Remixing" in page and 'name="remix_strength"' in page
    r = client.post(f"/licences/{licence.pk}/brief/", {"prompt": "my remix", "parent": parent["id"], "remix_strength": "0.3", "media": "image"})
    assert r.status_code == 302
    child = Brief.objects.get(prompt="my remix")
    assert str(child.parent_id) == parent["id"] and child.remix_strength == 0.3
    r = client.post(f"/licences/{licence.pk}/brief/", {"prompt": "bad", "parent": parent["id"], "remix_strength": "much"})
    assert r.status_code == 400 and "Enter a number" in r.content.decode() and "How far from the original" in r.content.decode()
