from django import forms

from .models import EVENTS


class EndpointForm(forms.Form):
    url = forms.CharField(label="Receiver URL", max_length=500, help_text="https://… on your server; we POST signed JSON to it.")
    description = forms.CharField(label="Description (optional)", max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label="Events", choices=list(EVENTS.items()), widget=forms.CheckboxSelectMultiple, initial=list(EVENTS),
        error_messages={"required": "Choose at least one event to receive."},
    )
