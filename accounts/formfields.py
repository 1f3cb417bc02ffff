"""Form fields the pages share."""
from django import forms


class LinesField(forms.CharField):
    """A list of short texts edited one per line in a textarea (blocked words, content rules). The
    list is shown with real line breaks, and read back line by line, so saving a page never merges
    two rules into one."""

    widget = forms.Textarea

    def __init__(self, *, max_lines: int = 200, max_line_length: int = 300, **kwargs):
        kwargs.setdefault("required", False)
        self.max_lines, self.max_line_length = max_lines, max_line_length
        super().__init__(**kwargs)
        self.widget.attrs["rows"] = 5

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            lines = [str(v).strip() for v in value]
        else:
            lines = [line.strip() for line in (super().to_python(value) or "").splitlines()]
        return list(dict.fromkeys(line for line in lines if line))

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(value) > self.max_lines:
            raise forms.ValidationError(f"At most {self.max_lines} lines.")
        long = [line for line in value if len(line) > self.max_line_length]
        if long:
            raise forms.ValidationError(f"Each line is at most {self.max_line_length} characters (“{long[0][:40]}…” is longer).")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data] if data else single(None, initial)
        return [single(data, initial)]


class MoneyField(forms.DecimalField):
    """An amount typed in major units ("250" or "250.00"), cleaned to integer minor units. A blank
    optional field cleans to `blank_value` (None unless the form says otherwise, e.g. 0 for a fee
    that is simply not charged)."""

    def __init__(self, *, blank_value=None, **kwargs):
        self.blank_value = blank_value
        kwargs.setdefault("max_digits", 11)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "step": "0.01"})
        self.error_messages["invalid"] = "Enter an amount like 250 or 250.00."
        self.error_messages["max_decimal_places"] = "At most two decimals (pence, cents)."

    def clean(self, value):
        amount = super().clean(value)
        return self.blank_value if amount is None else int(amount * 100)

    def prepare_value(self, value):
        return value
