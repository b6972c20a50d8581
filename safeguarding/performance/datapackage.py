"""Data package files for performance data: the indicator catalogue, child
populations, and every version of every return with its figures."""

from decimal import Decimal

from safeguarding.accounts.datapackage import organisation_column
from safeguarding.accounts.models import Organisation
from safeguarding.core.datapackage import STAFF_ONLY, Column, FileSpec, PartnerRows, _cell, keyed_by, register
from safeguarding.performance.catalogue import standard_measure
from safeguarding.performance.models import BREAKDOWNS, DataReturn, Indicator, Population, ReturnValue


def _number(value) -> str:
    """Decimals written without trailing zeros, so 12.00 reads 12."""
    if value is None:
        return None
    return format(Decimal(value).normalize(), "f")


def _rkey(organisation: str, period: str, version) -> str:
    return f"{organisation}/{period}/v{_cell(version)}"


def _measure(row) -> str:
    """The row's measure; a package made before the column keeps what is stored, or
    takes the standard catalogue's for a new indicator (children in need are a stock)."""
    if row.get("measure"):
        return row["measure"]
    stored = Indicator.objects.filter(code=row["code"]).values_list("measure", flat=True).first()
    return stored or standard_measure(row["code"])


def _returns_exist(rows, keys_by_kind):
    """Each figure belongs to a return stored already or in returns.csv of this package."""
    known = keys_by_kind.get("data_return", set())
    for number, row in rows:
        if _rkey(row["organisation"], row["period"], row["version"]) not in known:
            yield (
                number,
                "version",
                f"there is no return {row['organisation']} {row['period']} version {row['version']}; "
                "add it to returns.csv.",
            )


def _data_return(row) -> DataReturn:
    return DataReturn.objects.get(organisation__code=row["organisation"], period=row["period"], version=row["version"])


register(
    FileSpec(
        name="indicators.csv",
        partner=STAFF_ONLY,
        provides="indicator",
        description="The indicator catalogue. `measure` says what a count counts: `events` in the period "
        "(contacts, referrals, incidents), added up over 12 months, or a `stock` at the period's end (children in "
        "need, on a plan, looked after), never added up: its 12 months are the average of the period-end counts. "
        "A package made before the column keeps each stored indicator's measure; a new indicator takes the "
        "standard catalogue's, or `events`.",
        model=Indicator,
        lookup=("code",),
        computed={"measure": _measure},
        columns=[
            Column("code", required=True),
            Column("title", required=True),
            Column("definition", required=True),
            Column("numerator"),
            Column("denominator"),
            Column("unit", "choice", True, tuple(Indicator.Unit.values)),
            Column("measure", "choice", False, tuple(Indicator.Measure.values)),
            Column("owner_kind", "choice", True, tuple(Organisation.Kind.values)),
            Column("frequency", "choice", True, tuple(Indicator.Frequency.values)),
            Column("polarity", "choice", True, tuple(Indicator.Polarity.values)),
            Column("priority", "ref", ref="priority", via="code"),
            Column("breakdowns", "refs", choices=tuple(BREAKDOWNS), to_model=sorted),
            Column("publishable", "bool"),
            Column("target", "decimal", from_model=_number),
            Column("benchmark", "decimal", from_model=_number),
            Column("is_active", "bool", blank=True),
        ],
        key=keyed_by("code"),
        existing_keys=lambda: set(Indicator.objects.values_list("code", flat=True)),
    ),
    FileSpec(
        name="populations.csv",
        partner=STAFF_ONLY,
        provides="population",
        description="Children aged 0 to 17 by area and year.",
        model=Population,
        lookup=("area", "year"),
        columns=[
            Column("area", "ref", True, ref="area", via="code"),
            Column("year", "int", True),
            Column("children", "int", True),
        ],
        key=keyed_by("area", "year"),
    ),
    FileSpec(
        name="returns.csv",
        partner=PartnerRows(),
        provides="data_return",
        description="Every version of every return; the figures are in return_values.csv.",
        model=DataReturn,
        lookup=("organisation", "period", "version"),
        columns=[
            organisation_column("organisation"),
            Column("period", required=True),
            Column("version", "int", True),
            Column("is_current", "bool", True),
            Column("submitted_at", "datetime", True),
            Column("submitted_by", required=True),
            Column("source", "choice", True, ("upload", "api", "import")),
            Column("file_name"),
            Column("confirmed_unusual", "bool"),
        ],
        key=lambda r: _rkey(r["organisation"], r["period"], r["version"]),
        existing_keys=lambda: {
            _rkey(r.organisation.code, r.period, r.version) for r in DataReturn.objects.select_related("organisation")
        },
    ),
    FileSpec(
        name="return_values.csv",
        partner=PartnerRows(),
        provides="return_value",
        description="The figures in each version of a return.",
        model=ReturnValue,
        lookup=("data_return", "indicator", "breakdown", "breakdown_value"),
        computed={"data_return": _data_return},
        columns=[
            organisation_column("organisation", "data_return.organisation"),
            Column("period", required=True, field="data_return.period"),
            Column("version", "int", True, field="data_return.version"),
            Column("indicator", "ref", True, ref="indicator", via="code"),
            Column("breakdown", "choice", choices=tuple(BREAKDOWNS)),
            Column("breakdown_value"),
            Column("value", "decimal", True, from_model=_number),
            Column("denominator", "decimal", from_model=_number),
        ],
        key=lambda r: (
            f"{_rkey(r['organisation'], r['period'], r['version'])}|{r['indicator']}|"
            f"{r['breakdown'] or ''}|{r['breakdown_value'] or ''}"
        ),
        check_references=_returns_exist,
    ),
)
