"""Pages for misuse reports (public form, moderators' queue), the audit trail and a likeness's
history. Django forms: errors beside the field, input kept."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.errors import DomainError, Forbidden
from accounts.throttle import limited
from accounts.web import form_errors_as_page, status_for

from . import services
from .forms import AuditFilterForm, MisuseReportForm, MisuseReportHandleForm
from .models import AuditEvent, Likeness, MisuseReport


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


def _moderator_only(user):
    if not user.is_moderator:
        raise Forbidden("This page is for moderators.")


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def reports_queue(request):
    from .selectors import access_misuse_report, misuse_reports_queue

    _moderator_only(request.user)
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


@login_required
@form_errors_as_page
def audit_trail(request):
    """Moderators: the audit trail, filtered by person, likeness, licence, action."""
    from django.db.models import Q

    _moderator_only(request.user)
    form = AuditFilterForm(request.GET or None, auto_id="%s")
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    if form.is_valid():
        d = form.cleaned_data
        if d["person"]:
            events = events.filter(actor__email__iexact=d["person"].strip())
        if d["likeness"]:
            lid = str(d["likeness"])
            events = events.filter(Q(object_id=lid) | Q(data__likeness=lid) | Q(data__holding=lid))
        if d["licence"]:
            events = events.filter(object_type="licensing.licence", object_id=str(d["licence"]))
        if d["action"]:
            events = events.filter(action__startswith=d["action"].strip())
    return render(request, "licensing/audit.html", {"form": form, "events": events[:500]})


@login_required
@form_errors_as_page
def likeness_history(request, likeness_id):
    """Moderators: everything that happened to one likeness, its verifications, consents,
    licences and reports, oldest first."""
    from django.db.models import Q

    from accounts.errors import get_or_not_found

    _moderator_only(request.user)
    likeness = get_or_not_found(Likeness.objects.select_related("owner", "guardian"), "No such likeness.", pk=likeness_id)
    ids = [str(likeness.pk)]
    ids += [str(x) for x in likeness.verifications.values_list("pk", flat=True)]
    ids += [str(x) for x in likeness.licences.values_list("pk", flat=True)]
    ids += [str(x) for x in likeness.misuse_reports.values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(Q(object_id__in=ids) | Q(data__likeness=str(likeness.pk))).select_related("actor").order_by("id")
    return render(request, "licensing/likeness_history.html", {"likeness": likeness, "events": events, "consents": likeness.consents.select_related("user", "document").order_by("id")})


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def consent_document(request):
    """Moderators: publish a new version of the consent document, with a grace period."""
    from .forms import ConsentDocumentForm
    from .selectors import consent_document_current

    _moderator_only(request.user)
    current = consent_document_current()
    form = ConsentDocumentForm(request.POST or None, auto_id="%s", initial={"title": current.title if current else "", "text": current.text if current else ""})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                doc = services.consent_document_publish(title=d["title"], text=d["text"], moderator=request.user, grace_days=d["grace_days"])
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = status_for(exc)
            else:
                messages.success(request, f"Version {doc.version} published; every talent has been told.")
                return redirect("licensing:consent-document")
    return render(request, "licensing/consent_document.html", {"form": form, "current": current}, status=status)
