"""Reads for the children area. Pages about linkage as a whole show counts and model
weights, never a child's details; the review queue shows records to those who decide."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from safeguarding.children import matching
from safeguarding.children.models import AgencyRecord, Child, LinkageRun, MatchReview, ModelVersion, Source


@dataclass
class LinkageSummary:
    records: int
    unlinked: int
    invalid_nhs_numbers: int
    children: int
    merged_ids: int
    pending_reviews: int
    decided_reviews: int
    sources: list
    model: ModelVersion | None
    weights: list
    runs: list


def linkage_summary() -> LinkageSummary:
    record_counts = AgencyRecord.objects.aggregate(
        records=Count("pk"),
        unlinked=Count("pk", filter=Q(child__isnull=True)),
        invalid=Count("pk", filter=~Q(nhs_number="") & Q(nhs_number_valid=False)),
    )
    child_counts = Child.objects.aggregate(
        active=Count("pk", filter=Q(status=Child.Status.ACTIVE)), merged=Count("pk", filter=Q(status="merged"))
    )
    review_counts = MatchReview.objects.aggregate(
        pending=Count("pk", filter=Q(status=MatchReview.Status.PENDING)),
        decided=Count("pk", filter=~Q(status=MatchReview.Status.PENDING)),
    )
    sources = list(
        Source.objects.select_related("organisation")
        .annotate(record_count=Count("records"))
        .prefetch_related("areas")
        .order_by("name")
    )
    current = matching.current_model()
    return LinkageSummary(
        records=record_counts["records"],
        unlinked=record_counts["unlinked"],
        invalid_nhs_numbers=record_counts["invalid"],
        children=child_counts["active"],
        merged_ids=child_counts["merged"],
        pending_reviews=review_counts["pending"],
        decided_reviews=review_counts["decided"],
        sources=sources,
        model=current[0] if current else None,
        weights=current[1].readable_weights() if current else [],
        runs=list(LinkageRun.objects.select_related("model")[:10]),
    )


def review_queue(status: str = MatchReview.Status.PENDING):
    return (
        MatchReview.objects.filter(status=status)
        .select_related("record_a__source", "record_b__source", "decided_by")
        .order_by("-match_probability", "pk")
    )


FIELD_LABELS = {
    "prior": "Before any field",
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "nhs_number": "NHS number",
    "address": "Address",
    "postcode": "Postcode",
    "sex": "Sex",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


FIELD_ROWS = [
    ("Source", "source"),
    ("Record id", "record_id"),
    ("First name", "first_name"),
    ("Middle names", "middle_names"),
    ("Last name", "last_name"),
    ("Date of birth", "date_of_birth"),
    ("Sex", "sex"),
    ("NHS number", "nhs_number"),
    ("Postcode", "postcode"),
    ("Address", "address"),
    ("At this address from", "address_from"),
    ("Child", "child"),
]


def review_comparison(review: MatchReview) -> dict:
    """Both records side by side, and which fields agree with the weight each adds."""
    a, b = review.record_a, review.record_b
    rows = []
    for label, name in FIELD_ROWS:
        left, right = getattr(a, name), getattr(b, name)
        if name == "source":
            left, right = a.source.name, b.source.name
        if name == "nhs_number":
            left = f"{left} (check digit fails: not used)" if left and not a.nhs_number_valid else left
            right = f"{right} (check digit fails: not used)" if right and not b.nhs_number_valid else right
        comparable = name not in ("source", "record_id")
        rows.append((label, left or "", right or "", comparable and bool(left) and left == right, comparable))
    fields = [tuple(f) for f in review.fields] or _score_fields(a, b)
    return {"rows": rows, "fields": fields}


def _score_fields(a: AgencyRecord, b: AgencyRecord) -> list[tuple[str, str, float]]:
    """Score the pair with the current model (term frequencies from every record) when
    the queue entry came from a full run."""
    index = matching.index_cache.get()
    if index is None or a.unique_id not in index or b.unique_id not in index:
        return []
    _weight, fields = index.score(index.row(a.unique_id), index.row(b.unique_id))
    return fields
