"""Agency records in: every problem named by file, row and column; nothing written
unless all is right; a resend updates the record and keeps the earlier version."""

import pytest

from safeguarding.children import records, services
from safeguarding.children.models import AgencyRecord, ImportBatch, Involvement, RecordVersion
from safeguarding.core.models import AuditEvent
from tests.children.conftest import SYSTEM, TODAY

HEADER = "source,record_id,first_name,middle_names,last_name,date_of_birth,sex,nhs_number,postcode,address,address_from,involvement,involvement_from,involvement_to\n"
GOOD = "ns-csc,C1,Amelia,Rose,Nowak,2015-03-04,F,999 000 0018,ns1 4ab,1 Mill Lane,2024-01-01,cp_plan,2025-02-01,\n"


def _check(text: str, name="records.csv"):
    rows = records.read_table(name, text.encode())
    return records.check_rows(name, rows, known_sources={"ns-csc", "sv-gp"}, today=TODAY)


def test_a_good_row_is_cleaned():
    (record,) = _check(HEADER + GOOD)
    assert (record.first_name, record.sex, record.postcode, record.nhs_number) == (
        "Amelia",
        "female",
        "NS1 4AB",
        "9990000018",
    )
    assert record.nhs_number_valid
    assert record.involvements[0][0] == "cp_plan"


def test_every_problem_is_named_by_file_row_and_column():
    text = HEADER + (
        "nowhere,N1,Ann,,Smith,2015-01-01,F,,NS1 4AB,,,,,\n"
        "ns-csc,,Ann,,Smith,2015-01-01,F,,NS1 4AB,,,,,\n"
        "ns-csc,C2,Ann,,Smith,2015-13-01,F,,NS1 4AB,,,,,\n"
        "ns-csc,C3,Ann,,Smith,2015-01-01,Q,,NS1 4AB,,,,,\n"
        "ns-csc,C4,Ann,,Smith,2015-01-01,F,12345,NS1 4AB,,,,,\n"
        "ns-csc,C5,Ann,,Smith,2015-01-01,F,,NOT A POSTCODE,,,,,\n"
        "ns-csc,C6,Ann,,Smith,2015-01-01,F,,NS1 4AB,,,fostering,,\n"
        "ns-csc,C7,Ann,,Smith,2015-01-01,F,,NS1 4AB,,,cin,2025-05-01,2025-04-01\n"
        "ns-csc,C8,Ann,,Smith,2030-01-01,F,,NS1 4AB,,,,,\n"
        "ns-csc,C9,Ann,,,2015-01-01,F,,NS1 4AB,,,,,\n"
    )
    with pytest.raises(records.RecordsRefused) as refused:
        _check(text, "batch.csv")
    # Issue 14, item 10: the wrong cells of rows 4-7 and 10 are kept and flagged (below);
    # only what cannot be stored or attributed refuses the file.
    assert refused.value.errors == [
        "batch.csv, row 2, column source: unknown source 'nowhere'; register it first.",
        "batch.csv, row 3, column record_id: enter the record's id in its own system.",
        "batch.csv, row 8, column involvement: 'fostering' is not one of cp_plan, cin, cla, early_help, open_case, mace, missing.",
        "batch.csv, row 9, column involvement_to: 2025-04-01 is before involvement_from (2025-05-01).",
        "batch.csv, row 11, column last_name: a record needs a last name or an NHS number to be matched.",
    ]


