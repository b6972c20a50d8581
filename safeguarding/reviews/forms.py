"""The forms of the reviews pages. Each field is named as the service names it in a
refusal, so ``show_refusal`` puts the service's message on the field it is about."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError

from safeguarding.accounts.models import Area, Organisation, Person
from safeguarding.children.selectors import child_by_reference
from safeguarding.core.date_input import GovukDateField
from safeguarding.governance.models import Meeting, ScrutinyRecommendation
from safeguarding.performance.models import Indicator
from safeguarding.reviews import rules
from safeguarding.reviews.models import (
    ImpactEvidence,
    LearningRecommendation,
    NationalReview,
    NotificationReason,
    ParallelProcess,
    PracticeReview,
    RapidReview,
    RapidReviewSignOff,
    ReferralForConsideration,
    ReportVersion,
    ReviewTheme,
    SeriousIncidentNotification,
)
from safeguarding.reviews.services import ChildDetails
from safeguarding.training.models import Course

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


class MeetingForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label="The rapid review meeting",
        queryset=Meeting.objects.select_related("group").order_by("-date"),
        help_text="Add the meeting under Governance first; record its attendance and decisions there",
    )


class SendForm(forms.Form):
    sent_to_panel_on = GovukDateField(label="Date sent to the Panel", what="the date it was sent", past=True)


class PanelReplyForm(forms.Form):
    panel_reply = forms.ChoiceField(
        label="What the Panel said", choices=RapidReview.PanelReply.choices, widget=forms.RadioSelect
    )
    panel_replied_on = GovukDateField(label="Date of the reply", what="the date of the Panel's reply", past=True)
    panel_reply_text = forms.CharField(label="The Panel's words", widget=forms.Textarea(attrs={"rows": 5}))


class AttachmentForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    file = forms.FileField(label="The document", help_text="PDF, Word or Excel")


class PanelAnswerForm(forms.Form):
    answered_on = GovukDateField(label="Date sent again", what="the date it was sent again", past=True)
    answer = forms.CharField(label="What the partners answered", widget=forms.Textarea(attrs={"rows": 5}))


class WithdrawSignOffForm(forms.Form):
    reason = forms.CharField(label="Why the sign-off is withdrawn", max_length=500)


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


# CSPRs ------------------------------------------------------------------------------------


def _date(label: str, what: str, *, past: bool = True, required: bool = True) -> GovukDateField:
    return GovukDateField(label=label, what=what, past=past, required=required)


def _text(label: str, *, rows: int = 4, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


class PracticeReviewOpenForm(forms.Form):
    origin = forms.ChoiceField(
        label="Why the review is held", choices=PracticeReview.Origin.choices, widget=forms.RadioSelect
    )
    rapid_review = forms.ModelChoiceField(
        label="The rapid review that decided on a local CSPR",
        required=False,
        queryset=RapidReview.objects.filter(outcome=RapidReview.Outcome.LOCAL_CSPR, practice_review__isnull=True),
    )
    notification = forms.ModelChoiceField(
        label="The notified incident the Panel asked to be reviewed",
        required=False,
        queryset=SeriousIncidentNotification.objects.order_by("-notified_panel_on"),
    )
    decided_on = _date("Date of the decision to hold the review", "the date of the decision")
    title = forms.CharField(
        label="The name the review is known by",
        max_length=200,
        help_text="Never the child's name: for example, Child Q",
    )


class CommissionForm(forms.Form):
    reviewer_name = forms.CharField(label="Independent reviewer", max_length=200)
    reviewer_organisation = forms.CharField(label="Reviewer's organisation", max_length=200, required=False)
    contract_starts_on = _date("Contract starts", "the date the contract starts", past=False)
    contract_ends_on = _date("Contract ends", "the date the contract ends", past=False)
    terms_of_reference = _text("Terms of reference", rows=6)
    methodology = _text("Methodology", required=False)
    family_involvement = _text("How the family is involved", required=False)
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        required=False,
        queryset=ReviewTheme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )


class ParallelProcessForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of process", choices=ParallelProcess.Kind.choices, widget=forms.RadioSelect)
    description = forms.CharField(label="Description", max_length=300)
    started_on = _date("Started (optional)", "the date it started", required=False)


class PauseForm(forms.Form):
    paused_on = _date("Paused from", "the date the pause began")
    reason = _text("Why the review is paused", rows=3)
    parallel_process = forms.ModelChoiceField(
        label="The process it waits for (optional)", required=False, queryset=ParallelProcess.objects.none()
    )

    def __init__(self, *args, review: PracticeReview, **kwargs):
        super().__init__(*args, **kwargs)
        choice = self.fields["parallel_process"]
        assert isinstance(choice, forms.ModelChoiceField)
        choice.queryset = review.parallel_processes.all()


class ResumeForm(forms.Form):
    resumed_on = _date("Work resumed on", "the date work resumed")


class ReportVersionForm(forms.Form):
    kind = forms.ChoiceField(label="Which report", choices=ReportVersion.Kind.choices, widget=forms.RadioSelect)
    received_on = _date("Date received", "the date it was received")
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)
    file = forms.FileField(label="The report as a file (optional)", required=False, help_text="PDF, Word or Excel")


class MonitoringForm(forms.Form):
    checked_on = _date("Date of the check", "the date of the check")
    on_time = forms.ChoiceField(label="Is the review on time?", choices=YES_NO, widget=forms.RadioSelect)
    quality_assured = forms.ChoiceField(label="Is its quality assured?", choices=YES_NO, widget=forms.RadioSelect)
    note = _text("What the partners found", rows=3)


class PracticeReviewSendForm(forms.Form):
    sent_to_panel_on = _date(
        "Date the final report went to the Panel and the Secretary of State", "the date it was sent"
    )


class PublishForm(forms.Form):
    published_on = _date("Date published", "the date it was published")
    public_link = forms.URLField(label="Public link", help_text="Starting https://", assume_scheme="https")
    redaction_checked_by = forms.CharField(label="Redaction checked by", max_length=200)
    redaction_checked_on = _date("Redaction checked on", "the date the redaction was checked")
    published_until = _date("Stays published until", "the date it stays published until", past=False)


# Recommendations ---------------------------------------------------------------------------


class RecommendationForm(forms.Form):
    source = forms.ChoiceField(
        label="Where it comes from", choices=LearningRecommendation.Source.choices, widget=forms.RadioSelect
    )
    practice_review = forms.ModelChoiceField(
        label="The CSPR", required=False, queryset=PracticeReview.objects.order_by("-decided_on")
    )
    rapid_review = forms.ModelChoiceField(
        label="The rapid review",
        required=False,
        queryset=RapidReview.objects.filter(decided_on__isnull=False).order_by("-decided_on"),
    )
    national_review = forms.ModelChoiceField(
        label="The national review", required=False, queryset=NationalReview.objects.all()
    )
    scrutiny_recommendation = forms.ModelChoiceField(
        label="The scrutineer's recommendation", required=False, queryset=ScrutinyRecommendation.objects.all()
    )
    text = _text("The recommendation")
    owner_organisation = forms.ModelChoiceField(
        label="Owner organisation", queryset=Organisation.objects.order_by("name")
    )
    made_on = _date("Date made", "the date it was made")
    due_on = _date("Due by", "the date it is due", past=False)
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        required=False,
        queryset=ReviewTheme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if source:
            field = {
                "cspr": "practice_review",
                "rapid_review": "rapid_review",
                "national_review": "national_review",
                "scrutiny": "scrutiny_recommendation",
            }[source]
            if data.get(field) is None:
                self.add_error(field, f"Choose {self.fields[field].label.lower()} it comes from")
            data["origin"] = data.get(field)
        return data


class NationalReviewForm(forms.Form):
    title = forms.CharField(label="Title", max_length=300)
    published_on = _date("Date published", "the date it was published")
    link = forms.URLField(label="Link (optional)", required=False, assume_scheme="https")


class RecommendationActionForm(forms.Form):
    title = forms.CharField(
        label="What will be done", max_length=300, help_text="Specific and measurable, with an owner and a date"
    )
    description = _text("How it will be measured (optional)", rows=3, required=False)
    owner_organisation = forms.ModelChoiceField(
        label="Owner organisation (optional)",
        required=False,
        queryset=Organisation.objects.order_by("name"),
        help_text="Left blank, the recommendation's owner",
    )
    due_on = _date("Due by", "the date it is due", past=False)


class ImpactEvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of evidence", choices=ImpactEvidence.Kind.choices, widget=forms.RadioSelect)
    recorded_on = _date("Date", "the date of the evidence")
    summary = _text("What it shows", rows=4)
    indicator = forms.ModelChoiceField(
        label="Indicator (for a change in an indicator)", required=False, queryset=Indicator.objects.order_by("title")
    )
    period = forms.CharField(
        label="Period (for a change in an indicator)",
        required=False,
        max_length=10,
        help_text="Compared with the same period a year before: for example, 2026-Q1",
    )
    course = forms.ModelChoiceField(
        label="Course (for training reach)", required=False, queryset=Course.objects.order_by("title")
    )
    audit_reference = forms.CharField(label="Re-audit (for a re-audit's finding)", required=False, max_length=100)


class CloseRecommendationForm(forms.Form):
    closed_on = _date("Date closed", "the date it was closed")


# Learning products ------------------------------------------------------------------------


class BriefingForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, help_text="For example, 7-minute briefing: Child Q")
    published_on = _date("Date published", "the date it was published")
    what_to_do_differently = _text("What practitioners should do differently", rows=5)
    file = forms.FileField(label="The briefing", help_text="PDF, Word or Excel")
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        required=False,
        queryset=ReviewTheme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    practice_reviews = forms.ModelMultipleChoiceField(
        label="The CSPRs it draws on", required=False, queryset=PracticeReview.objects.order_by("-decided_on")
    )
    rapid_reviews = forms.ModelMultipleChoiceField(
        label="The rapid reviews it draws on",
        required=False,
        queryset=RapidReview.objects.filter(decided_on__isnull=False).order_by("-decided_on"),
    )
    national_reviews = forms.ModelMultipleChoiceField(
        label="The national reviews it draws on", required=False, queryset=NationalReview.objects.all()
    )
    courses = forms.ModelMultipleChoiceField(
        label="Courses and learning events that carry the learning",
        required=False,
        queryset=Course.objects.order_by("title"),
    )
