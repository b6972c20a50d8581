from ninja import Router, Schema, Status
from pydantic import Field

from safeguarding.performance import returns

router = Router(tags=["Performance data"])


class Figure(Schema):
    indicator: str = Field(description="Indicator code, e.g. da-incidents")
    period: str = Field(description="2026-Q1 (financial quarter), 2026-04 (month) or 2026 (year from April)")
    breakdown: str = Field("", description="Empty for the total, or age_band, sex, ethnicity, locality")
    breakdown_value: str = ""
    value: float
    denominator: float | None = None


class ReturnIn(Schema):
    figures: list[Figure]
    confirm_unusual: bool = Field(False, description="Send again with true after checking queried values.")


@router.post(
    "/performance/returns",
    summary="Send a data return for the token's organisation",
    description="The same checks as an upload: every problem is listed with its row and column and nothing is "
    "stored unless the whole return is right; values far from the organisation's recent returns are queried "
    "(409) until sent again with confirm_unusual. A period sent again becomes a new version.",
    response={201: dict, 409: dict, 422: dict},
)
def send_return(request, payload: ReturnIn):
    token = request.api_token
    rows = [
        returns.Row(
            number,
            {k: "" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for k, v in figure.dict().items()},
        )
        for number, figure in enumerate(payload.figures, start=2)
    ]
    try:
        stored = returns.submit_return(
            organisation=token.organisation,
            rows=rows,
            file_name="request",
            source="api",
            actor=token,
            submitted_by=f"API token {token.prefix}",
            confirm_unusual=payload.confirm_unusual,
        )
    except returns.ReturnRefused as refused:
        return Status(
            422,
            {
                "detail": "The return was not accepted; nothing was stored.",
                "errors": [{"field": p.column, "message": str(p)} for p in refused.problems],
            },
        )
    except returns.NeedsConfirmation as query:
        return Status(
            409,
            {
                "detail": "Some values are far from recent returns: check them and send again with "
                "confirm_unusual set to true.",
                "errors": [{"field": "value", "message": w} for w in query.warnings],
            },
        )
    return Status(
        201,
        {"detail": "Received.", "period": stored.period, "version": stored.version, "figures": stored.values.count()},
    )
