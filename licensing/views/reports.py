"""Misuse reports: the public form (anyone, signed in or not) and the moderators' queue. Django
forms: errors beside the field, input kept."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.errors import DomainError, Forbidden
from accounts.throttle import limited
from accounts.web import form_errors_as_page, status_for

from .. import services
from ..forms import MisuseReportForm, MisuseReportHandleForm
from ..models import MisuseReport


@require_http_methods(["GET", "POST"])
@limited("public")
def report(request):
    """Anyone, signed in or not: report misuse (from the verify answer, an output's page, or
    "report use of my likeness")."""
    initial = {"generation_id": request.GET.get("generation", "")[:64]}
    if request.GET.get("likeness"):
        initial["kind"] = "my_likeness"
    form = MisuseReportForm(request.POST or None, request.FILES or None, initial=initial, auto_id="%s")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                created = services.misuse_report_create(
                    reporter=request.user if request.user.is_authenticated else None, email=d["email"], kind=d["kind"],
                    description=d["description"], link=d["link"], evidence=d["file"], generation_id=d["generation_id"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = status_for(exc)
            else:
                messages.success(request, f"Thank you: your report is in. A moderator looks at it by {created.due_at:%d %B %Y}; we answer by e-mail.")
                return redirect("licensing:report")
    return render(request, "licensing/report.html", {"form": form}, status=status)


def moderator_only(user):
    if not user.is_moderator:
        raise Forbidden("This page is for moderators.")


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def reports_queue(request):
    from ..selectors import access_misuse_report, misuse_reports_queue

    moderator_only(request.user)
    if request.method == "POST":
        form = MisuseReportHandleForm(request.POST)
        r = access_misuse_report(user=request.user, report_id=request.POST.get("report"))
        if form.is_valid():
            d = form.cleaned_data
            if d["status"]:
                r = services.misuse_report_transition(report=r, moderator=request.user, to=d["status"], note=d["note"])
            if d["action"]:
                r = services.misuse_report_act(report=r, moderator=request.user, action=d["action"], note=d["note"])
            if d["answer"]:
                r = services.misuse_report_answer(report=r, moderator=request.user, answer=d["answer"])
            messages.success(request, f"Report updated: {r.get_status_display()}.")
        else:
            messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("licensing:reports")
    status = request.GET.get("status") or None
    if status not in (None, *MisuseReport.Status.values):
        status = None
    rows = [(r, MisuseReportHandleForm(auto_id=f"r{r.pk.hex[:8]}_%s")) for r in misuse_reports_queue(user=request.user, status=status)]
    return render(request, "licensing/reports.html", {"rows": rows, "statuses": MisuseReport.Status.choices, "status": status})
