from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from licensing import metering

        from .db import register_sqlite_functions
        from .services.credit import usage_fee_draw
        from .services.refunds import usage_fee_return

        # Per-generation fees are drawn in the same transaction as the use (licensing.metering),
        # and returned in the same transaction as a use given back before rendering.
        metering.register(usage_fee_draw)
        metering.register_release(usage_fee_return)
        # Who was paid for a use, for the lineage page (read by reference through licensing).
        from .selectors import usage_payments_for

        metering.register_paid_reader(usage_payments_for)
        # The SQLite ledger guard's function, on every new connection.
        connection_created.connect(register_sqlite_functions, dispatch_uid="marketplace.sqlite_ledger_guard")
        from django.db import connections

        for conn in connections.all(initialized_only=True):
            if conn.vendor == "sqlite" and conn.connection is not None:
                register_sqlite_functions(sender=None, connection=conn)
