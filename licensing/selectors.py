"""Reads of the rights core, and the permission-checked fetches (`access_*`)."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.errors import get_or_not_found
from accounts.models import User

from .models import ConsentDocument, ConsentRecord, Licence, Likeness, Verification


def consent_document_current() -> ConsentDocument | None:
    return ConsentDocument.objects.order_by("-version").first()


def consent_current_for(likeness: Likeness) -> bool:
    """The latest consent record for the current document is an acceptance."""
    current = consent_document_current()
    if current is None:
        return False
    last = ConsentRecord.objects.filter(likeness=likeness).order_by("-id").values_list("action", "user_id", "document_id", "role").first()
    # consent counts from whoever holds the likeness now (after a takeover at 18, the adult consents
    # afresh), or from the estate of a deceased person
    if last is None or last[0] != "accepted" or (last[1] != likeness.owner_id and last[3] != "estate"):
        return False
    if last[2] == current.pk:
        return True
    # a newer version in its grace period: consent to the version before it still counts
    from django.utils import timezone

    return bool(current.grace_until and timezone.now() < current.grace_until)


def verification_passed_for(likeness: Likeness) -> bool:
    return (
        Verification.objects.filter(likeness=likeness, status=Verification.Status.PASSED).exclude(review_status="rejected").exists()
    )


def verification_approved_for(likeness: Likeness) -> bool:
    """A passed verification that a moderator approved (needed before listing)."""
    return Verification.objects.filter(likeness=likeness, status=Verification.Status.PASSED, review_status="approved").exists()


def likeness_list_listed() -> QuerySet[Likeness]:
    return Likeness.objects.filter(status=Likeness.Status.LISTED).select_related("owner").order_by("name")


def likeness_list_owned(*, user: User) -> QuerySet[Likeness]:
    return Likeness.objects.filter(owner=user).order_by("-created_at")


def access_likeness_owned(*, user: User, likeness_id) -> Likeness:
    """The talent's own likeness, for writes. Someone else's reads as not found."""
    return get_or_not_found(Likeness.objects.all(), "No such likeness.", pk=likeness_id, owner=user)


def access_likeness_managed(*, user: User, likeness_id) -> Likeness:
    """A likeness the user may manage: their own, or one whose talent granted their agency (or
    whose estate they act for). Others read as not found."""
    from .services.representation import may_manage

    likeness = get_or_not_found(Likeness.objects.all(), "No such likeness.", pk=likeness_id)
    if not may_manage(likeness, user):
        from accounts.errors import NotFound

        raise NotFound("No such likeness.")
    return likeness


def likenesses_managed_for(*, user: User) -> list[Likeness]:
    """Other people's likenesses `user` acts for: granted to an agency they belong to (grant not
    revoked), or a deceased person's whose estate they belong to (authority accepted)."""
    from accounts.models import Membership

    from .models import EstateAuthority, ManagementGrant

    if not user.is_authenticated:
        return []
    orgs = Membership.objects.filter(user=user).values("organisation_id")
    by_agency = ManagementGrant.objects.filter(agency__in=orgs, agency__kind="agency", revoked_at__isnull=True).values("likeness_id")
    by_estate = EstateAuthority.objects.filter(estate__in=orgs, status=EstateAuthority.Status.ACCEPTED).values("likeness_id")
    return list(
        Likeness.objects.filter(Q(pk__in=by_agency) | Q(pk__in=by_estate, managed_by=Likeness.Manager.ESTATE))
        .exclude(owner=user).select_related("owner").order_by("name")
    )


def management_grants_of(*, likeness: Likeness):
    """The agencies managing `likeness` now, and those that did (revoked), newest first."""
    return likeness.management_grants.select_related("agency").order_by("revoked_at", "-created_at")


def estate_proofs_to_review(*, user: User):
    """Moderators: estates' proofs of authority waiting for a decision, oldest first."""
    from accounts.errors import Forbidden

    from .models import EstateAuthority

    if not user.is_moderator:
        raise Forbidden("This page is for moderators.")
    return EstateAuthority.objects.filter(status=EstateAuthority.Status.PENDING).select_related("likeness", "estate", "submitted_by").order_by("created_at")


def access_estate_proof_for_review(*, user: User, authority_id):
    """An estate's proof, for moderators only (the document is private)."""
    from accounts.errors import Forbidden

    from .models import EstateAuthority

    if not user.is_moderator:
        raise Forbidden("Only moderators see an estate's proof of authority.")
    return get_or_not_found(EstateAuthority.objects.select_related("likeness", "estate"), "No such proof.", pk=authority_id)


