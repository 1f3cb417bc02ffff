from django import forms

from accounts.formfields import MoneyField
from generation.variants import MAX_VARIANTS


class CampaignForm(forms.Form):
    name = forms.CharField(label="Campaign name", max_length=160)
    query = forms.CharField(label="Talent matching (optional)", max_length=200, required=False)
    currency = forms.ChoiceField(label="Currency", choices=[("gbp", "GBP"), ("usd", "USD"), ("eur", "EUR")])
    budget_minor = MoneyField(label="Budget (e.g. 2000.00)")  # typed in major units, cleaned to minor units
    price_ceiling_minor = MoneyField(label="Most per talent (e.g. 250.00)")


class CampaignBriefForm(forms.Form):
    prompt_template = forms.CharField(label="Brief ({talent} is each talent's name)", max_length=2000, widget=forms.Textarea)
    variants = forms.IntegerField(label="Variants per talent", min_value=1, max_value=MAX_VARIANTS, initial=1)
    media = forms.ChoiceField(label="Make", choices=[("image", "An image"), ("video", "A short video")])
