"""The GPU worker's post-processing thread: work runs beside the caller, one batch at a time, in
order; a failure is logged and never kills the thread; on a CPU it runs inline."""
import threading
import time

from generation import postprocess


def test_inline_when_not_threaded():
    seen = []
    postprocess.submit(lambda: seen.append(threading.current_thread().name), threaded=False)
    assert seen == [threading.current_thread().name]


def test_threaded_work_runs_beside_the_caller_in_order_one_batch_waiting_at_most():
    order, started = [], threading.Event()

    def slow(tag):
        started.set()
        time.sleep(0.2)
        order.append((tag, threading.current_thread().name))

    t0 = time.perf_counter()
    postprocess.submit(slow, "a", threaded=True)
    assert time.perf_counter() - t0 < 0.15  # the caller goes on to the next batch at once
    started.wait(2)
    postprocess.submit(slow, "b", threaded=True)  # waits for "a" first: at most one batch behind
    assert [tag for tag, _ in order] == ["a"]
    postprocess.drain()
    assert [tag for tag, _ in order] == ["a", "b"]
    assert all(name.startswith("rightscast-postprocess") for _, name in order)


def test_a_failure_is_logged_and_the_thread_goes_on(caplog):
    def boom():
        raise RuntimeError("signing failed")

    postprocess.submit(boom, threaded=True)
    postprocess.drain()
    seen = []
    postprocess.submit(seen.append, 1, threaded=True)
    postprocess.drain()
    assert seen == [1]
    assert "post-processing failed" in caplog.text
