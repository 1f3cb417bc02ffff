"""`flush` erases the whole database. On PostgreSQL it does so with TRUNCATE, which the ledger's
row triggers do not see; on SQLite it deletes rows, which the ledger's delete guard refuses. This
wraps Django's command so that erasing everything (and only that) passes the guard, on SQLite as
on PostgreSQL. Nothing else can delete a ledger row (or the rights core's append-only records, licensing.db)."""
from django.core.management.commands.flush import Command as FlushCommand

from licensing.db import records_unsealed_for_flush
from marketplace.db import ledger_unsealed_for_flush


class Command(FlushCommand):
    def handle(self, **options):
        with ledger_unsealed_for_flush(), records_unsealed_for_flush():
            return super().handle(**options)
