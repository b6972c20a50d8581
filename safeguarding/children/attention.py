"""What the children area puts on people's home pages."""

from django.urls import reverse

from safeguarding.children import matching, selectors
from safeguarding.children.models import AgencyRecord, LinkageRun, MatchReview
from safeguarding.core.attention import Attention, register
from safeguarding.core.permissions import Perm, has_perm


@register
def matches_to_review(user) -> list[Attention]:
    if not has_perm(user, Perm.REVIEW_MATCHES):
        return []

    # Only the pairs this reader may open (both records shared with their agency).
    count = selectors.review_queue(user, MatchReview.Status.PENDING).count()
    if not count:
        return []
    return [
        Attention(
            "Possible matches to review",
            "Pairs of agency records the model could not decide are the same child or not.",
            reverse("children:reviews"),
            count,
        )
    ]


@register
def records_waiting_for_a_run(user) -> list[Attention]:
    if not has_perm(user, Perm.RUN_LINKAGE):
        return []
    unlinked = AgencyRecord.objects.filter(child__isnull=True).count()
    failed = LinkageRun.objects.order_by("-created_at").values_list("status", flat=True).first() == "failed"
    items = []
    if unlinked:
        items.append(
            Attention(
                "Records not linked yet",
                "Agency records waiting for a full linkage run.",
                reverse("children:overview"),
                unlinked,
                urgent=True,
            )
        )
    if matching.model_needs_training_again():
        items.append(
            Attention(
                "Start a full linkage run: the model must be trained again",
                "It was trained by an earlier release on other comparisons; until a run trains a new one, "
                "arriving records wait unlinked and 'Is this child known?' finds nobody.",
                reverse("children:overview"),
                urgent=True,
            )
        )
    if failed:
        items.append(
            Attention("The last linkage run failed", "See what went wrong.", reverse("children:overview"), urgent=True)
        )
    return items
