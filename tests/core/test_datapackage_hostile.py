"""Hostile data packages: zip bombs, corrupt and encrypted archives, control
characters, values that used to crash a loader. Each is refused with problems naming
file, row and column (never a traceback), and nothing is written.

Re-run with ``.venv/bin/python -m pytest tests/core/test_datapackage_hostile.py -q``
(add ``DATABASE_URL=postgres://...`` for PostgreSQL); the fuzz test is
``test_mutated_packages_are_imported_or_refused_never_crash``.
"""

import contextlib
import datetime as dt
import io
import re
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from safeguarding.accounts.models import Area, Organisation
from safeguarding.core import datapackage
from safeguarding.core.audit import SystemActor
from safeguarding.core.datapackage import PackageError, import_files, import_package, parse_csv
from safeguarding.core.models import AuditEvent
from safeguarding.training import services as training
from safeguarding.training.models import Booking, Course, Session
from tests.factories import gcp2_course

SYSTEM = SystemActor("test")
DOC = Path(__file__).resolve().parents[2] / "docs" / "data-package.md"
MB = 1024 * 1024


def _problems(call) -> list[str]:
    """The problems a refused import lists; asserts that nothing was written."""
    events = AuditEvent.objects.count()
    with pytest.raises(PackageError) as error:
        call()
    assert AuditEvent.objects.count() == events, "nothing is written"
    return error.value.errors


