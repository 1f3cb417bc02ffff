"""Organisations as payees: a studio is paid as one party (its holder, see models.OrganisationHolder)
and onboarded to Connect by an owner or admin member."""
from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction

from accounts.errors import Forbidden
from accounts.models import Membership, Organisation, User
from licensing import services as licensing

from ..models import OrganisationHolder

PAYOUT_ROLES = (Membership.Role.OWNER, Membership.Role.ADMIN)


def organisation_holder(*, organisation: Organisation | int) -> User:
    """The holder of an organisation's money, created the first time it is needed (concurrent
    creators are fine: the unique constraint decides and the loser reads the winner's row)."""
    org_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    found = OrganisationHolder.objects.filter(organisation_id=org_id).select_related("user").first()
    if found is not None:
        return found.user
    org = Organisation.objects.get(pk=org_id)
    try:
        with transaction.atomic():
            user = User.objects.create(
                email=f"organisation-{org.pk}@holders.rightscast.invalid",
                display_name=org.name[:120],
                kind=User.Kind.STUDIO,
                is_active=False,
                password=make_password(None),  # unusable: nobody signs in as the holder
            )
            OrganisationHolder.objects.create(organisation=org, user=user)
    except IntegrityError:
        return OrganisationHolder.objects.select_related("user").get(organisation_id=org_id).user
    return user


def holders_for_organisations(org_ids) -> dict[int, int]:
    """{organisation id: holder user id} for many organisations (creating missing holders)."""
    org_ids = {o for o in org_ids if o is not None}
    found = dict(OrganisationHolder.objects.filter(organisation_id__in=org_ids).values_list("organisation_id", "user_id"))
    for org_id in org_ids - set(found):
        found[org_id] = organisation_holder(organisation=org_id).pk
    return found


def organisation_for_holder(user: User | int) -> Organisation | None:
    user_id = user.pk if isinstance(user, User) else user
    row = OrganisationHolder.objects.filter(user_id=user_id).select_related("organisation").first()
    return row.organisation if row else None


def require_payout_role(*, actor: User, organisation: Organisation) -> None:
    """Only an owner or admin member manages where a studio's money goes."""
    if organisation.kind != Organisation.Kind.STUDIO:
        raise Forbidden("Only studios are paid as organisations.")
    if not Membership.objects.filter(user=actor, organisation=organisation, role__in=PAYOUT_ROLES).exists():
        raise Forbidden("Only an owner or admin of the studio can manage its payouts.")


def studio_payee_onboarding_start(*, actor: User, organisation: Organisation, country: str | None = None) -> str:
    """An owner or admin sends the studio through Connect Express onboarding."""
    from .payees import payee_onboarding_start

    require_payout_role(actor=actor, organisation=organisation)
    holder = organisation_holder(organisation=organisation)
    url = payee_onboarding_start(user=holder, country=country, studio=organisation)
    licensing.audit_record(actor=actor, action="studio.payouts_onboarding", obj=organisation, data={"country": country or ""})
    return url


def studio_offline_onboarding_complete(*, actor: User, organisation: Organisation):
    from .payees import offline_onboarding_complete

    require_payout_role(actor=actor, organisation=organisation)
    return offline_onboarding_complete(user=organisation_holder(organisation=organisation))
