"""The generation pages' forms."""
from django import forms

from accounts.display import channel_name, territory_choices


class BriefForm(forms.Form):
    prompt = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), label="Prompt", error_messages={"required": "Write a prompt for the brief."})
    media = forms.ChoiceField(choices=[("image", "An image"), ("video", "A short video")], label="Make")
    channel = forms.ChoiceField(required=False, label="Where it will run")
    territory = forms.ChoiceField(required=False, label="Territory")
    extra_licences = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Other parties in this work (characters, worlds, other talent)")
    seed = forms.IntegerField(required=False, min_value=0, max_value=2**63 - 1, label="Seed (optional)", help_text="The same seed and prompt give the same picture.")
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    remix_strength = forms.FloatField(
        required=False, min_value=0.05, max_value=1.0, initial=0.6, label="How far from the original",
        help_text="0.05 stays close to the work you remix; 1 uses it only as a starting point.",
    )
    variants = forms.IntegerField(
        required=False, min_value=1, max_value=8, initial=1, label="Variants",
        help_text="For A/B tests: 1 to 8, each its own generation and a unit of quota.",
    )

    def __init__(self, *args, channels=(), other_licences=(), remix=False, restricted_channels=False, territories=(), **kwargs):
        """`restricted_channels` / `territories`: the licence names them, so the brief must state
        one of them (only those are offered)."""
        super().__init__(*args, **kwargs)
        if not remix:
            del self.fields["remix_strength"]
        channel_choices = [(c, channel_name(c)) for c in channels]
        self.fields["channel"].choices = channel_choices if restricted_channels else [("", "Not stated")] + channel_choices
        self.fields["channel"].required = restricted_channels
        if territories:
            names = dict(territory_choices())
            self.fields["territory"].choices = [(t, names.get(t, t)) for t in territories]
            self.fields["territory"].required = True
        else:
            self.fields["territory"].choices = [("", "Not stated")] + territory_choices()
        self.fields["extra_licences"].choices = [(str(o.pk), o.holding.name) for o in other_licences]
        if not other_licences:
            del self.fields["extra_licences"]


class TakeDownForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Take this output down everywhere (reason)")


class ApprovalForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, label="Note to the requester (optional)")


class VerifyForm(forms.Form):
    file = forms.FileField(label="Image or MP4 video", error_messages={"required": "Choose a file to check."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "image/png,image/jpeg,image/webp,video/mp4"


class CommentForm(forms.Form):
    text = forms.CharField(max_length=1000, label="Add a comment", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "Write a comment first."})


class PublishForm(forms.Form):
    caption = forms.CharField(max_length=280, required=False, label="Caption (optional)")


class GalleryFilterForm(forms.Form):
    holding = forms.ChoiceField(required=False, label="Licensed from")
    media = forms.ChoiceField(required=False, choices=[("", "Images and videos"), ("image", "Images"), ("video", "Videos")], label="Kind")
    status = forms.ChoiceField(
        required=False, label="State",
        choices=[("", "Everything"), ("released", "Ready to use"), ("awaiting_approval", "Waiting for approval"), ("failed", "Failed or refused")],
    )
    sort = forms.ChoiceField(required=False, choices=[("new", "Newest first"), ("old", "Oldest first")], label="Order")

    def __init__(self, *args, holdings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holding"].choices = [("", "Anyone")] + list(holdings)


class ShowcaseForm(forms.Form):
    jobs = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Outputs to show on your public listing",
        help_text="Up to 12. Nothing ticked: the listing shows none.",
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jobs"].choices = [
            (str(j.pk), f"Made by {j.brief.requester} on {j.finished_at or j.created_at:%d %b %Y}") for j in candidates
        ]
