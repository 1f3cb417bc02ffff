"""Database plumbing for the ledger that differs by vendor: allocating transaction ids before their
entries are written, the SQLite function its delete guard consults, the migrations' vendor dispatch
for their guard SQL, and the payout run's lock."""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from contextlib import contextmanager

from django.db import connection

_state = threading.local()
_local_locks: dict[str, threading.Lock] = {}
_local_locks_guard = threading.Lock()


# --- the SQLite delete guard ----------------------------------------------------------------------

def _ledger_sealed() -> int:
    return 0 if getattr(_state, "flushing", 0) else 1


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: the function the SQLite triggers call to refuse deletes of
    ledger rows. Only `manage.py flush` (which erases the whole database, as TRUNCATE does on
    PostgreSQL, where row triggers do not fire) turns it off, for the thread running it."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("rightscast_ledger_sealed", 0, _ledger_sealed)


@contextmanager
def ledger_unsealed_for_flush():
    _state.flushing = getattr(_state, "flushing", 0) + 1
    try:
        yield
    finally:
        _state.flushing -= 1


# --- the migrations' guard SQL ----------------------------------------------------------------------

def run_vendor_sql(schema_editor, *, postgresql: str | Sequence[str] = (), sqlite: str | Sequence[str] = ()) -> None:
    """Runs a migration's SQL for the schema editor's database: the PostgreSQL scripts or the SQLite
    statements (its driver runs one statement per call), each as written, in order, without
    parameters; nothing on another vendor. Migrations import this, so it must keep doing exactly
    that: a database migrated before a change here and one migrated after must end identical."""
    vendor = schema_editor.connection.vendor
    scripts = postgresql if vendor == "postgresql" else sqlite if vendor == "sqlite" else ()
    for script in (scripts,) if isinstance(scripts, str) else scripts:
        schema_editor.execute(script, params=None)


def fixed_document_guards(table: str, what: str) -> tuple[str, str, list[str], list[str]]:
    """The SQL that makes a table of issued documents fixed (migration 0025, credit notes, as 0020
    wrote it out for invoices): (PostgreSQL guards, PostgreSQL undo, SQLite guards, SQLite undo).
    PostgreSQL: a row trigger refuses UPDATE and DELETE; TRUNCATE goes through 0005's function, so
    `manage.py flush` still empties a test database. SQLite: UPDATE refused, DELETE refused unless a
    flush is erasing the whole database (`rightscast_ledger_sealed`). Trigger names are
    `<table>_fixed`, `<table>_no_truncate`, `<table>_no_update`, `<table>_no_delete`
    (`GUARD_TRIGGERS`). Migrations call this, so its output must not change."""
    pg = f"""
CREATE OR REPLACE FUNCTION {table}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{what} are fixed once issued: % refused', TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
DROP TRIGGER IF EXISTS {table}_fixed ON {table};
CREATE TRIGGER {table}_fixed BEFORE UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change();
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
  FOR EACH STATEMENT EXECUTE FUNCTION marketplace_ledger_refuse_truncate();
"""
    pg_undo = f"""
DROP TRIGGER IF EXISTS {table}_fixed ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
DROP FUNCTION IF EXISTS {table}_refuse_change();
"""
    sqlite = [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
       BEGIN SELECT RAISE(ABORT, '{what} are fixed once issued: UPDATE refused'); END""",
        f"DROP TRIGGER IF EXISTS {table}_no_delete",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN rightscast_ledger_sealed()
       BEGIN SELECT RAISE(ABORT, '{what} are fixed once issued: DELETE refused'); END""",
    ]
    sqlite_undo = [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
    return pg, pg_undo, sqlite, sqlite_undo


# --- the guards' presence ---------------------------------------------------------------------------

GUARD_TRIGGERS = {
    "postgresql": [
        "marketplace_ledgerentry_append_only", "marketplace_ledgertransaction_append_only", "marketplace_ledgerentry_checked",
        "marketplace_ledgertransaction_checked",
        # migration 0005_ledger_sealed_pg (its entry seal is replaced by 0004_ledger_statement_checks' check, see 0012)
        "marketplace_ledgerentry_no_truncate", "marketplace_ledgertransaction_no_truncate",
        # migration 0015_ledger_statement_keys: the foreign keys' guarantees, once per statement
        "marketplace_ledger_unsealed_check", "marketplace_ledgeraccount_kept",
        # migration 0019_ledger_account_no_truncate: the accounts, which no foreign key cascades from any more
        "marketplace_ledgeraccount_no_truncate",
        # migration 0020_invoice_guards: an issued invoice is fixed
        "marketplace_invoice_fixed", "marketplace_invoice_no_truncate",
        # migration 0025_credit_notes: an issued credit note is fixed
        "marketplace_creditnote_fixed", "marketplace_creditnote_no_truncate",
    ],
    "sqlite": [
        "marketplace_ledgerentry_no_update", "marketplace_ledgertransaction_no_update", "marketplace_ledgerentry_no_delete",
        "marketplace_ledgertransaction_no_delete", "marketplace_ledgerentry_insert", "marketplace_ledgertransaction_seal",
        "marketplace_invoice_no_update", "marketplace_invoice_no_delete",  # migration 0020_invoice_guards
        "marketplace_creditnote_no_update", "marketplace_creditnote_no_delete",  # migration 0025_credit_notes
    ],
}


def ledger_guards_missing() -> list[str]:
    """Names of the money tables' database guards (the ledger's, migrations 0003-0019, the invoices', 0020, and the credit notes', 0025) that are not installed."""
    expected = GUARD_TRIGGERS.get(connection.vendor, [])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            return expected
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]


# --- transaction ids --------------------------------------------------------------------------------

TXN_TABLE = "marketplace_ledgertransaction"


def allocate_transaction_ids(n: int) -> list[int]:
    """Reserve `n` ids for ledger transactions, so their entries can be written first. Runs inside
    the caller's atomic block."""
    if n <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{TXN_TABLE}', 'id')) FROM generate_series(1, %s)", [n]
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # A write first, so the transaction holds SQLite's write lock before it reads.
            cursor.execute("UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s RETURNING seq", [n, TXN_TABLE])
            row = cursor.fetchone()
            if row is None:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TXN_TABLE}")
                end = cursor.fetchone()[0] + n
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [TXN_TABLE, end])
            else:
                end = row[0]
            return list(range(end - n + 1, end + 1))
        raise NotImplementedError(f"The ledger supports PostgreSQL and SQLite, not {connection.vendor}.")


# --- a lock that outlives transactions and dies with the process ---------------------------------

def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def run_lock(name: str):
    """Yields True when this process holds the named lock, False when another holds it. On
    PostgreSQL a session advisory lock: released when the holder disconnects, so a run killed
    with SIGKILL leaves no lock behind. Elsewhere (the embedded default is one process) a
    process-local lock."""
    if connection.vendor == "postgresql":
        key = _lock_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    with _local_locks_guard:
        lock = _local_locks.setdefault(name, threading.Lock())
    acquired = lock.acquire(blocking=False)
    try:
        yield acquired
    finally:
        if acquired:
            lock.release()
