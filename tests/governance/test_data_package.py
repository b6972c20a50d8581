"""Data packages: export then import into an empty database gives back the same
data; a second import changes nothing; any error names file, row and column and
nothing is written."""

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safeguarding.accounts import services as accounts
from safeguarding.accounts.models import Area, Organisation, Person, Post
from safeguarding.core import datapackage
from safeguarding.core.audit import SystemActor
from safeguarding.core.datapackage import PackageError, export_package, import_files, import_package, parse_csv
from safeguarding.core.models import AuditEvent
from safeguarding.governance import services as gov
from safeguarding.governance.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Group,
    LawfulBasis,
    Meeting,
    Membership,
    Priority,
    PriorityUpdate,
    ScrutinyRecommendation,
    ScrutinyResponse,
    SharingAgreement,
)
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")
DOC = Path(__file__).resolve().parents[2] / "docs" / "data-package.md"
D = dt.date
E = gov.RegisterEntry
MODELS = [
    Area,
    Organisation,
    Person,
    Post,
    Group,
    Membership,
    Meeting,
    AgendaItem,
    Attendance,
    Priority,
    PriorityUpdate,
    LawfulBasis,
    SharingAgreement,
    ScrutinyRecommendation,
    ScrutinyResponse,
    Action,
    ActionUpdate,
]  # in the order they depend on one another


@pytest.fixture
def partnership(db):
    """A small partnership built through the services: three statutory partners, a
    member who changed job (and the seat she holds), meetings where a Lead Partner
    sent a deputy, actions and priorities with updates, a recommendation with
    responses."""
    council = OrganisationFactory(code="c", name="Council", kind="local_authority", standing="statutory_partner")
    police = OrganisationFactory(code="p", name="Police", kind="police", standing="statutory_partner")
    icb = OrganisationFactory(code="i", name="ICB", kind="icb", standing="statutory_partner")

    def person(name, org, title, seniority):
        return accounts.person_create(
            full_name=name,
            organisation=org,
            job_title=title,
            seniority=seniority,
            started_on=D(2020, 1, 1),
            actor=SYSTEM,
        )

    clare = person("Clare", council, "Chief Executive", "lead_partner")
    conor = person("Conor", police, "Chief Constable", "lead_partner")
    dana = person("Dana", police, "Superintendent", "senior_manager")
    ian = person("Ian", police, "Chief Inspector", "manager")
    dee = person("Dee", council, "Director of Children's Services", "delegated_partner")
    accounts.person_change_post(
        person=dana,
        organisation=icb,
        job_title="Director of Nursing",
        seniority="director",
        started_on=D(2026, 3, 1),
        actor=SYSTEM,
    )
    board = gov.group_create(code="board", name="Board", kind="board", quorum_minimum=2, actor=SYSTEM)
    for who, org, seniority, started, ended in (
        (clare, council, "lead_partner", D(2025, 1, 1), None),
        (conor, police, "lead_partner", D(2025, 1, 1), None),
        (dana, police, "senior_manager", D(2025, 1, 1), D(2026, 2, 28)),
        (dana, icb, "director", D(2026, 3, 1), None),
    ):
        gov.membership_add(
            group=board,
            person=who,
            organisation=org,
            expected_seniority=seniority,
            started_on=started,
            ended_on=ended,
            actor=SYSTEM,
        )
    for day, entries in (
        (D(2026, 1, 15), [E(clare, "virtual"), E(conor, "deputy", deputy=ian), E(dana, "virtual")]),
        (D(2026, 4, 15), [E(clare, "deputy", deputy=dee), E(conor, "apologies"), E(dana, "in_person")]),
    ):
        meeting = gov.meeting_create(group=board, date=day, mode="virtual", actor=SYSTEM)
        gov.meeting_record_attendance(meeting=meeting, entries=entries, actor=SYSTEM)
    gov.meeting_create(group=board, date=D(2026, 5, 1), mode="virtual", status="cancelled", actor=SYSTEM)

    a1 = gov.action_create(
        reference="A1",
        title="Audit",
        owner_organisation=council,
        created_on=D(2026, 1, 15),
        due_on=D(2026, 6, 1),
        actor=SYSTEM,
    )
    gov.action_add_update(action=a1, on=D(2026, 2, 1), note="Started", status_after="in_progress", actor=SYSTEM)
    gov.action_add_update(action=a1, on=D(2026, 3, 1), note="Done", status_after="done", actor=SYSTEM)
    gov.action_create(
        reference="D1",
        title="A decision",
        owner_organisation=police,
        created_on=D(2026, 1, 15),
        is_decision=True,
        actor=SYSTEM,
    )
    priority = gov.priority_create(code="neglect", title="Neglect", started_on=D(2025, 4, 1), actor=SYSTEM)
    gov.priority_add_update(priority=priority, on=D(2026, 3, 1), rating="some", narrative="n", actor=SYSTEM)
    gov.priority_add_update(priority=priority, on=D(2026, 7, 15), rating="good", narrative="n", actor=SYSTEM)
    r1 = gov.recommendation_create(
        reference="R1",
        made_on=D(2026, 2, 1),
        scrutineer=dee,
        finding="f",
        recommendation="Attend",
        addressed_to=[council, police, icb],
        actor=SYSTEM,
    )
    gov.response_record(
        recommendation=r1, organisation=council, response="accepted", responded_on=D(2026, 3, 1), actor=SYSTEM
    )
    gov.response_record(
        recommendation=r1,
        organisation=police,
        response="rejected",
        reason="No",
        responded_on=D(2026, 3, 1),
        actor=SYSTEM,
    )
    return {"board": board}


