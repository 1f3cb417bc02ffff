"""The in-process worker of the embedded default: a real Celery worker (solo pool) consuming the
in-memory broker from a thread of the web process. With REDIS_URL set, run real worker processes
instead: `celery -A config worker -Q gpu,default --pool solo`."""
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
