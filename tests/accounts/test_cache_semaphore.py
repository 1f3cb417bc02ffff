"""The cache semaphore on the in-process cache: threads racing get exactly `size` slots, a lease
runs out by itself, and a holder whose lease ran out cannot free the next holder's slot."""
import os
import threading
import time

from accounts import cache_semaphore


def _name():
    return f"unit-{os.urandom(4).hex()}"


def test_threads_racing_get_exactly_size():
    name, got, barrier = _name(), [], threading.Barrier(12)

    def take():
        barrier.wait()
        slot = cache_semaphore.try_acquire(name, size=3, lease=30)
        if slot is not None:
            got.append(slot)

    threads = [threading.Thread(target=take) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(got) == 3
    assert all(s.release() for s in got)
    assert cache_semaphore.try_acquire(name, size=3, lease=30) is not None


def test_a_lease_runs_out_and_a_late_release_frees_nothing():
    name = _name()
    first = cache_semaphore.try_acquire(name, size=1, lease=1)
    assert first is not None and cache_semaphore.acquire(name, size=1, lease=1, wait=0.2) is None
    time.sleep(1.1)
    second = cache_semaphore.try_acquire(name, size=1, lease=30)
    assert second is not None
    assert first.release() is False
    assert cache_semaphore.try_acquire(name, size=1, lease=30) is None
    with cache_semaphore.held(name, size=2, lease=30) as extra:
        assert extra is not None  # a second slot of a larger semaphore
    assert second.release() is True
