from django import forms


class RecordsUploadForm(forms.Form):
    file = forms.FileField(
        label="Records file (CSV or Excel)", help_text="Up to 50 MB, with the columns described below"
    )
    reason = forms.CharField(
        label="Why are you loading these records?",
        max_length=300,
        help_text="For example: the monthly extract from the GP system. Kept in the audit trail.",
    )


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Are these records about the same child?",
        choices=[("same", "Yes, the same child"), ("different", "No, different children")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="How do you know?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: checked with the school; twins at the same address. Kept with the decision.",
    )


class RunForm(forms.Form):
    backend = forms.ChoiceField(
        label="Run on",
        choices=[("duckdb", "This server (DuckDB)"), ("spark", "Spark (for national-scale data)")],
        initial="duckdb",
        widget=forms.RadioSelect,
    )