@pytest.fixture
def package_partnership(partnership):
    """The partnership, plus the rest of a full package: areas, a timed meeting with
    an agenda and a deputy, an action from that meeting answering a recommendation,
    and an agreement with two parties and two lawful bases."""
    council, police, icb = (Organisation.objects.get(code=code) for code in ("c", "p", "i"))
    clare, conor, ian = (Person.objects.get(full_name=name) for name in ("Clare", "Conor", "Ian"))
    north = accounts.area_create(code="E06000001", name="Northshire", actor=SYSTEM)
    accounts.organisation_update(organisation=council, areas=[north], actor=SYSTEM)
    meeting = gov.meeting_create(
        group=partnership["board"],
        date=D(2026, 9, 1),
        starts_at=dt.time(10, 0),
        ends_at=dt.time(12, 0),
        mode="hybrid",
        venue="Town Hall, Room 2",
        agenda=["Welcome", "Scrutineer's report, with questions", "Budget"],
        actor=SYSTEM,
    )
    gov.meeting_record_attendance(
        meeting=meeting,
        entries=[E(clare, "in_person"), E(conor, "deputy", deputy=ian)],
        actor=SYSTEM,
    )
    action = gov.action_create(
        reference="A9",
        title="Report on attendance",
        description='Two lines,\nand a "quote"',
        owner_organisation=police,
        owner_person=conor,
        meeting=meeting,
        recommendation=ScrutinyRecommendation.objects.get(reference="R1"),
        created_on=D(2026, 9, 1),
        due_on=D(2026, 12, 1),
        actor=SYSTEM,
    )
    gov.action_add_update(
        action=action, on=D(2026, 10, 1), note="Drafted", evidence="v1", status_after="in_progress", actor=SYSTEM
    )
    gdpr = gov.lawful_basis_create(code="gdpr-6-1-e", title="UK GDPR 6(1)(e) public task", actor=SYSTEM)
    dpa = gov.lawful_basis_create(code="dpa-sch1-18", title="DPA 2018 Sch 1 para 18", actor=SYSTEM)
    gov.agreement_create(
        reference="ISA-1",
        title="MASH",
        purpose="Front door",
        data_shared="Referrals",
        parties=[council, icb],
        lawful_bases=[gdpr, dpa],
        signed_on=D(2025, 4, 1),
        review_due_on=D(2027, 4, 1),
        actor=SYSTEM,
    )
    return partnership


def _counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def _wipe():
    """Empty the partnership's tables, as a fresh database would be."""
    for model in reversed(MODELS):
        model.objects.all().delete()


def _files_in(path: Path) -> dict[str, bytes]:
    return {file.name: file.read_bytes() for file in sorted(path.iterdir())}


