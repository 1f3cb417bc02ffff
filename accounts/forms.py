from django import forms

from .models import User


class SignupForm(forms.Form):
    """Extra sign-up fields for allauth: who one is on the platform."""

    display_name = forms.CharField(max_length=120, required=False, label="Name")
    kind = forms.ChoiceField(
        choices=[(k, label) for k, label in User.Kind.choices if k != User.Kind.MODERATOR],
        initial=User.Kind.BRAND,
        label="I am",
    )

    def signup(self, request, user):
        user.kind = self.cleaned_data["kind"]
        user.display_name = self.cleaned_data.get("display_name", "")
        user.save(update_fields=["kind", "display_name"])
