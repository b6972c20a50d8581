"""Reads for the children area. Pages about linkage as a whole show counts and model
weights, never a child's details; the review queue shows records to those who decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypedDict

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from safeguarding.accounts.models import ApiToken, Area, Organisation, Post
from safeguarding.accounts.selectors import current_organisation
from safeguarding.children import match_reasons, matching, policy, rules
from safeguarding.children.child_view import merged_ids
from safeguarding.children.match_reasons import Reason
from safeguarding.children.models import AgencyRecord, Child, Involvement, LinkageRun, MatchReview, ModelVersion, Source
from safeguarding.children.policy import Part
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Perm, RequestUser, Role, has_perm, user_roles
from safeguarding.linkage.scorer import LOOKUP_MIN_EVIDENCE

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # a development dependency (django-stubs): types only

    from safeguarding.linkage.engine import FieldWeight


@dataclass(frozen=True)
class ReaderScope:
    """What a reader may see: their organisation, the parts of a child's record their
    role and desk allow (``policy.parts_for``), and whose records they read in detail
    (``policy.sharing_partners``; None: every organisation's)."""

    organisation: Organisation | None
    parts: frozenset[Part]
    partners: frozenset[int] | None


def reader_scope(user: RequestUser) -> ReaderScope:
    organisation = viewer_organisation(user)
    return ReaderScope(
        organisation,
        policy.parts_for(user_roles(user), organisation),
        policy.sharing_partners(organisation, timezone.localdate()),
    )


def token_scope(token: ApiToken) -> ReaderScope:
    """A partner token reads as its organisation's desk (``policy.parts_for_token``)."""
    organisation = token.organisation
    return ReaderScope(
        organisation, policy.parts_for_token(organisation), policy.sharing_partners(organisation, timezone.localdate())
    )


class SourceCounts(TypedDict):
    record_count: int


@dataclass
class LinkageSummary:
    records: int
    unlinked: int
    invalid_nhs_numbers: int
    children: int
    merged_ids: int
    pending_reviews: int
    decided_reviews: int
    sources: list[WithAnnotations[Source, SourceCounts]]  # each with its record_count
    model: ModelVersion | None
    weights: list[FieldWeight]
    runs: list[LinkageRun]


def linkage_summary(user: RequestUser) -> LinkageSummary:
    """The linkage at a glance for a reader of the Children page: counts and weights, never
    a child's details. Refused to anyone else."""
    if not has_perm(user, Perm.VIEW_LINKAGE):
        raise PermissionError("This role cannot see the linkage.")
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


# Deciding a pair means comparing names, dates of birth and addresses side by side.
REVIEW_PARTS = frozenset({Part.IDENTITY, Part.ADDRESSES})


def reviews_for(user: RequestUser) -> QuerySet[MatchReview]:
    """The pairs the reader may open: both records readable under the sharing agreements
    (the rule of the view of a child), from a desk that may see identities and
    addresses. A pair with one side withheld is not listed at all: half a pair cannot be
    decided, and its presence alone says that another agency holds a record."""
    scope = reader_scope(user)
    if not REVIEW_PARTS.issubset(scope.parts):
        return MatchReview.objects.none()
    reviews = MatchReview.objects.all()
    if scope.partners is not None:
        reviews = reviews.filter(
            record_a__source__organisation_id__in=scope.partners,
            record_b__source__organisation_id__in=scope.partners,
        )
    return reviews.select_related("record_a__source", "record_b__source", "record_a__child", "decided_by").order_by(
        "-match_probability", "pk"
    )


def review_queue(user: RequestUser, status: str = MatchReview.Status.PENDING) -> QuerySet[MatchReview]:
    return reviews_for(user).filter(status=status)


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


# A row of the side-by-side: (label, left value, right value, the two agree, the field is compared).
type ComparisonRow = tuple[str, object, object, bool, bool]


class ReviewComparison(TypedDict):
    rows: list[ComparisonRow]
    fields: list[tuple[str, str, float]]  # (field, level label, match weight it adds)


def review_comparison_unscoped(review: MatchReview) -> ReviewComparison:
    """Both records side by side, and which fields agree with the weight each adds.
    Unscoped: only ``reads.review_for_reader`` calls it, after checking the reader."""
    a, b = review.record_a, review.record_b
    rows: list[ComparisonRow] = []
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
    if index is None:
        return []
    left, right = index.row(a.unique_id), index.row(b.unique_id)
    if left is None or right is None:  # not in the index
        return []
    _weight, fields = index.score(left, right)
    return fields


# "Is this child known?" ----------------------------------------------------------------


@dataclass(frozen=True)
class RecordMatch:
    """One agency record a lookup matched: whose it is, what it says of the child's
    identity, and how each detail of the search compared (``match_reasons``)."""

    organisation_id: int
    source: str
    name: str
    date_of_birth: dt.date | None
    match_probability: float
    reasons: tuple[Reason, ...]


@dataclass
class KnownChild:
    """A child found. ``open_involvements`` (what each open involvement is) and
    ``involved_agencies`` (which agencies hold one) start empty and are filled by
    ``lookup_as_seen_by`` from ``found``, for the reader's desk and agreements only; so
    are ``name``, ``date_of_birth``, ``held_by`` and ``reasons``, from the best-matching
    record the reader may read (``matches``, best first)."""

    reference: str
    match_probability: float
    match_weight: float
    agencies: list[str]
    open_involvements: list[str] | None = None  # None: withheld from this reader
    involved_agencies: list[str] = field(default_factory=list)
    not_shared_by: list[str] = field(default_factory=list)  # agencies whose involvements are withheld
    found: list[tuple[str, int, str]] = field(default_factory=list, repr=False)  # (kind, organisation, source)
    matches: list[RecordMatch] = field(default_factory=list, repr=False)
    name: str = ""  # "" with the others below: no record of this child is shared with the reader
    date_of_birth: dt.date | None = None
    held_by: str = ""
    reasons: list[Reason] = field(default_factory=list)
    match_shown: str = ""


LOOKUP_FIELDS = ("first_name", "last_name", "date_of_birth", "postcode", "nhs_number")


def lookup_unscoped(details: dict[str, str], *, limit: int = 10) -> list[KnownChild] | None:
    """Children whose records match partial details (name and date of birth; name and
    postcode; NHS number), best first, with the agencies that know them: the answer a
    CP-IS check gives, across every agency. None when no model has been trained yet.
    Candidates come from the in-memory index, scored by the model; no SQL per request
    beyond fetching the few children found. Unscoped: people and tokens search through
    ``reads.lookup_for_reader`` / ``lookup_for_token``, which record the search and cut
    the answer to what the reader may see."""
    index = matching.index_cache.get()
    if index is None:
        return None
    query = {name: (details.get(name) or "").strip() for name in LOOKUP_FIELDS}
    candidates = [
        c
        for c in index.match(query, limit=limit * 3, min_probability=0.0)
        if c.match_weight - index.prior_weight >= LOOKUP_MIN_EVIDENCE
    ]
    pk_of = matching.index_cache.pk_of
    pks = [pk_of[c.unique_id] for c in candidates if c.unique_id in pk_of]
    columns = ("pk", "child_id", "child__reference", "source__name", "source__organisation_id")
    names = ("first_name", "middle_names", "last_name", "date_of_birth")
    records = {
        values[0]: values
        for values in AgencyRecord.objects.filter(pk__in=pks, child__isnull=False).values_list(*columns, *names)
    }
    best: dict[int, KnownChild] = {}
    for candidate in candidates:  # best first
        record = records.get(pk_of.get(candidate.unique_id))
        if record is None:
            continue
        _pk, child_id, reference, source, organisation_id, first, middle, last, dob = record
        if child_id not in best:
            best[child_id] = KnownChild(reference, candidate.match_probability, candidate.match_weight, [])
        best[child_id].matches.append(
            RecordMatch(
                organisation_id,
                source,
                " ".join(part for part in (first, middle, last) if part),
                dob,
                candidate.match_probability,
                tuple(match_reasons.reasons(candidate.fields)),
            )
        )
    children = list(best)[:limit]
    agencies: dict[int, set[str]] = {pk: set() for pk in children}
    for child_id, source in AgencyRecord.objects.filter(child_id__in=children).values_list("child_id", "source__name"):
        agencies[child_id].add(source)
    involvements: dict[int, set[tuple[str, int, str]]] = {pk: set() for pk in children}
    for child_id, kind, organisation_id, source in Involvement.objects.filter(
        record__child_id__in=children, ended_on__isnull=True
    ).values_list("record__child_id", "kind", "record__source__organisation_id", "record__source__name"):
        involvements[child_id].add((Involvement.Kind(kind).label, organisation_id, source))
    result: list[KnownChild] = []
    for child_id in children:
        known = best[child_id]
        known.agencies = sorted(agencies[child_id])
        known.found = sorted(involvements[child_id])
        result.append(known)
    return result


def lookup_as_seen_by(results: list[KnownChild] | None, scope: ReaderScope) -> list[KnownChild] | None:
    """The lookup's answer cut as the view of a child cuts it: which agencies know the
    child needs the contacts part; that an agency is involved needs either involvement
    part; what an involvement is needs the involvements part and an agreement with the
    agency that holds it (else the agency is named in ``not_shared_by``). The child's
    name and date of birth, and why the search matched, come from the best-matching
    record held by an agency that shares with the reader, for a desk with the identity
    part; a reason about the address needs the addresses part too."""
    if results is None:
        return None

    parts = scope.parts
    detailed = Part.INVOLVEMENTS in parts
    exists = detailed or Part.INVOLVEMENT_EXISTS in parts
    cut: list[KnownChild] = []
    for known in results:
        shared = [(kind, source) for kind, org, source in known.found if policy.may_read(scope.partners, org)]
        readable = [m for m in known.matches if policy.may_read(scope.partners, m.organisation_id)]
        shown = readable[0] if readable and Part.IDENTITY in parts else None
        cut.append(
            replace(
                known,
                agencies=known.agencies if Part.CONTACTS in parts else [],
                involved_agencies=sorted({source for _kind, _org, source in known.found}) if exists else [],
                open_involvements=sorted({kind for kind, _source in shared}) if detailed else None,
                not_shared_by=sorted({s for _k, _o, s in known.found} - {s for _k, s in shared}) if detailed else [],
                found=[],
                matches=[],
                name=shown.name if shown else "",
                date_of_birth=shown.date_of_birth if shown else None,
                held_by=shown.source if shown else "",
                reasons=match_reasons.visible_reasons(list(shown.reasons), parts) if shown else [],
                # The figure beside the reasons is that record's: the same search against it.
                match_shown=match_reasons.match_shown(shown.match_probability if shown else known.match_probability),
            )
        )
    return cut


# Who looked at a child's record ------------------------------------------------------------


@dataclass
class AccessRow:
    at: dt.datetime
    who: str
    what: str
    purpose: str
    outside_area: bool


def child_by_reference(reference: str) -> Child | None:
    """The child an ID leads to now (a merged ID redirects to the survivor)."""
    child = Child.objects.filter(reference=reference.strip().upper()).first()
    return child.current() if child else None


class AccessLog(TypedDict):
    rows: list[AccessRow]
    bursts: dict[str, dt.datetime]  # reader -> when their reads became an unusual burst


def _reader_person_id(event: AuditEvent) -> int | None:
    """The person behind a recorded read (None: a partner token, or an account without a person)."""
    return event.actor.person_id if event.actor else None


def access_log_unscoped(child: Child) -> AccessLog:
    """Every recorded look at a child's record (the child, or a review pair holding one of
    its records), under the child's ID or any ID merged into it, with flags for unusual
    access: a reader outside the child's areas, and readers who looked at many children
    quickly (rules.unusual_burst) in the same 30 days. Unscoped: only
    ``reads.access_log_for_reader`` calls it, after checking the reader."""
    ids = merged_ids(child)
    record_pks = list(AgencyRecord.objects.filter(child_id__in=ids).values_list("pk", flat=True))
    reviews = MatchReview.objects.filter(Q(record_a_id__in=record_pks) | Q(record_b_id__in=record_pks))
    events = list(
        AuditEvent.objects.filter(action=AuditEvent.Action.READ)
        .filter(
            Q(object_type="children.child", object_id__in=[str(pk) for pk in ids])
            | Q(
                object_type="children.matchreview",
                object_id__in=[str(pk) for pk in reviews.values_list("pk", flat=True)],
            )
        )
        .select_related("actor")
        .order_by("-at")
    )
    child_areas = set(
        AgencyRecord.objects.filter(child_id__in=ids, area__isnull=False).values_list("area_id", flat=True)
    )
    reader_ids = {person_id for e in events if (person_id := _reader_person_id(e))}
    reader_areas: dict[int, set[int]] = {}
    for person_id, area_id in Area.objects.filter(
        organisations__posts__person_id__in=reader_ids, organisations__posts__ended_on__isnull=True
    ).values_list("organisations__posts__person_id", "pk"):
        reader_areas.setdefault(person_id, set()).add(area_id)
    rows = []
    for e in events:
        person_id = _reader_person_id(e)
        rows.append(
            AccessRow(
                at=e.at,
                who=e.actor_label,
                what="Possible match review" if e.object_type == "children.matchreview" else "The child's record",
                purpose=e.purpose,
                outside_area=bool(
                    person_id and rules.outside_their_area(reader_areas.get(person_id, set()), child_areas)
                ),
            )
        )
    since = timezone.now() - dt.timedelta(days=30)
    bursts: dict[str, dt.datetime] = {}
    for actor_id in {e.actor_id for e in events if e.actor_id}:
        reads = AuditEvent.objects.filter(
            actor_id=actor_id, action=AuditEvent.Action.READ, object_type="children.child", at__gte=since
        ).values_list("at", "object_id")
        when = rules.unusual_burst(reads)
        if when:
            bursts[next(e.actor_label for e in events if e.actor_id == actor_id)] = when
    return {"rows": rows, "bursts": bursts}


# Who looked at the children an agency answers for -----------------------------------------


@dataclass
class ChildReadRow:
    at: dt.datetime
    reader: str
    organisation: str
    purpose: str
    reference: str  # the ID the child has now
    read_as: str  # the ID the reader opened, when it was since merged into ``reference``


def children_answered_for(organisation: Organisation) -> QuerySet[Child]:
    """The children (current IDs) an agency answers for, as ``responsible_organisation_ids``
    decides for one child: those it holds an open involvement with, or, where no agency
    holds one open, those it holds any record about."""
    open_involvements = Involvement.objects.filter(ended_on__isnull=True, record__child=OuterRef("pk"))
    holds_a_record = AgencyRecord.objects.filter(child=OuterRef("pk"), source__organisation=organisation)
    return Child.objects.filter(
        Exists(open_involvements.filter(record__source__organisation=organisation))
        | (~Exists(open_involvements) & Exists(holds_a_record))
    )


def child_reads_seen_by(
    user: RequestUser, *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[AuditEvent]:
    """Recorded looks at children's records, most recent first, that ``user`` may see: for
    an agency lead, looks at the children their agency answers for (under the child's ID or
    one merged into it: merges move the records to the surviving ID); for the business
    manager and administrators, every look. A reader with no post sees none.

    The children are a subquery, never a list of IDs, however many the agency holds."""
    if not has_perm(user, Perm.VIEW_CHILD_ACCESS_LOG):
        return AuditEvent.objects.none()
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ, object_type="children.child")
    if not user_roles(user) & {Role.BUSINESS_MANAGER, Role.ADMINISTRATOR}:
        organisation = viewer_organisation(user)
        if organisation is None:
            return AuditEvent.objects.none()
        answered = children_answered_for(organisation).values("pk")
        ids = (
            Child.objects.filter(
                Q(pk__in=answered) | Q(merged_into__in=answered) | Q(merged_into__merged_into__in=answered)
            )
            .annotate(key=Cast("pk", CharField()))
            .values("key")
        )
        reads = reads.filter(object_id__in=ids)
    if date_from:
        reads = reads.filter(at__date__gte=date_from)
    if date_to:
        reads = reads.filter(at__date__lte=date_to)
    return reads.select_related("actor", "api_token__organisation").order_by("-at", "-id")


def child_read_rows(page: Iterable[AuditEvent]) -> list[ChildReadRow]:
    """One page of ``child_reads_seen_by`` with each reader's organisation and each
    child's current ID: two queries for the page, whatever its length."""
    events = list(page)
    children = {
        str(child.pk): child
        for child in Child.objects.filter(pk__in={int(e.object_id) for e in events}).select_related(
            "merged_into__merged_into"
        )
    }
    people = {person_id for e in events if (person_id := _reader_person_id(e))}
    works_for = dict(
        Post.objects.filter(person_id__in=people, ended_on__isnull=True).values_list("person_id", "organisation__name")
    )
    rows: list[ChildReadRow] = []
    for e in events:
        child = children.get(e.object_id)
        current = child.current() if child else None
        person_id = _reader_person_id(e)
        if e.api_token is not None:  # no query when there is none (api_token_id is None)
            organisation = e.api_token.organisation.name
        else:
            organisation = works_for.get(person_id, "") if person_id else ""
        rows.append(
            ChildReadRow(
                at=e.at,
                reader=e.actor_label,
                organisation=organisation,
                purpose=e.purpose,
                reference=current.reference if current else "",
                read_as=child.reference if child and current and child.pk != current.pk else "",
            )
        )
    return rows


# The reader, the child's responsible agencies, move alerts ---------------------------------


def viewer_organisation(user: RequestUser) -> Organisation | None:
    """The organisation the reader works for (None for a person without a post)."""
    return current_organisation(user)


def responsible_organisation_ids(child: Child) -> set[int]:
    """The agencies that answer for the child: those holding an open involvement, or,
    where none is open, every agency holding a record about the child."""
    ids = merged_ids(child)
    involved = set(
        Involvement.objects.filter(record__child_id__in=ids, ended_on__isnull=True).values_list(
            "record__source__organisation_id", flat=True
        )
    )
    return involved or set(
        AgencyRecord.objects.filter(child_id__in=ids).values_list("source__organisation_id", flat=True)
    )


def may_see_access_log(user: RequestUser, child: Child) -> bool:
    """The business manager and administrators see any child's access log; an agency lead
    only for a child their agency is responsible for."""
    if not has_perm(user, Perm.VIEW_CHILD_ACCESS_LOG):
        return False
    if user_roles(user) & {Role.BUSINESS_MANAGER, Role.ADMINISTRATOR}:
        return True
    organisation = viewer_organisation(user)
    return organisation is not None and organisation.pk in responsible_organisation_ids(child)


def sources_loadable_by(user: RequestUser) -> set[str]:
    """The active systems whose records the user may load: their own organisation's
    (an administrator's, every one)."""
    sources = Source.objects.filter(is_active=True)
    if Role.ADMINISTRATOR not in user_roles(user):
        organisation = viewer_organisation(user)
        if organisation is None:
            return set()
        sources = sources.filter(organisation=organisation)
    return set(sources.values_list("code", flat=True))
