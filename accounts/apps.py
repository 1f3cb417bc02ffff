from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # DRF reads a boolean left out of a form-encoded or multipart body as False (an unticked
        # checkbox), so leaving out `approve` or `pay` would perform the "no" action. Left out
        # means left out in every content type: a required boolean is required, an optional one
        # keeps its default, exactly as in JSON.
        from rest_framework import fields

        fields.BooleanField.default_empty_html = fields.empty

        # A changed or reset password ends every API token issued under the old one.
        from allauth.account.signals import password_changed, password_reset

        from accounts.tokens import api_tokens_revoke_all

        def _revoke(sender, request=None, user=None, **kwargs):
            if user is not None:
                api_tokens_revoke_all(user=user)

        password_changed.connect(_revoke, dispatch_uid="accounts-revoke-tokens-on-password-change", weak=False)
        password_reset.connect(_revoke, dispatch_uid="accounts-revoke-tokens-on-password-reset", weak=False)