def test_export_import_into_an_empty_database_gives_back_the_same_package(package_partnership, tmp_path):
    export_package(tmp_path / "first")
    before = _counts()
    quorate = sorted(Meeting.objects.values_list("date", "quorate"))
    _wipe()
    assert not any(_counts().values())

    report = import_package(tmp_path / "first", actor=SYSTEM)

    assert report.counts["attendance.csv"]["created"] == before["Attendance"]
    assert _counts() == before
    assert sorted(Meeting.objects.values_list("date", "quorate")) == quorate
    export_package(tmp_path / "second")
    assert _files_in(tmp_path / "second") == _files_in(tmp_path / "first")
    # The person who changed job keeps both posts.
    dana = Person.objects.get(full_name="Dana")
    assert [p.organisation.code for p in dana.posts.order_by("started_on")] == ["p", "i"]
    meeting = Meeting.objects.get(date=D(2026, 9, 1))
    assert [i.title for i in meeting.agenda_items.order_by("position")][1] == "Scrutineer's report, with questions"
    assert meeting.attendance.get(status="deputy").deputy.full_name == "Ian"
    agreement = SharingAgreement.objects.get(reference="ISA-1")
    assert sorted(agreement.parties.values_list("code", flat=True)) == ["c", "i"]
    assert agreement.lawful_bases.count() == 2
    assert Action.objects.get(reference="A9").description == 'Two lines,\nand a "quote"'


