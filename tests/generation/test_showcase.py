"""The listing's showcase: the rights holder picks released outputs of their likeness to show on
the public listing; nobody else can, nothing unreleased or someone else's can be shown, and an
output taken down leaves the listing at once."""
import pytest

from accounts.errors import Forbidden, InvalidInput
from generation import services as gen
from generation.showcase import showcase_for, showcase_set
from tests.factories import granted_licence
from tests.generation.test_feed import _released

pytestmark = pytest.mark.django_db


def test_the_holder_chooses_what_the_listing_shows(client, django_capture_on_commit_callbacks, builtin_model):
    licence = granted_licence()
    likeness, holder = licence.likeness, licence.likeness.owner
    first = _released(licence, "a lighthouse at dusk", django_capture_on_commit_callbacks)
    second = _released(licence, "a harbour at dawn", django_capture_on_commit_callbacks)
    elsewhere = _released(granted_licence(), "someone else's likeness", django_capture_on_commit_callbacks)
    url = f"/listing/likeness/{likeness.pk}/showcase/"

    # Attackers: the licensee, a stranger (page and service), another holding's output.
    client.force_login(licence.licensee)
    assert client.get(url).status_code == 404
    with pytest.raises(Forbidden):
        showcase_set(holding=likeness, actor=licence.licensee, job_ids=[first.job.pk])
    client.force_login(holder)
    page = client.get(url).content.decode()
    assert page.count('type="checkbox"') == 2 and f"/jobs/{first.job.pk}/output" in page
    r = client.post(url, {"jobs": [str(elsewhere.job.pk)]})
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()
    with pytest.raises(InvalidInput):
        showcase_set(holding=likeness, actor=holder, job_ids=[elsewhere.job.pk])
    assert showcase_for(holding=likeness) == []

    r = client.post(url, {"jobs": [str(first.job.pk), str(second.job.pk)]})
    assert r.status_code == 302
    assert "now shows 2 outputs" in client.get(url).content.decode()
    client.logout()
    listing = client.get(f"/market/{likeness.pk}/").content.decode()
    items = showcase_for(holding=likeness)
    assert 'id="showcase"' in listing and all(f"/showcase/{i.pk}/image" in listing for i in items) and len(items) == 2
    assert client.get(f"/showcase/{items[0].pk}/image").status_code == 200  # public, signed out

    # Taken down: gone from the listing and its image at once.
    gen.output_take_down(job=first.job, actor=holder, reason="changed my mind")
    listing = client.get(f"/market/{likeness.pk}/").content.decode()
    gone = next(i for i in items if i.job_id == first.job.pk)
    assert f"/showcase/{gone.pk}/image" not in listing and client.get(f"/showcase/{gone.pk}/image").status_code == 404
    # Nothing ticked: the listing shows none.
    client.force_login(holder)
    assert client.post(url, {}).status_code == 302
    client.logout()
    assert 'id="showcase"' not in client.get(f"/market/{likeness.pk}/").content.decode()
