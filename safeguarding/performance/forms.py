from django import forms

from safeguarding.accounts.models import Organisation


class UploadForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Return from")
    file = forms.FileField(label="Return file (CSV or Excel)", help_text="Up to 5 MB, in the layout below")
    confirm_unusual = forms.BooleanField(
        label="I have checked the values queried above and they are right", required=False
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
