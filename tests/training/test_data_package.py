"""Training's data-package files through the package's public functions, as governance's
tests do: export then import into empty tables gives back the same files; a second
import changes nothing; each problem names file, row and column and nothing is written;
a partner token sends only its own organisation's rows."""

import pytest
from django.core.management import call_command

from safeguarding.accounts.models import Organisation
from safeguarding.accounts.services import api_token_create
from safeguarding.core.audit import SystemActor
from safeguarding.core.datapackage import PackageError, export_package, import_files, import_package, parse_csv
from safeguarding.core.models import AuditEvent
from safeguarding.training.models import (
    Booking,
    Course,
    ElearningCompletion,
    Evaluation,
    EvaluationAnswer,
    FollowUp,
    LearningOutcome,
    Session,
    Topic,
    Workforce,
)
from tests.conftest import make_persona

SYSTEM = SystemActor("test")
MODELS = [Topic, Course, LearningOutcome, Session, Booking, Evaluation, EvaluationAnswer, FollowUp]
MODELS += [ElearningCompletion, Workforce]
TRAINING_FILES = [
    "topics.csv",
    "courses.csv",
    "sessions.csv",
    "bookings.csv",
    "evaluations.csv",
    "follow_ups.csv",
    "elearning_completions.csv",
    "workforce.csv",
]
# The worked example's sessions start at 09:30 UTC: 10:30 in London in summer.
GCP2 = "gcp2/2026-05-12T10:30:00"
DA = "da/2026-06-15T10:30:00"


def _counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def _wipe():
    for model in (FollowUp, EvaluationAnswer, Evaluation, Booking, ElearningCompletion, Session, LearningOutcome):
        model.objects.all().delete()
    for model in (Course, Topic, Workforce):
        model.objects.all().delete()


def _files_in(path):
    return {file.name: file.read_bytes() for file in sorted(path.iterdir())}


def _files(**texts):
    return {
        name.replace("_csv", ".csv"): parse_csv(name.replace("_csv", ".csv"), text.encode())
        for name, text in texts.items()
    }


def _problems(files) -> list[str]:
    before, events = _counts(), AuditEvent.objects.count()
    with pytest.raises(PackageError) as error:
        import_files(files, actor=SYSTEM)
    assert _counts() == before and AuditEvent.objects.count() == events, "nothing is written"
    return error.value.errors


def test_export_import_into_empty_tables_gives_back_the_same_package(worked_example, tmp_path):
    export_package(tmp_path / "first")
    before = _counts()
    outcomes = sorted(Booking.objects.values_list("email", "session__starts_at", "status", "outcome", "confirmed_at"))
    _wipe()
    assert not any(_counts().values())

    report = import_package(tmp_path / "first", actor=SYSTEM)

    assert report.counts["bookings.csv"]["created"] == before["Booking"] == 14
    assert report.counts["evaluations.csv"]["created"] == before["EvaluationAnswer"] == 7
    assert _counts() == before
    assert sorted(Booking.objects.values_list("email", "session__starts_at", "status", "outcome", "confirmed_at")) == (
        outcomes
    )
    assert Session.objects.exclude(cancelled_at=None).count() == 1
    assert sorted(Course.objects.get(code="da").topics.values_list("code", flat=True)) == ["dv", "neglect"]
    export_package(tmp_path / "second")
    assert _files_in(tmp_path / "second") == _files_in(tmp_path / "first")


def test_the_reimported_figures_are_the_same_figures(worked_example, tmp_path):
    from safeguarding.training.selectors import training_summary_for_report
    from tests.training.conftest import WINDOW

    before = training_summary_for_report(date_from=WINDOW[0], date_to=WINDOW[1]).as_dict()
    export_package(tmp_path)
    _wipe()
    import_package(tmp_path, actor=SYSTEM)
    assert training_summary_for_report(date_from=WINDOW[0], date_to=WINDOW[1]).as_dict() == before


