from celery import shared_task

from . import services


@shared_task(name="generation.tasks.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: str) -> None:
    """Takes an id, re-reads the row, runs the service; running it twice runs the job once."""
    services.job_run(job_id=job_id)
