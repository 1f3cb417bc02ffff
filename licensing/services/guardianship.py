"""A minor's likeness and its guardian: the guardian names who may use it and grants them
personal licences; at 18 the person is asked to take it over, and until they do nothing changes."""
from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import User

from ..models import Likeness
from .audit import audit_record
from .evaluation import is_minor

TAKEOVER_SALT = "licensing.likeness-takeover"
TAKEOVER_MAX_AGE = 60 * 60 * 24 * 365  # the invitation stands for a year; the guardian can ask again


def takeover_token(likeness: Likeness) -> str:
    return signing.dumps({"likeness": str(likeness.pk), "email": likeness.ward_email}, salt=TAKEOVER_SALT)


def minors_coming_of_age(*, today=None) -> list[Likeness]:
    """Run on a schedule: every guardian-held likeness whose person is now 18 gets one invitation
    to take it over (by e-mail to the person, copied to the guardian). Nothing else changes."""
    today = today or timezone.now().date()
    asked = []
    for pk in Likeness.objects.filter(guardian__isnull=False, takeover_requested_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            likeness = Likeness.objects.select_for_update(of=("self",)).select_related("guardian").get(pk=pk)
            if likeness.takeover_requested_at or likeness.guardian_id is None or is_minor(likeness, today):
                continue
            likeness.takeover_requested_at = timezone.now()
            likeness.save(update_fields=["takeover_requested_at", "updated_at"])
            audit_record(actor=None, action="likeness.takeover_requested", obj=likeness, data={"ward_email": likeness.ward_email})
            link = f"{settings.SITE_URL}/talent/likenesses/{likeness.pk}/take-over/?token={takeover_token(likeness)}"
            to = [e for e in (likeness.ward_email, likeness.guardian.email) if e]
            subject = f"Rightscast: {likeness.name} is 18 — take over your likeness"
            body = (
                f"{likeness.name} is now 18. Your parent or guardian has managed your likeness until now; it is yours to manage.\n"
                f"Sign in (or sign up with {likeness.ward_email or 'your own e-mail'}) and open: {link}\n"
                "Until you take it over, nothing changes: it stays private and non-commercial."
            )
            transaction.on_commit(lambda s=subject, b=body, t=to: send_mail(s, b, None, t, fail_silently=True))
            asked.append(likeness)
    return asked


def likeness_take_over(*, likeness: Likeness, user: User, token: str) -> Likeness:
    """The person, now 18, takes over their likeness from their guardian. They must hold the
    invitation and sign in with the address the guardian gave; their own consent is needed again
    (the guardian's no longer counts) before anything new happens."""
    from allauth.account.models import EmailAddress

    try:
        data = signing.loads(token or "", salt=TAKEOVER_SALT, max_age=TAKEOVER_MAX_AGE)
    except signing.BadSignature:
        raise InvalidInput("This take-over link is not valid or has expired; ask your guardian to send it again.", code="bad_token")
    if data.get("likeness") != str(likeness.pk):
        raise InvalidInput("This take-over link is for another likeness.", code="bad_token")
    if user.kind != User.Kind.TALENT:
        raise Forbidden("Take over your likeness from a talent account.")
    with transaction.atomic():
        locked = Likeness.objects.select_for_update().get(pk=likeness.pk)
        if locked.guardian_id is None or locked.takeover_requested_at is None:  # set only once the person is 18
            raise Conflict("This likeness is not waiting to be taken over.")
        if locked.guardian_id == user.pk:
            raise Forbidden("The guardian cannot take the likeness over; the person themselves does.")
        email = (data.get("email") or "").lower()
        if not email or not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
            raise Forbidden("Sign in with the verified e-mail address your guardian gave for you.", code="wrong_person")
        guardian_id = locked.guardian_id
        locked.owner = user
        locked.guardian = None
        locked.save(update_fields=["owner", "guardian", "updated_at"])
        audit_record(actor=user, action="likeness.taken_over", obj=locked, data={"from_guardian": guardian_id})
    return locked
