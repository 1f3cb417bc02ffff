"""The holder's showcase page (which released outputs their public listing shows) and the public
image of a shown output."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_http_methods

from accounts.web import form_errors_as_page, form_submit, page
from licensing.selectors import access_ip_asset_managed, access_likeness_managed

from . import showcase
from .forms import ShowcaseForm
from .models import ShowcaseItem


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def showcase_edit(request, kind, holding_id):
    if kind == "likeness":
        holding = access_likeness_managed(user=request.user, likeness_id=holding_id)
        listing = f"/market/{holding.pk}/"
    else:
        holding = access_ip_asset_managed(user=request.user, asset_id=holding_id)
        listing = f"/market/ip/{holding.pk}/"
    candidates = list(showcase.showcase_candidates(holding=holding)[:60])
    shown = [str(i.job_id) for i in showcase.showcase_for(holding=holding)]
    form = ShowcaseForm(request.POST if request.method == "POST" else None, candidates=candidates, initial={"jobs": shown})
    if request.method == "POST":
        done = form_submit(
            request, form, lambda d: showcase.showcase_set(holding=holding, actor=request.user, job_ids=d["jobs"]),
            success=lambda items: f"Your listing now shows {len(items)} output{'s' if len(items) != 1 else ''}.",
            redirect_to=request.path,
        )
        if done:
            return done
    ctx = {"holding": holding, "form": form, "listing": listing, "listed": holding.status == "listed", "has_candidates": bool(candidates)}
    return page(request, "generation/showcase_edit.html", ctx, [form])


def showcase_image(request, item_id):
    """Public: an output its rights holder shows on their listing (watermarked and credentialed)."""
    item = ShowcaseItem.objects.filter(pk=item_id).select_related("job", "likeness", "ip_asset").first()
    holding = item and (item.likeness or item.ip_asset)
    if item is None or holding.status != "listed" or item not in showcase.showcase_for(holding=holding):
        raise Http404("No such output on show.")
    response = FileResponse(item.job.output.open("rb"), content_type=item.job.output_mime or "image/png")
    response["Cache-Control"] = "public, max-age=300"
    return response
