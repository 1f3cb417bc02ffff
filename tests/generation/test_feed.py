"""The feed in people's terms: publish a released output, like, comment, report, remove; remix opens
the brief with the parent filled in (or the listing when a licence is missing); lineage shows the
chain; everything public is seen signed out and nothing unreleased leaks."""
import pytest

from generation import services as gen
from generation.models import FeedComment
from tests.factories import UserFactory, granted_licence

pytestmark = pytest.mark.django_db


def _released(licence, prompt, django_capture_on_commit_callbacks, parent=None):
    with django_capture_on_commit_callbacks(execute=True):
        brief = gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt=prompt, seed=5, parent_brief_id=parent)
    brief.job.refresh_from_db()
    assert brief.job.status == "released"
    return brief


def test_publish_like_comment_report_remove_and_remix(client, django_capture_on_commit_callbacks, builtin_model):
    licence = granted_licence(derivatives="allowed")
    brief = _released(licence, "a lighthouse at dusk", django_capture_on_commit_callbacks)
    job_url = f"/jobs/{brief.job.pk}/"
    client.force_login(UserFactory())
    assert client.post(job_url, {"action": "publish"}).status_code == 404  # not theirs to see
    client.force_login(licence.licensee)
    assert "Publish to the feed" in client.get(job_url).content.decode()
    r = client.post(job_url, {"action": "publish", "caption": "Dusk"})
    assert r.status_code == 302 and r["Location"].startswith("/feed/")
    post_url = r["Location"]
    assert client.post(job_url, {"action": "publish"}).status_code == 409  # once only
    client.logout()
    feed = client.get("/feed/").content.decode()
    assert "Dusk" in feed and "/image" in feed
    post_id = post_url.strip("/").split("/")[-1]
    assert client.get(f"/feed/{post_id}/image").status_code == 200
    assert client.post(post_url, {"action": "like"}).status_code == 302  # to log in
    fan = UserFactory()
    client.force_login(fan)
    client.post(post_url, {"action": "like"})
    assert "Liked (1)" in client.get(post_url).content.decode()
    r = client.post(post_url, {"action": "comment", "text": ""})
    assert r.status_code == 400 and "Write a comment first." in r.content.decode()
    client.post(post_url, {"action": "comment", "text": "Lovely light"})
    comment = FeedComment.objects.get()
    client.force_login(licence.licensee)
    client.post(post_url, {"action": "report", "comment": comment.pk})
    moderator = UserFactory(kind="moderator")
    client.force_login(moderator)
    assert "Lovely light" in client.get("/moderation/comments/").content.decode()
    client.post("/moderation/comments/", {"comment": comment.pk})
    assert "Lovely light" not in client.get(post_url).content.decode()

    # Remix: without a licence, the listing; with one, the brief form with the parent filled in.
    creator = UserFactory(kind="creator")
    client.force_login(creator)
    r = client.get(f"{post_url}remix/")
    assert r.status_code == 302 and r["Location"] == f"/market/{licence.likeness.pk}/?remix={brief.pk}"
    client.force_login(licence.licensee)
    r = client.get(f"{post_url}remix/")
    assert r.status_code == 302 and r["Location"] == f"/licences/{licence.pk}/brief/?parent={brief.pk}"


def test_lineage_of_a_remix_chain(client, django_capture_on_commit_callbacks, builtin_model):
    licence = granted_licence(derivatives="allowed")
    first = _released(licence, "a red kite", django_capture_on_commit_callbacks)
    second = _released(licence, "a red kite, remixed", django_capture_on_commit_callbacks, parent=str(first.pk))
    third = _released(licence, "a red kite, remixed again", django_capture_on_commit_callbacks, parent=str(second.pk))
    client.force_login(licence.licensee)
    r = client.get(f"/licences/{licence.pk}/brief/?parent={third.pk}")
    assert r.status_code == 200 and "Remixing" in r.content.decode() and "a red kite, remixed again</textarea>" in r.content.decode()
    body = client.get(f"/jobs/{second.job.pk}/lineage/").content.decode()
    assert body.index("“a red kite”") < body.index("“a red kite, remixed”") < body.index("“a red kite, remixed again”")
    client.logout()
    assert client.get(f"/jobs/{second.job.pk}/lineage/").status_code == 404  # not public until published


