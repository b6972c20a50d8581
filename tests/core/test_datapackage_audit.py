"""Decision 0006: every record a data package writes goes through the shared audited
writer, so an import leaves an audit event for each record it creates, changes or
removes (a meeting's agenda items, its quorate flag, a course's learning outcomes
included), recorded against the import's actor; importing the same package again
writes nothing and adds no event."""

from safeguarding.accounts.models import Area, Organisation, Person, Post
from safeguarding.core.audit import SystemActor
from safeguarding.core.datapackage import export_package, import_files, import_package, parse_csv
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Role
from safeguarding.governance.models import AgendaItem, Attendance, Meeting
from safeguarding.performance.models import DataReturn, Indicator, Population, ReturnValue
from safeguarding.training.models import Course, LearningOutcome
from tests.conftest import make_persona
from tests.governance import test_data_package as governance_package
from tests.training import conftest as training_world
from tests.training import test_data_package as training_package

# The worlds the areas' own package tests build, used here as fixtures.
partnership = governance_package.partnership
package_partnership = governance_package.package_partnership
worked_example = training_world.worked_example
GOVERNANCE_MODELS, wipe_governance = governance_package.MODELS, governance_package._wipe
TRAINING_MODELS, wipe_training = training_package.MODELS, training_package._wipe

IMPORT = SystemActor("data package import: audit test")
WRITES = [AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.DELETE]


def _mark() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _writes_since(mark: int):
    return AuditEvent.objects.filter(pk__gt=mark, action__in=WRITES)


def _assert_each_record_created_by(models, events, actor_label: str) -> None:
    created = set(events.filter(action=AuditEvent.Action.CREATE).values_list("object_type", "object_id"))
    for model in models:
        records = {(model._meta.label_lower, str(pk)) for pk in model.objects.values_list("pk", flat=True)}
        assert records, f"the package writes {model.__name__} records"
        assert records <= created, f"every {model.__name__} written has its create event"
    assert set(events.values_list("actor_label", flat=True)) == {actor_label}


def _files(**texts):
    return {f"{name}.csv": parse_csv(f"{name}.csv", text.encode()) for name, text in texts.items()}


def test_a_governance_import_audits_every_record_it_writes_and_a_second_import_none(package_partnership, tmp_path):
    export_package(tmp_path)
    wipe_governance()
    mark = _mark()

    import_package(tmp_path, actor=IMPORT)

    events = _writes_since(mark)
    _assert_each_record_created_by(GOVERNANCE_MODELS, events, "system: data package import: audit test")
    assert AgendaItem in GOVERNANCE_MODELS and AgendaItem.objects.count() == 3
    # The quorate flag is worked out from the register once it is loaded, and audited.
    quorate = {
        int(event.object_id): event.changes["quorate"]
        for event in events.filter(action=AuditEvent.Action.UPDATE, object_type="governance.meeting")
        if "quorate" in event.changes
    }
    held = Meeting.objects.filter(attendance__isnull=False).distinct()
    assert held and quorate == {meeting.pk: [None, meeting.quorate] for meeting in held}

    again = _mark()
    report = import_package(tmp_path, actor=IMPORT)
    assert not _writes_since(again).exists()
    assert all(counts["created"] == counts["updated"] == 0 for counts in report.counts.values())


def test_a_changed_agenda_and_register_are_audited_item_by_item(package_partnership, tmp_path):
    export_package(tmp_path)
    meetings = tmp_path / "meetings.csv"
    meetings.write_text(meetings.read_text().replace("Welcome|", "Apologies|"))
    meeting = Meeting.objects.get(starts_at__isnull=False)
    assert meeting.quorate is True
    # Clare sends apologies: one member present, below the board's quorum of two.
    attendance = tmp_path / "attendance.csv"
    clare = f"board/{meeting.date.isoformat()}/10:00,{Person.objects.get(full_name='Clare').reference},"
    rows = attendance.read_text().splitlines()
    assert sum(row.startswith(clare) and ",in_person," in row for row in rows) == 1
    rows = [row.replace(",in_person,", ",apologies,") if row.startswith(clare) else row for row in rows]
    attendance.write_text("\n".join(rows) + "\n")
    before = [item.pk for item in meeting.agenda_items.all()]
    mark = _mark()

    report = import_package(tmp_path, actor=IMPORT)

    assert report.counts["meetings.csv"]["updated"] == 1
    assert report.counts["attendance.csv"]["updated"] == 1
    events = _writes_since(mark)
    removed = events.filter(action=AuditEvent.Action.DELETE, object_type="governance.agendaitem")
    assert sorted(int(pk) for pk in removed.values_list("object_id", flat=True)) == sorted(before)
    added = events.filter(action=AuditEvent.Action.CREATE, object_type="governance.agendaitem")
    assert sorted(int(pk) for pk in added.values_list("object_id", flat=True)) == sorted(
        meeting.agenda_items.values_list("pk", flat=True)
    )
    assert [e.changes["title"] for e in added.order_by("pk")] == [
        "Apologies",
        "Scrutineer's report, with questions",
        "Budget",
    ]
    on_meeting = [e.changes for e in events.filter(object_type="governance.meeting", object_id=str(meeting.pk))]
    report_item = "Scrutineer's report, with questions"
    assert {"agenda": [["Welcome", report_item, "Budget"], ["Apologies", report_item, "Budget"]]} in on_meeting
    assert {"quorate": [True, False]} in on_meeting
    assert events.filter(object_type="governance.attendance", action=AuditEvent.Action.UPDATE).count() == 1
    assert set(events.values_list("actor_label", flat=True)) == {"system: data package import: audit test"}


