from django import forms

from safeguarding.core.date_input import GovukDateField
from safeguarding.core.models import AuditEvent


class WindowForm(forms.Form):
    """A reporting window (from, to), shared by every page of figures."""

    date_from = GovukDateField(label="From", what="the start date")
    date_to = GovukDateField(label="To", what="the end date")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start date")
        return cleaned


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="Who", required=False, help_text="User name or token prefix")
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any")] + AuditEvent.Action.choices)
    object_type = forms.ChoiceField(label="Kind of record", required=False, choices=[])
    object_id = forms.CharField(label="Record ID", required=False)
    date_from = GovukDateField(label="From", required=False, what="the start date")
    date_to = GovukDateField(label="To", required=False, what="the end date")

    def __init__(self, *args, object_types: list[tuple[str, str]], **kwargs):
        """``object_types``: (stored value, the kind of record in words), e.g. ("moves.movealert", "Move alert")."""
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Any")] + list(object_types)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned
