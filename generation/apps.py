from django.apps import AppConfig


class GenerationConfig(AppConfig):
    name = "generation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from licensing import remix_parents, renderers

        from . import config
        from .selectors import remix_parent_usage

        renderers.register(config.registered_models)  # offers name a model from this list

        # Which work a person may remix, asked by the money side when a licence is bought to remix it.
        remix_parents.register(remix_parent_usage)
