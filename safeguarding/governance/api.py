import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from safeguarding.governance import rules
from safeguarding.governance.models import Group
from safeguarding.governance.selectors import governance_answers_for_token

router = Router(tags=["Governance"])


class AttendanceQuery(Schema):
    date_from: datetime.date | None = Field(None, alias="from", description="First day (YYYY-MM-DD)")
    date_to: datetime.date | None = Field(None, alias="to", description="Last day (YYYY-MM-DD)")
    group: str | None = Field(None, description="A group's code; all groups if left out")


@router.get(
    "/governance/attendance",
    summary="Board attendance, delegation, meeting modes, actions, priorities and scrutiny responses",
    description="The figures behind the committee's questions 1, 8 and 9 for a window "
    "(default: the last 12 months), the same as the governance answers page.",
)
def attendance(request, params: Query[AttendanceQuery]):
    default_from, default_to = rules.default_window(datetime.date.today())
    date_from = params.date_from or default_from
    date_to = params.date_to or default_to
    if date_to < date_from:
        raise HttpError(422, "'to' must be on or after 'from'.")
    group = get_object_or_404(Group, code=params.group) if params.group else None
    return governance_answers_for_token(
        token=request.api_token, date_from=date_from, date_to=date_to, group=group
    ).as_dict()
