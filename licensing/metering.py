"""Usage meters: the one extension point at the moment a licence is used.

`usage_record` (licensing.services) calls every registered meter with the new UsageRecord, inside
its own transaction and with the licence row already locked by the caller. A meter that refuses
(raises a DomainError) refuses the use: the usage record, the quota unit and whatever the caller
wrote with them roll back together. Apps above licensing register meters when they load (the
marketplace draws per-generation fees from prepaid credit); licensing imports none of them, so
imports still run one way.

Release meters (`register_release`) run when `usage_release` gives a use back before anything was
rendered (a job cancelled or refused while queued): the marketplace returns the fee to credit."""
from __future__ import annotations

from collections.abc import Callable

_meters: list[Callable] = []


def register(meter: Callable) -> None:
    if meter not in _meters:
        _meters.append(meter)


def run(usage) -> None:
    for meter in list(_meters):
        meter(usage)


_releases: list[Callable] = []


def register_release(meter: Callable) -> None:
    if meter not in _releases:
        _releases.append(meter)


def run_release(usage) -> None:
    for meter in list(_releases):
        meter(usage)


# Paid readers: who was paid for which uses, for pages that show a work's lineage (generation's
# lineage page). The marketplace registers the reader of its ledger; licensing and generation
# import none of it.
_paid_readers: list[Callable] = []


def register_paid_reader(reader: Callable) -> None:
    if reader not in _paid_readers:
        _paid_readers.append(reader)


def paid_for(references) -> dict[str, list[dict]]:
    """{use reference (a brief id): [{"who", "amount_minor", "currency", "refunded"}, ...]}."""
    found: dict[str, list[dict]] = {}
    refs = [str(r) for r in references]
    for reader in list(_paid_readers):
        for ref, rows in reader(refs).items():
            found.setdefault(ref, []).extend(rows)
    return found
