"""The public feed's pages: the grid, a post with its likes and comments, the public image, the
remix button, and the moderators' queue of reported comments."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.errors import Forbidden, InvalidInput
from accounts.web import form_errors_as_page, form_submit, page

from . import feed
from .forms import CommentForm
from .selectors import access_feed_post, feed_posts, reported_comments


def feed_grid(request):
    """Public: released outputs their makers or rights holders chose to show."""
    page_obj = Paginator(feed_posts(), 24).get_page(request.GET.get("page"))
    liked = set()
    if request.user.is_authenticated:
        from .models import FeedLike

        liked = {str(x) for x in FeedLike.objects.filter(user=request.user, post__in=list(page_obj)).values_list("post_id", flat=True)}
    return render(request, "generation/feed.html", {"page_obj": page_obj, "liked": liked})


@require_http_methods(["GET", "POST"])
@form_errors_as_page
def feed_post(request, post_id):
    post = access_feed_post(post_id=post_id)
    here = f"/feed/{post.pk}/"
    action = request.POST.get("action") if request.method == "POST" else None
    form = CommentForm(request.POST if action == "comment" else None)
    if action and not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={here}")
    if action == "like":
        now = feed.feed_like_toggle(post=post, user=request.user)
        messages.success(request, "Liked." if now else "Like removed.")
        return redirect(here)
    if action == "comment":
        done = form_submit(request, form, lambda d: feed.comment_add(post=post, author=request.user, text=d["text"]), success="Comment posted.", redirect_to=here)
        if done:
            return done
    elif action == "report":
        feed.comment_report(comment_id=request.POST.get("comment"), reporter=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "Thanks: a moderator will look at that comment.")
        return redirect(here)
    elif action == "remove_comment":
        feed.comment_remove(comment_id=request.POST.get("comment"), actor=request.user)
        messages.success(request, "Comment removed.")
        return redirect(here)
    elif action == "unpublish":
        feed.feed_unpublish(post=post, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "Taken out of the feed.")
        return redirect("/feed/")
    elif action is not None:
        raise InvalidInput("Unknown action.")
    comments = post.comments.filter(status="visible").select_related("author").order_by("created_at")
    liked = request.user.is_authenticated and post.likes.filter(user=request.user).exists()
    brief = post.job.brief
    parties = [brief.licence.holding, *[x.holding for x in brief.extra_licences.all()]]
    return page(request, "generation/feed_post.html", {"post": post, "comments": comments, "form": form, "liked": liked, "parties": parties}, [form])


def feed_image(request, post_id):
    """The public image of a post in the feed (the output, watermarked and credentialed)."""
    from .selectors import feed_posts

    post = feed_posts().filter(pk=post_id).select_related("job").first()
    if post is None or not post.job.output:
        raise Http404("No such post in the feed.")
    response = FileResponse(post.job.output.open("rb"), content_type=post.job.output_mime or "image/png")
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_required
@form_errors_as_page
def feed_remix(request, post_id):
    """Remix: the brief form with the parent filled in, under the viewer's licence for the work's
    lead rights holder; without one, the listing to buy it."""
    from licensing.models import Licence

    post = access_feed_post(post_id=post_id)
    brief = post.job.brief
    lead = brief.licence
    licence = (
        Licence.objects.filter(licensee=request.user, status=Licence.Status.ACTIVE, likeness_id=lead.likeness_id, ip_asset_id=lead.ip_asset_id)
        .order_by("-created_at").first()
    )
    if licence is None:
        messages.info(request, f"To remix this you need a licence for {lead.holding.name}: choose one below.")
        # Bought from there, the licence's sale is shared up this work's chain (`?remix=`).
        if lead.likeness_id:
            return redirect(reverse("marketplace:listing", args=[lead.likeness_id]) + f"?remix={brief.pk}")
        return redirect(reverse("marketplace:asset-listing", args=[lead.ip_asset_id]) + f"?remix={brief.pk}")
    return redirect(f"/licences/{licence.pk}/brief/?parent={brief.pk}")


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def comment_reports(request):
    """Moderators: reported comments, to remove or leave."""
    if not request.user.is_moderator:
        raise Forbidden("This queue is for moderators.")
    if request.method == "POST":
        feed.comment_remove(comment_id=request.POST.get("comment"), actor=request.user)
        messages.success(request, "Comment removed.")
        return redirect("/moderation/comments/")
    return render(request, "generation/comment_reports.html", {"comments": reported_comments()[:200]})
