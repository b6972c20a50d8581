import importlib.util

from django import forms

from safeguarding.core.date_input import GovukDateField


class RecordsUploadForm(forms.Form):
    file = forms.FileField(
        label="Records file (CSV or Excel)", help_text="Up to 50 MB, with the columns described below"
    )
    reason = forms.CharField(
        label="Why are you loading these records?",
        max_length=300,
        help_text="For example: the monthly extract from the GP system. Kept in the audit trail.",
    )


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Are these records about the same child?",
        choices=[("same", "Yes, the same child"), ("different", "No, different children")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="How do you know?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: checked with the school; twins at the same address. Kept with the decision.",
    )


class RunForm(forms.Form):
    backend = forms.ChoiceField(
        label="Run on",
        choices=[("duckdb", "This server (DuckDB)"), ("spark", "Spark (for national-scale data)")],
        initial="duckdb",
        widget=forms.RadioSelect,
    )
    reuse_model = forms.BooleanField(
        label="Link with the current model instead of training a new version", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        if importlib.util.find_spec("pyspark") is None:
            # Spark is an optional extra (safeguarding[spark]); offer it only where installed.
            self.fields["backend"].choices = [("duckdb", "This server (DuckDB)")]


PURPOSES = [
    ("", "Choose a purpose"),
    ("mash_enquiry", "A MASH enquiry about a contact or referral"),
    ("section_47", "A child protection (section 47) enquiry"),
    ("unborn_or_newborn", "A concern about an unborn or newborn baby"),
    ("emergency_department", "A child in the emergency department"),
    ("other", "Another safeguarding reason (say which below)"),
]


class LookupForm(forms.Form):
    """Partial details are enough: name and date of birth; name and postcode; or an NHS number."""

    first_name = forms.CharField(label="First name", required=False, max_length=100)
    last_name = forms.CharField(label="Last name", required=False, max_length=100)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, past=True, what="the date of birth", help_text="For example, 27 3 2016"
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=8)
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=12)
    purpose = forms.ChoiceField(
        label="Why are you checking?", choices=PURPOSES, error_messages={"required": "Select why you are checking"}
    )
    purpose_detail = forms.CharField(label="More about why (optional)", required=False, max_length=300)

    def clean(self):
        data = super().clean()
        has_name = data.get("first_name") and data.get("last_name")
        if not (data.get("nhs_number") or (has_name and (data.get("date_of_birth") or data.get("postcode")))):
            raise forms.ValidationError(
                "Enter an NHS number, or a first and last name with a date of birth or a postcode"
            )
        if data.get("purpose") == "other" and not data.get("purpose_detail"):
            self.add_error("purpose_detail", "Say why you are checking")
        return data

    def reason_text(self) -> str:
        label = dict(PURPOSES)[self.cleaned_data["purpose"]]
        detail = self.cleaned_data.get("purpose_detail")
        return label + (f": {detail}" if detail else "")

    def purpose_text(self) -> str:
        return f"Is this child known? {self.reason_text()}"

    def details(self) -> dict[str, str]:
        data = self.cleaned_data
        dob = data.get("date_of_birth")
        return {
            "first_name": data.get("first_name", ""),
            "last_name": data.get("last_name", ""),
            "date_of_birth": dob.isoformat() if dob else "",
            "postcode": data.get("postcode", ""),
            "nhs_number": (data.get("nhs_number") or "").replace(" ", ""),
        }


class ChildPurposeForm(forms.Form):
    """Asked once per session and child, before the record opens."""

    purpose = forms.ChoiceField(label="Why are you opening this child's record?", choices=PURPOSES)
    purpose_detail = forms.CharField(label="More about why (optional)", required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("purpose") == "other" and not data.get("purpose_detail"):
            self.add_error("purpose_detail", "Say why you are opening the record")
        return data

    def purpose_text(self) -> str:
        label = dict(PURPOSES)[self.cleaned_data["purpose"]]
        detail = self.cleaned_data.get("purpose_detail")
        return label + (f": {detail}" if detail else "")


class ReadsFilterForm(forms.Form):
    """Which looks at the agency's children to list: by the day they happened."""

    date_from = GovukDateField(label="From", required=False, what="the start date")
    date_to = GovukDateField(label="To", required=False, what="the end date")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start date")
        return cleaned
