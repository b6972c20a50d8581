from django import forms
from django.utils import timezone

from safeguarding.accounts.models import Organisation, Person
from safeguarding.accounts.selectors import offer_people
from safeguarding.core.date_input import GovukDateField, GovukTimeField
from safeguarding.core.forms import WindowForm
from safeguarding.training.models import Course, FollowUp, LearningOutcome, Session, Topic


class BookingForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(
        label="Work e-mail address", help_text="We send a link to this address to confirm the booking"
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_active=True).exclude(email_domains="").order_by("name"),
        label="Organisation you work for",
    )
    job_role = forms.CharField(label="Job role", max_length=200, help_text="For example: health visitor")


class CourseForm(forms.Form):
    code = forms.SlugField(label="Short code", max_length=50)
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 4}))
    level = forms.ChoiceField(label="Audience level", choices=Course.Level.choices, widget=forms.RadioSelect)
    format = forms.ChoiceField(label="Format", choices=Course.Format.choices, widget=forms.RadioSelect)
    duration_minutes = forms.IntegerField(label="Duration in minutes", min_value=1, max_value=60 * 24 * 5)
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), widget=forms.CheckboxSelectMultiple, label="Topics"
    )
    outcomes = forms.CharField(
        label="Learning outcomes", widget=forms.Textarea(attrs={"rows": 4}), help_text="One on each line"
    )

    def outcome_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["outcomes"].splitlines() if line.strip()]

    def clean_outcomes(self):
        value = self.cleaned_data["outcomes"]
        lines = [line.strip() for line in value.splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("Enter at least one learning outcome")
        # Checked here: the model's own refusal names its field, which this form lacks.
        limit = LearningOutcome._meta.get_field("text").max_length
        if any(len(line) > limit for line in lines):
            raise forms.ValidationError(f"Keep each learning outcome to {limit} characters or fewer")
        return value


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.filter(is_active=True), label="Course")
    date = GovukDateField(label="Date", what="the date of the session")
    starts_at = GovukTimeField(label="Start time", what="the start time")
    ends_at = GovukTimeField(label="End time", what="the end time")
    venue = forms.CharField(label="Venue", required=False, max_length=200)
    online_link = forms.URLField(label="Online joining link", required=False)
    trainer = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Trainer",
        empty_label="An external trainer, or not yet known",
        help_text="People who have trained before are listed first.",
    )
    capacity = forms.IntegerField(label="Places", min_value=1, max_value=500)
    booking_deadline = GovukDateField(label="Bookings close on", what="the date bookings close")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Those who have trained before come first.
        trainers = frozenset(Session.objects.exclude(trainer=None).values_list("trainer_id", flat=True).distinct())
        offer_people(self.fields["trainer"], on=timezone.localdate(), first=trainers)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends_at", "The end time must be after the start time")
        if cleaned.get("date") and cleaned.get("booking_deadline") and cleaned["booking_deadline"] > cleaned["date"]:
            self.add_error("booking_deadline", "Bookings must close on or before the day of the session")
        if not cleaned.get("venue") and not cleaned.get("online_link"):
            self.add_error("venue", "Enter a venue or an online joining link")
        return cleaned


class FollowUpForm(forms.Form):
    practice_changed = forms.ChoiceField(
        label="Has the training changed your practice?", choices=FollowUp.Changed.choices, widget=forms.RadioSelect
    )
    example = forms.CharField(
        label="An example",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What do you do differently? Do not include anyone's name",
    )


class ElearningImportForm(forms.Form):
    file = forms.FileField(label="Completions export (CSV)", help_text="Up to 10 MB; see the columns below")


class WorkforceForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.order_by("name"), label="Organisation")
    year = forms.IntegerField(
        label="Year starting 1 April", min_value=2000, max_value=2100, help_text="For example 2025 for 2025/26"
    )
    headcount = forms.IntegerField(label="Relevant workforce (headcount)", min_value=1)


class SummaryForm(WindowForm):
    pass


CONFIDENCE = [(str(n), label) for n, label in ((1, "1 (not at all)"), (2, "2"), (3, "3"), (4, "4"), (5, "5 (very)"))]


class EvaluationForm(forms.Form):
    """Confidence before and after, 1 to 5, for each learning outcome."""

    comments = forms.CharField(label="Any other comments", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = list(outcomes)
        for outcome in self.outcomes:
            self.fields[f"before_{outcome.pk}"] = forms.ChoiceField(
                label=f"Before the course: {outcome.text}", choices=CONFIDENCE, widget=forms.RadioSelect
            )
            self.fields[f"after_{outcome.pk}"] = forms.ChoiceField(
                label=f"After the course: {outcome.text}", choices=CONFIDENCE, widget=forms.RadioSelect
            )
        self.order_fields([*(f"{p}_{o.pk}" for o in self.outcomes for p in ("before", "after")), "comments"])

    def answers(self) -> dict[int, tuple[int, int]]:
        return {
            o.pk: (int(self.cleaned_data[f"before_{o.pk}"]), int(self.cleaned_data[f"after_{o.pk}"]))
            for o in self.outcomes
        }
