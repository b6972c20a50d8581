"""Forms of the Users pages (administrators) and of the set-password page."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator

from safeguarding.accounts.models import Organisation, Person, User
from safeguarding.accounts.selectors import offer_people, people_without_a_log_in
from safeguarding.core.permissions import ROLES_REQUIRING_TWO_FACTOR, Role

STATUS_CHOICES = [("active", "Active"), ("deactivated", "Deactivated")]
TWO_STEP_CHOICES = [("set_up", "Set up"), ("not_set_up", "Not set up")]


def _role_choices() -> list[tuple[str, str]]:
    """Each role, saying which need two-step verification (and so an enrolment code)."""
    return [
        (value, f"{label} (needs two-step verification)" if value in ROLES_REQUIRING_TWO_FACTOR else label)
        for value, label in Role.choices
    ]


class UserFilterForm(forms.Form):
    q = forms.CharField(label="Search by name, user name or e-mail address", required=False, max_length=200)
    role = forms.ChoiceField(label="Role", required=False)
    organisation = forms.ChoiceField(label="Organisation", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)
    two_step = forms.ChoiceField(label="Two-step verification", required=False, choices=TWO_STEP_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = list(Role.choices)
        self.fields["organisation"].choices = list(Organisation.objects.order_by("name").values_list("code", "name"))
        # The select's first, blank option (see core.govuk_forms): what choosing nothing means.
        for name, blank in {"role": "Any", "organisation": "Any", "status": "Active and deactivated"}.items():
            self.fields[name].empty_label = blank
        self.fields["two_step"].empty_label = "Either"


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=_role_choices(), label="Roles", **kwargs)


class UserCreateForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Person",
        help_text="Someone in the directory without a log-in. If they are not listed, add them to People first.",
    )
    username = forms.CharField(
        label="User name",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, numbers and @ . + - _ only, for example clare.adams",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Work e-mail address",
        required=False,
        help_text="Where the link to set a password goes. Leave blank to use the directory's address.",
    )
    roles = RolesField(help_text="Select all that apply.")

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        offer_people(self.fields["person"], on=today)
        without = set(people_without_a_log_in().values_list("pk", flat=True))
        field = self.fields["person"]
        field.queryset = people_without_a_log_in()
        field.choices = [choice for choice in field.choices if choice[0] == "" or choice[0] in without]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That user name is taken: choose another")
        return username

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if person is not None and not cleaned.get("email"):
            if not person.email:
                self.add_error("email", f"Enter a work e-mail address: {person.full_name} has none in the directory")
            else:
                cleaned["email"] = person.email
        return cleaned


class UserRolesForm(forms.Form):
    roles = RolesField(required=False, help_text="Select all that apply. A user with no role can only sign in.")
    reason = forms.CharField(
        label="Why are the roles changing?",
        max_length=500,
        help_text="For the audit trail, for example: joined the MASH on 1 December",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the roles are changing"},
    )


class ReasonForm(forms.Form):
    """The why of a confirmed change (deactivating, reactivating, resetting two-step)."""

    reason = forms.CharField(label="Why?", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label: str, hint: str, missing: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = hint
        self.fields["reason"].error_messages["required"] = missing


class ChooseYourPasswordForm(SetPasswordForm):
    """Django's form (its validators apply), in the service's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label, second.label = "New password", "Type the new password again"
        first.help_text = "At least 12 characters. Not your user name, and not a common password."
        second.help_text = ""