def access_likeness_public(*, likeness_id) -> Likeness:
    """A listed likeness anyone signed in may browse."""
    return get_or_not_found(
        Likeness.objects.select_related("owner"), "No such likeness.", pk=likeness_id, status=Likeness.Status.LISTED
    )


def access_verification(*, user: User, verification_id) -> Verification:
    return get_or_not_found(
        Verification.objects.select_related("likeness"), "No such verification.", pk=verification_id, user=user
    )


def access_licence(*, user: User, licence_id) -> Licence:
    """A licence is visible to its licensee and to the owner of the likeness it licenses."""
    return get_or_not_found(
        Licence.objects.select_related("likeness", "terms", "licensee"),
        "No such licence.",
        Q(licensee=user) | Q(likeness__owner=user),
        pk=licence_id,
    )


def licence_list_for_licensee(*, user: User) -> QuerySet[Licence]:
    return Licence.objects.filter(licensee=user).select_related("likeness", "terms").order_by("-created_at")


def likenesses_represented(*, user: User) -> list[dict]:
    """The likenesses `user` acts for through an organisation: an agency's (an active grant from the
    talent) and an estate's (a moderator accepted its proof of authority). Each as {"likeness",
    "acting_as" ("agent" or "estate"), "organisation", "since"}, by name."""
    from accounts.models import Membership

    from .models import EstateAuthority, ManagementGrant

    orgs = Membership.objects.filter(user=user, organisation__kind__in=["agency", "estate"]).values("organisation_id")
    found: dict = {}
    for g in ManagementGrant.objects.filter(agency__in=orgs, revoked_at__isnull=True).select_related("likeness", "agency"):
        found.setdefault(g.likeness_id, {"likeness": g.likeness, "acting_as": "agent", "organisation": g.agency, "since": g.created_at})
    accepted = EstateAuthority.objects.filter(estate__in=orgs, status=EstateAuthority.Status.ACCEPTED).select_related("likeness", "estate")
    for a in accepted:
        found[a.likeness_id] = {"likeness": a.likeness, "acting_as": "estate", "organisation": a.estate, "since": a.reviewed_at}
    return sorted(found.values(), key=lambda r: r["likeness"].name)


def representing_organisations(*, user: User) -> list:
    """The agencies and estates `user` belongs to."""
    from accounts.models import Organisation

    return list(Organisation.objects.filter(memberships__user=user, kind__in=["agency", "estate"]).order_by("name"))


def approvals_pending_for(*, user: User) -> list:
    """Approvals waiting for `user`'s say: on their likenesses, their studios' IP, and the
    likenesses they act for as an agency or an estate."""
    from accounts.models import Membership

    from .models import Approval

    studios = Membership.objects.filter(user=user, organisation__kind="studio").values("organisation_id")
    represented = [r["likeness"].pk for r in likenesses_represented(user=user)]
    return list(
        Approval.objects.filter(Q(likeness__owner=user) | Q(likeness__in=represented) | Q(ip_asset__studio__in=studios), status=Approval.Status.PENDING)
        .select_related("likeness", "ip_asset", "requester")
        .order_by("deadline")
    )


def access_approval(*, user: User, approval_id):
    """An approval its decider may see: the holder, or an agency or estate acting for them.
    Anyone else is told there is no such approval."""
    from accounts.errors import NotFound

    from .models import Approval
    from .services.approvals import may_decide

    approval = get_or_not_found(Approval.objects.select_related("requester", "likeness", "ip_asset"), "No such approval.", pk=approval_id)
    if not may_decide(approval, user):
        raise NotFound("No such approval.")
    return approval


def use_requests_for(*, user: User):
    from .models import UseRequest

    return UseRequest.objects.filter(likeness__owner=user).select_related("requester").order_by("-created_at")


def access_use_request(*, user: User, request_id):
    from .models import UseRequest

    return get_or_not_found(UseRequest.objects.select_related("likeness", "requester"), "No such request.", pk=request_id, likeness__owner=user)



def verifications_to_review(*, user: User):
    from accounts.errors import Forbidden

    if not user.is_moderator:
        raise Forbidden("This queue is for moderators.")
    return (
        Verification.objects.filter(status=Verification.Status.PASSED, review_status="unreviewed")
        .select_related("likeness", "user", "face_match")
        .order_by("-face_match_id", "completed_at")
    )


def access_verification_for_review(*, user: User, verification_id) -> Verification:
    from accounts.errors import Forbidden

    if not user.is_moderator:
        raise Forbidden("Only moderators review verifications.")
    return get_or_not_found(Verification.objects.select_related("likeness"), "No such verification.", pk=verification_id)


def ip_assets_for(*, user: User):
    from accounts.models import Membership

    from .models import IPAsset

    studios = Membership.objects.filter(user=user, organisation__kind="studio").values("organisation_id")
    return IPAsset.objects.filter(studio__in=studios).select_related("studio").order_by("name")


