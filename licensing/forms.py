"""The rights core's page forms (Django forms: errors beside the field, input kept)."""
from django import forms


class LikenessCreateForm(forms.Form):
    name = forms.CharField(label="Name shown to buyers", max_length=120)
    bio = forms.CharField(label="About", max_length=2000, required=False, widget=forms.Textarea)
    date_of_birth = forms.DateField(
        label="Date of birth", help_text="The person's own, or your child's or ward's if you are their guardian (YYYY-MM-DD).",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    as_guardian = forms.BooleanField(label="I am the parent or legal guardian of this person, who is under 18", required=False)
    ward_email = forms.EmailField(label="Their own e-mail (we ask them to take over at 18)", required=False)
