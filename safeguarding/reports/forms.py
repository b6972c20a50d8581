from django import forms

from safeguarding.accounts.models import Post
from safeguarding.core.date_input import GovukDateField


class ReportCreateForm(forms.Form):
    year_start = forms.IntegerField(
        label="Reporting year starting 1 April",
        min_value=2000,
        max_value=2100,
        help_text="For example 2025 for the year 1 April 2025 to 31 March 2026",
    )


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label="What this chapter says",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=(
            "Plain text. A line starting “## ” is a heading; lines starting “- ” make a list (“1. ” a numbered "
            "one); write a link as [words](https://…). Never name or describe a child or family."
        ),
    )


class CommentForm(forms.Form):
    text = forms.CharField(label="Your comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class LeadPartnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, post) -> str:
        return f"{post.person.full_name}, {post.job_title}, {post.organisation.name}"


class SignOffForm(forms.Form):
    lead_partner = LeadPartnerChoice(
        queryset=Post.objects.none(), label="Lead Safeguarding Partner", empty_label="Choose who signed"
    )
    signed_on = GovukDateField(label="Signed on", past=True, what="the date it was signed")

    def __init__(self, *args, lead_partner_posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_partner"].queryset = lead_partner_posts


class PanelSentForm(forms.Form):
    sent_on = GovukDateField(label="Sent to the National Panel on", past=True, what="the date it was sent")


class PublishConfirmForm(forms.Form):
    """Are you sure? The tick is asked only when the data changed after the figures were
    built; the service checks again whatever the form says."""

    understood = forms.BooleanField(label="I understand the figures are out of date", required=False)

    def __init__(self, *args, out_of_date: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.out_of_date = out_of_date
        if not out_of_date:
            del self.fields["understood"]

    def clean(self):
        data = super().clean()
        if self.out_of_date and not data.get("understood"):
            self.add_error(
                "understood",
                "Confirm that you understand the figures are out of date, or build the figures again first",
            )
        return data
