"""Which work a person may name as a remix parent, asked from below generation.

Generation decides which outputs a person may remix (their own, or one published: to the feed or
through the API); the money side needs the same answer when a licence is bought to remix a work
(its sale is shared up that work's chain). Licensing imports neither, so generation registers its
answer here when it loads (`register`) and the marketplace asks through `resolve`; with nothing
registered, no work can be named."""
from __future__ import annotations

from collections.abc import Callable

_resolvers: list[Callable] = []


def register(resolver: Callable) -> None:
    """`resolver(user=, reference=)` returns the remix parent's lead UsageRecord, or raises the
    domain's NotFound when the user may not remix that work."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def resolve(*, user, reference: str):
    from accounts.errors import NotFound

    for resolver in list(_resolvers):
        return resolver(user=user, reference=reference)
    raise NotFound("No such output to remix.")
