"""Data returns: clear errors that name file, row and column; all or nothing;
resubmission keeps the old version; unusual values are queried, not refused."""

import datetime as dt

import pytest

from safeguarding.core.audit import SystemActor
from safeguarding.performance import returns
from safeguarding.performance.catalogue import load_standard_set
from safeguarding.performance.models import DataReturn, ReturnValue
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")
NOW = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
HEADER = "indicator,period,breakdown,breakdown_value,value,denominator\n"


@pytest.fixture
def police(db):
    load_standard_set(actor=SYSTEM, priorities={})
    return OrganisationFactory(code="police", name="Testshire Police", kind="police", standing="statutory_partner")


def _submit(police, text, name="return.csv", **kwargs):
    rows = returns.read_upload(name, text.encode())
    return returns.submit_return(
        organisation=police,
        rows=rows,
        file_name=name,
        source="upload",
        actor=SYSTEM,
        submitted_by="test",
        now=NOW,
        **kwargs,
    )


def test_a_good_return_is_stored_and_a_resubmission_is_a_new_version(police):
    first = _submit(police, HEADER + "da-incidents,2026-Q1,,,410,\nmace-children-new,2026-Q1,sex,female,12,\n")
    assert (first.period, first.version, first.values.count()) == ("2026-Q1", 1, 2)
    second = _submit(police, HEADER + "da-incidents,2026-Q1,,,415,\n")
    first.refresh_from_db()
    assert (second.version, second.is_current, first.is_current) == (2, True, False)
    assert ReturnValue.objects.filter(data_return=first).count() == 2  # the old version is kept


def test_every_problem_is_named_and_nothing_is_written(police):
    text = HEADER + (
        "da-incidents,2026-Q1,,,-3,\n"
        "da-incidents,2026-Q1,,,4.5,\n"
        "nonsense,2026-Q1,,,1,\n"
        "referrals,2026-Q1,,,1,\n"
        "da-incidents,2026-Q7,,,1,\n"
        "mace-children-new,2026-Q1,sex,alien,1,\n"
        "mace-children-new,2026-Q1,shoe_size,9,1,\n"
        "da-crimes,2026-Q1,,,10,\n"
        "da-crimes,2026-Q1,,,11,\n"
        "da-crimes,2026-Q4,,,11,\n"
    )
    with pytest.raises(returns.ReturnRefused) as refused:
        _submit(police, text)
    errors = refused.value.errors
    assert errors[:9] == [
        "return.csv, row 2, column value: -3 is negative.",
        "return.csv, row 3, column value: 4.5 is not a whole number, and da-incidents is a count.",
        "return.csv, row 4, column indicator: unknown indicator 'nonsense'.",
        "return.csv, row 5, column indicator: referrals is sent by a local authority, not by Testshire Police.",
        "return.csv, row 6, column period: '2026-Q7' is not a quarterly period: use YYYY-Qn (financial quarters, "
        "Q1 is April to June).",
        "return.csv, row 7, column breakdown_value: 'alien' is not one of female, male, other_or_unknown.",
        "return.csv, row 8, column breakdown: 'shoe_size' is not a breakdown of mace-children-new "
        "(allowed: age_band, ethnicity, locality, sex).",
        "return.csv, row 10: the same figure as row 9 (da-crimes).",
        "return.csv, row 11, column period: 2026-Q4 has not ended yet.",
    ]
    assert DataReturn.objects.count() == 0


def test_a_value_far_outside_the_history_is_queried_then_accepted_when_confirmed(police):
    for quarter, value in (("2025-Q1", 400), ("2025-Q2", 410), ("2025-Q3", 395), ("2025-Q4", 405)):
        _submit(police, HEADER + f"da-incidents,{quarter},,,{value},\n")
    with pytest.raises(returns.NeedsConfirmation) as query:
        _submit(police, HEADER + "da-incidents,2026-Q1,,,4100,\n")
    assert "da-incidents is 4100, far from the recent" in query.value.warnings[0]
    assert not DataReturn.objects.filter(period="2026-Q1").exists()
    accepted = _submit(police, HEADER + "da-incidents,2026-Q1,,,4100,\n", confirm_unusual=True)
    assert accepted.confirmed_unusual


def test_xlsx_uploads_and_a_missing_column_are_handled(police):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["indicator", "period", "value"])
    book.active.append(["op-encompass", "2026-Q1", 77])
    buffer = io.BytesIO()
    book.save(buffer)
    stored = returns.submit_return(
        organisation=police,
        rows=returns.read_upload("r.xlsx", buffer.getvalue()),
        file_name="r.xlsx",
        source="upload",
        actor=SYSTEM,
        submitted_by="t",
        now=NOW,
    )
    assert stored.values.get().value == 77
    with pytest.raises(returns.ReturnRefused, match="missing column"):
        returns.read_upload("bad.csv", b"indicator,value\nda-crimes,3\n")


