"""The rights core's page forms: one per action, validated here so errors sit beside the field
and the person's input is kept; the services still check everything again."""
from django import forms

from accounts.formfields import LinesField, MultipleFileField

from .models import IPAsset, Likeness, PermissionLevel
from .screening import CATEGORY_LABELS, PROFILES, SENSITIVE_CATEGORIES, category_definition
from .services.screening import MAX_TEST_BRIEFS


class LikenessForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name shown to buyers")
    bio = forms.CharField(max_length=2000, required=False, label="About", widget=forms.Textarea(attrs={"rows": 4}))


class VerificationUploadForm(forms.Form):
    files = MultipleFileField(
        label="Your clip (MP4 or WebM)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = "image/png,image/jpeg,image/webp,video/mp4,video/webm"
        self.fields["files"].error_messages["required"] = "Choose a short clip of yourself making the head movements."


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

    holder_kind = "likeness"  # whose lines the categories read in (``screening.category_definition``)

    def __init__(self, *args, relaxable=None, **kwargs):
        """`relaxable`: the categories this holding may relax (`screening.relaxable_categories`);
        the others are never offered, each offered one shows the line its holder reads about it."""
        super().__init__(*args, **kwargs)
        if relaxable is not None:
            self.fields["allowed_categories"].choices = [
                (c, f"{CATEGORY_LABELS[c][:1].upper()}{CATEGORY_LABELS[c][1:]}: {category_definition(c, kind=self.holder_kind)}")
                for c in SENSITIVE_CATEGORIES if c in relaxable
            ]

    @classmethod
    def initial_for(cls, holding) -> dict:
        return {name: getattr(holding, name) for name in cls.base_fields}


class ProfileClaimForm(forms.Form):
    """The talent's screening profile: claim one (a moderator checks it) or go back to general."""

    profile = forms.ChoiceField(
        label="Screening profile", widget=forms.RadioSelect,
        choices=[(k, v) for k, v in PROFILES.items()],
        help_text="A politician may allow endorsements for their own campaign; an adult performer may allow sexual content. "
        "A moderator checks a claim before it applies; going back to general applies at once.",
    )
    statement = forms.CharField(
        label="Who you are (the campaign you run, or where you perform)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        statement = (data.get("statement") or "").strip()
        if data.get("profile") not in (None, "general") and len(statement) < 20:
            self.add_error("statement", "Say who you are in at least 20 characters, so a moderator can check your claim.")
        return data


class StudioRulesForm(RulesForm):
    holder_kind = "ip_asset"
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
    clear_match = forms.BooleanField(required=False, label="I checked: this is not someone else's face (clear the match)")


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
    link = forms.URLField(label="Where you saw it (a link)", required=False, max_length=1000, assume_scheme="https")
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


# --- agencies, estates, a minor's named people ---------------------------------------------------

class ManagementGrantForm(forms.Form):
    """The talent lets an agency manage offers, rules and approvals (never consent or revocation)."""

    agency = forms.ModelChoiceField(
        queryset=None, label="Agency", empty_label="Choose an agency",
        help_text="Its members may then manage your offers, content rules and approvals. You can take it back at any time.",
        error_messages={"required": "Choose the agency that represents you.", "invalid_choice": "Choose an agency from the list."},
    )

    def __init__(self, *args, **kwargs):
        from accounts.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Organisation.objects.filter(kind=Organisation.Kind.AGENCY).order_by("name")


class ManagementRevokeForm(forms.Form):
    grant = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput, error_messages={"invalid_choice": "That agency no longer manages this likeness."})

    def __init__(self, *args, likeness=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = likeness.management_grants.filter(revoked_at__isnull=True).select_related("agency")


class EstateProofForm(forms.Form):
    """An estate member sends its proof of authority (kept private: moderators only)."""

    estate = forms.ModelChoiceField(
        queryset=None, label="The estate", empty_label="Choose your estate",
        error_messages={"required": "Choose the estate you act for.", "invalid_choice": "Choose an estate you belong to."},
    )
    document = forms.FileField(
        label="Proof of authority (PDF, PNG or JPEG, up to 10 MB)",
        help_text="A grant of probate, letters of administration or a similar document. Only moderators see it.",
        error_messages={"required": "Choose the document that proves the estate's authority."},
    )

    def __init__(self, *args, user=None, **kwargs):
        from accounts.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = Organisation.objects.filter(kind=Organisation.Kind.ESTATE, memberships__user=user).order_by("name")
        self.fields["document"].widget.attrs["accept"] = "application/pdf,image/png,image/jpeg"


class EstateReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept: the estate may act for the deceased"), ("reject", "Reject")], widget=forms.RadioSelect, label="Decision",
        error_messages={"required": "Choose accept or reject."},
    )
    note = forms.CharField(max_length=500, required=False, label="Reason (the estate sees it; required to reject)", widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", "Say why the proof is not accepted: the estate sees it.")
        return data


class WardPersonForm(forms.Form):
    """A guardian names a person who may use the minor's likeness (personal, non-commercial)."""

    email = forms.EmailField(label="Their e-mail address", help_text="They need a Rightscast account with this address.")
    generation_quota = forms.IntegerField(
        min_value=1, max_value=100, initial=10, label="Generations they may make",
        error_messages={"min_value": "Allow at least 1 generation.", "max_value": "Allow at most 100 generations."},
    )


# --- the content screen's pages: the talent's "test my rules" and the moderators' review ---


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


class ProfileDecisionForm(forms.Form):
    claim = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")], label="Decision")
    reason = forms.CharField(label="Reason (told to the talent; needed to reject)", required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Tell the talent why the claim is rejected.")
        return data


class ReviewExportForm(forms.Form):
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("jsonl", "JSON lines")], label="Format")