def test_importing_the_same_package_twice_changes_nothing(worked_example, tmp_path, capsys):
    export_package(tmp_path)
    before, events = _counts(), AuditEvent.objects.count()
    call_command("import", str(tmp_path))
    call_command("import", str(tmp_path))
    assert _counts() == before and AuditEvent.objects.count() == events
    out = capsys.readouterr().out
    assert "bookings.csv: 0 created, 0 updated, 14 unchanged" in out
    assert "workforce.csv: 0 created, 0 updated, 4 unchanged" in out


def test_a_changed_row_updates_its_record_and_is_audited(worked_example, tmp_path):
    export_package(tmp_path)
    path = tmp_path / "workforce.csv"
    path.write_text(path.read_text().replace("council,2026,50", "council,2026,55"))
    bookings = tmp_path / "bookings.csv"
    ivy = ",Ivy,,school,Social worker,confirmed,"
    assert ivy + ",2026-06-08" in bookings.read_text()
    bookings.write_text(bookings.read_text().replace(ivy + ",", ivy + "attended,"))
    report = import_package(tmp_path, actor=SYSTEM)
    assert report.counts["workforce.csv"] == {"created": 0, "updated": 1, "unchanged": 3}
    assert report.counts["bookings.csv"] == {"created": 0, "updated": 1, "unchanged": 13}
    assert Workforce.objects.get(organisation__code="council", year=2026).headcount == 55
    assert Booking.objects.get(email="ivy@school.example").outcome == "attended"
    event = AuditEvent.objects.filter(object_type="training.workforce").latest("pk")
    assert (event.changes["headcount"], event.actor_label) == ([50, 55], "system: test")


BOOKINGS = "session,email,full_name,organisation,job_role,status,outcome,booked_at\n"
EVALUATIONS = "session,email,outcome_position,confidence_before,confidence_after,comments,submitted_at\n"


