"""Hostile and malformed children's records (issue 13, defects 11 to 14): a broken or
bloated XLSX is refused, not a 500 or a memory blow-up; control characters are refused on
every route with file, row and column; the importer reads like the data-package reader;
the links export cannot carry a formula into a spreadsheet."""

import csv
import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from safeguarding.accounts.services import api_token_create
from safeguarding.children import records
from safeguarding.children.models import AgencyRecord
from tests.children.conftest import TODAY
from tests.conftest import make_persona, sign_in

COLUMNS = records.COLUMNS
HEADER = ",".join(COLUMNS) + "\n"
GOOD = "ns-csc,C1,Amelia,Rose,Nowak,2015-03-04,F,9990000018,NS1 4AB,1 Mill Lane,2024-01-01\n"


def _check(name: str, data: bytes):
    return records.check_rows(name, records.read_table(name, data), known_sources={"ns-csc"}, today=TODAY)


def _refusal(name: str, data: bytes) -> list[str]:
    with pytest.raises(records.RecordsRefused) as refused:
        _check(name, data)
    return refused.value.errors


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            target.writestr(item, content)
    return out.getvalue()


GOOD_CELLS = GOOD.strip().split(",")


# Defect 11: a corrupt or hostile XLSX ------------------------------------------------------


def test_a_workbook_that_breaks_while_its_rows_are_read_is_refused_with_its_name():
    good = _xlsx([COLUMNS, GOOD_CELLS])
    # The sheet opens (the workbook part is fine) but its rows are not XML.
    broken = _rewrite_sheet(good, lambda xml: xml.replace("<sheetData>", "<sheetData><row r='2'><c r='A2' t='s'><v>x"))
    errors = _refusal("extract.xlsx", broken)
    assert errors == ["extract.xlsx: not a readable Excel (XLSX) file: it could not be read to the end."]


def test_a_broken_workbook_on_the_upload_page_is_a_refusal_not_a_500(sources, client):
    practitioner = _council_practitioner(sources)
    sign_in(client, practitioner)
    broken = _rewrite_sheet(_xlsx([COLUMNS, GOOD_CELLS]), lambda xml: xml.replace("</sheetData>", "<row r='9'><c"))
    upload = SimpleUploadedFile("extract.xlsx", broken, content_type="application/octet-stream")
    response = client.post(reverse("children:upload"), {"file": upload, "reason": "monthly extract"})
    assert response.status_code == 200
    assert "extract.xlsx: not a readable Excel (XLSX) file" in response.content.decode()
    assert not AgencyRecord.objects.exists()


def test_a_workbook_declaring_16384_columns_is_read_only_as_wide_as_its_header():
    rows = [COLUMNS] + [[*GOOD_CELLS[:1], f"C{i}", *GOOD_CELLS[2:]] for i in range(1000)]
    bloated = _rewrite_sheet(_xlsx(rows), lambda xml: _set_dimension(xml, "A1:XFD1001"))
    assert len(bloated) < 60_000
    tracemalloc.start()
    try:
        checked = _check("bloated.xlsx", bloated)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(checked) == 1000
    assert peak < 40 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB to read a small workbook"


def test_a_cell_far_past_the_header_is_refused_without_reading_the_gap_into_memory():
    far = "<c r='XFD{n}' t='inlineStr'><is><t>x</t></is></c></row>"
    rows = [COLUMNS] + [[*GOOD_CELLS[:1], f"C{i}", *GOOD_CELLS[2:]] for i in range(300)]

    def widen(xml: str) -> str:
        import re

        return re.sub(r"<row r=\"(\d+)\"([^>]*)>(.*?)</row>", lambda m: _far_row(m, far), xml)

    tracemalloc.start()
    try:
        errors = _refusal("wide.xlsx", _rewrite_sheet(_xlsx(rows), widen))
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert errors[0] == "wide.xlsx, row 2: more cells than the header (16384 cells but the header has 11 columns)."
    assert len(errors) == 200 + 1  # stopped after 200, with a line saying so
    assert peak < 40 * 1024 * 1024


