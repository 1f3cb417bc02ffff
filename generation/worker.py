"""The in-process worker of the embedded default: a real Celery worker (solo pool) consuming the
in-memory broker from a thread of the web process, and Celery beat in another thread sending the
periodic work (approval lapses, licence expiry, job recovery, notice ends, refunds, payouts) on
the very schedule production's beat process uses (`CELERY_BEAT_SCHEDULE`). With REDIS_URL set,
run real processes instead: `celery -A config worker -Q gpu,default --pool solo` and
`celery -A config beat`."""
from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)
_started = threading.Event()


def start_in_process_worker() -> None:
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    if _started.is_set():
        return
    _started.set()

    def run():
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="INFO", queues=["gpu", "default"], shutdown_timeout=30):
            threading.Event().wait()

    threading.Thread(target=run, name="in-process-celery-worker", daemon=True).start()
    log.info("in-process Celery worker started (queues gpu, default)")
    start_in_process_beat()


_beat = []


def start_in_process_beat():
    """Celery's own beat service, embedded as a thread, with an in-memory scheduler (the schedule
    is the settings' CELERY_BEAT_SCHEDULE; nothing is persisted between runs, so each periodic task
    first runs one interval after start, as on a fresh beat process)."""
    from celery.beat import EmbeddedService

    from config.celery import app

    if _beat:
        return _beat[0]
    service = EmbeddedService(app, thread=True, scheduler_cls="celery.beat:Scheduler")
    service.daemon = True
    service.start()
    _beat.append(service)
    log.info("in-process Celery beat started (%d periodic tasks)", len(app.conf.beat_schedule))
    return service