@pytest.mark.parametrize(
    ("texts", "errors"),
    [
        (
            {
                "courses_csv": "code,title,description,level,format,duration_minutes,topics,outcomes\n"
                "x,X,d,expert,classroom,60,nope,a|b\n"
            },
            [
                "courses.csv, row 2, column level: 'expert' is not one of universal, targeted, specialist.",
                "courses.csv, row 2, column topics: unknown topic 'nope' (not in the package or the database).",
            ],
        ),
        (
            {
                "sessions_csv": "course,starts_at,ends_at,capacity,booking_deadline\n"
                "nope,2026-13-01T09:00,2026-05-12T12:00,5,soon\n"
            },
            [
                "sessions.csv, row 2, column course: unknown course 'nope' (not in the package or the database).",
                "sessions.csv, row 2, column starts_at: '2026-13-01T09:00' is not a date and time as YYYY-MM-DDTHH:MM.",
                "sessions.csv, row 2, column booking_deadline: 'soon' is not a date as YYYY-MM-DD.",
            ],
        ),
        (
            {
                "bookings_csv": BOOKINGS + f"{GCP2},z@x.example,Z,mars,T,maybe,,2026-05-01T10:00\n"
                "gcp2/2026-05-12T09:30:00,y@x.example,Y,council,T,confirmed,,2026-05-01T10:00\n"
            },
            [
                "bookings.csv, row 2, column organisation: unknown organisation 'mars' (not in the package or the "
                "database).",
                "bookings.csv, row 2, column status: 'maybe' is not one of pending, confirmed, waiting, cancelled.",
                # Local time: 09:30 in London on 12 May is not the session's start.
                "bookings.csv, row 3, column session: unknown session 'gcp2/2026-05-12T09:30:00' (not in the "
                "package or the database).",
            ],
        ),
        (
            {
                "evaluations_csv": EVALUATIONS + f"{GCP2},bob@council.example,1,2,4,,2026-05-12T13:00\n"
                f"{GCP2},ann@council.example,3,2,4,,2026-05-12T13:00\n"
            },
            [
                "evaluations.csv, row 2, column email: no one with this e-mail attended the session.",
                "evaluations.csv, row 3, column outcome_position: the course has no learning outcome 3.",
            ],
        ),
        (
            {"evaluations_csv": EVALUATIONS + f"{GCP2},cat@police.example,1,0,9,,2026-05-12T13:00\n"},
            ["evaluations.csv, row 2: breaks the rule 'confidence is one to five'."],
        ),
        (
            {
                "evaluations_csv": EVALUATIONS + f"{DA},hal@police.example,1,2,4,Good,2026-06-15T13:00\n"
                f"{DA},hal@police.example,1,2,4,Good,2026-06-15T14:00\n"
            },
            [
                "evaluations.csv, row 3: the same record as row 2 (da/2026-06-15T10:30:00|hal@police.example|1).",
            ],
        ),
        (
            {
                "follow_ups_csv": "session,email,practice_changed,example,submitted_at\n"
                f"{DA},ivy@school.example,perhaps,,2026-08-12T13:00\n"
            },
            ["follow_ups.csv, row 2, column practice_changed: 'perhaps' is not one of yes, partly, no."],
        ),
        (
            {"workforce_csv": "organisation,year,headcount\nmars,2026,5\ncouncil,2027,-1\n"},
            [
                "workforce.csv, row 2, column organisation: unknown organisation 'mars' (not in the package or the "
                "database).",
                "workforce.csv, row 3, column headcount: '-1' is not a whole number, 0 or more.",
            ],
        ),
        (
            {
                "elearning_completions_csv": "platform,record_id,course,full_name,email,organisation,job_role,completed_on\n"
                "lp,1,nope,A,a@b.c,council,,2026-02-30\n"
            },
            [
                "elearning_completions.csv, row 2, column course: unknown course 'nope' (not in the package or the "
                "database).",
                "elearning_completions.csv, row 2, column completed_on: '2026-02-30' is not a date as YYYY-MM-DD.",
            ],
        ),
    ],
)
def test_every_problem_is_named_by_file_row_and_column_and_nothing_is_written(worked_example, texts, errors):
    assert _problems(_files(**texts)) == errors


def test_an_attendees_rows_must_agree_on_their_one_evaluation(worked_example):
    errors = _problems(
        _files(
            evaluations_csv=EVALUATIONS + f"{GCP2},ann@council.example,1,2,4,A,2026-05-12T13:00\n"
            f"{GCP2},ann@council.example,2,2,4,B,2026-05-12T13:00\n"
        )
    )
    assert errors == [
        "evaluations.csv, row 3, column comments: 'B' differs from row 2 ('A') for the same attendee "
        f"ann@council.example at {GCP2}: an attendee's rows carry one evaluation, so repeat its comments and time on "
        "each row."
    ]


@pytest.mark.parametrize(
    ("texts", "error"),
    [
        (
            {"workforce_csv": "organisation,year,headcount\ncouncil,2026,0\n"},
            "workforce.csv, row 2: breaks the rule 'workforce not empty'.",
        ),
        (
            {"bookings_csv": BOOKINGS + f"{GCP2},y@x.example,Y,council,T,waiting,attended,2026-05-01T10:00\n"},
            "bookings.csv, row 2: breaks the rule 'outcome only for places'.",
        ),
        (
            {
                "sessions_csv": "course,starts_at,ends_at,capacity,booking_deadline\n"
                "gcp2,2026-11-12T09:30,2026-11-12T08:30,3,2026-11-12\n"
            },
            "sessions.csv, row 2: breaks the rule 'session ends after start'.",
        ),
        (
            {
                "courses_csv": "code,title,description,level,format,duration_minutes,topics,outcomes\n"
                "gcp2,GCP2,d,targeted,classroom,180,neglect,Only one now\n"
            },
            "courses.csv, row 2, column outcomes: the learning outcomes cannot change once evaluations refer to them.",
        ),
    ],
)
def test_a_rule_only_the_database_knows_is_reported_and_rolls_everything_back(worked_example, texts, error):
    # A valid row in another file goes back too.
    files = _files(topics_csv="code,title,priority\nnew-topic,New topic,\n", **texts)
    assert _problems(files) == [error]
    assert not Topic.objects.filter(code="new-topic").exists()


