"""Issue 14, item 10: an extract as agencies really send it (mistyped postcodes, dates of
birth with a year typo in the future) is stored whole, its wrong cells flagged by column."""

import datetime as dt
import random

import pytest

from safeguarding.children import matching, records, services
from safeguarding.children.models import AgencyRecord, ImportBatch
from safeguarding.synthetic.generate import generate
from safeguarding.synthetic.places import SOURCES
from tests.children.conftest import SYSTEM, TODAY
from tests.factories import OrganisationFactory

MISTYPED = ("NS1 9J", "SvV2 8AA", "NS 3RX")


def _extract(n: int, *, bad_postcodes: int, future_dobs: int):
    rows = generate(n, seed=2026).rows()
    rng = random.Random(14)
    with_postcode = [r for r in rows if r["postcode"]]
    for i, row in enumerate(rng.sample(with_postcode, bad_postcodes)):
        row["postcode"] = MISTYPED[i % len(MISTYPED)]
    for row in rng.sample([r for r in rows if r["date_of_birth"]], future_dobs):
        row["date_of_birth"] = (TODAY + dt.timedelta(days=400)).isoformat()
    return rows


@pytest.mark.parametrize("n,bad_postcodes,future_dobs", [(4_000, 300, 6)])
def test_a_realistic_extract_is_stored_whole_with_its_flagged_cells_listed_by_column(db, n, bad_postcodes, future_dobs):
    organisation = OrganisationFactory(code="extract-org")
    for source in SOURCES:
        services.source_register(
            code=source.code, name=source.code, organisation=organisation, kind=source.kind, actor=SYSTEM
        )
    rows = _extract(n, bad_postcodes=bad_postcodes, future_dobs=future_dobs)
    checked = records.check_rows("extract.csv", rows, known_sources={s.code for s in SOURCES}, today=TODAY)
    report = services.import_records(checked, actor=SYSTEM, origin="command", file_name="extract.csv")

    assert AgencyRecord.objects.count() == len({(r["source"], r["record_id"]) for r in rows})
    assert report.flagged_cells["postcode"] >= bad_postcodes - 5  # a record sent twice counts once
    assert report.flagged_cells["date_of_birth"] >= future_dobs
    assert len(report.flag_examples["postcode"]) == services.FLAG_EXAMPLES
    assert all(
        any(f"column postcode: '{typo}' is not a UK postcode" in e for typo in MISTYPED)
        for e in report.flag_examples["postcode"]
    )
    assert all(e.startswith("extract.csv, row ") for examples in report.flag_examples.values() for e in examples)
    lines = services.flagged_cells_lines(report)
    assert any(line.startswith("postcode: ") for line in lines)
    batch = ImportBatch.objects.get()
    assert batch.counts["flagged_cells"]["postcode"] == report.flagged_cells["postcode"]
    assert (
        sum(s["flagged_cells"].get("postcode", 0) for s in batch.counts["by_source"].values())
        == (report.flagged_cells["postcode"])
    )
    # Kept as delivered, but never used to link or place the record.
    flagged = AgencyRecord.objects.filter(flags__has_key="postcode")
    assert flagged.count() == report.flagged_cells["postcode"]
    assert {r.flags["postcode"]["value"] for r in flagged} <= set(MISTYPED)
    assert not flagged.exclude(postcode="").exists() and not flagged.filter(area__isnull=False).exists()
    engine = list(matching.engine_rows(AgencyRecord.objects.filter(flags__has_key="date_of_birth")))
    assert engine and all(not row["date_of_birth"] for row in engine)


def test_an_unborn_child_is_accepted_on_its_expected_date_and_never_matched_on_a_date_of_birth(db):
    organisation = OrganisationFactory(code="unborn-org")
    services.source_register(code="ns-csc", name="CSC", organisation=organisation, kind="social_care", actor=SYSTEM)
    header = ",".join(records.COLUMNS) + ",expected_on\n"
    text = header + "ns-csc,U1,,,Nowak,,,,NS1 4AB,1 Mill Lane,,2027-02-01\n"
    (clean,) = records.check_rows(
        "u.csv", records.read_table("u.csv", text.encode()), known_sources={"ns-csc"}, today=TODAY
    )
    assert clean.expected_on == dt.date(2027, 2, 1) and clean.date_of_birth is None and not clean.flags
    report = services.import_records([clean], actor=SYSTEM, origin="upload", file_name="u.csv")
    assert report.unborn == 1
    record = AgencyRecord.objects.get()
    assert record.is_unborn
    (row,) = matching.engine_rows(AgencyRecord.objects.all())
    assert not row["date_of_birth"] and row["last_name"] == "Nowak"
