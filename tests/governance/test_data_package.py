"""Data packages: export then import into an empty database gives back the same
data; a second import changes nothing; any error names file, row and column and
nothing is written."""

import pytest
from django.core.management import CommandError, call_command

from safeguarding.accounts.models import Organisation, Person, Post
from safeguarding.core.audit import SystemActor
from safeguarding.core.datapackage import PackageError, export_package, import_files, import_package, parse_csv
from safeguarding.core.models import AuditEvent
from safeguarding.governance.models import Action, Attendance, Meeting, ScrutinyResponse
from tests.governance.test_answers import partnership  # noqa: F401  (the hand-worked fixture)

pytestmark = pytest.mark.django_db(transaction=True)
SYSTEM = SystemActor("test")
MODELS = [Organisation, Person, Post, Meeting, Attendance, Action, ScrutinyResponse]


def _counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def _wipe():
    """Empty the partnership's tables, as a fresh database would be."""
    from django.apps import apps

    for model in reversed(list(apps.get_app_config("governance").get_models())):
        model.objects.all().delete()
    Post.objects.all().delete()
    Person.objects.all().delete()
    Organisation.objects.all().delete()


def test_export_import_into_an_empty_database_gives_back_the_same_package(partnership, tmp_path):  # noqa: F811
    export_package(tmp_path / "first")
    before = _counts()
    _wipe()
    assert Meeting.objects.count() == 0
    report = import_package(tmp_path / "first", actor=SYSTEM)
    assert report.counts["attendance.csv"]["created"] == before["Attendance"]
    assert _counts() == before
    export_package(tmp_path / "second")
    for file in sorted((tmp_path / "first").iterdir()):
        assert file.read_bytes() == (tmp_path / "second" / file.name).read_bytes(), file.name
    # The person who changed job keeps both posts; Dana's seat moved with her.
    dana = Person.objects.get(full_name="Dana")
    assert [p.organisation.code for p in dana.posts.order_by("started_on")] == ["p", "i"]


def test_importing_the_same_package_twice_changes_nothing(partnership, tmp_path):  # noqa: F811
    export_package(tmp_path)
    events = AuditEvent.objects.count()
    report = import_package(tmp_path, actor=SYSTEM)
    assert all(c["created"] == 0 and c["updated"] == 0 for c in report.counts.values())
    assert AuditEvent.objects.count() == events


def _files(**texts):
    return {name.replace("_csv", ".csv"): parse_csv(name, text.encode()) for name, text in texts.items()}


def test_every_problem_is_named_by_file_row_and_column_and_nothing_is_written(partnership):  # noqa: F811
    before, events = _counts(), AuditEvent.objects.count()
    files = _files(
        organisations_csv="code,name,kind,standing,areas,email_domains\n"
        "new-org,New Org,voluntary,relevant_agency,,\n"
        "bad-kind,Bad,charity,relevant_agency,,\n",
        people_csv="person_key,full_name,email,organisation,job_title,seniority,started_on,ended_on\n"
        "p1,Pat,,new-org,Worker,practitioner,2026-13-01,\n"
        "p2,Sam,,nowhere,Worker,practitioner,2026-01-01,\n",
        meetings_csv="group,date,starts_at,ends_at,mode,venue,status,agenda,minutes\n"
        "board,2026-02-02,,,virtual,,held,,\n",
    )
    with pytest.raises(PackageError) as error:
        import_files(files, actor=SYSTEM)
    errors = error.value.errors
    assert "organisations.csv, row 3, column kind: 'charity' is not one of" in errors[0]
    assert "people.csv, row 2, column started_on: '2026-13-01' is not a date as YYYY-MM-DD." in errors
    assert (
        "people.csv, row 3, column organisation: unknown organisation 'nowhere' (not in the package or the database)."
    ) in errors
    assert len(errors) == 3
    assert _counts() == before and AuditEvent.objects.count() == events


def test_a_missing_column_and_an_unknown_file_are_reported(partnership):  # noqa: F811
    with pytest.raises(PackageError) as error:
        import_files(_files(groups_csv="code,name\nx,X\n"), actor=SYSTEM)
    assert error.value.errors == ["groups.csv: missing column(s) kind."]
    with pytest.raises(PackageError) as error:
        import_files({"children.csv": []}, actor=SYSTEM)
    assert "children.csv: not a file this system knows." in error.value.errors


def test_the_command_exits_with_an_error_listing_the_problems(tmp_path, capsys, partnership):  # noqa: F811
    (tmp_path / "groups.csv").write_text("code,name,kind\nx,X,committee\n")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import", str(tmp_path))
    assert "groups.csv, row 2, column kind" in capsys.readouterr().err


def test_partner_systems_send_the_same_records_through_the_api(partnership, client):  # noqa: F811
    from safeguarding.accounts.services import api_token_create
    from tests.conftest import make_persona

    admin = make_persona("administrator")
    _, token = api_token_create(organisation=Organisation.objects.get(code="p"), name="feed", actor=admin)
    payload = {
        "files": {
            "meetings.csv": [
                {
                    "group": "board",
                    "date": "2026-09-01",
                    "starts_at": "10:00",
                    "mode": "hybrid",
                    "status": "scheduled",
                    "agenda": "Welcome|Data",
                }
            ]
        }
    }
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post("/api/v1/data-package", payload, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["counts"]["meetings.csv"]["created"] == 1
    meeting = Meeting.objects.get(group__code="board", date="2026-09-01")
    assert [i.title for i in meeting.agenda_items.all()] == ["Welcome", "Data"]
    bad = {"files": {"meetings.csv": [{"group": "nope", "date": "2026-09-01", "mode": "hybrid", "status": "held"}]}}
    refused = client.post("/api/v1/data-package", bad, content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert "meetings.csv, row 2, column group: unknown group 'nope'" in refused.json()["errors"][0]["message"]


def test_the_documented_columns_are_the_ones_the_code_reads():
    from pathlib import Path

    from safeguarding.core.management.commands.describe_data_package import describe

    documented = (Path(__file__).resolve().parents[2] / "docs" / "data-package.md").read_text()
    assert describe().strip() in documented, "Run 'safeguarding describe_data_package' and update docs/data-package.md"