def _zip(path: Path, members: dict[str, bytes], **kwargs) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, **kwargs) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _zip_of_zeros(path: Path, name: str, megabytes: int) -> Path:
    """A small zip holding one large, highly compressible member (written in chunks,
    so building it needs no memory either)."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w", force_zip64=True) as member,
    ):
        member.write(b"code,name\n")
        for _ in range(megabytes):
            member.write(b"0" * MB)
    return path


def _patch_headers(path: Path, *, flags: int = 0, method: int | None = None, file_size: int | None = None) -> None:
    """Rewrite fields of every local and central header, as a hostile tool would."""
    data = bytearray(path.read_bytes())
    for signature, flag_at, method_at, size_at in ((b"PK\x03\x04", 6, 8, 22), (b"PK\x01\x02", 8, 10, 24)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            at = match.start()
            data[at + flag_at : at + flag_at + 2] = struct.pack(
                "<H", struct.unpack_from("<H", data, at + flag_at)[0] | flags
            )
            if method is not None:
                data[at + method_at : at + method_at + 2] = struct.pack("<H", method)
            if file_size is not None:
                data[at + size_at : at + size_at + 4] = struct.pack("<I", file_size)
    path.write_bytes(bytes(data))


def _peak_bytes(call) -> int:
    tracemalloc.start()
    with contextlib.suppress(PackageError):
        call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


# Defect 9: zip bombs ----------------------------------------------------------------------


def test_unknown_members_are_refused_without_being_read(tmp_path, db):
    path = _zip_of_zeros(tmp_path / "bomb.zip", "minutes.csv", 60)
    assert path.stat().st_size < MB

    errors = _problems(lambda: import_package(path, actor=SYSTEM))
    assert errors[0].startswith("minutes.csv: not a file this system knows")
    assert _peak_bytes(lambda: import_package(path, actor=SYSTEM)) < 5 * MB


def test_a_member_declaring_more_than_the_limit_is_refused_unread(tmp_path, db):
    path = _zip_of_zeros(tmp_path / "bomb.zip", "areas.csv", 60)

    assert _problems(lambda: import_package(path, actor=SYSTEM)) == [
        "areas.csv: larger than 50 MB; split it or send it in parts."
    ]
    assert _peak_bytes(lambda: import_package(path, actor=SYSTEM)) < 5 * MB


def test_a_member_whose_declared_size_lies_is_not_read_past_it(tmp_path, db):
    path = _zip_of_zeros(tmp_path / "liar.zip", "areas.csv", 60)
    _patch_headers(path, file_size=100)

    [problem] = _problems(lambda: import_package(path, actor=SYSTEM))
    assert problem.startswith("areas.csv: cannot be read from the .zip file")
    assert _peak_bytes(lambda: import_package(path, actor=SYSTEM)) < 5 * MB


def test_too_many_entries_are_refused_before_any_is_read(tmp_path, db):
    path = _zip(tmp_path / "many.zip", {f"notes/{n}.txt": b"x" for n in range(201)})
    assert _problems(lambda: import_package(path, actor=SYSTEM)) == [
        "many.zip: holds 201 entries; a data package has at most 200."
    ]


def test_members_together_larger_than_the_package_limit_are_refused(tmp_path, db, monkeypatch):
    monkeypatch.setattr(datapackage, "MAX_PACKAGE_BYTES", 30)
    path = _zip(tmp_path / "big.zip", {"areas.csv": b"code,name\nE1,East\n", "groups.csv": b"code,name,kind\n"})
    assert _problems(lambda: import_package(path, actor=SYSTEM)) == [
        "big.zip: the files together are larger than 0 MB uncompressed; send the package in parts."
    ]


def test_a_folder_is_held_to_the_same_limits(tmp_path, db, monkeypatch):
    monkeypatch.setattr(datapackage, "MAX_PACKAGE_BYTES", 30)
    (tmp_path / "areas.csv").write_text("code,name\nE1,East\n")
    (tmp_path / "groups.csv").write_text("code,name,kind\n")
    [problem] = _problems(lambda: import_package(tmp_path, actor=SYSTEM))
    assert problem.endswith("the files together are larger than 0 MB uncompressed; send the package in parts.")


def test_a_folder_file_that_never_ends_is_refused_unread(tmp_path, db):
    (tmp_path / "areas.csv").symlink_to("/dev/zero")  # stat says 0 bytes; reading never stops
    assert _problems(lambda: import_package(tmp_path, actor=SYSTEM)) == [
        "areas.csv: cannot be read from its folder (it is not a plain file)."
    ]


# Defect 10: crashes become problems -------------------------------------------------------


def test_a_corrupt_member_is_a_problem(tmp_path, db):
    path = _zip(tmp_path / "corrupt.zip", {"areas.csv": b"code,name\n" + b"E1,East\n" * 2000})
    data = bytearray(path.read_bytes())
    start = 30 + len("areas.csv")  # the compressed bytes follow the local header
    data[start + 10 : start + 40] = b"\xff" * 30
    path.write_bytes(bytes(data))

    [problem] = _problems(lambda: import_package(path, actor=SYSTEM))
    assert problem.startswith("areas.csv: cannot be read from the .zip file")


def test_an_encrypted_zip_is_a_problem(tmp_path, db):
    path = _zip(tmp_path / "secret.zip", {"areas.csv": b"code,name\nE1,East\n"})
    _patch_headers(path, flags=0x1)
    assert _problems(lambda: import_package(path, actor=SYSTEM)) == [
        "areas.csv: cannot be read from the .zip file (it is encrypted); send it without a password."
    ]


def test_an_unsupported_compression_method_is_a_problem(tmp_path, db):
    path = _zip(tmp_path / "odd.zip", {"areas.csv": b"code,name\nE1,East\n"})
    _patch_headers(path, method=99)
    [problem] = _problems(lambda: import_package(path, actor=SYSTEM))
    assert problem.startswith("areas.csv: cannot be read from the .zip file")
    assert "use ordinary (deflate) compression" in problem


def test_a_file_that_is_not_a_zip_is_a_problem(tmp_path, db):
    path = tmp_path / "package.zip"
    path.write_bytes(b"PK\x03\x04 not really")
    assert _problems(lambda: import_package(path, actor=SYSTEM)) == ["package.zip: not a readable .zip file."]


def test_the_command_lists_the_problems_and_exits_without_a_traceback(tmp_path, db, capsys):
    path = _zip(tmp_path / "secret.zip", {"areas.csv": b"code,name\nE1,East\n"})
    _patch_headers(path, flags=0x1)
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import", str(path))
    assert "areas.csv: cannot be read from the .zip file (it is encrypted)" in capsys.readouterr().err


def test_a_bad_date_and_time_names_its_format(db):
    files = {
        "sessions.csv": parse_csv(
            "sessions.csv",
            b"course,starts_at,ends_at,capacity,booking_deadline\nx,soon,2026-05-01T13:00,10,2026-04-28\n",
        )
    }
    assert "sessions.csv, row 2, column starts_at: 'soon' is not a date and time as YYYY-MM-DDTHH:MM." in _problems(
        lambda: import_files(files, actor=SYSTEM)
    )


@pytest.fixture
def evaluated_course(db):
    """A course whose learning outcomes an attendee has rated."""
    org = Organisation.objects.create(code="school", name="School", kind="school", email_domains="school.example")
    course = gcp2_course(title="GCP2", outcomes=["Use GCP2", "Explain neglect"], actor=SYSTEM)
    starts = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    session = training.session_create(
        course=course,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=5,
        booking_deadline=starts.date(),
        actor=SYSTEM,
    )
    booking, _ = training.booking_create(
        session=session,
        full_name="Ann",
        email="ann@school.example",
        organisation=org,
        job_role="Teacher",
        actor=SYSTEM,
        now=starts - dt.timedelta(days=7),  # booked while booking was open, whatever today is
    )
    Booking.objects.filter(pk=booking.pk).update(status="confirmed")
    training.session_record_register(session=session, outcomes={booking.pk: "attended"}, actor=SYSTEM)
    booking.refresh_from_db()
    answers = {outcome.pk: (2, 4) for outcome in course.outcomes.all()}  # every outcome must be rated
    training.evaluation_submit(booking=booking, answers=answers, comments="", actor=SYSTEM)
    return course


def test_changing_outcomes_that_evaluations_refer_to_is_a_problem(evaluated_course):
    """This loader raised ValueError, a 500 from the API."""
    files = {
        "courses.csv": [
            {
                "code": "gcp2",
                "title": "GCP2",
                "description": "d",
                "level": "targeted",
                "format": "classroom",
                "duration_minutes": "180",
                "outcomes": "Something else",
            }
        ]
    }
    assert _problems(lambda: import_files(files, actor=SYSTEM)) == [
        "courses.csv, row 2, column outcomes: the learning outcomes cannot change once evaluations refer to them."
    ]
    assert [o.text for o in Course.objects.get().outcomes.all()] == ["Use GCP2", "Explain neglect"]


def test_an_evaluation_without_its_outcome_or_an_attended_booking_is_a_problem(evaluated_course):
    session = f"gcp2/{datapackage._cell(Session.objects.get().starts_at)}"
    header = "session,email,outcome_position,confidence_before,confidence_after,submitted_at\n"
    text = (
        header
        + f"{session},ann@school.example,9,1,2,2026-05-02T09:00\n{session},bob@school.example,1,1,2,2026-05-02T09:00\n"
    )
    files = {"evaluations.csv": parse_csv("evaluations.csv", text.encode())}
    assert _problems(lambda: import_files(files, actor=SYSTEM)) == [
        "evaluations.csv, row 2, column outcome_position: the course has no learning outcome 9.",
        "evaluations.csv, row 3, column email: no one with this e-mail attended the session.",
    ]


def _evaluation_csv(session: str, comments: tuple[str, str]) -> dict:
    header = "session,email,outcome_position,confidence_before,confidence_after,comments,submitted_at\n"
    rows = "".join(
        f"{session},ann@school.example,{position},1,3,{comment},2026-05-02T09:00\n"
        for position, comment in zip((1, 2), comments, strict=True)
    )
    return {"evaluations.csv": parse_csv("evaluations.csv", (header + rows).encode())}


def test_an_attendees_evaluation_rows_that_disagree_on_the_comment_are_refused_naming_both_rows(evaluated_course):
    """Issue 14, item 6: a comment on the first row only was overwritten by the next row's empty cell."""
    session = f"gcp2/{datapackage._cell(Session.objects.get().starts_at)}"
    assert _problems(lambda: import_files(_evaluation_csv(session, ("Very useful", "")), actor=SYSTEM)) == [
        f"evaluations.csv, row 3, column comments: '' differs from row 2 ('Very useful') for the same attendee "
        f"ann@school.example at {session}: an attendee's rows carry one evaluation, so repeat its comments and "
        "time on each row."
    ]


