import datetime

from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from safeguarding.core.windows import last_twelve_months
from safeguarding.training.selectors import training_summary_for_token

router = Router(tags=["Training"])


class SummaryQuery(Schema):
    date_from: datetime.date | None = Field(None, alias="from", description="First day (YYYY-MM-DD)")
    date_to: datetime.date | None = Field(None, alias="to", description="Last day (YYYY-MM-DD)")


@router.get(
    "/training/summary",
    summary="Training places, attendance, no-shows, reach and impact",
    description="The committee's question 4 for a window (default: the last 12 months), with the same "
    "window a year earlier: the figures on the training summary page.",
)
def summary(request, params: Query[SummaryQuery]):
    default_from, default_to = last_twelve_months(datetime.date.today())
    date_from, date_to = params.date_from or default_from, params.date_to or default_to
    if date_to < date_from:
        raise HttpError(422, "'to' must be on or after 'from'.")
    return training_summary_for_token(token=request.api_token, date_from=date_from, date_to=date_to).as_dict()
