"""A guardian names the people who may use their ward's likeness: personal, non-commercial use
only, never a brand or studio (the policy checks the list at every brief)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from accounts.errors import InvalidInput, NotFound, get_or_not_found
from accounts.web import form_errors_as_page, form_submit, page

from .. import services
from ..forms import WardPersonForm
from ..models import AccessEntry
from ..selectors import access_likeness_owned
from .talent import _room


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def likeness_named(request, likeness_id):
    from ..api import user_by_email

    likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
    if likeness.guardian_id != request.user.pk:
        raise NotFound("Only a minor's likeness has people named by a guardian.")
    here = f"/talent/likenesses/{likeness.pk}/named/"
    action = request.POST.get("action") if request.method == "POST" else None
    form = WardPersonForm(request.POST if action == "name" else None, prefix="named")
    if action == "name":
        def name(d):
            try:
                person = user_by_email(d["email"])
            except NotFound:
                exc = InvalidInput("No Rightscast account has that e-mail address: ask them to sign up first.")
                exc.field = "email"
                raise exc
            services.ward_person_name(likeness=likeness, guardian=request.user, person=person, generation_quota=d["generation_quota"])
            return person

        done = form_submit(
            request, form, name,
            success=lambda p: f"{p.email} may now use “{likeness.name}” for personal, non-commercial work.", redirect_to=here,
        )
        if done:
            return done
    elif action == "remove":
        entry = get_or_not_found(likeness.access_entries.filter(kind=AccessEntry.Kind.ALLOW).select_related("user"), "That person is not named.", pk=request.POST.get("entry") or 0)
        services.ward_person_remove(likeness=likeness, guardian=request.user, person=entry.user)
        messages.success(request, f"{entry.user.email} is no longer named: their next brief is refused and their licence has ended.")
        return redirect(here)
    elif action is not None:
        raise InvalidInput("Unknown action.")
    named = likeness.access_entries.filter(kind=AccessEntry.Kind.ALLOW).select_related("user").order_by("user__email")
    licences = {lic.licensee_id: lic for lic in likeness.licences.filter(status="active").select_related("terms")}
    rows = [(e, licences.get(e.user_id)) for e in named]
    return page(request, "licensing/talent/named.html", _room(likeness, "named", form=form, rows=rows), [form])
