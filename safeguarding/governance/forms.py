from django import forms
from django.db.models import Q
from django.utils import timezone

from safeguarding.accounts.models import Organisation, Person, Seniority
from safeguarding.accounts.selectors import offer_people
from safeguarding.core.date_input import GovukDateField, GovukTimeField
from safeguarding.core.forms import WindowForm
from safeguarding.governance.models import (
    Action,
    Attendance,
    Group,
    LawfulBasis,
    Meeting,
    Membership,
    PriorityUpdate,
    ScrutinyRecommendation,
    ScrutinyResponse,
)


def _people():
    return Person.objects.order_by("full_name")


class MeetingForm(forms.Form):
    group = forms.ModelChoiceField(queryset=Group.objects.all(), label="Group")
    date = GovukDateField(label="Date", what="the date of the meeting")
    starts_at = GovukTimeField(label="Start time", required=False, what="the start time")
    ends_at = GovukTimeField(label="End time", required=False, what="the end time")
    mode = forms.ChoiceField(label="How it is held", choices=Meeting.Mode.choices, widget=forms.RadioSelect)
    venue = forms.CharField(label="Venue or online link", required=False, max_length=200)
    agenda = forms.CharField(
        label="Agenda",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One item on each line, in order.",
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end time must be after the start time")
        return cleaned

    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("agenda", "").splitlines() if line.strip()]


class MinutesForm(forms.Form):
    mode = forms.ChoiceField(label="How it was held", choices=Meeting.Mode.choices, widget=forms.RadioSelect)
    venue = forms.CharField(label="Venue or online link", required=False, max_length=200)
    minutes = forms.CharField(label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 12}))


class PaperForm(forms.Form):
    title = forms.CharField(label="Title", max_length=300)
    file = forms.FileField(label="File", help_text="PDF, Word (DOCX) or Excel (XLSX), up to 10 MB")


class RegisterRowForm(forms.Form):
    """One member's line on the register."""

    status = forms.ChoiceField(choices=Attendance.Status.choices, widget=forms.RadioSelect)
    deputy = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label="Named deputy")

    def __init__(self, *args, member: Membership, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["status"].label = f"{member.person.full_name}, {member.organisation.name}"
        self.fields["status"].error_messages["required"] = f"Select how {member.person.full_name} attended"
        self.fields["deputy"].queryset = people
        self.fields["deputy"].label = f"Deputy for {member.person.full_name}"
        self.fields["deputy"].help_text = "Only if a named deputy attended"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Attendance.Status.DEPUTY and not cleaned.get("deputy"):
            self.add_error("deputy", f"Name the deputy who attended for {self.member.person.full_name}")
        if cleaned.get("status") != Attendance.Status.DEPUTY:
            cleaned["deputy"] = None
        return cleaned


class MembershipForm(forms.Form):
    person = forms.ModelChoiceField(queryset=_people(), label="Person")
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), label="Organisation they represent")
    role_in_group = forms.ChoiceField(label="Role in the group", choices=Membership.RoleInGroup.choices)
    expected_seniority = forms.ChoiceField(label="Expected seniority", choices=Seniority.choices)
    started_on = GovukDateField(label="Member from", what="the date they became a member")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people()


