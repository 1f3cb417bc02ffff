"""The money side's page forms: prices typed in major units ("250.00"), cleaned to minor units."""
from django import forms

from accounts.display import channel_name, territory_choices
from accounts.formfields import MoneyField
from licensing.models import CHANNELS, LicenceTerms

from .models import CURRENCIES


class OfferForm(forms.Form):
    title = forms.CharField(max_length=160, label="Title", help_text="What buyers see first, e.g. “Social campaign, 30 days”.")
    price = MoneyField(label="Price", max_value=1_000_000, help_text="In pounds, dollars or euros, e.g. 250 or 250.00.")
    per_generation_fee = MoneyField(label="Per-generation fee (optional)", required=False, max_value=10_000, help_text="Drawn from the buyer's prepaid credit at each generation, e.g. 2.50.")
    currency = forms.ChoiceField(choices=CURRENCIES, initial="gbp", label="Currency")
    duration_days = forms.IntegerField(min_value=1, max_value=3650, initial=30, label="Term (days)")
    generation_quota = forms.IntegerField(min_value=1, max_value=100_000, initial=10, label="Generations included")
    commercial_use = forms.BooleanField(required=False, initial=True, label="Commercial use")
    channels = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Channels (none ticked: every channel)")
    territories = forms.MultipleChoiceField(required=False, label="Territories (none chosen: worldwide)", widget=forms.SelectMultiple(attrs={"size": 6}))
    derivatives = forms.ChoiceField(choices=LicenceTerms.Derivatives.choices, initial="none", label="Remixes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].choices = [(c, channel_name(c)) for c in CHANNELS]
        self.fields["territories"].choices = territory_choices()

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"], "price_minor": d["price"], "per_generation_fee_minor": d["per_generation_fee"] or 0, "currency": d["currency"],
            "commercial_use": d["commercial_use"], "channels": d["channels"], "territories": d["territories"],
            "duration_days": d["duration_days"], "generation_quota": d["generation_quota"], "derivatives": d["derivatives"],
        }


class TopUpForm(forms.Form):
    amount = MoneyField(label="Amount", min_value=1, max_value=100_000, help_text="e.g. 50 or 50.00")
    currency = forms.ChoiceField(choices=CURRENCIES, initial="gbp", label="Currency")


class RefundForm(forms.Form):
    amount = MoneyField(label="Amount to refund", min_value=0.01, help_text="e.g. 25.00")
    note = forms.CharField(max_length=255, required=False, label="Note")


class BrowseForm(forms.Form):
    """The marketplace's search box, filters and sort (GET)."""

    q = forms.CharField(required=False, max_length=200, label="Search", widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, style, category…"}))
    kind = forms.ChoiceField(required=False, choices=[("", "Talent and characters"), ("talent", "Talent"), ("character", "Characters and studio IP")], label="Kind")
    min_price = MoneyField(required=False, label="Price from", max_value=1_000_000)
    max_price = MoneyField(required=False, label="Price up to", max_value=1_000_000)
    channel = forms.ChoiceField(required=False, label="Channel")
    territory = forms.ChoiceField(required=False, label="Territory")
    remix = forms.BooleanField(required=False, label="Remixes allowed")
    available = forms.BooleanField(required=False, label="Available now")
    sort = forms.ChoiceField(required=False, label="Sort by")

    def __init__(self, *args, **kwargs):
        from .browse import SORTS

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", "Any channel")] + [(c, channel_name(c)) for c in CHANNELS]
        self.fields["territory"].choices = [("", "Anywhere")] + territory_choices()
        self.fields["sort"].choices = list(SORTS.items())


class PortraitForm(forms.Form):
    image = forms.FileField(label="Portrait (PNG, JPEG or WebP)", help_text="Shown on your marketplace card. Your private verification photos are never shown.")
    alt_text = forms.CharField(required=False, max_length=200, label="Describe the picture (for screen readers)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].widget.attrs["accept"] = "image/png,image/jpeg,image/webp"
