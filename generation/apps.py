from django.apps import AppConfig


class GenerationConfig(AppConfig):
    name = "generation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from licensing import renderers

        from . import config

        renderers.register(config.registered_models)  # offers name a model from this list
