import sys

from django.apps import AppConfig

# Processes that screen briefs: they load the screening model at start-up, so the first brief is
# answered at once rather than after the model's load (seconds).
_SERVING_COMMANDS = {"rundev", "runserver", "screen_briefs"}
_SERVING_PROGRAMS = ("daphne", "gunicorn", "uvicorn", "celery")


def _serving_process(argv: list[str]) -> bool:
    program = argv[0].rsplit("/", 1)[-1] if argv else ""
    if len(argv) > 1 and argv[1] in _SERVING_COMMANDS:
        return True
    if program.startswith(_SERVING_PROGRAMS):
        return program != "celery" or "worker" in argv
    return False


def preload_screening() -> None:
    """Load the screening model, its classifier head and the deployment's guard, and screen one
    brief so every lazy initialisation (tokeniser, kernels) is done."""
    from django.conf import settings

    if not getattr(settings, "CONTENT_SCREENING_SEMANTIC", True):
        return
    from . import screening
    from .services.evaluation import screening_guard

    screening.screen("a portrait in a garden, then a city street at night", [screening.ContentRules(label="start-up", rules=("no alcohol",))], guard=screening_guard())


class LicensingConfig(AppConfig):
    name = "licensing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from accounts.context_processors import register_nav_provider

        @register_nav_provider
        def approvals_waiting(request):
            user = request.user
            if not user.is_authenticated or user.kind not in ("talent", "studio"):
                return {}
            from .selectors import approvals_pending_for

            return {"approvals": len(approvals_pending_for(user=user))}

        if getattr(settings, "CONTENT_SCREENING_PRELOAD", True) and _serving_process(sys.argv):
            preload_screening()
