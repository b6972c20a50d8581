"""The forms of the reviews pages. Each field is named as the service names it in a
refusal, so ``show_refusal`` puts the service's message on the field it is about."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError

from safeguarding.accounts.models import Area, Organisation, Person
from safeguarding.children.selectors import child_by_reference
from safeguarding.core.date_input import GovukDateField
from safeguarding.reviews import rules
from safeguarding.reviews.models import (
    NotificationReason,
    RapidReview,
    RapidReviewSignOff,
    ReferralForConsideration,
    ReviewTheme,
    SeriousIncidentNotification,
)
from safeguarding.reviews.services import ChildDetails

YES_NO = [("yes", "Yes"), ("no", "No")]


def show_refusal(form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """A service's refusal on the form: on the field it names (or the field ``aliases``
    says shows it), else at the top of the form."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def _time(value: str) -> datetime.time | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%H:%M").time()
    except ValueError:
        raise ValidationError("Enter the time of the incident as hours and minutes, for example 09:30") from None


class NotificationForm(forms.Form):
    notified_by = forms.ModelChoiceField(
        label="Local authority that notified the Panel",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.LOCAL_AUTHORITY).order_by("name"),
    )
    incident_on = GovukDateField(label="Date of the incident", what="the date of the incident", past=True)
    incident_time = forms.CharField(
        label="Time of the incident (if known)", required=False, max_length=10, help_text="For example, 09:30"
    )
    incident_place = forms.CharField(
        label="Where it happened",
        max_length=300,
        help_text="The kind of place (for example, the family home), not an address",
    )
    incident_area = forms.ModelChoiceField(label="Local authority where it happened", queryset=Area.objects.all())
    home_area = forms.ModelChoiceField(label="The child's home local authority", queryset=Area.objects.all())
    became_aware_on = GovukDateField(
        label="Date the local authority became aware", what="the date the local authority became aware", past=True
    )
    notified_panel_on = GovukDateField(
        label="Date the National Panel was notified", what="the date the Panel was notified", past=True
    )
    reasons = forms.ModelMultipleChoiceField(
        label="Reasons for the notification",
        queryset=NotificationReason.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    late_reason = forms.CharField(
        label="Why the Panel was notified late (if after 5 working days)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, rules.CHILDREN_PER_NOTIFICATION + 1):
            self.fields[f"child{n}_reference"] = forms.CharField(
                label=f"Child {n}: child ID", required=False, max_length=20
            )
            self.fields[f"child{n}_first_name"] = forms.CharField(
                label=f"Child {n}: first name", required=False, max_length=100
            )
            self.fields[f"child{n}_last_name"] = forms.CharField(
                label=f"Child {n}: last name", required=False, max_length=100
            )
            self.fields[f"child{n}_date_of_birth"] = GovukDateField(
                label=f"Child {n}: date of birth", required=False, past=True, what=f"child {n}'s date of birth"
            )
            self.fields[f"child{n}_looked_after"] = forms.BooleanField(
                label=f"Child {n} was looked after", required=False
            )
            self.fields[f"child{n}_care_leaver"] = forms.BooleanField(
                label=f"Child {n} was a care leaver", required=False
            )

    def clean_incident_time(self) -> datetime.time | None:
        return _time(self.cleaned_data["incident_time"])

    def clean(self):
        data = super().clean()
        children = []
        for n in range(1, rules.CHILDREN_PER_NOTIFICATION + 1):
            given = {key: data.get(f"child{n}_{key}") for key in ("reference", "first_name", "last_name")}
            born = data.get(f"child{n}_date_of_birth")
            if not any(given.values()) and born is None and f"child{n}_date_of_birth" not in self.errors:
                continue
            child = None
            if given["reference"]:
                child = child_by_reference(given["reference"])
                if child is None:
                    self.add_error(f"child{n}_reference", f"No linked child has the ID {given['reference'].upper()}")
                    continue
            children.append(
                ChildDetails(
                    child=child,
                    first_name=given["first_name"] or "",
                    last_name=given["last_name"] or "",
                    date_of_birth=born,
                    looked_after=bool(data.get(f"child{n}_looked_after")),
                    care_leaver=bool(data.get(f"child{n}_care_leaver")),
                )
            )
        data["children"] = children
        return data

    def service_arguments(self) -> dict:
        keep = (
            "notified_by",
            "became_aware_on",
            "notified_panel_on",
            "incident_on",
            "incident_time",
            "incident_place",
            "incident_area",
            "home_area",
            "reasons",
            "late_reason",
            "children",
        )
        return {key: self.cleaned_data[key] for key in keep}


class NotRequiredForm(forms.Form):
    not_required_on = GovukDateField(label="Date decided", what="the date it was decided", past=True)
    not_required_reason = forms.CharField(
        label="Why the case did not meet the criteria for a rapid review", widget=forms.Textarea(attrs={"rows": 4})
    )


class SummaryRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Agency asked", queryset=Organisation.objects.order_by("name"))
    requested_on = GovukDateField(label="Date requested", what="the date it was requested")
    due_on = GovukDateField(
        label="Due on (optional)",
        what="the date it is due",
        required=False,
        help_text="Left blank, the day plan's day 10. For example, 27 3 2026",
    )


class ChaseForm(forms.Form):
    chased_on = GovukDateField(label="Date chased", what="the date it was chased", past=True)
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)


class SummaryReturnForm(forms.Form):
    returned_on = GovukDateField(label="Date returned", what="the date it was returned", past=True)
    text = forms.CharField(
        label="The summary", required=False, widget=forms.Textarea(attrs={"rows": 8}), help_text="Or upload it below"
    )
    file = forms.FileField(label="The summary as a file (optional)", required=False, help_text="PDF, Word or Excel")


class DecisionForm(forms.Form):
    decided_on = GovukDateField(label="Date decided", what="the date of the decision", past=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in rules.REGULATION_11_CRITERIA:
            self.fields[f"{criterion.code}_met"] = forms.ChoiceField(
                label=f"Is this criterion met? {criterion.text}", choices=YES_NO, widget=forms.RadioSelect
            )
            self.fields[f"{criterion.code}_rationale"] = forms.CharField(
                label="Rationale", widget=forms.Textarea(attrs={"rows": 3})
            )
        self.fields["outcome"] = forms.ChoiceField(
            label="Outcome", choices=RapidReview.Outcome.choices, widget=forms.RadioSelect
        )
        self.fields["themes"] = forms.ModelMultipleChoiceField(
            label="Themes",
            required=False,
            queryset=ReviewTheme.objects.filter(is_active=True),
            widget=forms.CheckboxSelectMultiple,
        )

    @staticmethod
    def initial_for(review: RapidReview) -> dict:
        if review.decided_on is None:
            return {}
        initial: dict = {"decided_on": review.decided_on, "outcome": review.outcome}
        for code in rules.CRITERION_CODES:
            initial[f"{code}_met"] = "yes" if getattr(review, f"{code}_met") else "no"
            initial[f"{code}_rationale"] = getattr(review, f"{code}_rationale")
        initial["themes"] = [theme.pk for theme in review.themes.all()]
        return initial


class SignOffForm(forms.Form):
    partner_kind = forms.ChoiceField(
        label="Signed off for", choices=RapidReviewSignOff.PartnerKind.choices, widget=forms.RadioSelect
    )
    person = forms.ModelChoiceField(
        label="Signed by",
        queryset=Person.objects.order_by("full_name"),
        help_text="The partner's Lead or Delegated Safeguarding Partner on the day",
    )
    signed_on = GovukDateField(label="Date signed", what="the date it was signed", past=True)


class SendForm(forms.Form):
    sent_to_panel_on = GovukDateField(label="Date sent to the Panel", what="the date it was sent", past=True)


class PanelReplyForm(forms.Form):
    panel_reply = forms.ChoiceField(
        label="What the Panel said", choices=RapidReview.PanelReply.choices, widget=forms.RadioSelect
    )
    panel_replied_on = GovukDateField(label="Date of the reply", what="the date of the Panel's reply", past=True)
    panel_reply_text = forms.CharField(label="The Panel's words", widget=forms.Textarea(attrs={"rows": 5}))


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        label="Why are you looking at these children's details?",
        max_length=300,
        help_text="Recorded with your name on each child's access log",
    )


class ReferralForm(forms.Form):
    referred_by = forms.ModelChoiceField(label="Agency that referred", queryset=Organisation.objects.order_by("name"))
    referred_on = GovukDateField(label="Date referred", what="the date of the referral", past=True)
    summary = forms.CharField(
        label="What the referral was about", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    decision = forms.ChoiceField(
        label="The local authority's decision",
        choices=ReferralForConsideration.Decision.choices,
        widget=forms.RadioSelect,
    )
    decided_on = GovukDateField(label="Date decided", what="the date of the decision", past=True)
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}))
    notification = forms.ModelChoiceField(
        label="The notification it became (if notified)",
        required=False,
        queryset=SeriousIncidentNotification.objects.none(),
    )

    def __init__(self, *args, notifications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notification"].queryset = notifications
