"""The public feed's writes: publishing a released output, likes, comments, reports and removal.
Reads are in `generation.selectors` (feed_posts, access_feed_post)."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput, get_or_not_found
from accounts.models import User
from licensing.services import audit_record

from .models import CommentReport, FeedComment, FeedLike, FeedPost, GenerationJob
from .selectors import _holder_brief_ids


def feed_publish(*, job: GenerationJob, actor: User, caption: str = "") -> FeedPost:
    """The licensee who made it, or a rights holder it involves, publishes a released output."""
    if actor.pk != job.brief.requester_id and str(job.brief_id) not in _holder_brief_ids(actor):
        raise Forbidden("Only the person who made this output, or a rights holder in it, can publish it.")
    caption = (caption or "").strip()
    if len(caption) > 280:
        raise InvalidInput("The caption is at most 280 characters.")
    with transaction.atomic():
        locked = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != GenerationJob.Status.RELEASED or locked.taken_down_at:
            raise Conflict("Only a released output that was not taken down can go in the feed.")
        if FeedPost.objects.filter(job=locked).exists():
            raise Conflict("This output is already in the feed.")
        post = FeedPost.objects.create(job=locked, author=actor, caption=caption)
        audit_record(actor=actor, action="feed.published", obj=post, data={"job": str(locked.pk)})
    return post


def feed_unpublish(*, post: FeedPost, actor: User, reason: str = "") -> FeedPost:
    if actor.pk != post.author_id and not actor.is_moderator:
        raise Forbidden("Only its author or a moderator can take a post out of the feed.")
    with transaction.atomic():
        locked = FeedPost.objects.select_for_update().get(pk=post.pk)
        if locked.removed_at is None:
            locked.removed_at, locked.removed_reason = timezone.now(), (reason or "")[:500]
            locked.save(update_fields=["removed_at", "removed_reason"])
            audit_record(actor=actor, action="feed.removed", obj=locked, data={"reason": locked.removed_reason})
    return locked


def feed_like_toggle(*, post: FeedPost, user: User) -> bool:
    """Like or unlike; returns whether the user now likes it. Safe to repeat concurrently."""
    deleted, _ = FeedLike.objects.filter(post=post, user=user).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            FeedLike.objects.create(post=post, user=user)
    except IntegrityError:
        pass
    return True


def comment_add(*, post: FeedPost, author: User, text: str) -> FeedComment:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Write a comment first.")
    if len(text) > 1000:
        raise InvalidInput("A comment is at most 1,000 characters.")
    comment = FeedComment.objects.create(post=post, author=author, text=text)
    if post.author_id != author.pk:
        from accounts.notifications import Kind, notify

        notify(user=post.author, kind=Kind.FEED, title=f"{author} commented on your post", body=text[:300], url=f"/feed/{post.pk}/")
    return comment


def comment_report(*, comment_id, reporter: User, reason: str = "") -> CommentReport:
    comment = get_or_not_found(FeedComment.objects.filter(status=FeedComment.Status.VISIBLE), "No such comment.", pk=comment_id)
    if comment.author_id == reporter.pk:
        raise Conflict("You cannot report your own comment; delete it instead.")
    report, _ = CommentReport.objects.get_or_create(comment=comment, reporter=reporter, defaults={"reason": (reason or "")[:300]})
    return report


def comment_remove(*, comment_id, actor: User) -> FeedComment:
    """Its author, the post's author or a moderator removes a comment."""
    comment = get_or_not_found(FeedComment.objects.select_related("post"), "No such comment.", pk=comment_id)
    if actor.pk not in (comment.author_id, comment.post.author_id) and not actor.is_moderator:
        raise Forbidden("Only its author, the post's author or a moderator can remove a comment.")
    with transaction.atomic():
        FeedComment.objects.filter(pk=comment.pk).update(status=FeedComment.Status.REMOVED, removed_by=actor)
        audit_record(actor=actor, action="feed.comment_removed", obj=comment.post, data={"comment": str(comment.pk)})
    comment.refresh_from_db()
    return comment
