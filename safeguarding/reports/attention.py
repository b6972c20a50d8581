"""What the reports area puts on people's home pages."""

from django.urls import reverse
from django.utils import timezone

from safeguarding.core.attention import Attention, register
from safeguarding.core.permissions import Perm, has_perm
from safeguarding.reports.models import Edition


@register
def panel_copy_due(user) -> list[Attention]:
    """A published report not yet sent to the National Panel."""
    if not has_perm(user, Perm.MANAGE_REPORT):
        return []

    today = timezone.localdate()
    return [
        Attention(
            f"Send the {edition.report.year_label} annual report to the National Panel",
            f"Due by {edition.panel_copy_due_on:%-d %B %Y}.",
            reverse("reports:detail", kwargs={"year": edition.report.year_start}),
            urgent=edition.panel_copy_due_on < today,
        )
        for edition in Edition.objects.filter(panel_copy_sent_on__isnull=True).select_related("report")
    ]
