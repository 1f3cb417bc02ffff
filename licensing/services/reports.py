"""Misuse reports: anyone reports, generation checks the evidence against the watermark and the
credentials (told by task name: licensing never imports generation), moderators handle them."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import User
from accounts.uploads import decode_image, read_bounded, sniff_video

from ..models import Licence, Likeness, MisuseReport
from .audit import audit_record
from .holdings import send_task
from .licences import licence_transition

REPORT_DUE = timedelta(days=2)
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def _tell_holder(report: MisuseReport) -> None:
    """The person who holds the reported likeness hears of the report (once, whether the likeness
    was named by the reporter or found by the check); never who reported it."""
    from accounts.notifications import Kind, notify

    if report.likeness_id is None:
        return
    likeness = Likeness.objects.select_related("owner").get(pk=report.likeness_id)
    notify(
        user=likeness.owner, kind=Kind.REPORT, title=f"Someone reported a possible misuse of {likeness.name}",
        body=f"{report.get_kind_display()}: {report.description[:300]}\n\nA moderator answers it by {report.due_at:%d %b %Y}.",
        url=f"/talent/likenesses/{likeness.pk}/#misuse-reports", once_key=f"report:{report.pk}",
    )


def misuse_report_create(
    *, reporter: User | None, email: str = "", kind: str, description: str, link: str = "", evidence=None,
    generation_id: str = "", likeness: Likeness | None = None,
) -> MisuseReport:
    """A report from anyone. Needs a way to answer (the account's or a given e-mail), what
    happened, and something to look at (a link, a file, a generation id or the likeness)."""
    email = (reporter.email if reporter and reporter.is_authenticated else (email or "")).strip().lower()
    try:
        validate_email(email)
    except Exception:
        raise InvalidInput("Give an e-mail address so we can answer you.", code="email")
    if kind not in MisuseReport.Kind.values:
        raise InvalidInput(f"Say what kind of misuse it is: {', '.join(MisuseReport.Kind.values)}.", code="kind")
    description = (description or "").strip()
    if not 10 <= len(description) <= 4000:
        raise InvalidInput("Describe what you saw in 10 to 4000 characters.", code="description")
    link = (link or "").strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except Exception:
            raise InvalidInput("The link must be a web address starting with http:// or https://.", code="link")
    generation_id = (generation_id or "").strip()[:64]
    data, ext = b"", ""
    if evidence is not None:
        data = read_bounded(evidence, MAX_EVIDENCE_BYTES)
        video = sniff_video(data)
        if video:
            ext = "mp4" if video == "video/mp4" else "webm"
        else:
            ext = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}.get(decode_image(data, name="evidence").mime, "bin")
    if not (link or data or generation_id or likeness):
        raise InvalidInput("Add a link, a file, or the generation id, so a moderator can see what you mean.", code="evidence")
    with transaction.atomic():
        report = MisuseReport(
            reporter=reporter if reporter and reporter.is_authenticated else None, reporter_email=email, kind=kind,
            description=description, link=link, generation_id=generation_id, likeness=likeness,
            due_at=timezone.now() + REPORT_DUE,
        )
        if data:
            report.evidence_sha256 = hashlib.sha256(data).hexdigest()
            report.evidence.save(f"{report.id}.{ext}", ContentFile(data), save=False)
        report.save()
        audit_record(actor=report.reporter, action="report.created", obj=report, data={"kind": kind, "likeness": str(likeness.pk) if likeness else None})
        _tell_holder(report)
        pk = str(report.pk)
        transaction.on_commit(lambda: send_task("generation.tasks.misuse_report_check", pk))
    return report


def misuse_report_check_record(*, report_id, result: dict, generation_id: str = "", licence_id=None) -> MisuseReport:
    """Generation's answer for a report's evidence: made here? which generation, which licence,
    does it stand? Links the report to the licence and likeness it found."""
    with transaction.atomic():
        report = MisuseReport.objects.select_for_update().get(pk=report_id)
        report.auto_check = result
        fields = ["auto_check"]
        if generation_id:
            report.generation_id = generation_id[:64]
            fields.append("generation_id")
        if licence_id:
            licence = Licence.objects.filter(pk=licence_id).first()
            if licence is not None:
                report.licence = licence
                fields.append("licence")
                if report.likeness_id is None and licence.likeness_id:
                    report.likeness_id = licence.likeness_id
                    fields.append("likeness")
        report.save(update_fields=fields)
        if "likeness" in fields:
            _tell_holder(report)
        audit_record(actor=None, action="report.checked", obj=report, data={"made_here": result.get("made_here"), "licence": str(licence_id or "")})
    return report


def _moderator(user: User) -> None:
    if not user.is_moderator:
        raise Forbidden("Only moderators handle reports.")


def misuse_report_transition(*, report: MisuseReport, moderator: User, to: str, note: str = "") -> MisuseReport:
    _moderator(moderator)
    with transaction.atomic():
        locked = MisuseReport.objects.select_for_update().get(pk=report.pk)
        if to not in MisuseReport.STATUS_TRANSITIONS.get(locked.status, set()):
            raise Conflict(f"A {locked.get_status_display().lower()} report cannot become {to}.")
        before = locked.status
        locked.status = to
        locked.save(update_fields=["status"])
        audit_record(actor=moderator, action=f"report.{to}", obj=locked, data={"from": before, "note": note[:500]})
    return locked


def misuse_report_act(*, report: MisuseReport, moderator: User, action: str, note: str = "") -> MisuseReport:
    """Take an action on a report: take the output down, suspend the licence, suspend the
    licensee's account, or refer it. Recorded on the report and in the audit trail; the report
    becomes actioned."""
    _moderator(moderator)
    if action not in MisuseReport.Action.values:
        raise InvalidInput(f"The action is one of {', '.join(MisuseReport.Action.values)}.")
    note = (note or "").strip()[:500]
    with transaction.atomic():
        locked = MisuseReport.objects.select_for_update(of=("self",)).select_related("licence").get(pk=report.pk)
        if locked.status in (MisuseReport.Status.DISMISSED,):
            raise Conflict("Reopen the report before acting on it.")
        if action == MisuseReport.Action.TAKEDOWN:
            if not locked.generation_id:
                raise Conflict("No output of ours is known for this report: nothing to take down here.")
            gid, who, why = locked.generation_id, moderator.pk, note or "misuse report upheld"
            transaction.on_commit(lambda: send_task("generation.tasks.output_take_down_for_report", gid, who, why))
        elif action == MisuseReport.Action.LICENCE_SUSPENSION:
            if locked.licence is None:
                raise Conflict("No licence is linked to this report.")
            licence_transition(licence=locked.licence, to=Licence.Status.SUSPENDED, actor=moderator, reason=f"misuse report {locked.pk}: {note}"[:255])
        elif action == MisuseReport.Action.ACCOUNT_SUSPENSION:
            if locked.licence is None:
                raise Conflict("No licensee is linked to this report.")
            offender = User.objects.select_for_update().get(pk=locked.licence.licensee_id)
            if offender.is_moderator:
                raise Forbidden("A moderator's account is not suspended from a report.")
            offender.is_active = False
            offender.save(update_fields=["is_active"])
            audit_record(actor=moderator, action="account.suspended", obj=offender, data={"report": str(locked.pk), "note": note})
        locked.actions = [*locked.actions, {"action": action, "by": moderator.pk, "at": timezone.now().isoformat(), "note": note}]
        if locked.status != MisuseReport.Status.ACTIONED:
            locked.status = MisuseReport.Status.ACTIONED
        locked.save(update_fields=["actions", "status"])
        audit_record(actor=moderator, action=f"report.action.{action}", obj=locked, data={"note": note})
    return locked


def misuse_report_answer(*, report: MisuseReport, moderator: User, answer: str) -> MisuseReport:
    _moderator(moderator)
    answer = (answer or "").strip()
    if not answer:
        raise InvalidInput("Write the answer to the reporter.")
    with transaction.atomic():
        locked = MisuseReport.objects.select_for_update().get(pk=report.pk)
        locked.answer = answer[:4000]
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answer", "answered_at"])
        audit_record(actor=moderator, action="report.answered", obj=locked)
        email, subject = locked.reporter_email, "Rightscast: about your misuse report"
        body = f"{answer}\n\nStatus: {locked.get_status_display()}."
        if locked.reporter_id:  # an account: the notification centre, and e-mail as their settings say
            from accounts.notifications import Kind, notify

            notify(user=locked.reporter, kind=Kind.REPORT, title="A moderator answered your misuse report", body=body, url="/report/")
        else:  # reported signed out: the address they gave is the only way to answer
            transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))
    return locked
