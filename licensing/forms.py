"""The rights core's page forms: one per action, validated here so errors sit beside the field
and the person's input is kept; the services still check everything again."""
from django import forms

from accounts.formfields import LinesField, MultipleFileField

from .models import IPAsset, Likeness, PermissionLevel
from .screening import CATEGORY_DEFINITIONS, CATEGORY_LABELS, SENSITIVE_CATEGORIES


class LikenessForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name shown to buyers")
    bio = forms.CharField(max_length=2000, required=False, label="About", widget=forms.Textarea(attrs={"rows": 4}))


class VerificationUploadForm(forms.Form):
    files = MultipleFileField(
        label="Clip (MP4/WebM) or photos (PNG/JPEG/WebP), up to 8 files",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = "image/png,image/jpeg,image/webp,video/mp4,video/webm"
        self.fields["files"].error_messages["required"] = "Choose a short clip or a few photos of yourself saying the phrase."


class ConsentForm(forms.Form):
    agree = forms.BooleanField(label="I have read this and I consent", error_messages={"required": "Tick the box to agree to the consent document."})
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawConsentForm(forms.Form):
    confirm = forms.BooleanField(
        label="I withdraw my consent: this revokes my likeness and every licence on it",
        error_messages={"required": "Tick the box to confirm: withdrawing consent revokes everything."},
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(max_length=255, required=False, label="Reason (optional)")


class DetailsForm(forms.Form):
    managed_by = forms.ChoiceField(choices=Likeness.Manager.choices, label="Managed by")
    date_of_birth = forms.DateField(
        required=False, label="Date of birth of the person (people under 18 cannot be used commercially)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date like 1990-05-17."},
    )


class PermissionForm(forms.Form):
    permission_level = forms.ChoiceField(choices=PermissionLevel.choices, label="Who may use my likeness", widget=forms.RadioSelect)


class AccessEntryForm(forms.Form):
    email = forms.EmailField(label="Their e-mail address")
    kind = forms.ChoiceField(choices=[("allow", "Allow them"), ("deny", "Never allow them")], label="What to do", initial="allow", widget=forms.RadioSelect)


class RulesForm(forms.Form):
    allowed_categories = forms.MultipleChoiceField(
        choices=[(c, CATEGORY_LABELS[c][:1].upper() + CATEGORY_LABELS[c][1:]) for c in SENSITIVE_CATEGORIES], required=False, widget=forms.CheckboxSelectMultiple,
        label="Sensitive content I allow (all blocked unless ticked)",
    )
    blocked_words = LinesField(label="Words and phrases I never allow (one per line)")
    content_rules = LinesField(label="My rules, in my own words (one per line, e.g. “no alcohol”)")
    require_brief_approval = forms.BooleanField(required=False, label="I approve every brief before it is generated")
    require_output_approval = forms.BooleanField(required=False, label="I approve every output before it is released")
    approval_window_hours = forms.IntegerField(min_value=1, max_value=720, label="Requests lapse after (hours)")
    notice_period_days = forms.IntegerField(min_value=0, max_value=365, label="Notice period after revocation (days)")

    def __init__(self, *args, relaxable=None, **kwargs):
        """`relaxable`: the categories this holding may relax (`screening.relaxable_categories`);
        the others are never offered, each offered one shows the line the talent reads about it."""
        super().__init__(*args, **kwargs)
        if relaxable is not None:
            self.fields["allowed_categories"].choices = [
                (c, f"{CATEGORY_LABELS[c][:1].upper()}{CATEGORY_LABELS[c][1:]}: {CATEGORY_DEFINITIONS[c]}")
                for c in SENSITIVE_CATEGORIES if c in relaxable
            ]

    @classmethod
    def initial_for(cls, holding) -> dict:
        return {name: getattr(holding, name) for name in cls.base_fields}


class StudioRulesForm(RulesForm):
    permission_level = forms.ChoiceField(choices=PermissionLevel.choices, label="Who may use it")
    field_order = ["permission_level"]


class IPAssetForm(forms.Form):
    studio = forms.ModelChoiceField(queryset=None, label="Studio", empty_label=None)
    kind = forms.ChoiceField(choices=IPAsset.Kind.choices, label="Kind")
    name = forms.CharField(max_length=160, label="Name")
    description = forms.CharField(max_length=4000, required=False, label="Description", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, studios=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = studios


class GrantForm(forms.Form):
    email = forms.EmailField(label="Grant a licence to (e-mail)")
    duration_days = forms.IntegerField(min_value=1, max_value=3650, initial=30, label="Days")
    generation_quota = forms.IntegerField(min_value=1, max_value=100000, initial=10, label="Generations")
    derivatives = forms.ChoiceField(choices=[("none", "Not allowed"), ("allowed", "Allowed"), ("approval", "Need approval")], label="Remixes")
    commercial_use = forms.BooleanField(required=False, initial=True, label="Commercial use")


class ReviewForm(forms.Form):
    note = forms.CharField(max_length=500, required=False, label="Note")
