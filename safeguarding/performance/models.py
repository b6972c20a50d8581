"""The partnership's data: an indicator catalogue, child populations for rates, and
each organisation's data returns, kept as numbered versions."""

from django.db import models
from django.db.models import Q

from safeguarding.accounts.models import Area, Organisation

BREAKDOWNS = {
    "age_band": ["0-4", "5-9", "10-15", "16-17"],
    "sex": ["female", "male", "other_or_unknown"],
    "ethnicity": ["white", "mixed", "asian", "black", "other", "unknown"],
    "locality": [],  # the partnership's area codes
}


class Indicator(models.Model):
    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        RATE = "rate_per_10000", "Rate per 10,000 children"
        PERCENTAGE = "percentage", "Percentage"
        DAYS = "days", "Days"

    class Measure(models.TextChoices):
        """What a count counts: a 12-month figure adds events up, but never snapshots."""

        EVENTS = "events", "Events in the period (contacts, referrals, incidents)"
        STOCK = "stock", "A count at the period's end (children in need, on a plan, looked after)"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        YEARLY = "yearly", "Yearly"

    class Polarity(models.TextChoices):
        HIGHER_BETTER = "higher_better", "Higher is better"
        LOWER_BETTER = "lower_better", "Lower is better"
        NEUTRAL = "neutral", "Neither (context)"

    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    definition = models.TextField()
    numerator = models.CharField(max_length=300, blank=True)
    denominator = models.CharField(max_length=300, blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    measure = models.CharField(
        max_length=10,
        choices=Measure.choices,
        default=Measure.EVENTS,
        help_text="For counts: events in the period are added up over 12 months; a count at the period's end "
        "is not (its 12-month figure is the average of the period-end counts).",
    )
    owner_kind = models.CharField(
        max_length=30, choices=Organisation.Kind.choices, help_text="The kind of organisation that sends it."
    )
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    priority = models.ForeignKey(
        "governance.Priority", null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    breakdowns = models.JSONField(default=list, blank=True, help_text="Breakdowns allowed, e.g. ['age_band', 'sex'].")
    publishable = models.BooleanField(default=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    benchmark = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="e.g. the England or statistical neighbour figure",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_stock(self) -> bool:
        return self.measure == self.Measure.STOCK


class Population(models.Model):
    """Children aged 0 to 17 living in an area in a year (mid-year estimate)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="populations")
    year = models.PositiveSmallIntegerField()
    children = models.PositiveIntegerField()

    class Meta:
        ordering = ["area", "-year"]
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="one_population_per_area_year")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.children}"


class DataReturn(models.Model):
    """One organisation's figures for one period. A resubmission is a new version;
    the old one is kept and marked superseded."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="data_returns")
    period = models.CharField(max_length=10, help_text="2026-Q1, 2026-04 or 2026 (year starting 1 April)")
    version = models.PositiveSmallIntegerField()
    is_current = models.BooleanField(default=True)
    submitted_at = models.DateTimeField()
    submitted_by = models.CharField(max_length=200)
    source = models.CharField(max_length=20, choices=[("upload", "Upload"), ("api", "API"), ("import", "Import")])
    file_name = models.CharField(max_length=200, blank=True)
    confirmed_unusual = models.BooleanField(
        default=False, help_text="The sender confirmed values far outside the history."
    )

    class Meta:
        ordering = ["organisation", "-period", "-version"]
        indexes = [models.Index(fields=["period", "organisation"])]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "period", "version"], name="one_version_number"),
            models.UniqueConstraint(
                fields=["organisation", "period"], condition=Q(is_current=True), name="one_current_return"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period} v{self.version}"


class ReturnValue(models.Model):
    data_return = models.ForeignKey(DataReturn, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    breakdown = models.CharField(max_length=20, blank=True, help_text="Empty for the total.")
    breakdown_value = models.CharField(max_length=40, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    denominator = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For percentages: the count the percentage is of.",
    )

    class Meta:
        indexes = [models.Index(fields=["indicator", "breakdown", "breakdown_value"])]
        constraints = [
            models.UniqueConstraint(
                fields=["data_return", "indicator", "breakdown", "breakdown_value"], name="one_value_per_cell"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="values_not_negative"),
            models.CheckConstraint(
                condition=(Q(breakdown="") & Q(breakdown_value="")) | (~Q(breakdown="") & ~Q(breakdown_value="")),
                name="breakdown_has_a_value",
            ),
        ]

    def __str__(self) -> str:
        cell = f" ({self.breakdown}={self.breakdown_value})" if self.breakdown else ""
        return f"{self.indicator.code}{cell}: {self.value}"