def test_an_evaluation_comment_repeated_on_each_row_is_kept_and_importing_it_again_changes_nothing(
    evaluated_course, tmp_path
):
    from safeguarding.training.models import Evaluation

    session = f"gcp2/{datapackage._cell(Session.objects.get().starts_at)}"
    files = _evaluation_csv(session, ("Very useful", "Very useful"))
    first = import_files(files, actor=SYSTEM)
    assert Evaluation.objects.get().comments == "Very useful"
    assert first.counts["evaluations.csv"]["updated"] == 2
    datapackage.export_package(tmp_path)
    exported = (tmp_path / "evaluations.csv").read_bytes()
    assert exported.count(b"Very useful") == 2, "the export repeats the comment on each row"
    again = import_files({"evaluations.csv": parse_csv("evaluations.csv", exported)}, actor=SYSTEM)
    assert again.counts["evaluations.csv"] == {"created": 0, "updated": 0, "unchanged": 2}


# Defect 12: control characters ------------------------------------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_in_csv_cells(character, db):
    files = {"areas.csv": parse_csv("areas.csv", f"code,name\nE1,East{character}shire\n".encode())}
    assert _problems(lambda: import_files(files, actor=SYSTEM)) == [
        f"areas.csv, row 2, column name: contains the control character U+{ord(character):04X} "
        "at position 5; remove it."
    ]
    assert not Area.objects.exists()


