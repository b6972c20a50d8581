from django import forms

from safeguarding.accounts.models import Area, Organisation, Seniority
from safeguarding.core.date_input import GovukDateField


class SignInForm(forms.Form):
    username = forms.CharField(label="User name", widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code, for example 123456",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "govuk-input--width-5"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        return code


class EnrolmentForm(OneTimeCodeForm):
    """Setting up an authenticator where the role needs an administrator's enrolment code."""

    enrolment_code = forms.CharField(
        label="Enrolment code",
        help_text="The code an administrator gave you, for example ABCD-EFGH-JKLM. It works once.",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["enrolment_code", "code"]


class OrganisationForm(forms.ModelForm):
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Local-authority areas served",
    )

    class Meta:
        model = Organisation
        fields = ["code", "name", "kind", "standing", "areas", "email_domains"]
        labels = {"code": "Short code", "kind": "Type", "standing": "Place in the partnership"}
        help_texts = {"code": "Lower-case letters, numbers and hyphens, for example northshire-police"}

    def clean(self):
        """Say in words, against the field, what the database constraints would refuse
        with only their names."""
        cleaned = super().clean()
        kind, standing = cleaned.get("kind"), cleaned.get("standing")
        if standing == Organisation.Standing.STATUTORY_PARTNER and kind not in Organisation.STATUTORY_KINDS:
            self.add_error(
                "standing",
                "Only a local authority, a police force or an integrated care board can be a statutory "
                "safeguarding partner",
            )
        if standing == Organisation.Standing.NEIGHBOURING_PARTNERSHIP and kind != Organisation.Kind.PARTNERSHIP:
            self.add_error("standing", "Only a safeguarding children partnership can be a neighbouring partnership")
        return cleaned


class PersonForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Work e-mail address", required=False)
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), label="Organisation")
    job_title = forms.CharField(label="Job title", max_length=200)
    seniority = forms.ChoiceField(choices=Seniority.choices, label="Seniority")
    started_on = GovukDateField(label="In this post since", what="the date they started in this post")


class ChangePostForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), label="Organisation")
    job_title = forms.CharField(label="Job title", max_length=200)
    seniority = forms.ChoiceField(choices=Seniority.choices, label="Seniority")
    started_on = GovukDateField(label="Starts on", what="the date the new post starts")


class ApiTokenForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_active=True), label="Organisation that owns the system"
    )
    name = forms.CharField(label="System name", max_length=200, help_text="For example: police case system feed")