def test_another_persons_output_is_a_remix_parent_only_once_in_the_feed(django_capture_on_commit_callbacks, builtin_model):
    """Learning an output's id is not enough: until its maker puts it in the feed, someone else's
    remix of it reads as not found; once in the feed (and not removed), it may be remixed."""
    from accounts.errors import NotFound
    from generation import feed
    from tests.factories import licence_on

    maker_licence = granted_licence(derivatives="allowed")
    parent = _released(maker_licence, "a harbour at dawn", django_capture_on_commit_callbacks)
    other = licence_on(maker_licence.likeness, licensee=UserFactory(kind="creator"), generation_quota=5, derivatives="allowed")
    with pytest.raises(NotFound):
        gen.brief_submit(requester=other.licensee, licence_id=other.pk, prompt="my take", parent_brief_id=str(parent.pk))
    post = feed.feed_publish(job=parent.job, actor=maker_licence.licensee)
    child = _released(other, "my take on the harbour", django_capture_on_commit_callbacks, parent=str(parent.pk))
    assert child.parent_id == parent.pk
    feed.feed_unpublish(post=post, actor=maker_licence.licensee)
    with pytest.raises(NotFound):
        gen.brief_submit(requester=other.licensee, licence_id=other.pk, prompt="again", parent_brief_id=str(parent.pk))


def test_remix_fills_in_the_licences_it_needs_and_offers_to_buy_a_missing_one(client, django_capture_on_commit_callbacks, builtin_model):
    """The parent uses a talent and a studio's character: the remixer's licence for each is filled
    in; a party they hold no licence for is named with a link to buy one."""
    from generation import feed
    from tests.factories import licence_on, studio_with_asset

    maker_licence = granted_licence(derivatives="allowed")
    likeness = maker_licence.likeness
    asset, _ = studio_with_asset(name="Captain Kite")
    character = licence_on(asset, licensee=maker_licence.licensee, derivatives="allowed", generation_quota=5)
    with django_capture_on_commit_callbacks(execute=True):
        parent = gen.brief_submit(requester=maker_licence.licensee, licence_id=maker_licence.pk, prompt="a kite with the captain", seed=5, extra_licence_ids=[character.pk])
    parent.job.refresh_from_db()
    post = feed.feed_publish(job=parent.job, actor=maker_licence.licensee)

    remixer = UserFactory(kind="creator")
    mine = licence_on(likeness, licensee=remixer, derivatives="allowed", generation_quota=5)
    client.force_login(remixer)
    r = client.get(f"/feed/{post.pk}/remix/")
    assert r.status_code == 302 and r["Location"] == f"/licences/{mine.pk}/brief/?parent={parent.pk}"
    page = client.get(r["Location"]).content.decode()
    assert 'id="missing-licences"' in page and f'href="/market/ip/{asset.pk}/">Buy a licence for Captain Kite' in page

    theirs = licence_on(asset, licensee=remixer, derivatives="allowed", generation_quota=5)
    page = client.get(r["Location"]).content.decode()
    assert 'id="missing-licences"' not in page
    assert f'value="{theirs.pk}"' in page and "checked" in page.split(f'value="{theirs.pk}"')[1].split(">")[0]


def test_the_apis_publish_is_the_feed(api, client, django_capture_on_commit_callbacks, builtin_model):
    """One notion of published: the API's publish puts the output in the feed (the browser's
    path), its unpublish takes the post out, and what was taken out stays out."""
    from generation.models import FeedPost

    licence = granted_licence(derivatives="allowed")
    brief = _released(licence, "a windmill in fog", django_capture_on_commit_callbacks)
    url = f"/api/jobs/{brief.job.pk}/publish/"
    api.force_authenticate(UserFactory())
    assert api.post(url, {"published": True}, format="json").status_code == 404  # not theirs
    api.force_authenticate(licence.licensee)
    assert api.post(url, {"published": True}, format="json").status_code == 200
    assert api.post(url, {"published": True}, format="json").status_code == 200  # again: a no-op
    post = FeedPost.objects.get(job=brief.job)
    assert post.author == licence.licensee and f"/feed/{post.pk}/" in client.get("/feed/").content.decode()
    assert api.post(url, {"published": False}, format="json").status_code == 200
    assert FeedPost.objects.get(pk=post.pk).removed_at is not None and f"/feed/{post.pk}/" not in client.get("/feed/").content.decode()
    r = api.post(url, {"published": True}, format="json")
    assert r.status_code == 409 and "taken out of the feed" in r.json()["detail"]