def test_wrong_cells_are_kept_as_delivered_flagged_and_left_out_of_the_cleaned_record():
    text = HEADER + (
        "ns-csc,C2,Ann,,Smith,2015-13-01,F,,NS1 4AB,,,,,\n"
        "ns-csc,C3,Ann,,Smith,2015-01-01,Q,,NS1 4AB,,,,,\n"
        "ns-csc,C4,Ann,,Smith,2015-01-01,F,12345,NS1 4AB,,,,,\n"
        "ns-csc,C5,Ann,,Smith,2015-01-01,F,,SvV2 8AA,,,,,\n"
        "ns-csc,C8,Ann,,Smith,2030-01-01,F,,NS1 4AB,,,,,\n"
        "ns-csc,C9,Ann,,Smith,1990-01-01,F,,NS1 4AB,,2027-01-01,,,\n"
        "ns-csc,C10,Ann,,Smith,31/02/2015,F,,NS 3RX,,,,,\n"
    )
    by_id = {r.record_id: r for r in _check(text, "batch.csv")}
    assert by_id["C2"].flags == {
        "date_of_birth": {
            "value": "2015-13-01",
            "problem": "'2015-13-01' is not a date; use YYYY-MM-DD (or DD/MM/YYYY).",
        }
    }
    assert by_id["C2"].date_of_birth is None
    assert by_id["C3"].flags["sex"]["value"] == "Q" and by_id["C3"].sex == ""
    assert by_id["C4"].flags["nhs_number"]["problem"] == "'12345' is not 10 digits." and by_id["C4"].nhs_number == ""
    assert by_id["C5"].flags["postcode"]["value"] == "SvV2 8AA" and by_id["C5"].postcode == ""
    assert by_id["C8"].flags["date_of_birth"]["problem"] == "2030-01-01 is in the future."
    assert by_id["C8"].date_of_birth is None
    assert set(by_id["C9"].flags) == {"date_of_birth", "address_from"}
    assert (
        by_id["C9"].flags["date_of_birth"]["problem"] == "1990-01-01 is more than 25 years ago: not a child's record."
    )
    assert (by_id["C9"].date_of_birth, by_id["C9"].address_from) == (None, None)
    assert set(by_id["C10"].flags) == {"date_of_birth", "postcode"}  # 31 February: an impossible date
    assert by_id["C10"].where == "batch.csv, row 8"


def test_missing_and_unknown_columns_and_unreadable_files_are_refused():
    with pytest.raises(records.RecordsRefused, match="missing column"):
        records.read_table("r.csv", b"source,record_id\nns-csc,1\n")
    with pytest.raises(records.RecordsRefused, match="unknown column"):
        records.read_table("r.csv", (HEADER.strip() + ",shoe_size\n").encode())
    with pytest.raises(records.RecordsRefused, match="not UTF-8"):
        records.read_table("r.csv", b"\xff\xfe\x00bad")
    with pytest.raises(records.RecordsRefused, match="not a readable Excel"):
        records.read_table("r.xlsx", b"not a workbook")


def test_an_invalid_nhs_number_is_kept_and_flagged_not_refused():
    (record,) = _check(HEADER + GOOD.replace("999 000 0018", "9990000019"))
    assert record.nhs_number == "9990000019" and not record.nhs_number_valid


def test_the_same_record_twice_with_different_details_is_refused_but_extra_involvements_are_welcome():
    second_involvement = GOOD.replace("cp_plan,2025-02-01", "cin,2024-06-01")
    (record,) = _check(HEADER + GOOD + second_involvement)
    assert {i[0] for i in record.involvements} == {"cp_plan", "cin"}
    with pytest.raises(records.RecordsRefused, match="also on row 2 with different details"):
        _check(HEADER + GOOD + GOOD.replace("Amelia", "Amy"))


def test_a_resend_updates_the_record_keeps_the_old_version_and_places_the_address(sources):
    services.import_records(_check(HEADER + GOOD), actor=SYSTEM, origin="upload", file_name="one.csv")
    record = AgencyRecord.objects.get()
    assert record.area == sources["north"] and record.version == 1
    moved = GOOD.replace("ns1 4ab,1 Mill Lane,2024-01-01", "SV3 2XY,4 Quay Street,2026-09-01")
    report = services.import_records(_check(HEADER + moved), actor=SYSTEM, origin="upload", file_name="two.csv")
    assert report.counts["updated"] == 1
    record.refresh_from_db()
    assert (record.postcode, record.area, record.version) == ("SV3 2XY", sources["south"], 2)
    old = RecordVersion.objects.get(record=record)
    assert old.values["postcode"] == "NS1 4AB" and old.values["address"] == "1 Mill Lane"
    assert old.batch.file_name == "one.csv" and record.batch.file_name == "two.csv"
    assert Involvement.objects.filter(record=record).count() == 1  # the same involvement, not doubled
    again = services.import_records(_check(HEADER + moved), actor=SYSTEM, origin="upload", file_name="three.csv")
    assert again.counts == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "invalid_nhs_numbers": 0,
        "involvements_added": 0,
        "unborn": 0,
        "flagged_cells": {},
    }
    events = AuditEvent.objects.filter(object_type="children.importbatch")
    assert events.count() == 3 and ImportBatch.objects.count() == 3
