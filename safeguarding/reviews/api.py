import datetime

from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from safeguarding.core.windows import last_twelve_months
from safeguarding.reviews.figures import reviews_summary_for_token

router = Router(tags=["Reviews"])


class SummaryQuery(Schema):
    date_from: datetime.date | None = Field(None, alias="from", description="First day (YYYY-MM-DD)")
    date_to: datetime.date | None = Field(None, alias="to", description="Last day (YYYY-MM-DD)")


@router.get(
    "/reviews/summary",
    summary="Serious incident notifications, rapid reviews, CSPRs and their recommendations",
    description="The committee's questions 2 and 3 for a window (default: the last 12 months): notifications "
    "and the share within 5 working days, rapid reviews and the share within 15 working days, the CSPRs they "
    "led to and the Panel's replies; each CSPR's months taken against 6 with its pauses, and recommendations "
    "open, overdue and closed with evidence of impact. The figures on the reviews figures page, as published: "
    "counts of children from 1 to the suppression threshold less one are null.",
)
def summary(request, params: Query[SummaryQuery]):
    default_from, default_to = last_twelve_months(datetime.date.today())
    date_from, date_to = params.date_from or default_from, params.date_to or default_to
    if date_to < date_from:
        raise HttpError(422, "'to' must be on or after 'from'.")
    return reviews_summary_for_token(token=request.api_token, date_from=date_from, date_to=date_to).as_dict()
