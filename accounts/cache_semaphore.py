"""A counting semaphore shared by every process that shares the cache (Redis in production).

A semaphore of `size` is `size` cache keys, `<name>:<i>`. Taking a slot is one `cache.add` on a
free key (SET NX on Redis, under the cache's lock in process): atomic, so N processes racing for
the last slot get it once. Each slot is a lease: its key expires after `lease` seconds, so a
holder that crashed, was killed or lost its connection gives its slot back by itself. Giving a
slot back deletes the key only while it still holds this holder's token (a compare-and-delete in
one Lua call on Redis), so a holder whose lease ran out never frees a slot someone else took since.

With the in-process cache (the embedded default) the same code bounds one process."""
from __future__ import annotations

import secrets
import time
from contextlib import contextmanager

from django.core.cache import cache as default_cache

_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class Slot:
    def __init__(self, cache, key: str, token: int):
        self.cache, self.key, self.token = cache, key, token

    def release(self) -> bool:
        """Give the slot back; False when the lease had already run out (and the key was not ours)."""
        client = _redis_client(self.cache)
        if client is not None:
            full_key = self.cache.make_and_validate_key(self.key)
            return bool(client.eval(_RELEASE, 1, full_key, str(self.token)))
        if self.cache.get(self.key) == self.token:
            self.cache.delete(self.key)
            return True
        return False


def _redis_client(cache):
    """The raw redis-py client behind Django's RedisCache, else None."""
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache):
        return cache._cache.get_client(write=True)
    return None


def try_acquire(name: str, *, size: int, lease: float, cache=None) -> Slot | None:
    """Take a free slot of `name` now, or None when all `size` are held."""
    cache = cache or default_cache
    token = secrets.randbelow(2**62) + 1  # an int: Django's RedisCache stores it as plain digits
    timeout = max(1, int(lease + 0.999))
    for i in range(size):
        key = f"sem:{name}:{i}"
        if cache.add(key, token, timeout=timeout):
            return Slot(cache, key, token)
    return None


def acquire(name: str, *, size: int, lease: float, wait: float = 0.0, cache=None, poll: float = 0.05) -> Slot | None:
    """Take a slot, waiting up to `wait` seconds for one to come free; None if none did."""
    deadline = time.monotonic() + wait
    while True:
        slot = try_acquire(name, size=size, lease=lease, cache=cache)
        if slot is not None or time.monotonic() >= deadline:
            return slot
        time.sleep(poll)


@contextmanager
def held(name: str, *, size: int, lease: float, wait: float = 0.0, cache=None):
    """`with held(...) as slot:` – slot is None when every slot stayed taken."""
    slot = acquire(name, size=size, lease=lease, wait=wait, cache=cache)
    try:
        yield slot
    finally:
        if slot is not None:
            slot.release()
