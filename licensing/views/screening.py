"""Pages of the content screen: the talent's "test my rules" and the moderators' refusal counts and
review list. Self-contained (view + form + template each)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.errors import Forbidden
from accounts.web import form_errors_as_page, form_submit

from .. import services
from ..forms import MarkWrongForm, ProfileDecisionForm, ReviewExportForm, RulesTestForm
from ..screening import CATEGORY_DEFINITIONS, CATEGORY_LABELS, SENSITIVE_CATEGORIES
from ..selectors import (
    likeness_list_owned,
    screening_profile_claims_pending,
    screening_refusal_counts,
    screening_refusal_targets,
    screening_refusals_recent,
    screening_review_list,
)


def _category_name(key: str) -> str:
    return CATEGORY_LABELS.get(key, "a rule of the rights holder" if key == "holder_rule" else key.replace("_", " "))


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def rules_test(request):
    """Talent: try sample briefs against your rules (and the default categories) before publishing."""
    if request.user.kind != "talent":
        raise Forbidden("This page is for talent accounts.")
    results = None
    status = 200
    if request.method == "POST":
        form = RulesTestForm(request.POST)
        if not form.is_valid():
            status = 400
            messages.error(request, "The briefs could not be screened: see the form.")
        else:
            results = services.screening_rules_test(briefs=form.cleaned_data["briefs"], rules=form.cleaned_data["rules"])
            for r in results:
                r["category_names"] = [_category_name(c) for c in r["categories"]]
            refused = sum(not r["allowed"] for r in results)
            messages.info(request, f"{len(results)} sample briefs screened: {refused} refused, {len(results) - refused} allowed.")
    else:
        own = likeness_list_owned(user=request.user).first()
        form = RulesTestForm(initial={"rules": "\n".join(own.content_rules or []) if own else ""})
    categories = [(CATEGORY_LABELS[c], CATEGORY_DEFINITIONS[c]) for c in SENSITIVE_CATEGORIES]
    return render(request, "licensing/screening_test.html", {"form": form, "results": results, "categories": categories}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def screening_moderation(request):
    """Moderators: refusals per category (what is attempted, against whom), the latest refusals,
    and the review list of refusals marked wrong (for the training set)."""
    if not request.user.is_moderator:
        raise Forbidden("This page is for moderators.")
    form = MarkWrongForm()
    decision_form = ProfileDecisionForm()
    status = 200
    if request.method == "POST" and request.POST.get("action") == "profile":
        decision_form = ProfileDecisionForm(request.POST)

        def decide(d):
            claim = services.screening_profile_decide(claim_id=d["claim"], actor=request.user, approve=d["decision"] == "approve", reason=d["reason"])
            verb = "approved: the talent may now relax" if d["decision"] == "approve" else "rejected"
            return f"The profile claim for {claim.likeness.name} was {verb}{' its category' if d['decision'] == 'approve' else ''}."

        done = form_submit(request, decision_form, decide, success=lambda text: text, redirect_to="licensing:screening-moderation")
        if done:
            return done
        status = decision_form.status_code
    elif request.method == "POST":
        form = MarkWrongForm(request.POST)
        if form.is_valid():
            services.screening_refusal_mark_wrong(refusal_id=form.cleaned_data["refusal"], actor=request.user, note=form.cleaned_data["note"])
            messages.success(request, "Marked as a wrong refusal: it is on the review list for the training set.")
            return redirect("licensing:screening-moderation")
        messages.error(request, "The review could not be saved: see the form.")
        status = 400
    counts = [{**c, "name": _category_name(c["category"])} for c in screening_refusal_counts()]
    targets = [{**t, "name": _category_name(t["category"])} for t in screening_refusal_targets()]
    recent = list(screening_refusals_recent())
    for r in recent:
        r.category_name = _category_name(r.category)
    return render(
        request, "licensing/screening_moderation.html",
        {"counts": counts, "targets": targets, "recent": recent, "review": screening_review_list()[:100], "form": form,
         "claims": screening_profile_claims_pending(user=request.user), "decision_form": decision_form, "export_form": ReviewExportForm()},
        status=status,
    )


REVIEW_EXPORT_FIELDS = ("brief", "label", "refused_as", "kind", "stage", "note", "marked_wrong_at", "refusal_id")


@login_required
@require_http_methods(["GET"])
@form_errors_as_page
def screening_review_export(request):
    """Moderators: the review list (refusals marked wrong) as a download, CSV or JSON lines, one row
    per refusal, labelled "benign" for the training set (``training.jsonl``'s ``brief``/``label``
    fields). No party's rule or evidence is in it: only the brief, what it was refused as, and the
    moderator's note."""
    import csv
    import io
    import json

    from django.http import HttpResponse

    if not request.user.is_moderator:
        raise Forbidden("This download is for moderators.")
    form = ReviewExportForm(request.GET)
    if not form.is_valid():
        return HttpResponse("Ask for format=csv or format=jsonl.\n", status=400, content_type="text/plain; charset=utf-8")
    rows = [
        {"brief": r.prompt, "label": "benign", "refused_as": r.category, "kind": r.kind, "stage": r.stage,
         "note": r.review_note, "marked_wrong_at": r.marked_wrong_at.isoformat(), "refusal_id": r.pk}
        for r in screening_review_list()
    ]
    if form.cleaned_data["format"] == "jsonl":
        body = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        response = HttpResponse(body, content_type="application/x-ndjson; charset=utf-8")
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=REVIEW_EXPORT_FIELDS)
        writer.writeheader()
        for row in rows:
            # a cell starting with = + - @ would run as a formula in a spreadsheet: quote it
            writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@\t\r" else v) for k, v in row.items()})
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="screening-review.{form.cleaned_data["format"]}"'
    return response
