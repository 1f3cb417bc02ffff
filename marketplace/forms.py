"""Django forms for the marketplace pages this app adds (studios selling IP, studio payouts). Each
page action is one form: errors beside the field, input kept."""
from decimal import Decimal

from django import forms

from accounts.display import channel_name, territory_choices
from accounts.formfields import MoneyField
from licensing.models import CHANNELS, Indemnity, LicenceTerms

from .models import CURRENCIES, RevenuePolicy
from .services.payees import PAYEE_COUNTRIES


def _offer_amount(**kwargs) -> MoneyField:
    """An offer's amount: the shared major-units field, up to 100,000,000.00, blank meaning 0."""
    kwargs.setdefault("max_value", Decimal("100000000"))
    return MoneyField(blank_value=0, max_digits=12, **kwargs)


class OfferForm(forms.Form):
    title = forms.CharField(max_length=160)
    price = _offer_amount(label="Price (e.g. 250.00)")
    per_generation_fee = _offer_amount(label="Per-generation fee from the buyer's prepaid credit (optional, e.g. 2.50)", required=False)
    currency = forms.ChoiceField(choices=CURRENCIES, initial="gbp")
    duration_days = forms.IntegerField(label="Term (days)", min_value=1, max_value=3650, initial=30)
    generation_quota = forms.IntegerField(label="Generations included", min_value=1, max_value=1_000_000, initial=10)
    commercial_use = forms.BooleanField(label="Commercial use", required=False, initial=True)
    channels = forms.MultipleChoiceField(choices=[(c, channel_name(c)) for c in CHANNELS], required=False, widget=forms.CheckboxSelectMultiple, label="Channels (none ticked: every channel)")
    territories = forms.MultipleChoiceField(required=False, label="Territories (none chosen: worldwide)", widget=forms.SelectMultiple(attrs={"size": 6}))
    derivatives = forms.ChoiceField(label="Remixes", choices=LicenceTerms.Derivatives.choices, initial=LicenceTerms.Derivatives.NONE)
    revenue_share_percent = forms.DecimalField(
        label="Share of remixes' revenue paid up the chain (%)", required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2,
    )
    revenue_policy = forms.ChoiceField(label="How remix revenue is shared", choices=RevenuePolicy.choices, initial=RevenuePolicy.RELATIVE, required=False)
    revenue_ceiling_percent = forms.DecimalField(
        label="Most that all remix ancestors together take, absolute policy (%)", required=False, min_value=0, max_value=100,
        max_digits=5, decimal_places=2, initial=50,
    )

    addon_generation_price = _offer_amount(label="Price of each extra generation a buyer adds later (optional)", required=False)
    addon_day_price = _offer_amount(label="Price of each extra day of term a buyer adds later (optional)", required=False)

    exclusivity_category = forms.CharField(label="Exclusive in a market (e.g. soft drinks; empty: not exclusive)", max_length=80, required=False)
    sublicensable = forms.BooleanField(label="The buyer may sublicense", required=False)
    ai_training = forms.BooleanField(label="Outputs may be used to train AI models", required=False)
    model_name = forms.ChoiceField(label="Model that renders it", required=False)
    indemnity = forms.ChoiceField(label="Buyer indemnity", choices=Indemnity.choices, initial=Indemnity.NONE, required=False)
    indemnity_cap = _offer_amount(label="Indemnity cap (standard tier)", required=False)
    indemnity_price = _offer_amount(label="Price of the indemnity, added to the licence price", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territories"].choices = territory_choices()
        from licensing import renderers

        self.fields["model_name"].choices = [("", "This site's own model"), *sorted(renderers.known().items())]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "territories": d.get("territories") or [],
            "title": d["title"],
            "price_minor": d["price"],
            "per_generation_fee_minor": d["per_generation_fee"] or 0,
            "currency": d["currency"],
            "duration_days": d["duration_days"],
            "generation_quota": d["generation_quota"],
            "commercial_use": d["commercial_use"],
            "channels": d["channels"],
            "derivatives": d["derivatives"],
            "exclusivity_category": d.get("exclusivity_category") or "",
            "sublicensable": bool(d.get("sublicensable")),
            "ai_training": bool(d.get("ai_training")),
            "model_name": d.get("model_name") or "",
            "revenue_share_bps": int((d.get("revenue_share_percent") or 0) * 100),
            "revenue_policy": d.get("revenue_policy") or RevenuePolicy.RELATIVE,
            "addon_generation_price_minor": d.get("addon_generation_price") or 0,
            "addon_day_price_minor": d.get("addon_day_price") or 0,
            "indemnity": d.get("indemnity") or Indemnity.NONE,
            "indemnity_cap_minor": d.get("indemnity_cap") or None,
            "indemnity_price_minor": d.get("indemnity_price") or 0,
            "revenue_ceiling_bps": 5_000 if d.get("revenue_ceiling_percent") is None else int(d["revenue_ceiling_percent"] * 100),
        }


class PayoutCountryForm(forms.Form):
    country = forms.ChoiceField(label="Country of the bank account", choices=PAYEE_COUNTRIES, initial="GB")


class AddOnForm(forms.Form):
    generations = forms.IntegerField(label="More generations", min_value=0, max_value=1_000_000, required=False, initial=0)
    days = forms.IntegerField(label="More days of term", min_value=0, max_value=3650, required=False, initial=0)

    def clean(self):
        data = super().clean()
        data["generations"] = data.get("generations") or 0
        data["days"] = data.get("days") or 0
        if not self.errors and not (data["generations"] or data["days"]):
            raise forms.ValidationError("Choose more generations, more days, or both.")
        return data


class BuyForm(forms.Form):
    """Buying an offer; `remix_of` (hidden, from the feed's remix link) names the work the licence
    is bought to remix, whose chain shares the sale."""

    remix_of = forms.UUIDField(required=False, widget=forms.HiddenInput)


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
