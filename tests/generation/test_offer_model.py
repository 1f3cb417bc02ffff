"""Per-offer model selection: an offer names a registered model (GENERATION_MODELS), the worker
renders its licences' briefs with that model (kept warm beside the deployment's), a name that is
not registered is refused in the API and the form, and a model removed later fails the job with
its reason and gives the quota back."""
import pytest

from accounts.models import User
from generation.models import GenerationJob
from generation.runtime import pipeline
from generation.runtime.families import build_tiny_family
from licensing.models import LicenceTerms
from marketplace import services as market
from marketplace.models import Offer
from tests.factories import UserFactory, verified_likeness

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def tiny_flux(tmp_path_factory, builtin_model):
    return build_tiny_family(tmp_path_factory.mktemp("offer-models") / "tiny-flux", "tiny-flux")


@pytest.fixture
def models(settings, tiny_flux):
    settings.GENERATION_MODELS = {"flux-tiny": {"model_path": str(tiny_flux), "steps": 1, "size": 128, "description": "FLUX (tiny test build)"}}
    return settings.GENERATION_MODELS


def _offer_body(**extra):
    return {"title": "Portraits", "price_minor": 0, "currency": "gbp", "generation_quota": 3, **extra}


def test_the_api_lists_models_and_refuses_an_unregistered_one(api, models):
    likeness = verified_likeness()
    api.force_authenticate(likeness.owner)
    assert api.get("/api/models/").json() == [{"name": "flux-tiny", "description": "FLUX (tiny test build)"}]
    r = api.post(f"/api/likenesses/{likeness.pk}/offers/", _offer_body(model_name="midjourney-v9"), format="json")
    assert r.status_code == 400 and "Unknown model 'midjourney-v9'" in r.json()["detail"] and "flux-tiny" in r.json()["detail"]
    assert not Offer.objects.exists() and not LicenceTerms.objects.exists()
    r = api.post(f"/api/likenesses/{likeness.pk}/offers/", _offer_body(model_name="flux-tiny"), format="json")
    assert r.status_code == 201, r.content
    assert r.json()["terms"]["model_name"] == "flux-tiny"


def test_the_offer_form_offers_the_registered_models_and_refuses_others(client, models):
    likeness = verified_likeness()
    client.force_login(likeness.owner)
    page = client.get(f"/talent/likenesses/{likeness.pk}/offers/").content.decode()
    assert "Model that renders it" in page and "FLUX (tiny test build)" in page
    form = {"title": "Ads", "price": "0", "currency": "gbp", "duration_days": 30, "generation_quota": 3, "derivatives": "none",
            "commercial_use": "on", "model_name": "not-a-model"}
    r = client.post(f"/talent/likenesses/{likeness.pk}/offers/", form)
    assert r.status_code == 400 and "not-a-model is not one of the available choices" in r.content.decode()
    assert not Offer.objects.exists()
    r = client.post(f"/talent/likenesses/{likeness.pk}/offers/", {**form, "model_name": "flux-tiny"}, follow=True)
    assert r.status_code == 200 and Offer.objects.get().terms.model_name == "flux-tiny"


def _licence_under(model_name: str):
    from licensing import services as licensing

    likeness = verified_likeness()
    offer = market.offer_create(likeness=likeness, actor=likeness.owner, title="Free", price_minor=0, currency="gbp",
                                generation_quota=3, model_name=model_name)
    licensing.likeness_publish(likeness=likeness, actor=likeness.owner)
    order = market.order_create(buyer=UserFactory(kind=User.Kind.BRAND), offer=offer)
    return order.licence


def test_the_worker_renders_with_the_offers_model_beside_the_deployments(api, models, builtin_model, tiny_flux):
    own = _licence_under("")
    chosen = _licence_under("flux-tiny")
    for lic in (own, chosen):
        api.force_authenticate(lic.licensee)
        r = api.post("/api/briefs/", {"licence_id": str(lic.pk), "prompt": "a portrait in soft light", "seed": 3}, format="json")
        assert r.status_code == 201, r.content
    by_licence = {j.brief.licence_id: j for j in GenerationJob.objects.select_related("brief")}
    assert by_licence[chosen.pk].status == "released", by_licence[chosen.pk].error
    assert by_licence[own.pk].status == "released"
    assert by_licence[chosen.pk].model_name == "tiny-flux"  # the folder's name
    assert by_licence[own.pk].model_name != by_licence[chosen.pk].model_name
    warm = {str(r.config.model_path) for r in pipeline.warm_runtimes()}
    assert str(tiny_flux) in warm  # both kept warm (no budget in tests)


def test_a_model_removed_after_the_sale_fails_the_job_with_its_reason_and_returns_the_quota(api, models, settings, builtin_model):
    lic = _licence_under("flux-tiny")
    settings.GENERATION_MODELS = {}
    api.force_authenticate(lic.licensee)
    r = api.post("/api/briefs/", {"licence_id": str(lic.pk), "prompt": "a portrait in soft light", "seed": 3}, format="json")
    assert r.status_code == 201, r.content
    job = GenerationJob.objects.get()
    assert job.status == "failed" and "flux-tiny" in job.error and "not configured" in job.error
    lic.refresh_from_db()
    assert lic.quota_used == 0


def test_an_offer_can_name_the_identity_preserving_faceid_model(api, settings, builtin_model, tmp_path):
    """The FaceID path selected per offer: a registered model whose likeness is 'faceid' renders
    the licence's briefs, conditioned on the talent's reference faces."""
    from generation.runtime import faceid

    folder = faceid.build_tiny_faceid_adapter(tmp_path / "faceid", builtin_model)
    settings.GENERATION_MODELS = {"faceid": {"likeness": "faceid", "faceid_adapter_path": str(folder), "description": "Identity-preserving (FaceID)"}}
    lic = _licence_under("faceid")
    api.force_authenticate(lic.licensee)
    r = api.post("/api/briefs/", {"licence_id": str(lic.pk), "prompt": "a portrait in soft light", "seed": 3}, format="json")
    assert r.status_code == 201, r.content
    job = GenerationJob.objects.get()
    assert job.status == "released", job.error
    rt = next(r for r in pipeline.warm_runtimes() if r.config.faceid_adapter_path == folder)
    assert rt.likeness_mode == "faceid"