def test_a_missing_column_is_reported(worked_example):
    assert _problems(_files(workforce_csv="organisation,year\ncouncil,2026\n")) == [
        "workforce.csv: missing column(s) headcount."
    ]


def test_the_export_writes_every_training_file(worked_example, tmp_path):
    export_package(tmp_path)
    names = {file.name for file in tmp_path.iterdir()}
    assert set(TRAINING_FILES) <= names
    assert (tmp_path / "workforce.csv").read_text().splitlines() == [
        "organisation,year,headcount",
        "council,2026,50",
        "fire,2026,20",
        "police,2026,40",
        "school,2025,30",
    ]


# Partner systems --------------------------------------------------------------------------------


@pytest.fixture
def school_token(worked_example):
    _, token = api_token_create(
        organisation=Organisation.objects.get(code="school"), name="school feed", actor=make_persona("administrator")
    )
    return {"Authorization": f"Bearer {token}"}


def _post(client, headers, files):
    return client.post("/api/v1/data-package", {"files": files}, content_type="application/json", headers=headers)


def test_a_partner_sends_its_own_workforce_and_bookings(client, school_token):
    response = _post(
        client,
        school_token,
        {
            "workforce.csv": [{"organisation": "school", "year": 2026, "headcount": 35}],
            "bookings.csv": [
                {
                    "session": DA,
                    "email": "new@school.example",
                    "full_name": "New Teacher",
                    "organisation": "school",
                    "job_role": "Teacher",
                    "status": "confirmed",
                    "booked_at": "2026-06-01T10:00:00",
                }
            ],
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["counts"]["workforce.csv"]["created"] == 1
    assert Workforce.objects.get(organisation__code="school", year=2026).headcount == 35
    booking = Booking.objects.get(email="new@school.example")
    assert booking.session.course.code == "da"
    label = AuditEvent.objects.get(object_type="training.booking", object_id=str(booking.pk)).actor_label
    assert label.startswith("API token ") and label.endswith(" (school)")


def test_a_partner_cannot_send_another_organisations_rows(client, school_token):
    refused = _post(client, school_token, {"workforce.csv": [{"organisation": "police", "year": 2026, "headcount": 1}]})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["message"] == (
        "workforce.csv, row 2, column organisation: a partner token of school may send only its own organisation's rows."
    )
    assert Workforce.objects.get(organisation__code="police", year=2026).headcount == 40


def test_a_partner_cannot_rewrite_another_organisations_booking(client, school_token):
    # Hal's booking is the police's: the school may not claim it for itself.
    hal = Booking.objects.get(email="hal@police.example")
    row = {
        "session": DA,
        "email": hal.email,
        "full_name": "Hal",
        "organisation": "school",
        "job_role": "Teacher",
        "status": "cancelled",
        "booked_at": "2026-06-08T10:30:00",
    }
    refused = _post(client, school_token, {"bookings.csv": [row]})
    assert refused.status_code == 422
    assert "a partner token of school may change only its own" in refused.json()["errors"][0]["message"]
    assert Booking.objects.get(pk=hal.pk).status == "confirmed"


@pytest.mark.parametrize("name", ["courses.csv", "sessions.csv", "topics.csv", "evaluations.csv", "follow_ups.csv"])
def test_the_catalogue_and_evaluations_stay_with_staff(client, school_token, name):
    refused = _post(client, school_token, {name: [{"code": "x"}]})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["message"].startswith(
        f"{name}: a partner token of school may not send this file"
    )
