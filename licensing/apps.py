from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "licensing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created

        from .db import register_sqlite_functions

        # The SQLite delete guards' function (records append-only), on every new connection.
        connection_created.connect(register_sqlite_functions, dispatch_uid="licensing.sqlite_records_guard")
        for conn in connections.all(initialized_only=True):
            if conn.vendor == "sqlite" and conn.connection is not None:
                register_sqlite_functions(sender=None, connection=conn)
