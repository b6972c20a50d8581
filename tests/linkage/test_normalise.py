"""Normalisation: names, nicknames, dates, NHS numbers, postcodes, addresses, and the input table."""

import datetime as dt

import pyarrow as pa
import pytest

from safeguarding.linkage import normalise as n
from safeguarding.linkage.engine import records_table
from safeguarding.linkage.nicknames import GROUPS, are_nicknames, canonical_forms
from safeguarding.linkage.prepare import derive, prepare_table


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Zoë", "zoe"),
        ("Łukasz", "lukasz"),
        ("Søren", "soren"),
        ("Małgorzata", "malgorzata"),
        ("Ștefan", "stefan"),
        ("Đorđe", "dorde"),
        ("  ANNA   maria ", "anna maria"),
        ("Олександр", "oleksandr"),
    ],
)
def test_fold_removes_case_diacritics_and_special_letters(raw, folded):
    assert n.fold(raw) == folded


def test_apostrophes_hyphens_and_spaces_in_names():
    assert n.name_key("O'Brien") == n.name_key("OBrien") == n.name_key("O’Brien") == "obrien"
    assert n.name_key("Smith-Jones") == n.name_key("Smith Jones") == n.name_key("SMITH  JONES") == "smithjones"
    assert n.surname_info("Smith-Jones") == ("smithjones", "smith", "jones")
    assert n.surname_info("Smith") == ("smith", "smith", "smith")
    assert n.surname_info("") == (None, None, None)
    assert n.name_key(None) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("bob", "robert"),
        ("rob", "bobby"),
        ("bill", "william"),
        ("will", "william"),
        ("liz", "beth"),
        ("elizabeth", "liz"),
        ("kate", "katie"),
        ("catherine", "kate"),
        ("jack", "john"),
        ("alfie", "alfred"),
        ("ollie", "oliver"),
        ("charlie", "charlotte"),
        ("charlie", "charles"),
        ("kasia", "katarzyna"),
        ("gosia", "malgorzata"),
        ("basia", "barbara"),
        ("kuba", "jakub"),
        ("bartek", "bartlomiej"),
        ("sasha", "aleksandr"),
        ("oleksandr", "alexander"),
        ("dima", "dmitri"),
        ("vova", "volodymyr"),
        ("vladimir", "vova"),
        ("nastya", "anastasia"),
        ("andrei", "andrii"),
        ("andriy", "andrew"),
        ("ionut", "ion"),
        ("jonas", "jonukas"),
        ("yulia", "julia"),
        ("iuliia", "yulia"),
    ],
)
def test_nicknames_both_directions(a, b):
    assert are_nicknames(a, b)
    assert are_nicknames(b, a)


def test_not_nicknames():
    assert not are_nicknames("charles", "charlotte")
    assert not are_nicknames("oliver", "olivia")
    assert not are_nicknames("robert", "william")
    assert not are_nicknames("zxqy", "robert")
    assert canonical_forms("zxqy") == ("zxqy", "zxqy")
    assert canonical_forms(None) == (None, None)


def test_nickname_data_is_normalised_and_large_enough():
    names = {name for group in GROUPS for name in group}
    assert len(names) > 300
    for name in names:
        assert name == n.name_key(name), name


def test_given_name_info_uses_nickname_groups_and_diacritics():
    assert n.given_name_info("Małgosia")[0] == "malgosia"
    assert n.given_name_info("Gosia")[1] == n.given_name_info("Małgorzata")[1] == "margaret"
    assert n.given_name_info("Mary-Jane")[0] == "maryjane"
    assert n.given_name_info("Mary-Jane")[1] == n.given_name_info("Mary")[1]
    assert n.given_name_info("") == (None, None, None)


def test_phonetic_key_for_names_typed_from_speech():
    assert n.phonetic("caitlin") == n.phonetic("katelyn")
    assert n.phonetic("smith") == n.phonetic("smyth")
    assert n.phonetic("philip") == n.phonetic("filip")
    assert n.phonetic("smith") != n.phonetic("jones")
    assert n.phonetic(None) is None


def test_dates():
    assert n.parse_date("2015-03-04") == dt.date(2015, 3, 4)
    assert n.parse_date("04/03/2015") == dt.date(2015, 3, 4)
    assert n.parse_date("2015-02-30") is None
    assert n.parse_date("yesterday") is None
    assert n.parse_date("") is None
    assert n.swap_day_month(dt.date(2015, 3, 4)) == dt.date(2015, 4, 3)
    assert n.swap_day_month(dt.date(2015, 3, 14)) is None
    assert n.swap_day_month(dt.date(2015, 3, 3)) is None


@pytest.mark.parametrize("number", ["9990000018", "9997654323", "9995551233", "999 000 0026", "999-000-0018"])
def test_valid_nhs_numbers(number):
    assert n.nhs_number_is_valid(number)
    assert n.nhs_number(number) == number.replace(" ", "").replace("-", "")


