"""`flush` erases the whole database. On PostgreSQL it does so with TRUNCATE, which the ledger's
guard refuses unless the session says it is flushing (`rightscast.ledger_flush`, migration
0005_ledger_sealed_pg); on SQLite it deletes rows, which the ledger's delete guard refuses. This
wraps Django's command so that erasing everything (and only that) passes the guard, on SQLite as
on PostgreSQL. Nothing else can delete a ledger row (or the rights core's append-only records, licensing.db)."""
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from licensing.db import records_unsealed_for_flush
from marketplace.db import ledger_unsealed_for_flush


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or "default"]
        pg = connection.vendor == "postgresql"
        with ledger_unsealed_for_flush(), records_unsealed_for_flush():
            if pg:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('rightscast.ledger_flush', 'on', false)")
            try:
                return super().handle(**options)
            finally:
                if pg:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT set_config('rightscast.ledger_flush', 'off', false)")
