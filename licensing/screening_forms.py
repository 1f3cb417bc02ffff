"""Forms of the content screen's pages: the talent's "test my rules" and the moderators' review."""
from django import forms

from .services.screening import MAX_TEST_BRIEFS


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RulesTestForm(forms.Form):
    rules = forms.CharField(
        label="Your content rules, one per line", required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "no alcohol\nI am vegan, no meat"}),
        help_text="Rules in your own words. The default categories are always screened too.",
    )
    briefs = forms.CharField(
        label=f"Sample briefs, one per line (at most {MAX_TEST_BRIEFS})", max_length=20000,
        error_messages={"required": "Write at least one sample brief."},
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "her toasting with a glass of champagne at a party"}),
    )

    def clean_rules(self):
        rules = _lines(self.cleaned_data.get("rules", ""))
        if len(rules) > 200 or any(len(r) > 300 for r in rules):
            raise forms.ValidationError("At most 200 rules of at most 300 characters each.")
        return rules

    def clean_briefs(self):
        briefs = _lines(self.cleaned_data.get("briefs", ""))
        if not briefs:
            raise forms.ValidationError("Write at least one sample brief.")
        if len(briefs) > MAX_TEST_BRIEFS or any(len(b) > 2000 for b in briefs):
            raise forms.ValidationError(f"At most {MAX_TEST_BRIEFS} sample briefs of at most 2000 characters each.")
        return briefs


class MarkWrongForm(forms.Form):
    refusal = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(label="Why was it wrong?", required=False, max_length=500)
