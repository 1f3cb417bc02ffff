from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.errors import DomainError, Forbidden, InvalidInput
from accounts.throttle import limited
from accounts.uploads import read_bounded
from accounts.web import form_errors_as_page, form_submit, page, status_for
from licensing.selectors import access_licence

from . import services, variants
from .api import output_response
from .forms import ApprovalForm, BriefForm, PublishForm, TakeDownForm, VerifyForm
from .models import GenerationJob
from .selectors import access_job, consent_ledger_rows, may_see_output, may_take_down, use_list_for_talent
from .verification import verify_bytes


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def brief_new(request, licence_id):
    """The brief form; `?parent=<brief id>` makes it a remix of a released output."""
    from licensing.models import CHANNELS
    from licensing.selectors import licence_list_for_licensee

    licence = access_licence(user=request.user, licence_id=licence_id)
    if licence.licensee_id != request.user.pk:
        raise Forbidden("Only the licensee can generate under this licence.")
    others, named = [], {(licence.likeness_id, licence.ip_asset_id)}
    for lic in licence_list_for_licensee(user=request.user):  # one licence per party: the newest active one
        if lic.status == "active" and (lic.likeness_id, lic.ip_asset_id) not in named:
            named.add((lic.likeness_id, lic.ip_asset_id))
            others.append(lic)
    parent = None
    parent_id = request.POST.get("parent") if request.method == "POST" else request.GET.get("parent")
    if parent_id:
        from .selectors import access_remixable

        parent = access_remixable(user=request.user, brief_id=parent_id)
    initial = {"parent": str(parent.brief_id) if parent else ""}
    needed, missing = [], []
    if parent:
        # the licences the remix needs: one for every party in the parent; the ones held are ticked,
        # the ones missing are offered for sale
        held = {licence.holding, *[o.holding for o in others]}
        needed = [o for o in others if o.holding in _parties_of(parent.brief)]
        missing = [p for p in _parties_of(parent.brief) if p not in held]
    if parent and request.method == "GET":
        initial["prompt"] = parent.brief.prompt
        initial["extra_licences"] = [str(o.pk) for o in needed]
    # the form offers only what the licence allows: its channels and territories when it names them
    form = BriefForm(
        request.POST or None, initial=initial, channels=list(licence.terms.channels) or list(CHANNELS), other_licences=others,
        remix=parent is not None, restricted_channels=bool(licence.terms.channels), territories=list(licence.terms.territories),
    )
    if request.method == "POST":
        def submit(d):
            return variants.brief_submit_variants(
                variants=d.get("variants") or 1,
                requester=request.user, licence_id=licence.pk, prompt=d["prompt"], seed=d["seed"],
                extra_licence_ids=d.get("extra_licences") or [], channel=d["channel"], territory=d["territory"], media=d["media"],
                parent_brief_id=d["parent"] or None,
                remix_strength=d.get("remix_strength") if d["parent"] else None,
            )

        def success(made):
            b = made[0]
            if len(made) > 1:
                return f"{len(made)} variants submitted: mark the winners when they are done."
            if b.status == b.Status.AWAITING_APPROVAL:
                return "The rights holder approves briefs before they run: yours is waiting for them. We will tell you when they answer."
            return "Brief accepted: your generation is queued."

        def target(made):
            b = made[0]
            if len(made) > 1:
                return reverse("generation:variants", args=[b.variant_group])
            return "/" if b.status == b.Status.AWAITING_APPROVAL else f"/jobs/{b.job.pk}/"

        done = form_submit(request, form, submit, success=success, redirect_to=target)
        if done:
            return done
    return page(request, "generation/brief_new.html", {"licence": licence, "form": form, "parent": parent, "needed": needed, "missing": missing}, [form])