def _far_row(match, far):
    number = match.group(1)
    body = f'<row r="{number}"{match.group(2)}>{match.group(3)}'
    return body + (far.format(n=number) if number != "1" else "</row>")


def _set_dimension(xml: str, ref: str) -> str:
    import re

    return re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml)


# Defect 12: control characters on every route ------------------------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_a_control_character_in_a_csv_is_refused_with_file_row_and_column(character):
    text = HEADER + GOOD + GOOD.replace("C1,Amelia", f"C2,Ame{character}lia")
    errors = _refusal("extract.csv", text.encode())
    code = f"U+{ord(character):04X}"
    assert errors == [
        f"extract.csv, row 3, column first_name: contains a control character ({code}), which cannot be stored; "
        "remove it."
    ]


def test_a_control_character_in_an_xlsx_or_its_header_is_refused():
    # openpyxl refuses to write control characters, so put one in the sheet's XML directly
    # (a C1 control, which XML 1.0 allows as it stands).
    data = _rewrite_sheet(_xlsx([COLUMNS, GOOD_CELLS]), lambda xml: xml.replace("1 Mill Lane", "1 Mill\x85Lane"))
    errors = _refusal("extract.xlsx", data)
    assert errors == [
        "extract.xlsx, row 2, column address: contains a control character (U+0085), which cannot be stored; remove it."
    ]
    header = HEADER.replace("sex", "sex\x00")
    errors = _refusal("h.csv", (header + GOOD).encode())
    assert errors[0] == "h.csv, row 1, column 7: the header contains a control character (U+0000); remove it."


def test_the_upload_page_refuses_a_nul_and_stores_nothing(sources, client):
    sign_in(client, _council_practitioner(sources))
    upload = SimpleUploadedFile("nul.csv", (HEADER + GOOD.replace("Nowak", "No\x00wak")).encode())
    response = client.post(reverse("children:upload"), {"file": upload, "reason": "monthly extract"})
    assert response.status_code == 200
    assert "nul.csv, row 2, column last_name: contains a control character (U+0000)" in response.content.decode()
    assert not AgencyRecord.objects.exists()


def test_the_command_line_refuses_a_nul_and_stores_nothing(sources, tmp_path, capsys):
    path = tmp_path / "nul.csv"
    path.write_bytes((HEADER + GOOD.replace("1 Mill Lane", "1 Mill\x00Lane")).encode())
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("children", "import", str(path))
    assert "nul.csv, row 2, column address: contains a control character (U+0000)" in capsys.readouterr().err
    assert not AgencyRecord.objects.exists()


