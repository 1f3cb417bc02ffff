from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data. It composes every app (rights core, money side, generation), so it sits above
    them all; nothing imports it."""

    name = "demo"
    default_auto_field = "django.db.models.BigAutoField"
