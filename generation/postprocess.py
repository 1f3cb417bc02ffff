"""The GPU worker's post-processing thread: marking, signing and storing a finished batch run in
one background thread while the worker renders the next batch, so the GPU is not idle during
them. At most one batch waits: submitting another first waits for the one before (memory stays
bounded, and outputs are released in order). On a CPU, where both would fight for the same cores,
the work runs inline. The thread uses its own database connection and closes it after each batch;
the jobs hold their lease while they wait, so a worker that dies leaves them to `jobs_recover`."""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger(__name__)

_executor: ThreadPoolExecutor | None = None
_pending: Future | None = None
_lock = threading.Lock()
stats = {"seconds": 0.0, "cpu_seconds": 0.0, "batches": 0}  # wall and CPU time spent in the thread (benchmarks read it)


def _run(fn, *args) -> None:
    import time

    from django.db import connections

    started, cpu_started = time.perf_counter(), time.thread_time()
    try:
        fn(*args)
    except Exception:  # the function reports its own failures on the jobs; never lose the thread
        log.exception("post-processing failed")
    finally:
        connections.close_all()
        stats["seconds"] += time.perf_counter() - started
        stats["cpu_seconds"] += time.thread_time() - cpu_started
        stats["batches"] += 1


def submit(fn, *args, threaded: bool) -> None:
    global _executor, _pending
    if not threaded:
        fn(*args)
        return
    with _lock:
        if _pending is not None:
            _pending.result()
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rightscast-postprocess")
        _pending = _executor.submit(_run, fn, *args)


def drain() -> None:
    """Wait for the batch being post-processed (tests, benchmarks, worker shutdown)."""
    global _pending
    with _lock:
        if _pending is not None:
            _pending.result()
            _pending = None
