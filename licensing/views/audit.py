"""Moderators' oversight: the audit trail (filtered by person, likeness, licence, action), each
likeness's whole history, and the consent document's versions."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.errors import DomainError
from accounts.web import form_errors_as_page, status_for

from .. import services
from ..forms import AuditFilterForm
from ..models import AuditEvent, Likeness
from .reports import moderator_only


@login_required
@form_errors_as_page
def audit_trail(request):
    """Moderators: the audit trail, filtered by person, likeness, licence, action."""
    from django.db.models import Q

    moderator_only(request.user)
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

    moderator_only(request.user)
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
    from ..forms import ConsentDocumentForm
    from ..selectors import consent_document_current

    moderator_only(request.user)
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