def test_a_zip_package_round_trips_and_is_the_same_bytes_each_time(package_partnership, tmp_path):
    export_package(tmp_path / "one.zip")
    export_package(tmp_path / "again.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "again.zip").read_bytes()
    before = _counts()
    _wipe()
    import_package(tmp_path / "one.zip", actor=SYSTEM)
    assert _counts() == before
    export_package(tmp_path / "folder")
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == _files_in(tmp_path / "folder")


def test_the_export_writes_formulas_raw_and_says_it_is_data_for_machines(package_partnership, tmp_path, capsys):
    """Decision 0003: a leading apostrophe would change the data on re-import, so the
    package keeps cells raw and its README.txt says not to open it in a spreadsheet."""
    formula = '=HYPERLINK("http://x.example","click")'
    Area.objects.filter(code="E06000001").update(name=formula)
    call_command("export", str(tmp_path / "folder"))
    assert "do not open them in a spreadsheet" in capsys.readouterr().out
    export_package(tmp_path / "package.zip")

    assert f"E06000001,{_quoted(formula)}\n" in (tmp_path / "folder" / "areas.csv").read_text()
    with zipfile.ZipFile(tmp_path / "package.zip") as archive:
        readme = archive.read("README.txt").decode()
    assert readme == (tmp_path / "folder" / "README.txt").read_text()
    assert "data for machines, not for a spreadsheet" in readme
    assert "Do not open these files in a spreadsheet" in readme
    _wipe()
    import_package(tmp_path / "package.zip", actor=SYSTEM)  # README.txt is skipped
    assert Area.objects.get(code="E06000001").name == formula


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_importing_the_same_package_twice_changes_nothing(package_partnership, tmp_path, capsys):
    export_package(tmp_path)
    before, events = _counts(), AuditEvent.objects.count()

    call_command("import", str(tmp_path))
    call_command("import", str(tmp_path))

    assert _counts() == before
    assert AuditEvent.objects.count() == events
    out = capsys.readouterr().out
    assert f"meetings.csv: 0 created, 0 updated, {before['Meeting']} unchanged" in out
    assert f"people.csv: 0 created, 0 updated, {before['Post']} unchanged" in out
    summaries = [line for line in out.splitlines() if line.endswith(" unchanged")]
    assert summaries and all(": 0 created, 0 updated, " in line for line in summaries)


def test_a_changed_row_updates_its_record_and_is_audited(package_partnership, tmp_path):
    export_package(tmp_path)
    path = tmp_path / "priorities.csv"
    path.write_text(path.read_text().replace("Neglect", "Neglect and poverty"))
    report = import_package(tmp_path, actor=SYSTEM)
    assert report.counts["priorities.csv"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert Priority.objects.get(code="neglect").title == "Neglect and poverty"
    event = AuditEvent.objects.filter(object_type="governance.priority").latest("pk")
    assert event.changes["title"] == ["Neglect", "Neglect and poverty"]
    assert event.actor_label == "system: test"


def _files(**texts):
    return {name.replace("_csv", ".csv"): parse_csv(name, text.encode()) for name, text in texts.items()}


def _problems(files) -> list[str]:
    before, events = _counts(), AuditEvent.objects.count()
    with pytest.raises(PackageError) as error:
        import_files(files, actor=SYSTEM)
    assert _counts() == before and AuditEvent.objects.count() == events, "nothing is written"
    return error.value.errors


PEOPLE = "person_key,full_name,email,organisation,job_title,seniority,started_on,ended_on\n"


def test_every_problem_is_named_by_file_row_and_column_and_nothing_is_written(partnership):
    errors = _problems(
        _files(
            areas_csv="code,name\nE1,Eastshire\n",
            organisations_csv="code,name,kind,standing,areas,email_domains\n"
            "new-org,New Org,voluntary,relevant_agency,E1,\n"
            "bad-kind,Bad,charity,relevant_agency,,\n",
            people_csv=PEOPLE + "p1,Pat,,new-org,Worker,practitioner,2026-13-01,\n"
            "p2,Sam,,nowhere,Worker,practitioner,2026-01-01,\n"
            "p3,Lee,,c,Worker,boss,2026-01-01,\n"
            "p4,Kim,,c,Worker,practitioner,2026-01-01,\n"
            "p4,Kim,,c,Manager,manager,2026-01-01,\n",
            meetings_csv="group,date,starts_at,ends_at,mode,venue,status,agenda,minutes\n"
            "board,2026-02-02,,,virtual,,held,,\n",
        )
    )
    assert errors == [
        "organisations.csv, row 3, column kind: 'charity' is not one of local_authority, police, icb, nhs_trust, "
        "school, fire_rescue, probation, youth_justice, housing, voluntary, partnership, other.",
        "people.csv, row 2, column started_on: '2026-13-01' is not a date as YYYY-MM-DD.",
        "people.csv, row 3, column organisation: unknown organisation 'nowhere' (not in the package or the database).",
        "people.csv, row 4, column seniority: 'boss' is not one of lead_partner, delegated_partner, director, "
        "senior_manager, manager, practitioner.",
        "people.csv, row 6: the same record as row 5 (p4|c|2026-01-01).",
    ]


def test_a_missing_or_misspelt_column_and_an_unknown_file_are_reported(partnership):
    assert _problems(_files(groups_csv="code,name\nx,X\n")) == ["groups.csv: missing column(s) kind."]
    assert _problems(_files(groups_csv="code,name,kind,quorum_minmum\nx,X,board,2\n")) == [
        "groups.csv: unknown column(s) quorum_minmum; the columns are code, name, kind, purpose, quorum_minimum, "
        "quorum_needs_each_statutory_partner."
    ]
    [unknown] = _problems({"children.csv": []})
    assert unknown.startswith("children.csv: not a file this system knows; expected one of action_updates.csv")


def test_rules_across_columns_and_rows_are_checked_before_anything_is_written(partnership):
    errors = _problems(
        _files(
            people_csv=PEOPLE + "p1,Pat Smith,,c,Worker,practitioner,2026-01-01,2025-01-01\n"
            "p1,Pat Smyth,,p,Worker,practitioner,2026-02-01,\n",
            agreements_csv="reference,title,purpose,data_shared,parties,lawful_bases,signed_on,review_due_on\n"
            "ISA-2,T,P,D,c,x,,2027-01-01\n",
            lawful_bases_csv="code,title\nx,X\n",
            actions_csv="reference,title,owner_organisation,status,created_on,due_on,completed_on,is_decision\n"
            "A7,T,c,done,2026-01-01,2026-02-01,,\n",
        )
    )
    assert errors == [
        "people.csv, row 2, column ended_on: 2025-01-01 is before started_on (2026-01-01).",
        "people.csv, row 3, column full_name: 'Pat Smyth' differs from row 2 ('Pat Smith') for the same person_key p1.",
        "agreements.csv, row 2, column parties: an information sharing agreement needs at least two parties.",
        "actions.csv, row 2, column completed_on: a value is required when the status is done.",
    ]


def test_a_rule_only_the_database_knows_is_reported_and_rolls_everything_back(partnership):
    errors = _problems(
        _files(
            areas_csv="code,name\nE1,Eastshire\n",
            organisations_csv="code,name,kind,standing\nhospice,Hospice,voluntary,statutory_partner\n",
        )
    )
    assert errors == ["organisations.csv, row 2: breaks the rule 'statutory partner is la police or icb'."]
    assert not Area.objects.filter(code="E1").exists()


def test_badly_made_files_are_refused_with_their_name(tmp_path, monkeypatch, db):
    (tmp_path / "areas.csv").write_text("code,name\nE1,East,shire\n\nE2,West\n")
    (tmp_path / "groups.csv").write_bytes("code,name,kind\nx,Caf\xe9,board\n".encode("latin-1"))
    (tmp_path / "notes.csv").write_text("anything\n")
    with pytest.raises(PackageError) as error:
        import_package(tmp_path, actor=SYSTEM)
    assert error.value.errors[0].startswith("notes.csv: not a file this system knows")
    assert error.value.errors[1:] == [
        "areas.csv, row 2: 3 cells but the header has 2 columns.",
        "groups.csv: not UTF-8 text; save it as 'CSV UTF-8'.",
    ]
    monkeypatch.setattr(datapackage, "MAX_FILE_BYTES", 10)
    (tmp_path / "notes.csv").unlink()
    with pytest.raises(PackageError) as error:
        import_package(tmp_path, actor=SYSTEM)
    assert "areas.csv: larger than 0 MB; split it or send it in parts." in error.value.errors


def test_blank_rows_are_skipped_and_row_numbers_match_the_spreadsheet(db):
    errors = _problems(_files(areas_csv="code,name\nE1,East\n\n,\nE2,\n"))
    assert errors == ["areas.csv, row 5, column name: a value is required."]


def test_the_command_exits_with_an_error_listing_the_problems(tmp_path, capsys, partnership):
    (tmp_path / "groups.csv").write_text("code,name,kind\nx,X,committee\n")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import", str(tmp_path))
    assert "groups.csv, row 2, column kind: 'committee' is not one of board, delegated, subgroup." in (
        capsys.readouterr().err
    )
    assert not Group.objects.filter(code="x").exists()
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import", str(tmp_path / "missing"))


def test_the_export_command_writes_every_file(package_partnership, tmp_path, capsys):
    call_command("export", str(tmp_path))
    assert "attendance.csv: " in capsys.readouterr().out
    header = (tmp_path / "people.csv").read_text().splitlines()[0]
    assert header == PEOPLE.strip()


def test_partner_systems_send_the_same_records_through_the_api(partnership, client):
    """A partner token sends its own organisation's rows; governance stays with staff
    (every file's rule is in tests/core/test_datapackage_scope.py)."""
    from safeguarding.training.models import Workforce
    from tests.conftest import make_persona

    admin = make_persona("administrator")
    _, token = accounts.api_token_create(organisation=Organisation.objects.get(code="p"), name="feed", actor=admin)
    headers = {"Authorization": f"Bearer {token}"}
    payload = {"files": {"workforce.csv": [{"organisation": "p", "year": 2026, "headcount": 120}]}}
    response = client.post("/api/v1/data-package", payload, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["counts"]["workforce.csv"]["created"] == 1
    assert Workforce.objects.get(organisation__code="p").headcount == 120
    bad = {"files": {"workforce.csv": [{"organisation": "p", "year": "soon", "headcount": 1}]}}
    refused = client.post("/api/v1/data-package", bad, content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["message"] == (
        "workforce.csv, row 2, column year: 'soon' is not a whole number, 0 or more."
    )
    meetings = {
        "files": {"meetings.csv": [{"group": "board", "date": "2026-09-01", "mode": "hybrid", "status": "held"}]}
    }
    refused = client.post("/api/v1/data-package", meetings, content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["message"].startswith(
        "meetings.csv: a partner token of p may not send this file"
    )
    assert not Meeting.objects.filter(date="2026-09-01").exists()


def test_the_documented_columns_are_the_ones_the_code_reads():
    from safeguarding.core.management.commands.describe_data_package import describe

    assert describe().strip() in DOC.read_text(), "Run 'safeguarding describe_data_package' and update the doc"


def test_the_documented_example_imports_into_an_empty_database(db):
    doc = DOC.read_text()
    example = doc[doc.index("## Example") : doc.index("## Files and columns")]
    texts = dict(re.findall(r"^`(\w+\.csv)`[^\n]*\n\n```\n(.*?)```", example, re.S | re.M))
    assert len(texts) == 15

    report = import_files({name: parse_csv(name, text.encode()) for name, text in texts.items()}, actor=SYSTEM)

    assert report.counts["people.csv"]["created"] == 6 and Person.objects.count() == 5
    meeting = Meeting.objects.get()
    assert meeting.quorate and meeting.minutes == "Agreed the budget.\nActions A-1 and A-2."
    assert SharingAgreement.objects.get().parties.count() == 3
