"""Database plumbing for the rights core's append-only records (consent, verification decisions,
audit, licence history): the SQLite function their delete guards consult, and a presence check.
The triggers themselves are in migration `0005_record_guards`."""
from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db import connection

_state = threading.local()


def _records_sealed() -> int:
    return 0 if getattr(_state, "flushing", 0) else 1


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: the function the SQLite delete guards call. Only
    `manage.py flush` (erasing the whole database, as TRUNCATE does on PostgreSQL, where row
    triggers do not fire) turns it off, for the thread running it."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("rightscast_records_sealed", 0, _records_sealed)


@contextmanager
def records_unsealed_for_flush():
    _state.flushing = getattr(_state, "flushing", 0) + 1
    try:
        yield
    finally:
        _state.flushing -= 1


APPEND_ONLY_TABLES = (
    "licensing_auditevent", "licensing_consentrecord", "licensing_consentdocument", "licensing_licencetransition",
)


def guard_names(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"{t}_append_only" for t in APPEND_ONLY_TABLES] + ["licensing_verification_decided"]
    if vendor == "sqlite":
        return [f"{t}_{op}" for t in APPEND_ONLY_TABLES for op in ("no_update", "no_delete")] + [
            "licensing_verification_decided", "licensing_verification_no_delete",
        ]
    return []


def record_guards_missing() -> list[str]:
    """Names of the guards that are not installed (Django rebuilds SQLite tables to alter them,
    which drops their triggers: a later migration altering these tables must run GUARDS again)."""
    expected = guard_names(connection.vendor)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            return expected
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]