@pytest.mark.parametrize(
    "number",
    [
        "9990000019",  # wrong check digit
        "9990000081",  # adjacent digits transposed
        "9991234560",  # check digit would be 10: never issued
        "999000001",  # too short
        "99900000188",  # too long
        "999000001X",
        "",
        None,
    ],
)
def test_invalid_nhs_numbers(number):
    assert not n.nhs_number_is_valid(number)


def test_nhs_check_digit():
    assert n.nhs_check_digit("999000001") == 8
    assert n.nhs_check_digit("999123456") is None  # remainder gives 10


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        ("NS1 4AB", ("NS1 4AB", "NS1 4", "NS1")),
        ("ns14ab", ("NS1 4AB", "NS1 4", "NS1")),
        (" sv3  2xy ", ("SV3 2XY", "SV3 2", "SV3")),
        ("SV12 9ZZ", ("SV12 9ZZ", "SV12 9", "SV12")),
        ("N1C 4AB", ("N1C 4AB", "N1C 4", "N1C")),
    ],
)
def test_postcode_parts(raw, parts):
    assert n.postcode_parts(raw) == parts


@pytest.mark.parametrize("raw", ["", None, "NS1", "12345", "NS1 4A", "NSS1 4ABC", "1NS 4AB"])
def test_bad_postcodes(raw):
    assert n.postcode_parts(raw) is None


def test_address_normalisation():
    assert n.address_info("12a, Mill Rd.") == ("12a mill road", "12a mill")
    assert n.address_info("12A MILL ROAD")[0] == n.address_info("12a Mill Rd")[0]
    assert n.address_info("Flat 3, 12 Mill Rd")[1] == "12 mill"
    assert n.address_info("") == (None, None)


def test_records_table_parses_and_drops_invalid_nhs_numbers():
    table = records_table(
        [
            {
                "source": "hlth",
                "record_id": "1",
                "first_name": " Zoë ",
                "last_name": "O'Brien",
                "date_of_birth": "2015-02-30",
                "nhs_number": "9990000019",
                "postcode": "NS1 4AB",
            },
            {"unique_id": "x:9", "source": "sc", "date_of_birth": "2016-01-02", "nhs_number": "999 000 0018"},
        ]
    )
    assert table.column_names == [
        "unique_id",
        "source",
        "first_name",
        "middle_names",
        "last_name",
        "date_of_birth",
        "sex",
        "nhs_number",
        "postcode",
        "address",
    ]
    assert table.schema.field("date_of_birth").type == pa.date32()
    rows = table.to_pylist()
    assert rows[0]["unique_id"] == "hlth:1"
    assert rows[0]["first_name"] == "Zoë"
    assert rows[0]["date_of_birth"] is None
    assert rows[0]["nhs_number"] is None
    assert rows[0]["middle_names"] is None
    assert rows[1]["unique_id"] == "x:9"
    assert rows[1]["nhs_number"] == "9990000018"
    assert rows[1]["date_of_birth"] == dt.date(2016, 1, 2)


def test_prepare_table_matches_derive():
    rows = [
        {"source": "a", "record_id": "1", "first_name": "Kasia", "middle_names": "Ola Maria", "last_name": "Nowak-Kowalska",
         "date_of_birth": "2014-03-05", "sex": "F", "nhs_number": "9990000018", "postcode": "ns1 4ab",
         "address": "4 Elm Rd"},
        {"source": "a", "record_id": "2", "first_name": "", "last_name": "Ó Briain", "sex": "Male"},
        {"source": "b", "record_id": "3", "first_name": "Kasia", "last_name": "Nowak"},
    ]  # fmt: skip
    table = records_table(rows)
    prepared = prepare_table(table).to_pylist()
    for raw, row in zip(table.to_pylist(), prepared, strict=True):
        expected = derive(raw)
        assert {k: row[k] for k in expected} == expected
    first = prepared[0]
    assert (first["fn"], first["fn_c1"], first["mn_c1"]) == ("kasia", "catherine", "olga")
    assert (first["ln"], first["ln_p1"], first["ln_p2"]) == ("nowakkowalska", "nowak", "kowalska")
    assert (first["dob"], first["dob_swap"], first["dob_md"], first["dob_year"]) == (
        "2014-03-05",
        "2014-05-03",
        "03-05",
        2014,
    )
    assert (first["pc"], first["pc_sector"], first["pc_district"]) == ("NS1 4AB", "NS1 4", "NS1")
    assert first["sex"] == "f" and prepared[1]["sex"] == "m"
    assert prepared[1]["fn"] is None and prepared[1]["tf_fn"] is None
    assert first["tf_fn"] == pytest.approx(1.0)  # both non-null first names are Kasia
    assert first["tf_ln"] == pytest.approx(1 / 3)