def test_a_training_import_audits_every_record_it_writes_and_a_second_import_none(worked_example, tmp_path):
    export_package(tmp_path)
    wipe_training()
    mark = _mark()

    import_package(tmp_path, actor=IMPORT)

    assert LearningOutcome in TRAINING_MODELS
    _assert_each_record_created_by(TRAINING_MODELS, _writes_since(mark), "system: data package import: audit test")
    again = _mark()
    import_package(tmp_path, actor=IMPORT)
    assert not _writes_since(again).exists()


COURSE = "code,title,description,level,format,duration_minutes,topics,outcomes\n"


def test_changed_learning_outcomes_are_audited_one_by_one(db):
    import_files(_files(courses=COURSE + "new,New,About,universal,classroom,60,,Spot it|Act on it\n"), actor=IMPORT)
    course = Course.objects.get(code="new")
    before = list(course.outcomes.values_list("pk", flat=True))
    mark = _mark()

    report = import_files(
        _files(courses=COURSE + "new,New,About,universal,classroom,60,,Spot it|Record it|Act on it\n"), actor=IMPORT
    )

    assert report.counts["courses.csv"] == {"created": 0, "updated": 1, "unchanged": 0}
    events = _writes_since(mark)
    removed = events.filter(action=AuditEvent.Action.DELETE, object_type="training.learningoutcome")
    assert sorted(int(pk) for pk in removed.values_list("object_id", flat=True)) == sorted(before)
    added = events.filter(action=AuditEvent.Action.CREATE, object_type="training.learningoutcome").order_by("pk")
    assert [(e.changes["position"], e.changes["text"]) for e in added] == [
        (1, "Spot it"),
        (2, "Record it"),
        (3, "Act on it"),
    ]
    assert events.get(object_type="training.course").changes == {
        "outcomes": [["Spot it", "Act on it"], ["Spot it", "Record it", "Act on it"]]
    }


PERFORMANCE = {
    "populations": "area,year,children\nE1,2026,1000\n",
    "indicators": "code,title,definition,unit,owner_kind,frequency,polarity,target\n"
    "refs,Referrals,Referrals received,count,local_authority,quarterly,lower_better,12.50\n",
    "returns": "organisation,period,version,is_current,submitted_at,submitted_by,source\n"
    "testshire-council,2026-Q1,1,true,2026-04-10T09:00,Bella,import\n",
    "return_values": "organisation,period,version,indicator,breakdown,breakdown_value,value,denominator\n"
    "testshire-council,2026-Q1,1,refs,,,410,\n",
}


def test_a_performance_import_is_audited_against_the_user_who_sent_it(db):
    user = make_persona(Role.BUSINESS_MANAGER)
    Area.objects.create(code="E1", name="Northshire")
    mark = _mark()

    import_files(_files(**PERFORMANCE), actor=user)

    events = _writes_since(mark)
    _assert_each_record_created_by([Population, Indicator, DataReturn, ReturnValue], events, user.get_username())
    assert set(events.values_list("actor", flat=True)) == {user.pk}
    again = _mark()
    import_files(_files(**PERFORMANCE), actor=user)
    assert not _writes_since(again).exists()


def test_an_accounts_import_audits_areas_organisations_people_and_posts(db):
    mark = _mark()
    import_files(
        _files(
            areas="code,name\nE1,Northshire\n",
            organisations="code,name,kind,standing,areas\nnc,Northshire Council,local_authority,statutory_partner,E1\n",
            people="person_key,full_name,organisation,job_title,seniority,started_on\n"
            "p1,Pat,nc,Chief Executive,lead_partner,2020-01-01\n",
        ),
        actor=IMPORT,
    )
    events = _writes_since(mark)
    _assert_each_record_created_by(
        [Area, Organisation, Person, Post], events, "system: data package import: audit test"
    )
    assert events.get(object_type="accounts.organisation").changes["areas"] == ["E1"]


def test_a_register_that_leaves_the_quorum_as_it_was_adds_no_event(package_partnership, tmp_path):
    """The quorum is worked out again after every register, but written only when it changes."""
    export_package(tmp_path)
    mark = _mark()
    report = import_files(_files(attendance=(tmp_path / "attendance.csv").read_text()), actor=IMPORT)
    assert report.counts["attendance.csv"]["unchanged"] == Attendance.objects.count()
    assert not _writes_since(mark).exists()
