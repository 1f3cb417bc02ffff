from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "licensing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.context_processors import register_nav_provider

        @register_nav_provider
        def approvals_waiting(request):
            user = request.user
            if not user.is_authenticated or user.kind not in ("talent", "studio"):
                return {}
            from .selectors import approvals_pending_for

            return {"approvals": len(approvals_pending_for(user=user))}
