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
