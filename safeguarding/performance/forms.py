from django import forms

from safeguarding.accounts.models import Area, Organisation
from safeguarding.governance.models import Priority
from safeguarding.performance.figures import BREAKDOWN_LABELS
from safeguarding.performance.models import BREAKDOWNS, Indicator
from safeguarding.performance.services import INDICATOR_FIELDS


class UploadForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Return from")
    file = forms.FileField(label="Return file (CSV or Excel)", help_text="Up to 5 MB, in the layout below")
    confirm_unusual = forms.BooleanField(
        label="I have checked the values queried above and they are right", required=False
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class SelectionForm(forms.Form):
    """The dashboard filters, read from the query string."""

    area = forms.ModelChoiceField(
        queryset=Area.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="The whole partnership",
        label="Area",
    )
    breakdown = forms.ChoiceField(
        choices=[("", "No breakdown")] + list(BREAKDOWN_LABELS.items()),
        required=False,
        label="Break the latest period down by",
    )
    view = forms.ChoiceField(
        choices=[("true", "True figures (internal)"), ("published", "As published (small numbers hidden)")],
        required=False,
        label="Figures",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, may_see_true_figures: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["breakdown"].empty_label = "No breakdown"  # what the GOV.UK select shows for ""
        if not may_see_true_figures:
            del self.fields["view"]


class IndicatorForm(forms.ModelForm):
    breakdowns = forms.MultipleChoiceField(
        choices=[(name, BREAKDOWN_LABELS[name]) for name in BREAKDOWNS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Breakdowns a return may include",
    )

    class Meta:
        model = Indicator
        fields = ["code", *INDICATOR_FIELDS]  # the same fields the service accepts
        labels = {
            "code": "Code",
            "owner_kind": "Sent by",
            "measure": "For a count: what it counts",
            "priority": "Linked strategic priority",
            "publishable": "May be published (small numbers hidden)",
            "is_active": "In use (returns may include it)",
        }
        help_texts = {
            "code": "Lower case letters, numbers and hyphens, used in return files: e.g. mace-children-new",
            "numerator": "What is counted",
            "denominator": "What it is a rate or percentage of, if anything",
            "target": "In the indicator's unit; leave empty if none",
        }
        widgets = {"definition": forms.Textarea(attrs={"rows": 3}), "measure": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.order_by("title")
        if self.instance.pk:
            # Return files and history refer to the code.
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "Return files and past figures use this code, so it cannot be changed."


class PopulationForm(forms.Form):
    """A plain form: an existing area and year is corrected, not refused as a duplicate."""

    area = forms.ModelChoiceField(queryset=Area.objects.order_by("name"), label="Area")
    year = forms.IntegerField(
        min_value=1990,
        max_value=2100,
        label="Year (mid-year estimate)",
        help_text="Used for the financial year that starts in it, e.g. 2025 for April 2025 to March 2026",
    )
    children = forms.IntegerField(min_value=1, label="Children aged 0 to 17")
