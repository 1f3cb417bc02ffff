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


def _beside(field: str, exc):
    """A domain error a page shows beside `field` (accounts.web.form_submit reads it)."""
    exc.field = field
    return exc


def ward_person_name(*, likeness: Likeness, guardian: User, person: User, generation_quota: int = 10):
    """The guardian names a person who may use the minor's likeness: on the allow list, with a
    personal, non-commercial licence (no sublicensing, exclusivity or AI training). Refused for
    anyone a minor's likeness is never for (a brand or studio account, a member of one), and
    all or nothing: a refused licence leaves nobody named."""
    from ..models import AccessEntry
    from .evaluation import is_organisation_buyer, is_ward
    from .holdings import access_entry_set, licence_grant

    if likeness.guardian_id != guardian.pk or not is_ward(likeness):
        raise Forbidden("Only the guardian of a minor's likeness names the people who may use it.")
    if person.pk == guardian.pk:
        raise _beside("email", InvalidInput("You hold this likeness already: name someone else."))
    if is_organisation_buyer(person):
        raise _beside("email", Forbidden(f"{person.email} is a brand or studio account (or a member of one): a minor's likeness is never used by them."))
    if not 1 <= int(generation_quota) <= 100:
        raise _beside("generation_quota", InvalidInput("Allow between 1 and 100 generations."))
    with transaction.atomic():
        if AccessEntry.objects.filter(likeness=likeness, user=person, kind=AccessEntry.Kind.ALLOW).exists():
            raise _beside("email", Conflict(f"{person.email} is already named."))
        access_entry_set(holding=likeness, actor=guardian, user=person, kind=AccessEntry.Kind.ALLOW)
        licence = licence_grant(holding=likeness, actor=guardian, licensee=person, commercial_use=False, generation_quota=int(generation_quota))
        audit_record(actor=guardian, action="ward.person_named", obj=likeness, data={"user": person.pk, "licence": str(licence.pk), "likeness": str(likeness.pk)})
    return licence


def ward_person_remove(*, likeness: Likeness, guardian: User, person: User) -> None:
    """The guardian takes a person off the list: their next brief is refused (the policy reads
    the list at every brief), and their personal licences on it end now."""
    from ..models import AccessEntry, Licence
    from .holdings import access_entry_remove, licence_revoke

    if likeness.guardian_id != guardian.pk:
        raise Forbidden("Only the guardian of a minor's likeness names the people who may use it.")
    with transaction.atomic():
        Likeness.objects.select_for_update().get(pk=likeness.pk)
        if not AccessEntry.objects.filter(likeness=likeness, user=person, kind=AccessEntry.Kind.ALLOW).exists():
            raise Conflict(f"{person.email} is not named.")
        access_entry_remove(holding=likeness, actor=guardian, user=person)
        for licence in Licence.objects.select_for_update().filter(likeness=likeness, licensee=person, status=Licence.Status.ACTIVE):
            licence_revoke(licence=licence, actor=guardian, reason="the guardian took them off the list")
        audit_record(actor=guardian, action="ward.person_removed", obj=likeness, data={"user": person.pk, "likeness": str(likeness.pk)})
