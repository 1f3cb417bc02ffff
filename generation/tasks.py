from celery import shared_task

from . import services


@shared_task(name="generation.tasks.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: str) -> None:
    """Takes an id, re-reads the row, runs the service; running it twice runs the job once."""
    services.job_run(job_id=job_id)


@shared_task(name="generation.tasks.revocation_sweep", acks_late=True)
def revocation_sweep(licence_ids: list[str]) -> None:
    """Licensing's revocation event: cancel queued work the revoked licences touch."""
    services.revocation_sweep(licence_ids=licence_ids)


@shared_task(name="generation.tasks.approvals_lapse")
def approvals_lapse() -> None:
    """Beat: close approvals past their deadline and end what waited on them."""
    services.approvals_lapse()


@shared_task(name="generation.tasks.licences_expire")
def licences_expire() -> None:
    """Beat: licences past their term become expired."""
    from licensing.services import licences_expire_due

    licences_expire_due()


@shared_task(name="generation.tasks.jobs_recover")
def jobs_recover() -> None:
    """Beat: re-send jobs whose worker died or whose message was lost (running twice runs once)."""
    services.jobs_recover()


@shared_task(name="generation.tasks.notice_ended")
def notice_ended(licence_ids: list[str]) -> int:
    """Licensing's event: these revoked licences' notice periods ended; their outputs come down."""
    return services.notice_end_apply(licence_ids=licence_ids)


@shared_task(name="generation.tasks.misuse_report_check")
def misuse_report_check(report_id: str) -> bool:
    """Licensing's event: a misuse report came in; check its evidence (file or generation id)
    against the watermark and the credentials, and record the answer on the report."""
    return services.misuse_report_check(report_id=report_id)


@shared_task(name="generation.tasks.output_take_down_for_report")
def output_take_down_for_report(generation_id: str, moderator_id: int, reason: str) -> bool:
    """A moderator upheld a misuse report: take the output down (once)."""
    return services.output_take_down_for_report(generation_id=generation_id, moderator_id=moderator_id, reason=reason)