def test_tabs_and_line_breaks_are_kept_in_long_text(db):
    text = 'code,name\nE1,"East\tshire,\r\nby the sea"\n'
    import_files({"areas.csv": parse_csv("areas.csv", text.encode())}, actor=SYSTEM)
    assert Area.objects.get().name == "East\tshire,\r\nby the sea"


def test_control_characters_are_refused_through_the_api(db, client):
    from safeguarding.accounts.services import api_token_create
    from tests.factories import UserFactory

    org = Organisation.objects.create(code="police", name="Police", kind="police", standing="statutory_partner")
    _, token = api_token_create(organisation=org, name="feed", actor=UserFactory(roles=["administrator"]))
    body = {"files": {"workforce.csv": [{"organisation": "police\x00", "year": 2026, "headcount": 1}]}}
    response = client.post(
        "/api/v1/data-package", body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422, response.content
    messages = [error["message"] for error in response.json()["errors"]]
    assert (
        "workforce.csv, row 2, column organisation: contains the control character U+0000 at position 7; remove it."
        in (messages)
    )


# Fuzzing ---------------------------------------------------------------------------------

TRAINING_AND_PERFORMANCE = {
    "topics.csv": "code,title,priority\nneglect-t,Neglect,neglect\n",
    "courses.csv": "code,title,description,level,format,duration_minutes,topics,outcomes\n"
    "gcp2,Graded Care Profile 2,The neglect tool,targeted,classroom,180,neglect-t,Use GCP2|Explain neglect\n",
    "sessions.csv": "course,starts_at,ends_at,venue,online_link,trainer_person_key,trainer_name,capacity,"
    "booking_deadline,cancelled_at\ngcp2,2026-05-01T10:00:00,2026-05-01T13:00:00,Hall,,p-sam,,10,2026-04-28,\n",
    "bookings.csv": "session,email,full_name,person_key,organisation,job_role,status,outcome,booked_at,"
    "confirmed_at,cancelled_at,promoted_at\ngcp2/2026-05-01T10:00:00,ian.dunn@northshire.police.uk,Ian Dunn,"
    "p-ian,northshire-police,Inspector,confirmed,attended,2026-04-01T09:00:00,2026-04-01T09:05:00,,\n",
    "evaluations.csv": "session,email,outcome_position,confidence_before,confidence_after,comments,submitted_at\n"
    "gcp2/2026-05-01T10:00:00,ian.dunn@northshire.police.uk,1,2,4,Good,2026-05-02T09:00:00\n",
    "follow_ups.csv": "session,email,practice_changed,example,submitted_at\n"
    "gcp2/2026-05-01T10:00:00,ian.dunn@northshire.police.uk,yes,Used it twice,2026-08-02T09:00:00\n",
    "elearning_completions.csv": "platform,record_id,course,full_name,email,organisation,job_role,completed_on\n"
    "learnzone,L1,gcp2,Pat Gray,pat@northshire.police.uk,northshire-police,,2026-01-10\n",
    "workforce.csv": "organisation,year,headcount\nnorthshire-police,2026,400\n",
    "indicators.csv": "code,title,definition,numerator,denominator,unit,owner_kind,frequency,polarity,priority,"
    "breakdowns,publishable,target,benchmark,is_active\nda-x,Domestic abuse crimes,Crimes flagged,,,count,police,"
    "quarterly,neutral,neglect,,true,,,true\n",
    "populations.csv": "area,year,children\nE06000099,2025,50000\n",
    "returns.csv": "organisation,period,version,is_current,submitted_at,submitted_by,source,file_name,"
    "confirmed_unusual\nnorthshire-police,2025-Q2,1,true,2025-07-10T09:00:00,Feed,api,,false\n",
    "return_values.csv": "organisation,period,version,indicator,breakdown,breakdown_value,value,denominator\n"
    "northshire-police,2025-Q2,1,da-x,,,30,\n",
}


def _valid_package() -> dict[str, str]:
    """The documented example with a training and a performance part: every kind of cell."""
    doc = DOC.read_text()
    example = doc[doc.index("## Example") : doc.index("## Files and columns")]
    texts = dict(re.findall(r"^`(\w+\.csv)`[^\n]*\n\n```\n(.*?)```", example, re.S | re.M))
    return texts | TRAINING_AND_PERFORMANCE


VALID = _valid_package()
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\u202e",
    '=HYPERLINK("http://x")',
    "-1",
    "1e999",
    "NaN",
    "Infinity",
    "9" * 30,
    "9" * 5000,
    "0.0000000000001",
    "2026-02-30",
    "2026-03-29T01:30:00",
    "2026-05-01T10:00:00+14:00",
    "25:00",
    "true",
    "yes",
    ";;;",
    "a/b/c/d",
    "x" * 300,
    "é" * 50,
    "\ufeff",
    '"',
    "\r\n",
]
cells = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))