class ActionForm(forms.Form):
    title = forms.CharField(label="Action or decision", max_length=300)
    description = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_decision = forms.BooleanField(label="This is a decision, not a task", required=False)
    owner_organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), label="Owning organisation")
    owner_person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Owner",
        empty_label="No named owner",
        help_text="Members of the partnership's groups are listed first.",
    )
    due_on = GovukDateField(label="Due by", required=False, what="the date the action is due by")
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), required=False, label="Arising from meeting")
    recommendation = forms.ModelChoiceField(
        queryset=ScrutinyRecommendation.objects.none(), required=False, label="Arising from scrutiny recommendation"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The partnership's group members (the Board, its sub-groups) come first.
        today = timezone.localdate()
        members = frozenset(
            Membership.objects.filter(started_on__lte=today)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
            .values_list("person_id", flat=True)
        )
        offer_people(self.fields["owner_person"], on=today, first=members)
        self.fields["meeting"].queryset = Meeting.objects.select_related("group").order_by("-date")[:200]
        self.fields["recommendation"].queryset = ScrutinyRecommendation.objects.order_by("-made_on")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_decision") and not cleaned.get("due_on"):
            self.add_error("due_on", "Enter the date the action is due by")
        return cleaned


class ActionUpdateForm(forms.Form):
    on = GovukDateField(label="Date of update", what="the date of the update")
    note = forms.CharField(label="Progress", widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        max_length=500,
        help_text="A link or document reference that shows the change",
    )
    status_after = forms.ChoiceField(label="Status now", choices=Action.Status.choices, widget=forms.RadioSelect)


class PriorityForm(forms.Form):
    code = forms.SlugField(label="Short code", max_length=50, help_text="For example exploitation")
    title = forms.CharField(label="Title", max_length=200)
    objectives = forms.CharField(label="Objectives", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    success_measures = forms.CharField(
        label="How we will know it worked", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    lead_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, label="Lead organisation"
    )
    started_on = GovukDateField(label="Priority from", what="the date the priority starts")


class PriorityUpdateForm(forms.Form):
    on = GovukDateField(label="Date of update", what="the date of the update")
    rating = forms.ChoiceField(label="Progress", choices=PriorityUpdate.Rating.choices, widget=forms.RadioSelect)
    narrative = forms.CharField(label="What has happened", widget=forms.Textarea(attrs={"rows": 5}))
    decision = forms.CharField(
        label="What the partners decided",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when progress is little or none",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rating") == PriorityUpdate.Rating.LITTLE and not cleaned.get("decision", "").strip():
            self.add_error("decision", "Say what the partners decided to do about little or no progress")
        return cleaned


class AgreementForm(forms.Form):
    reference = forms.CharField(label="Reference", max_length=30)
    title = forms.CharField(label="Title", max_length=300)
    purpose = forms.CharField(label="Purpose", widget=forms.Textarea(attrs={"rows": 3}))
    data_shared = forms.CharField(label="Information shared", widget=forms.Textarea(attrs={"rows": 3}))
    parties = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(), widget=forms.CheckboxSelectMultiple, label="Parties"
    )
    lawful_bases = forms.ModelMultipleChoiceField(
        queryset=LawfulBasis.objects.all(), widget=forms.CheckboxSelectMultiple, label="Lawful basis"
    )
    signed_on = GovukDateField(label="Signed on", required=False, what="the date it was signed")
    review_due_on = GovukDateField(label="Review due by", what="the date the review is due by")
    document = forms.FileField(label="Signed agreement", required=False, help_text="PDF or Word, up to 10 MB")


class RecommendationForm(forms.Form):
    reference = forms.CharField(label="Reference", max_length=30)
    made_on = GovukDateField(label="Date", what="the date of the recommendation")
    finding = forms.CharField(label="Finding", widget=forms.Textarea(attrs={"rows": 4}))
    recommendation = forms.CharField(label="Recommendation", widget=forms.Textarea(attrs={"rows": 4}))
    addressed_to = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(standing=Organisation.Standing.STATUTORY_PARTNER),
        widget=forms.CheckboxSelectMultiple,
        label="Addressed to",
    )


class ResponseForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Responding for")
    response = forms.ChoiceField(label="Response", choices=ScrutinyResponse.Response.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if the recommendation is only partly accepted or rejected",
    )
    responded_on = GovukDateField(label="Date", what="the date of the response")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("response") in ("partly", "rejected") and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Give the reason for not accepting the recommendation in full")
        return cleaned


class AnswersForm(WindowForm):
    group = forms.ModelChoiceField(
        queryset=Group.objects.all(), required=False, label="Group", to_field_name="code", empty_label="All groups"
    )