def _parties_of(brief) -> list:
    return [brief.licence.holding, *[x.holding for x in brief.extra_licences.all()]]


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def job_detail(request, job_id):
    job = access_job(user=request.user, job_id=job_id)
    action = request.POST.get("action") if request.method == "POST" else None
    takedown = TakeDownForm(request.POST if action == "take_down" else None)
    publish = PublishForm(request.POST if action == "publish" else None)
    if action == "take_down":
        done = form_submit(
            request, takedown, lambda d: services.output_take_down(job=job, actor=request.user, reason=d["reason"]),
            success="Taken down: the output is no longer served anywhere.", redirect_to=f"/jobs/{job.pk}/",
        )
        if done:
            return done
    elif action == "publish":
        from .feed import feed_publish

        done = form_submit(
            request, publish, lambda d: feed_publish(job=job, actor=request.user, caption=d["caption"]),
            success="Published to the feed.", redirect_to=lambda post: f"/feed/{post.pk}/",
        )
        if done:
            return done
    elif action == "cancel":
        services.job_cancel(job=job, actor=request.user)
        messages.success(request, "Cancelled: nothing more will be generated for this brief.")
        return redirect("generation:job", job.pk)
    elif action is not None:
        raise InvalidInput("Unknown action.")
    return page(
        request,
        "generation/job_detail.html",
        {
            "job": job,
            "brief": job.brief,
            "can_see_output": may_see_output(user=request.user, job=job),
            "can_cancel": job.brief.requester_id == request.user.pk and job.status in (GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING),
            "can_take_down": may_take_down(user=request.user, job=job) and not job.taken_down_at and bool(job.output),
            "takedown_form": takedown,
            "publish_form": publish,
            "feed_post": getattr(job, "feed_post", None),
            "can_publish": job.status == GenerationJob.Status.RELEASED and not job.taken_down_at and not hasattr(job, "feed_post")
            and (job.brief.requester_id == request.user.pk or may_take_down(user=request.user, job=job)),
        },
        [takedown, publish],
    )


@login_required
@form_errors_as_page
def job_output(request, job_id):
    return output_response(access_job(user=request.user, job_id=job_id), request.user)


@login_required
@form_errors_as_page
def uses(request):
    if request.user.kind not in ("talent", "studio"):
        raise Forbidden("This page is for talent and studio accounts.")
    from licensing.selectors import screening_refusals_for_holder

    uses = list(use_list_for_talent(user=request.user)[:500])
    # the exact rule of yours that refused each brief (your own words only)
    own_rules = screening_refusals_for_holder(user=request.user, references=[str(b.pk) for b in uses])
    for b in uses:
        b.own_rule_refusals = own_rules.get(str(b.pk), [])
    return render(request, "generation/uses.html", {"uses": uses})


@login_required
@form_errors_as_page
def consent_ledger(request):
    """Per generation involving the holder: terms, prompt hash, approvals, model, watermark
    payload. ?format=csv or json (a moderator gets every generation)."""
    return ledger_response(consent_ledger_rows(briefs=consent_ledger_queryset(request.user)), request.GET.get("format", "json"))


def consent_ledger_queryset(user):
    from .models import Brief

    if user.is_moderator:
        return Brief.objects.order_by("created_at")
    return use_list_for_talent(user=user).order_by("created_at")


