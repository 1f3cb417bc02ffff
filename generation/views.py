from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.errors import DomainError, Forbidden, InvalidInput
from accounts.uploads import read_bounded
from accounts.web import form_errors_as_page, status_for
from licensing.selectors import access_licence

from . import services
from .api import output_response
from .selectors import access_job, use_list_for_talent
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
        brief = services.brief_submit(requester=request.user, licence_id=licence.pk, prompt=request.POST.get("prompt", ""), seed=seed)
        return redirect("generation:job", brief.job.pk)
    return render(request, "generation/brief_new.html", {"licence": licence})


@login_required
@form_errors_as_page
def job_detail(request, job_id):
    job = access_job(user=request.user, job_id=job_id)
    return render(request, "generation/job_detail.html", {"job": job, "brief": job.brief})


@login_required
@form_errors_as_page
def job_output(request, job_id):
    return output_response(access_job(user=request.user, job_id=job_id))


@login_required
@form_errors_as_page
def uses(request):
    if request.user.kind != "talent":
        raise Forbidden("This page is for talent accounts.")
    return render(request, "generation/uses.html", {"uses": use_list_for_talent(user=request.user)[:500]})


@require_http_methods(["GET", "POST"])
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
