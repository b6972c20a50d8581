"""E-learning completions are read by the one upload reader: a spreadsheet as well as a
CSV, blank lines skipped with rows numbered as the spreadsheet shows them, and a row
wider than the header refused by name."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from safeguarding.core.audit import SystemActor
from safeguarding.training import elearning
from safeguarding.training.models import ElearningCompletion
from tests.factories import CourseFactory, OrganisationFactory

SYSTEM = SystemActor("test")
HEADER = ["record_id", "course_code", "full_name", "email", "organisation", "job_role", "completed_on"]


@pytest.fixture
def known(db):
    return CourseFactory(code="gcp2"), OrganisationFactory(code="school")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_spreadsheet_export_is_imported_with_its_dates_read(known):
    data = _xlsx([HEADER, ["7", "gcp2", "Ann Example", "ann@school.example", "school", "TA", dt.date(2026, 3, 4)]])
    result = elearning.import_completions(data=data, filename="export.xlsx", platform="lp", actor=SYSTEM)
    assert result.created == 1
    completion = ElearningCompletion.objects.get()
    assert (completion.record_id, completion.completed_on) == ("7", dt.date(2026, 3, 4))


def test_a_blank_line_is_skipped_and_later_rows_keep_the_spreadsheets_numbers(known):
    text = (
        ",".join(HEADER)
        + "\n1,gcp2,Ann,ann@s.example,school,TA,2026-02-03\n\n2,nope,Bob,bob@s.example,school,TA,2026-02-03\n"
    )
    with pytest.raises(elearning.CompletionsImportError) as refused:
        elearning.import_completions(data=text.encode(), filename="export.csv", platform="lp", actor=SYSTEM)
    assert refused.value.errors == ["export.csv, row 4, column course_code: unknown course 'nope'."]
    assert ElearningCompletion.objects.count() == 0


def test_a_row_wider_than_the_header_is_refused_naming_the_row(known):
    text = ",".join(HEADER) + "\n1,gcp2,Ann,ann@s.example,school,TA,2026-02-03,extra\n"
    with pytest.raises(elearning.CompletionsImportError) as refused:
        elearning.import_completions(data=text.encode(), filename="export.csv", platform="lp", actor=SYSTEM)
    assert refused.value.errors == [
        "export.csv, row 2: more cells than the header (8 cells but the header has 7 columns)."
    ]
    assert ElearningCompletion.objects.count() == 0