def test_the_fuzzers_base_package_is_valid(db):
    report = import_files({n: parse_csv(n, t.encode()) for n, t in VALID.items()}, actor=SYSTEM)
    assert set(report.counts) == set(VALID)


def _import_or_refuse(call):
    """Either it imports, or it raises PackageError and nothing was written; the
    database is put back after each example."""
    events = AuditEvent.objects.count()
    with transaction.atomic():
        try:
            call()
            event("imported")  # --hypothesis-show-statistics shows how often each happens
        except PackageError as error:
            assert error.errors and all(isinstance(line, str) for line in error.errors)
            assert AuditEvent.objects.count() == events, "a refused package wrote something"
            event("refused")
        transaction.set_rollback(True)


@st.composite
def mutated_packages(draw):
    files = {name: parse_csv(name, text.encode()) for name, text in VALID.items()}
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        rows = files[name]
        if not rows:
            continue
        row = draw(st.sampled_from(rows))
        column = draw(st.sampled_from(sorted(row)))
        row[column] = draw(cells)
    return files


@st.composite
def mutated_bytes(draw):
    """A package's CSV bytes with a few bytes changed, inserted or removed, zipped, and
    the zip itself perhaps corrupted, truncated or flagged."""
    texts = {name: bytearray(text.encode()) for name, text in VALID.items()}
    for _ in range(draw(st.integers(0, 3))):
        data = texts[draw(st.sampled_from(sorted(texts)))]
        at = draw(st.integers(0, len(data)))
        data[at : at + draw(st.integers(0, 3))] = draw(st.binary(max_size=4))
    out = io.BytesIO()
    method = draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]))
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in texts.items():
            archive.writestr(name, bytes(data))
    archive_bytes = bytearray(out.getvalue())
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(archive_bytes) - 1))
        archive_bytes[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        del archive_bytes[draw(st.integers(0, len(archive_bytes))) :]
    return bytes(archive_bytes)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(files=mutated_packages())
def test_mutated_cells_are_imported_or_refused_never_crash(files, db):
    _import_or_refuse(lambda: import_files(files, actor=SYSTEM))


@FUZZ
@given(archive=mutated_bytes())
def test_mutated_packages_are_imported_or_refused_never_crash(archive, db, tmp_path):
    path = tmp_path / "package.zip"
    path.write_bytes(archive)
    _import_or_refuse(lambda: import_package(path, actor=SYSTEM))