def test_return_status_and_the_trend_verdict(police):
    from safeguarding.performance.figures import Selection, figures_as_selected
    from safeguarding.performance.models import Indicator
    from safeguarding.performance.selectors import return_statuses

    for quarter, value, when in (
        ("2025-Q1", 500, dt.datetime(2025, 7, 10, tzinfo=dt.UTC)),
        ("2025-Q2", 520, dt.datetime(2025, 11, 20, tzinfo=dt.UTC)),
        ("2026-Q1", 600, dt.datetime(2026, 7, 20, tzinfo=dt.UTC)),
    ):
        rows = returns.read_upload("r.csv", (HEADER + f"mace-children-new,{quarter},,,{value},\n").encode())
        returns.submit_return(
            organisation=police, rows=rows, file_name="r.csv", source="upload", actor=SYSTEM, submitted_by="t", now=when
        )
    statuses = {s.period: s.status for s in return_statuses(today=dt.date(2026, 11, 1), quarters=6)}
    # Q1 2025 due 29 July 2025 (on time); Q2 due 27 October 2025 (late); Q3, Q4 2025 never came; Q2 2026 not in.
    assert statuses["2025-Q1"] == "on_time" and statuses["2025-Q2"] == "late"
    assert statuses["2025-Q3"] == "missing" and statuses["2026-Q1"] == "on_time"
    (trend,) = figures_as_selected([Indicator.objects.get(code="mace-children-new")], Selection())
    assert trend.latest.value == 600 and trend.year_before.value == 500
    assert trend.verdict == "a rise of 20%, more than normal variation"


def test_partner_systems_send_returns_through_the_api(police, client):
    from safeguarding.accounts.services import api_token_create
    from tests.conftest import make_persona

    _, token = api_token_create(organisation=police, name="police feed", actor=make_persona("administrator"))
    headers = {"Authorization": f"Bearer {token}"}
    body = {
        "figures": [
            {"indicator": "da-incidents", "period": "2025-Q3", "value": 402},
            {
                "indicator": "mace-children-new",
                "period": "2025-Q3",
                "breakdown": "sex",
                "breakdown_value": "male",
                "value": 9,
            },
        ]
    }
    response = client.post("/api/v1/performance/returns", body, content_type="application/json", headers=headers)
    assert response.status_code == 201 and response.json()["figures"] == 2
    bad = {"figures": [{"indicator": "da-incidents", "period": "2025-Q3", "value": -1}]}
    refused = client.post("/api/v1/performance/returns", bad, content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "value", "message": "request, row 2, column value: -1 is negative."}]
    assert DataReturn.objects.filter(period="2025-Q3").count() == 1


def test_returns_and_every_version_round_trip_through_a_data_package(police, tmp_path):
    from safeguarding.core.datapackage import export_package, import_package

    _submit(police, HEADER + "da-incidents,2026-Q1,,,410,\n")
    _submit(police, HEADER + "da-incidents,2026-Q1,,,415,\nmace-children-new,2026-Q1,sex,male,9,\n")
    export_package(tmp_path / "one")
    DataReturn.objects.all().delete()
    report = import_package(tmp_path / "one", actor=SYSTEM)
    assert report.counts["returns.csv"]["created"] == 2 and report.counts["return_values.csv"]["created"] == 3
    assert DataReturn.objects.get(is_current=True).version == 2
    export_package(tmp_path / "two")
    for file in (tmp_path / "one").iterdir():
        assert file.read_bytes() == (tmp_path / "two" / file.name).read_bytes(), file.name
    again = import_package(tmp_path / "two", actor=SYSTEM)
    assert all(c["created"] == c["updated"] == 0 for c in again.counts.values())


def test_figures_for_a_return_that_does_not_exist_are_refused_with_file_row_and_column(police, tmp_path):
    from safeguarding.core.datapackage import PackageError, import_package

    (tmp_path / "return_values.csv").write_text(
        "organisation,period,version,indicator,breakdown,breakdown_value,value,denominator\n"
        "police,2026-Q1,3,da-incidents,,,410,\n"
    )
    with pytest.raises(PackageError) as refused:
        import_package(tmp_path, actor=SYSTEM)
    assert refused.value.errors == [
        "return_values.csv, row 2, column version: there is no return police 2026-Q1 version 3; add it to returns.csv."
    ]
    assert not ReturnValue.objects.exists()