def test_the_api_refuses_control_characters_in_records_and_lookups_naming_the_field(sources, client):
    admin = make_persona("administrator")
    _row, token = api_token_create(organisation=sources["csc"].organisation, name="CSC feed", actor=admin)
    headers = {"Authorization": f"Bearer {token}"}
    batch = {"records": [{"source": "ns-csc", "record_id": "A1", "last_name": "Beg\x00um"}]}
    response = client.post("/api/v1/children/records", batch, content_type="application/json", headers=headers)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "last_name" and "row 1, column last_name: contains a control character" in error["message"]
    batch = {"records": [{"source": "ns-csc", "record_id": "A1", "last_name": "Begum"}], "reason": "feed\x00"}
    response = client.post("/api/v1/children/records", batch, content_type="application/json", headers=headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reason"
    assert not AgencyRecord.objects.exists()
    for field, body in [
        ("last_name", {"first_name": "Aisha", "last_name": "Beg\x00um", "date_of_birth": "2017-01-02"}),
        ("nhs_number", {"nhs_number": "999000\x1b0018"}),
        ("purpose", {"nhs_number": "9990000018", "purpose": "Section 47\x00 enquiry"}),
    ]:
        body = {"purpose": "Section 47 enquiry", **body}
        response = client.post("/api/v1/children/lookup", body, content_type="application/json", headers=headers)
        assert response.status_code == 422, field
        assert response.json()["errors"][0]["field"] == field


# Defect 13: read like the data-package reader -------------------------------------------------


def test_cells_past_the_header_are_refused_not_dropped():
    errors = _refusal("extra.csv", (HEADER + GOOD.strip() + ",surplus\n").encode())
    assert errors == ["extra.csv, row 2: more cells than the header (12 cells but the header has 11 columns)."]
    # Empty trailing cells are what spreadsheets write; they are fine.
    assert len(_check("ok.csv", (HEADER + GOOD.strip() + ",,\n").encode())) == 1


def test_a_repeated_header_column_is_refused():
    errors = _refusal("twice.csv", (HEADER.strip() + ",postcode\n" + GOOD.strip() + ",NS2 1AA\n").encode())
    assert errors[0] == "twice.csv: column postcode appears twice in the header."


def test_rows_are_numbered_as_the_file_numbers_them_blank_lines_included():
    # A wrong cell is kept and flagged (issue 14, item 10), named by the row the file gives it.
    text = HEADER + GOOD + "\n,,,,,,,,,,\n" + GOOD.replace("C1,", "C2,").replace("2015-03-04", "2015-13-04")
    flagged = {r.record_id: r for r in _check("gaps.csv", text.encode())}["C2"]
    assert flagged.where == "gaps.csv, row 5"
    assert flagged.flags["date_of_birth"]["problem"] == "'2015-13-04' is not a date; use YYYY-MM-DD (or DD/MM/YYYY)."
    rows = [COLUMNS, GOOD_CELLS, [], [], [*GOOD_CELLS[:1], "C2", *GOOD_CELLS[2:6], "Q", *GOOD_CELLS[7:]]]
    flagged = {r.record_id: r for r in _check("gaps.xlsx", _xlsx(rows))}["C2"]
    assert flagged.where == "gaps.xlsx, row 5"
    assert flagged.flags["sex"]["problem"] == "'Q' is not one of female, male, other, unknown (or F, M, U)."
    errors = _refusal("gaps.csv", (text + GOOD.replace("C1,", ",")).encode())
    assert errors == ["gaps.csv, row 6, column record_id: enter the record's id in its own system."]


@pytest.mark.parametrize("digits", ["٩٩٩٠٠٠٠٠١٨", "９９９００００００１８", "99900000١٨"])
def test_an_nhs_number_in_other_scripts_digits_is_flagged_and_never_used(digits):
    (record,) = _check("digits.csv", (HEADER + GOOD.replace("9990000018", digits)).encode())
    assert record.flags == {"nhs_number": {"value": digits, "problem": f"'{digits}' is not 10 digits."}}
    assert (record.nhs_number, record.nhs_number_valid) == ("", False)


def test_the_api_still_refuses_a_blank_record():
    with pytest.raises(records.RecordsRefused, match="row 1, column source"):
        records.check_rows(
            "request", [dict.fromkeys(COLUMNS, "")], known_sources=set(), today=TODAY, first_row=1, skip_blank=False
        )


# Defect 14: no formulas in the links export --------------------------------------------------


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://example.invalid","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_export_links_neutralises_cells_that_would_run_as_formulas(sources, tmp_path, value):
    from safeguarding.children import services
    from tests.children.conftest import SYSTEM

    checked = records.check_rows(
        "api", [{"source": "ns-csc", "record_id": value, "last_name": "Nowak"}], known_sources={"ns-csc"}, today=TODAY
    )
    services.import_records(checked, actor=SYSTEM, origin="api")
    out = tmp_path / "links.csv"
    call_command("children", "export-links", str(out), "--reason", "Checking the links")
    (row,) = list(csv.DictReader(out.open(newline="")))
    assert row["record_id"] == "'" + value
    assert row["source"] == "ns-csc"


def _council_practitioner(sources):
    from tests.factories import PostFactory, UserFactory

    practitioner = UserFactory(username="sam-council", roles=["mash_practitioner"])
    PostFactory(person=practitioner.person, organisation=sources["csc"].organisation)
    return practitioner
