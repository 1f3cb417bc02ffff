"""The heavy-decode slots on the production cache (Redis) are one limit for every web process:
processes racing for them get exactly `size`, a slot held by another process refuses this one,
and a process that dies holding a slot gives it back when its lease runs out."""
import multiprocessing
import os
import time

import pytest
from django.conf import settings

from accounts import cache_semaphore


def _take(args):
    """In a fresh process (its own Django, its own Redis connection): try for a slot at `start`,
    hold it `hold` seconds; `crash` leaves without giving it back, as a killed process would."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from accounts import cache_semaphore

    name, size, lease, start, hold, crash = args
    while time.time() < start:
        time.sleep(0.001)
    slot = cache_semaphore.try_acquire(name, size=size, lease=lease)
    if slot is None:
        return False
    time.sleep(hold)
    if crash:
        os._exit(0)
    slot.release()
    return True


def _name() -> str:
    return f"test-{os.urandom(4).hex()}"


def _race(name, size, ready, tried, results):
    """One racer: set up Django, wait until every racer is ready, try once, and hold what it got
    until every racer has tried (so a slow starter can never take a slot given back early)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from accounts import cache_semaphore

    ready.wait(120)
    slot = cache_semaphore.try_acquire(name, size=size, lease=60)
    tried.wait(120)
    results.put(slot is not None)
    if slot is not None:
        slot.release()


def test_processes_racing_for_slots_get_exactly_size():
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    name, racers = _name(), 12
    ctx = multiprocessing.get_context("spawn")
    ready, tried, results = ctx.Barrier(racers), ctx.Barrier(racers), ctx.Queue()
    procs = [ctx.Process(target=_race, args=(name, 2, ready, tried, results)) for _ in range(racers)]
    for proc in procs:
        proc.start()
    got = [results.get(timeout=180) for _ in range(racers)]
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    assert sum(got) == 2
    assert cache_semaphore.try_acquire(name, size=2, lease=30) is not None  # all given back


def test_a_slot_held_by_another_process_refuses_this_one_until_its_lease_ends():
    name = _name()
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=_take, args=((name, 1, 3, time.time(), 0.5, True),))  # takes the slot, then dies
    proc.start()
    proc.join(60)
    assert proc.exitcode == 0
    assert cache_semaphore.try_acquire(name, size=1, lease=3) is None  # the dead process's slot is still leased
    slot = cache_semaphore.acquire(name, size=1, lease=3, wait=6)  # ... until its lease ends
    assert slot is not None
    assert slot.release()


def test_an_expired_holder_never_frees_the_next_holders_slot():
    from django.core.cache.backends.redis import RedisCache

    one, two = RedisCache(settings.REDIS_URL, {}), RedisCache(settings.REDIS_URL, {})  # two independent clients
    name = _name()
    first = cache_semaphore.try_acquire(name, size=1, lease=1, cache=one)
    assert first is not None and cache_semaphore.try_acquire(name, size=1, lease=1, cache=two) is None
    time.sleep(2.1)
    second = cache_semaphore.try_acquire(name, size=1, lease=30, cache=two)
    assert second is not None
    assert first.release() is False  # its lease ran out: the key is the second holder's now
    assert cache_semaphore.try_acquire(name, size=1, lease=30, cache=one) is None
    assert second.release() is True
    assert cache_semaphore.try_acquire(name, size=1, lease=30, cache=one) is not None


@pytest.mark.django_db
def test_an_upload_is_refused_while_another_process_holds_the_last_slot(api, settings):
    """The middleware's slot is the shared one: a slot taken elsewhere makes an upload here wait, then 429."""
    from django.core.cache.backends.redis import RedisCache
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.upload_stream import HEAVY_SLOTS

    settings.UPLOAD_HEAVY_CONCURRENCY = 1
    elsewhere = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", "")})
    slot = cache_semaphore.try_acquire(HEAVY_SLOTS, size=1, lease=30, cache=elsewhere)
    assert slot is not None
    try:
        f = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
        r = api.post("/api/verify/", {"file": f}, format="multipart")
        assert r.status_code == 429 and r.json()["code"] == "busy" and int(r["Retry-After"]) > 0
    finally:
        assert slot.release()
