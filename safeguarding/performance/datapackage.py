"""Data package files for performance data: the indicator catalogue, child
populations, and every version of every return with its figures."""

from decimal import Decimal

from safeguarding.accounts.models import Area, Organisation
from safeguarding.core.datapackage import STAFF_ONLY, Column, FileSpec, PartnerRows, _cell, register, upsert
from safeguarding.governance.models import Priority
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


def _load_indicator(row, actor):
    return upsert(
        Indicator,
        {"code": row["code"]},
        {
            "title": row["title"],
            "definition": row["definition"],
            "numerator": row["numerator"] or "",
            "denominator": row["denominator"] or "",
            "unit": row["unit"],
            "measure": _measure(row),
            "owner_kind": row["owner_kind"],
            "frequency": row["frequency"],
            "polarity": row["polarity"],
            "priority": Priority.objects.get(code=row["priority"]) if row["priority"] else None,
            "breakdowns": sorted(row["breakdowns"]),
            "publishable": bool(row["publishable"]),
            "target": row["target"],
            "benchmark": row["benchmark"],
            "is_active": row["is_active"] is not False,
        },
        actor,
    )


def _load_return(row, actor):
    return upsert(
        DataReturn,
        {
            "organisation": Organisation.objects.get(code=row["organisation"]),
            "period": row["period"],
            "version": row["version"],
        },
        {
            "is_current": bool(row["is_current"]),
            "submitted_at": row["submitted_at"],
            "submitted_by": row["submitted_by"],
            "source": row["source"],
            "file_name": row["file_name"] or "",
            "confirmed_unusual": bool(row["confirmed_unusual"]),
        },
        actor,
    )


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


def _load_value(row, actor):
    data_return = DataReturn.objects.get(
        organisation__code=row["organisation"], period=row["period"], version=row["version"]
    )
    return upsert(
        ReturnValue,
        {
            "data_return": data_return,
            "indicator": Indicator.objects.get(code=row["indicator"]),
            "breakdown": row["breakdown"] or "",
            "breakdown_value": row["breakdown_value"] or "",
        },
        {"value": row["value"], "denominator": row["denominator"]},
        actor,
    )


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
            Column("priority", "ref", ref="priority"),
            Column("breakdowns", "refs", choices=tuple(BREAKDOWNS)),
            Column("publishable", "bool"),
            Column("target", "decimal"),
            Column("benchmark", "decimal"),
            Column("is_active", "bool"),
        ],
        key=lambda r: _cell(r["code"]),
        existing_keys=lambda: set(Indicator.objects.values_list("code", flat=True)),
        load=_load_indicator,
        export=lambda: (
            {
                "code": i.code,
                "title": i.title,
                "definition": i.definition,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "unit": i.unit,
                "measure": i.measure,
                "owner_kind": i.owner_kind,
                "frequency": i.frequency,
                "polarity": i.polarity,
                "priority": i.priority.code if i.priority else None,
                "breakdowns": i.breakdowns,
                "publishable": i.publishable,
                "target": _number(i.target),
                "benchmark": _number(i.benchmark),
                "is_active": i.is_active,
            }
            for i in Indicator.objects.select_related("priority")
        ),
    ),
    FileSpec(
        name="populations.csv",
        partner=STAFF_ONLY,
        provides="population",
        description="Children aged 0 to 17 by area and year.",
        columns=[Column("area", "ref", True, ref="area"), Column("year", "int", True), Column("children", "int", True)],
        key=lambda r: f"{r['area']}|{_cell(r['year'])}",
        existing_keys=lambda: set(),
        load=lambda row, actor: upsert(
            Population,
            {"area": Area.objects.get(code=row["area"]), "year": row["year"]},
            {"children": row["children"]},
            actor,
        ),
        export=lambda: (
            {"area": p.area.code, "year": p.year, "children": p.children}
            for p in Population.objects.select_related("area")
        ),
    ),
    FileSpec(
        name="returns.csv",
        partner=PartnerRows(),
        provides="data_return",
        description="Every version of every return; the figures are in return_values.csv.",
        columns=[
            Column("organisation", "ref", True, ref="organisation"),
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
        load=_load_return,
        export=lambda: (
            {
                "organisation": r.organisation.code,
                "period": r.period,
                "version": r.version,
                "is_current": r.is_current,
                "submitted_at": r.submitted_at,
                "submitted_by": r.submitted_by,
                "source": r.source,
                "file_name": r.file_name,
                "confirmed_unusual": r.confirmed_unusual,
            }
            for r in DataReturn.objects.select_related("organisation")
        ),
    ),
    FileSpec(
        name="return_values.csv",
        partner=PartnerRows(),
        provides="return_value",
        description="The figures in each version of a return.",
        columns=[
            Column("organisation", "ref", True, ref="organisation"),
            Column("period", required=True),
            Column("version", "int", True),
            Column("indicator", "ref", True, ref="indicator"),
            Column("breakdown", "choice", choices=tuple(BREAKDOWNS)),
            Column("breakdown_value"),
            Column("value", "decimal", True),
            Column("denominator", "decimal"),
        ],
        key=lambda r: (
            f"{_rkey(r['organisation'], r['period'], r['version'])}|{r['indicator']}|"
            f"{r['breakdown'] or ''}|{r['breakdown_value'] or ''}"
        ),
        existing_keys=lambda: set(),
        check_references=_returns_exist,
        load=_load_value,
        export=lambda: (
            {
                "organisation": v.data_return.organisation.code,
                "period": v.data_return.period,
                "version": v.data_return.version,
                "indicator": v.indicator.code,
                "breakdown": v.breakdown or None,
                "breakdown_value": v.breakdown_value,
                "value": _number(v.value),
                "denominator": _number(v.denominator),
            }
            for v in ReturnValue.objects.select_related("data_return__organisation", "indicator")
        ),
    ),
)
