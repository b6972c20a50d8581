from django import forms

from safeguarding.core.date_input import GovukDateField


class AlertUpdateForm(forms.Form):
    status = forms.ChoiceField(label="What has happened?", widget=forms.RadioSelect)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when closing: say why (for example, transfer-in conference held; family did not move).",
    )
    conference_held_on = GovukDateField(
        label="Transfer-in conference held on (if held)",
        required=False,
        past=True,
        what="the date the transfer-in conference was held",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("status") == "closed" and not (data.get("note") or "").strip():
            self.add_error("note", "Say why the alert is closed")
        return data
