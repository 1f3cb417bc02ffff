from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.errors import DomainError, Forbidden, InvalidInput
from accounts.throttle import limited
from accounts.uploads import read_bounded
from accounts.web import form_errors_as_page, status_for
from licensing.selectors import access_licence

from . import services
from .api import output_response
from .models import GenerationJob
from .selectors import access_job, consent_ledger_rows, may_see_output, may_take_down, use_list_for_talent
from .verification import verify_bytes


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def brief_new(request, licence_id):
    licence = access_licence(user=request.user, licence_id=licence_id)
    if licence.licensee_id != request.user.pk:
        raise Forbidden("Only the licensee can generate under this licence.")
    if request.method == "POST":
        seed_raw = (request.POST.get("seed") or "").strip()
        try:
            seed = int(seed_raw) if seed_raw else None
        except ValueError:
            raise InvalidInput("The seed must be a whole number (or left empty).")
        brief = services.brief_submit(
            requester=request.user,
            licence_id=licence.pk,
            prompt=request.POST.get("prompt", ""),
            seed=seed,
            extra_licence_ids=request.POST.getlist("extra_licences"),
            channel=request.POST.get("channel", ""),
            territory=(request.POST.get("territory") or "").strip(),
            media=request.POST.get("media") or "image",
        )
        if brief.status == brief.Status.AWAITING_APPROVAL:
            messages.info(request, "The rights holder approves briefs before they run: yours is waiting for them.")
            return redirect("home")
        return redirect("generation:job", brief.job.pk)
    from licensing.models import CHANNELS
    from licensing.selectors import licence_list_for_licensee

    others = [lic for lic in licence_list_for_licensee(user=request.user) if lic.pk != licence.pk and lic.status == "active"]
    # the form offers only what the licence allows (all channels where it is unrestricted)
    channels = list(licence.terms.channels) or list(CHANNELS)
    return render(
        request, "generation/brief_new.html",
        {"licence": licence, "channels": channels, "territories": list(licence.terms.territories), "other_licences": others},
    )


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def job_detail(request, job_id):
    job = access_job(user=request.user, job_id=job_id)
    if request.method == "POST":
        if request.POST.get("action") == "take_down":
            services.output_take_down(job=job, actor=request.user, reason=request.POST.get("reason", ""))
        elif request.POST.get("action") == "cancel":
            services.job_cancel(job=job, actor=request.user)
        else:
            raise InvalidInput("Unknown action.")
        return redirect("generation:job", job.pk)
    return render(
        request,
        "generation/job_detail.html",
        {
            "job": job,
            "brief": job.brief,
            "can_see_output": may_see_output(user=request.user, job=job),
            "can_take_down": may_take_down(user=request.user, job=job) and not job.taken_down_at and bool(job.output),
        },
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
    return render(request, "generation/uses.html", {"uses": use_list_for_talent(user=request.user)[:500]})


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

    if request.method == "POST":
        approval = get_or_not_found(Approval.objects.all(), "No such approval.", pk=request.POST.get("approval"))
        services.approval_decide(
            approval=approval, actor=request.user, approve=request.POST.get("action") == "approve", reason=request.POST.get("reason", "")
        )
        return redirect("generation:approvals")
    pending = approvals_pending_for(user=request.user)
    jobs = {str(j.brief_id): j for j in GenerationJob.objects.filter(brief_id__in=[a.reference for a in pending])}
    return render(request, "generation/approvals.html", {"pending": [(a, jobs.get(a.reference)) for a in pending]})


@require_http_methods(["GET", "POST"])
@limited("verify")
def verify(request):
    """Public: anyone drops a file in and learns whether it was made here."""
    if request.method == "POST":
        f = request.FILES.get("file")
        try:
            if f is None:
                raise InvalidInput("Choose a file to check.")
            answer = verify_bytes(read_bounded(f, settings.UPLOAD_MAX_BYTES), name=f.name)
        except DomainError as exc:
            return render(request, "generation/verify.html", {"error": exc.message}, status=status_for(exc))
        return render(request, "generation/verify.html", {"answer": answer, "filename": f.name})
    return render(request, "generation/verify.html", {})
