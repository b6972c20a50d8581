from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field, field_validator

from safeguarding.children import reads, services
from safeguarding.children import records as record_checks
from safeguarding.children.models import Source
from safeguarding.core.refusals import Problem, as_problem
from safeguarding.core.text import describe_control_character, find_control_character

router = Router(tags=["Children's records"])

MAX_BATCH = 10_000


class RecordIn(Schema):
    source: str = Field(description="The sending system's code (registered for the token's organisation)")
    record_id: str = Field(description="The record's id in that system")
    first_name: str = ""
    middle_names: str = ""
    last_name: str = ""
    date_of_birth: str = Field("", description="YYYY-MM-DD")
    expected_on: str = Field(
        "", description="YYYY-MM-DD: expected date of delivery, for an unborn child (instead of date_of_birth)"
    )
    sex: str = Field("", description="female, male, other or unknown (or F, M, U)")
    nhs_number: str = ""
    postcode: str = ""
    address: str = ""
    address_from: str = Field("", description="YYYY-MM-DD: when the child started living at this address")
    involvement: str = Field("", description="cp_plan, cin, cla, early_help, open_case, mace or missing")
    involvement_from: str = ""
    involvement_to: str = ""


class BatchIn(Schema):
    records: list[RecordIn] = Field(description=f"Up to {MAX_BATCH:,} records")
    reason: str = Field("", description="Why these records are sent (kept in the audit trail)")


@router.post(
    "/children/records",
    summary="Send a batch of records about children from one of the organisation's systems",
    description="The same checks as an upload. A batch that cannot be stored (an unknown source, a missing "
    "record_id, a control character, one record twice with different details, an involvement that cannot be "
    "recorded) is refused with every problem listed by row and field, and nothing is stored. A readable but wrong "
    "cell (a postcode that is not UK-shaped, an impossible, future or over-25-years date of birth, an unknown sex "
    "code, an NHS number that is not 10 digits) is kept as sent and flagged, never used to link or to place the "
    "record in an area: the answer lists the flagged cells by field with examples (`flagged`). A record sent again "
    "(same source and record_id) is updated and its earlier version kept. New records are matched against known "
    "children at once.",
    response={201: dict, 422: dict},
)
def send_records(request, payload: BatchIn):
    token = request.api_token
    if len(payload.records) > MAX_BATCH:
        return Status(422, _refused([f"request: {len(payload.records):,} records; send at most {MAX_BATCH:,}."]))
    if problems := _control_characters("request", {"reason": payload.reason}):
        return Status(422, _refused(problems))
    own_sources = set(Source.objects.filter(organisation=token.organisation).values_list("code", flat=True))
    rows = [{k: (v or "").strip() for k, v in record.dict().items()} for record in payload.records]
    try:
        checked = record_checks.check_rows(
            "request", rows, known_sources=own_sources, today=timezone.localdate(), first_row=1, skip_blank=False
        )
    except record_checks.RecordsRefused as refused:
        return Status(422, _refused(refused.problems))
    report = services.records_receive(checked, actor=token, origin="api", file_name="request", reason=payload.reason)
    return Status(
        201,
        {
            "detail": "Received.",
            **report.imported.counts,
            "linked_to_known_children": report.matched.linked,
            "new_children": report.matched.new_children,
            "queued_for_review": report.matched.queued_for_review,
            "flagged": [
                {"field": column, "count": count, "examples": report.imported.flag_examples.get(column, [])}
                for column, count in sorted(report.imported.flagged_cells.items())
            ],
        },
    )


def _control_characters(where: str, fields: dict[str, str]) -> list[Problem]:
    """A problem for each field holding a control character (PostgreSQL cannot store a NUL;
    the others are invisible rubbish), named as the records checks name a column."""
    problems = []
    for name, value in fields.items():
        position = find_control_character(value or "")
        if position is not None:
            problems.append(
                Problem(
                    f"contains a control character ({describe_control_character(value, position)}), "
                    "which cannot be stored; remove it.",
                    file=where,
                    column=name,
                )
            )
    return problems


def _refused(problems: list[Problem | str]) -> dict:
    """The refusal as the API answers it: each problem's column as its field."""
    return {
        "detail": "The batch was not accepted; nothing was stored.",
        "errors": [{"field": p.column, "message": str(p)} for p in map(as_problem, problems)],
    }


class LookupIn(Schema):
    first_name: str = ""
    last_name: str = ""
    date_of_birth: str = Field("", description="YYYY-MM-DD")
    postcode: str = ""
    nhs_number: str = ""
    purpose: str = Field(description="Why the child is being checked, at least 3 characters (kept in the audit trail)")

    @field_validator("purpose")
    @classmethod
    def purpose_given(cls, value: str) -> str:
        # Trimmed first: "   " would otherwise pass a length check and be audited as no reason.
        value = value.strip()
        if len(value) < 3:
            raise ValueError("say why the child is being checked (at least 3 characters).")
        return value


@router.post(
    "/children/lookup",
    summary="Is this child known to any agency?",
    description="Partial details are enough: an NHS number, or a first and last name with a date of birth or a "
    "postcode. Returns candidate children with the match probability, closest first, cut to what the token's "
    "organisation's MASH desk may see (the page 'Who sees what of a child's record'): the agencies whose records "
    "they are in, the agencies with an open involvement, and what each involvement is (null where the desk may "
    "not see it; agencies without a signed sharing agreement with yours are listed in `not_shared_by`). A token "
    "of an organisation with no desk gets only the child IDs and match. `name`, `date_of_birth` and `reasons` (how "
    "each detail given compared: agrees, close or differs) come from the best-matching record held by an agency "
    "that shares with yours, and are null or empty where none does. Every lookup is recorded with its purpose.",
    response={200: dict, 422: dict, 503: dict},
)
def lookup(request, payload: LookupIn):
    if problems := _control_characters("request", payload.dict()):
        return Status(422, _refused(problems))
    details = {k: (v or "").strip() for k, v in payload.dict().items() if k != "purpose"}
    has_name = details["first_name"] and details["last_name"]
    if not (details["nhs_number"] or (has_name and (details["date_of_birth"] or details["postcode"]))):
        return Status(
            422,
            _refused(["request: give an NHS number, or a first and last name with a date of birth or a postcode."]),
        )
    results = reads.lookup_for_token(token=request.api_token, details=details, purpose=f"API lookup: {payload.purpose}")
    if results is None:
        return Status(503, {"detail": "The records have not been linked yet; try again after the first full run."})
    return Status(
        200,
        {
            "children": [
                {
                    "child_id": r.reference,
                    "match_probability": round(r.match_probability, 4),
                    "match_weight": round(r.match_weight, 2),
                    "known_to": r.agencies,
                    "involved_agencies": r.involved_agencies,
                    "open_involvements": r.open_involvements,
                    "not_shared_by": r.not_shared_by,
                    "name": r.name or None,
                    "date_of_birth": r.date_of_birth.isoformat() if r.date_of_birth else None,
                    "held_by": r.held_by or None,
                    "reasons": [{"field": x.field, "verdict": x.verdict, "detail": x.words} for x in r.reasons],
                }
                for r in results
            ]
        },
    )