def ledger_response(rows: list[dict], fmt: str):
    import csv
    import io
    import json

    from django.http import HttpResponse

    if fmt == "csv":
        buf = io.StringIO()
        fields = list(rows[0].keys()) if rows else ["brief_id"]
        writer = csv.DictWriter(buf, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in row.items()})
        response = HttpResponse(buf.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="rightscast-consent-ledger.csv"'
        return response
    if fmt != "json":
        raise InvalidInput("The format is csv or json.")
    response = HttpResponse(json.dumps(rows, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="rightscast-consent-ledger.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def approvals(request):
    """The holder's queue: briefs and outputs waiting for their say."""
    from accounts.errors import get_or_not_found
    from licensing.models import Approval
    from licensing.selectors import approvals_pending_for

    form = ApprovalForm(request.POST or None)
    if request.method == "POST":
        approval = get_or_not_found(Approval.objects.all(), "No such approval.", pk=request.POST.get("approval"))
        decision = request.POST.get("action")
        if decision not in ("approve", "reject"):
            raise InvalidInput("Choose approve or reject.")
        done = form_submit(
            request, form,
            lambda d: services.approval_decide(approval=approval, actor=request.user, approve=decision == "approve", reason=d["reason"]),
            success=f"{'Approved' if decision == 'approve' else 'Rejected'}: {approval.requester} has been told.",
            redirect_to="/talent/approvals/",
        )
        if done:
            return done
    pending = approvals_pending_for(user=request.user)
    jobs = {str(j.brief_id): j for j in GenerationJob.objects.filter(brief_id__in=[a.reference for a in pending])}
    return page(request, "generation/approvals.html", {"pending": [(a, jobs.get(a.reference)) for a in pending], "form": form}, [form])


@require_http_methods(["GET", "POST"])
@limited("verify")
def verify(request):
    """Public: anyone drops a file in and learns whether it was made here."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "generation/verify.html", {"form": form}, status=400)
        f = form.cleaned_data["file"]
        try:
            answer = verify_bytes(read_bounded(f, settings.UPLOAD_MAX_BYTES), name=f.name)
        except DomainError as exc:
            form.add_error("file", exc.message)
            return render(request, "generation/verify.html", {"form": form}, status=status_for(exc))
        return render(request, "generation/verify.html", {"answer": answer, "filename": f.name, "form": VerifyForm()})
    return render(request, "generation/verify.html", {"form": form})


@form_errors_as_page
def lineage(request, job_id):
    """Where an output comes from and what was made from it: its remix ancestors and descendants,
    with the parties credited (and paid) at each step."""
    from accounts.errors import NotFound

    from .models import GenerationJob as Job
    from .selectors import feed_posts, lineage_for

    try:
        if not request.user.is_authenticated:
            raise NotFound("No such job.")
        job = access_job(user=request.user, job_id=job_id)
    except NotFound:
        if not feed_posts().filter(job_id=job_id).exists():
            raise
        job = Job.objects.select_related("brief").get(pk=job_id)
    return render(request, "generation/lineage.html", {"job": job, **lineage_for(job=job, user=request.user)})


@login_required
def gallery(request):
    """A licensee's outputs, with filters: who they were licensed from, kind, state, order."""
    from django.core.paginator import Paginator

    from licensing.selectors import licence_list_for_licensee

    from .forms import GalleryFilterForm
    from .models import Brief

    holdings = {}
    for lic in licence_list_for_licensee(user=request.user):
        holdings[f"{'l' if lic.likeness_id else 'a'}:{lic.likeness_id or lic.ip_asset_id}"] = lic.holding.name
    form = GalleryFilterForm(request.GET or None, holdings=sorted(holdings.items(), key=lambda p: p[1]))
    f = form.cleaned_data if form.is_valid() else {}
    briefs = Brief.objects.filter(requester=request.user, job__isnull=False).select_related("job", "licence__likeness", "licence__ip_asset")
    if f.get("holding"):
        kind, _, pk = f["holding"].partition(":")
        briefs = briefs.filter(**({"licence__likeness_id": pk} if kind == "l" else {"licence__ip_asset_id": pk}))
    if f.get("media"):
        briefs = briefs.filter(media=f["media"])
    if f.get("status") == "failed":
        briefs = briefs.filter(job__status__in=["failed", "cancelled", "quarantined"])
    elif f.get("status"):
        briefs = briefs.filter(job__status=f["status"])
    briefs = briefs.order_by("created_at" if f.get("sort") == "old" else "-created_at")
    page_obj = Paginator(briefs, 24).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "generation/gallery.html", {"form": form, "page_obj": page_obj, "query": query.urlencode()},
                  status=400 if form.is_bound and not form.is_valid() else 200)


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def variant_set(request, group_id):
    """A set of variants: each one's state and output, winners marked, winners exported."""
    from accounts.errors import get_or_not_found

    from .models import Brief

    if request.method == "POST":
        brief = get_or_not_found(Brief.objects.filter(requester=request.user, variant_group=group_id), "No such variant.", pk=request.POST.get("brief"))
        winner = request.POST.get("action") == "win"
        variants.variant_mark_winner(brief=brief, actor=request.user, winner=winner)
        messages.success(request, f"Variant {brief.variant_index + 1} " + ("marked as a winner." if winner else "is no longer a winner."))
        return redirect("generation:variants", group_id)
    briefs = variants.variant_group_briefs(user=request.user, group_id=group_id)
    return render(request, "generation/variants.html", {"briefs": briefs, "group_id": group_id, "winners": sum(b.is_winner for b in briefs)})


@login_required
@form_errors_as_page
def variant_export(request, group_id):
    from .api import variant_zip_response

    return variant_zip_response(request.user, group_id)