def access_ip_asset_managed(*, user: User, asset_id):
    return get_or_not_found(ip_assets_for(user=user), "No such IP asset.", pk=asset_id)


def access_studio(*, user: User, studio_id):
    from accounts.models import Organisation

    return get_or_not_found(
        Organisation.objects.filter(kind="studio", memberships__user=user), "No such studio (or you are not a member).", pk=studio_id
    )


def screening_refusal_counts() -> list[dict]:
    """Refusals by the content screen per category (what is being attempted), with how many
    distinct requesters and parties (against whom), most frequent first."""
    from django.db.models import Count

    from .models import ScreeningRefusal

    return list(
        ScreeningRefusal.objects.values("category")
        .annotate(refusals=Count("id"), requesters=Count("requester", distinct=True), parties=Count("party", distinct=True))
        .order_by("-refusals", "category")
    )


def screening_refusal_targets(*, limit: int = 20) -> list[dict]:
    """The parties most refused for, per category (against whom)."""
    from django.db.models import Count

    from .models import ScreeningRefusal

    return list(ScreeningRefusal.objects.values("party", "category").annotate(refusals=Count("id")).order_by("-refusals")[:limit])


def screening_refusals_recent(*, limit: int = 50):
    from .models import ScreeningRefusal

    return ScreeningRefusal.objects.select_related("requester").order_by("-created_at")[:limit]


def screening_review_list():
    """Refusals a moderator marked as wrong: candidates for the training set (as benign)."""
    from .models import ScreeningRefusal

    return ScreeningRefusal.objects.filter(marked_wrong_at__isnull=False).select_related("marked_wrong_by").order_by("-marked_wrong_at")


def screening_profile_claims_pending(*, user: User):
    """Moderators: profile claims waiting for a decision, oldest first."""
    from accounts.errors import Forbidden

    from .models import ScreeningProfileClaim

    if not user.is_moderator:
        raise Forbidden("This queue is for moderators.")
    return (
        ScreeningProfileClaim.objects.filter(status=ScreeningProfileClaim.Status.PENDING)
        .select_related("likeness", "requested_by").order_by("requested_at")
    )


def screening_profile_claim_latest(*, likeness: Likeness):
    """The likeness's latest profile claim (pending, approved or rejected), or None."""
    return likeness.profile_claims.order_by("-requested_at", "-pk").first()


def screening_refusals_for_holder(*, user: User, references: list[str]) -> dict[str, list[str]]:
    """For the rights holder's every-use view: per brief, the exact rule of theirs that refused it
    (their own words; other parties' rules are never included)."""
    from .models import ScreeningRefusal

    owned = Q(likeness__owner=user) | Q(ip_asset__studio__memberships__user=user)
    out: dict[str, list[str]] = {}
    rows = ScreeningRefusal.objects.filter(owned, reference__in=[str(r) for r in references]).distinct().order_by("id")
    for row in rows:
        if row.kind == "blocked_word":
            text = f"{row.party}: your blocked word “{row.rule}” ({row.get_stage_display().lower()})"
        elif row.kind == "rule":
            text = f"{row.party}: your rule “{row.rule}” ({row.get_stage_display().lower()})"
        else:
            text = f"{row.party}: category {row.category.replace('_', ' ')} ({row.get_stage_display().lower()})"
        out.setdefault(row.reference, []).append(text)
    return out
def ai_training_allowed(licences) -> bool:
    """Whether a work made under `licences` may be used to train AI models: only if every licence
    says so (the default is no). Provenance writes the answer into the output's credentials."""
    licences = list(licences)
    return bool(licences) and all(lic.terms.ai_training for lic in licences)


def misuse_reports_queue(*, user: User, status: str | None = None):
    from accounts.errors import Forbidden

    from .models import MisuseReport

    if not user.is_moderator:
        raise Forbidden("This queue is for moderators.")
    qs = MisuseReport.objects.select_related("likeness", "licence").order_by("due_at")
    return qs.filter(status=status) if status else qs.exclude(status__in=["actioned", "dismissed"])


def access_misuse_report(*, user: User, report_id):
    from accounts.errors import Forbidden

    from .models import MisuseReport

    if not user.is_moderator:
        raise Forbidden("Only moderators handle reports.")
    return get_or_not_found(MisuseReport.objects.select_related("licence", "likeness"), "No such report.", pk=report_id)


def misuse_reports_for_talent(*, user: User):
    """Reports about the likenesses a talent holds (who reported stays private: no reporter here)."""
    from .models import MisuseReport

    return MisuseReport.objects.filter(likeness__owner=user).select_related("likeness").order_by("-created_at")
