"""One refusal type (issue 15, item 3): every area's refused file is a FileRefused whose
problems carry file, row and column as fields, read as the sentence people already know."""

import pytest

from safeguarding.children.records import RecordsRefused, check_rows
from safeguarding.core.datapackage import PackageError
from safeguarding.core.refusals import FileRefused, Problem
from safeguarding.performance.returns import ReturnRefused
from safeguarding.training.elearning import CompletionsImportError


def test_a_problem_reads_as_the_sentence_and_keeps_its_place_as_fields():
    problem = Problem("enter a date", file="records.csv", row=7, column="date_of_birth")
    assert str(problem) == "records.csv, row 7, column date_of_birth: enter a date"
    assert str(Problem("the file is empty.", file="r.csv")) == "r.csv: the file is empty."
    assert str(Problem("send at most 10 records")) == "send at most 10 records"


@pytest.mark.parametrize("refusal", [RecordsRefused, ReturnRefused, PackageError, CompletionsImportError])
def test_every_areas_refusal_is_one_type(refusal):
    error = refusal([Problem("bad", file="f.csv", row=2, column="x"), "f.csv: stopped"])
    assert isinstance(error, FileRefused)
    assert error.errors == ["f.csv, row 2, column x: bad", "f.csv: stopped"]
    assert [p.column for p in error.problems] == ["x", ""]


def test_a_records_cell_problem_names_its_column_as_a_field():
    rows = [
        {
            "source": "nowhere",
            "record_id": "A1",
            "first_name": "Ann",
            "middle_names": "",
            "last_name": "Lee",
            "date_of_birth": "2015-01-01",
            "sex": "F",
            "nhs_number": "",
            "postcode": "NS1 1AA",
            "address": "1 Road",
            "address_from": "",
        }
    ]
    import datetime as dt

    with pytest.raises(RecordsRefused) as refused:
        check_rows("r.csv", rows, known_sources={"ns-csc"}, today=dt.date(2026, 12, 1))
    (problem,) = refused.value.problems
    assert (problem.file, problem.row, problem.column) == ("r.csv", 2, "source")
    assert str(problem).startswith("r.csv, row 2, column source: unknown source 'nowhere'")


@pytest.mark.django_db
def test_the_returns_api_names_the_column_of_each_refused_cell(client):
    from safeguarding.accounts.services import api_token_create
    from safeguarding.core.audit import SystemActor
    from safeguarding.performance.catalogue import load_standard_set
    from tests.factories import OrganisationFactory, UserFactory

    load_standard_set(actor=SystemActor("test"), priorities={})
    police = OrganisationFactory(code="police", kind="police", standing="statutory_partner")
    _, token = api_token_create(organisation=police, name="Feed", actor=UserFactory(roles=["administrator"]))
    response = client.post(
        "/api/v1/performance/returns",
        {"figures": [{"indicator": "da-incidents", "period": "2025-Q1", "value": -4}]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422, response.content
    (error,) = response.json()["errors"]
    assert error["field"] == "value" and error["message"].endswith("column value: -4 is negative.")
