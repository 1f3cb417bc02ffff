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


class MisuseReportForm(forms.Form):
    kind = forms.ChoiceField(label="What happened", choices=[
        ("my_likeness", "Someone used my likeness"), ("breaks_terms", "This output breaks its terms"), ("other", "Other misuse"),
    ])
    description = forms.CharField(label="Describe what you saw", min_length=10, max_length=4000, widget=forms.Textarea)
    email = forms.EmailField(label="Your e-mail (for our answer)", required=False)
    link = forms.URLField(label="Where you saw it (a link)", required=False, max_length=1000)
    file = forms.FileField(label="Or upload the picture or video", required=False)
    generation_id = forms.CharField(label="Generation id (from the verify page or the output's page)", required=False, max_length=64)


class MisuseReportHandleForm(forms.Form):
    status = forms.ChoiceField(label="Move to", required=False, choices=[("", "(no change)"), ("investigating", "Investigating"), ("actioned", "Actioned"), ("dismissed", "Dismissed")])
    action = forms.ChoiceField(label="Action", required=False, choices=[
        ("", "(none)"), ("takedown", "Take the output down"), ("licence_suspension", "Suspend the licence"),
        ("account_suspension", "Suspend the licensee's account"), ("referral", "Refer to the authorities"),
    ])
    note = forms.CharField(label="Note", required=False, max_length=500)
    answer = forms.CharField(label="Answer to the reporter", required=False, max_length=4000, widget=forms.Textarea)


class AuditFilterForm(forms.Form):
    person = forms.CharField(label="Person (e-mail)", required=False, max_length=254)
    likeness = forms.UUIDField(label="Likeness id", required=False)
    licence = forms.UUIDField(label="Licence id", required=False)
    action = forms.CharField(label="Action starts with (e.g. consent., licence.revoked)", required=False, max_length=64)


class ConsentDocumentForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    text = forms.CharField(label="Full text", widget=forms.Textarea, max_length=50_000)
    grace_days = forms.IntegerField(label="Grace period (days) before sales stop without fresh consent", min_value=0, max_value=90, initial=14)
