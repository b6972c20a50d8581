"""Governance writes: registers and quorum, deputies judged at the meeting, actions,
scrutiny responses, papers, and an audit event for every write."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from openpyxl import Workbook

from safeguarding.accounts import services as accounts
from safeguarding.core.audit import SystemActor
from safeguarding.core.models import AuditEvent
from safeguarding.core.uploads import MAX_DOCUMENT_BYTES
from safeguarding.governance import services as gov
from safeguarding.governance.models import Action, Attendance, Meeting, Paper, ScrutinyResponse
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")
D = dt.date
E = gov.RegisterEntry
MEETING_DAY = D(2026, 3, 10)


@pytest.fixture
def world(db):
    org = {
        "council": OrganisationFactory(code="c", name="Council", kind="local_authority", standing="statutory_partner"),
        "police": OrganisationFactory(code="p", name="Police", kind="police", standing="statutory_partner"),
        "icb": OrganisationFactory(code="i", name="ICB", kind="icb", standing="statutory_partner"),
        "neighbour": OrganisationFactory(code="n", name="Southvale Council", kind="local_authority", standing="other"),
        "school": OrganisationFactory(code="s", name="School", kind="school", standing="relevant_agency"),
    }

    def person(name, organisation, title, seniority):
        return accounts.person_create(
            full_name=name,
            organisation=org[organisation],
            job_title=title,
            seniority=seniority,
            started_on=D(2020, 1, 1),
            actor=SYSTEM,
        )

    p = {
        "clare": person("Clare", "council", "Chief Executive", "lead_partner"),
        "conor": person("Conor", "police", "Chief Constable", "lead_partner"),
        "iris": person("Iris", "icb", "Chief Executive", "lead_partner"),
        "nina": person("Nina", "neighbour", "Director of Children's Services", "director"),
        "ian": person("Ian", "police", "Chief Inspector", "manager"),
        "sam": person("Sam", "school", "Designated Safeguarding Lead", "practitioner"),
    }
    board = gov.group_create(
        code="board",
        name="Board",
        kind="board",
        quorum_minimum=3,
        quorum_needs_each_statutory_partner=True,
        actor=SYSTEM,
    )
    for who, organisation in (("clare", "council"), ("conor", "police"), ("iris", "icb")):
        gov.membership_add(
            group=board,
            person=p[who],
            organisation=org[organisation],
            expected_seniority="lead_partner",
            started_on=D(2025, 1, 1),
            actor=SYSTEM,
        )
    gov.membership_add(
        group=board,
        person=p["nina"],
        organisation=org["neighbour"],
        expected_seniority="director",
        role_in_group="adviser",
        started_on=D(2025, 1, 1),
        actor=SYSTEM,
    )
    meeting = gov.meeting_create(group=board, date=MEETING_DAY, mode="hybrid", actor=SYSTEM)
    return {"org": org, "people": p, "board": board, "meeting": meeting}


def _register(world, **statuses):
    p = world["people"]
    entries = [
        E(p[who], status) if isinstance(status, str) else E(p[who], "deputy", deputy=p[status[1]])
        for who, status in statuses.items()
    ]
    return gov.meeting_record_attendance(meeting=world["meeting"], entries=entries, actor=SYSTEM)


# Registers and quorum -----------------------------------------------------------------


def test_a_register_with_each_statutory_partner_is_quorate_and_marks_the_meeting_held(world):
    meeting = _register(world, clare="in_person", conor=("deputy", "ian"), iris="virtual", nina="apologies")
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.status, stored.quorate) == ("held", True)
    assert Attendance.objects.filter(meeting=meeting).count() == 4


def test_a_register_missing_a_statutory_partner_is_not_quorate_even_with_enough_people(world):
    # Four present, but the ICB is not represented; another area's council cannot stand in for it.
    meeting = _register(world, clare="in_person", conor="virtual", iris="apologies", nina="in_person")
    assert Meeting.objects.get(pk=meeting.pk).quorate is False


def test_another_areas_council_does_not_make_up_for_the_local_authority(world):
    meeting = _register(world, clare="absent", conor="in_person", iris="in_person", nina="in_person")
    assert Meeting.objects.get(pk=meeting.pk).quorate is False


def test_saving_the_register_again_replaces_it_and_recomputes_the_quorum(world):
    _register(world, clare="in_person", conor="apologies", iris="in_person")
    assert Meeting.objects.get(pk=world["meeting"].pk).quorate is False
    _register(world, clare="in_person", conor=("deputy", "ian"), iris="in_person")
    assert Meeting.objects.get(pk=world["meeting"].pk).quorate is True
    statuses = dict(Attendance.objects.filter(meeting=world["meeting"]).values_list("person__full_name", "status"))
    assert statuses == {"Clare": "in_person", "Conor": "deputy", "Iris": "in_person"}


def test_a_deputys_seniority_is_the_one_they_held_on_the_day_and_stays_after_a_promotion(world):
    meeting = _register(world, clare="in_person", conor=("deputy", "ian"), iris="in_person")
    accounts.person_change_post(
        person=world["people"]["ian"],
        organisation=world["org"]["police"],
        job_title="Assistant Chief Constable",
        seniority="delegated_partner",
        started_on=MEETING_DAY + dt.timedelta(days=30),
        actor=SYSTEM,
    )
    row = Attendance.objects.get(meeting=meeting, person=world["people"]["conor"])
    assert (row.deputy_job_title, row.deputy_seniority, row.expected_seniority) == (
        "Chief Inspector",
        "manager",
        "lead_partner",
    )
    assert row.deputy_organisation == world["org"]["police"]

    # Even when the register is saved again after the promotion, the meeting day counts.
    _register(world, clare="in_person", conor=("deputy", "ian"), iris="in_person")
    row = Attendance.objects.get(meeting=meeting, person=world["people"]["conor"])
    assert (row.deputy_job_title, row.deputy_seniority) == ("Chief Inspector", "manager")


def test_someone_not_on_the_group_cannot_be_on_the_register_and_nothing_is_written(world):
    _register(world, clare="in_person", conor="in_person", iris="in_person")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="Sam is not a member of Board"):
        _register(world, clare="apologies", sam="in_person")
    assert dict(Attendance.objects.filter(meeting=world["meeting"]).values_list("person__full_name", "status")) == {
        "Clare": "in_person",
        "Conor": "in_person",
        "Iris": "in_person",
    }
    assert AuditEvent.objects.count() == events


def test_a_member_whose_membership_had_ended_is_not_expected(world):
    membership = world["board"].memberships.get(person=world["people"]["nina"])
    gov.membership_end(membership=membership, ended_on=MEETING_DAY - dt.timedelta(days=1), actor=SYSTEM)
    with pytest.raises(ValidationError):
        _register(world, nina="in_person")
    assert not Attendance.objects.exists()


def test_a_deputy_must_be_named_and_a_member_listed_once(world):
    p = world["people"]
    with pytest.raises(ValidationError, match="Name the deputy"):
        gov.meeting_record_attendance(meeting=world["meeting"], entries=[E(p["conor"], "deputy")], actor=SYSTEM)
    with pytest.raises(ValidationError, match="more than once"):
        gov.meeting_record_attendance(
            meeting=world["meeting"], entries=[E(p["conor"], "in_person"), E(p["conor"], "virtual")], actor=SYSTEM
        )
    assert not Attendance.objects.exists()
    assert Meeting.objects.get(pk=world["meeting"].pk).status == "scheduled"


# Actions --------------------------------------------------------------------------------


def _action(world, **extra):
    return gov.action_create(
        reference="A1",
        title="Refresh the threshold document",
        owner_organisation=world["org"]["council"],
        created_on=D(2026, 1, 10),
        due_on=D(2026, 4, 1),
        actor=SYSTEM,
        **extra,
    )


def test_an_update_to_done_sets_the_completion_date_and_reopening_clears_it(world):
    action = _action(world)
    gov.action_add_update(action=action, on=D(2026, 2, 1), note="Started", status_after="in_progress", actor=SYSTEM)
    assert (action.status, action.completed_on) == ("in_progress", None)
    gov.action_add_update(
        action=action, on=D(2026, 3, 20), note="Done", status_after="done", evidence="Minutes", actor=SYSTEM
    )
    stored = Action.objects.get(pk=action.pk)
    assert (stored.status, stored.completed_on) == ("done", D(2026, 3, 20))
    assert list(stored.updates.values_list("status_after", "evidence")) == [("done", "Minutes"), ("in_progress", "")]
    gov.action_add_update(action=action, on=D(2026, 4, 2), note="Reopened", status_after="open", actor=SYSTEM)
    assert Action.objects.get(pk=action.pk).completed_on is None


def test_an_action_needs_a_due_date_unless_it_is_a_decision(world):
    with pytest.raises(ValidationError):
        gov.action_create(
            reference="A2",
            title="No date",
            owner_organisation=world["org"]["council"],
            created_on=D(2026, 1, 10),
            actor=SYSTEM,
        )
    decision = gov.action_create(
        reference="D1",
        title="Adopt the arrangements",
        owner_organisation=world["org"]["council"],
        created_on=D(2026, 1, 10),
        is_decision=True,
        actor=SYSTEM,
    )
    assert decision.due_on is None


# Scrutiny ---------------------------------------------------------------------------------


@pytest.fixture
def recommendation(world):
    return gov.recommendation_create(
        reference="SR-1",
        made_on=D(2026, 2, 1),
        scrutineer=world["people"]["sam"],
        finding="Chief executives delegate",
        recommendation="Attend in person",
        addressed_to=[world["org"]["council"], world["org"]["police"]],
        actor=SYSTEM,
    )


@pytest.mark.parametrize("response", ["partly", "rejected"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_partial_or_rejecting_response_needs_a_reason(world, recommendation, response, reason):
    with pytest.raises(ValidationError):
        gov.response_record(
            recommendation=recommendation,
            organisation=world["org"]["police"],
            response=response,
            reason=reason,
            responded_on=D(2026, 3, 1),
            actor=SYSTEM,
        )
    assert not ScrutinyResponse.objects.exists()


def test_the_database_refuses_a_rejection_without_a_reason(world, recommendation):
    with pytest.raises(IntegrityError), transaction.atomic():
        ScrutinyResponse.objects.create(
            recommendation=recommendation,
            organisation=world["org"]["police"],
            response="rejected",
            responded_on=D(2026, 3, 1),
        )


def test_responses_come_from_partners_it_was_addressed_to_and_a_second_one_replaces_the_first(world, recommendation):
    with pytest.raises(ValidationError, match="not addressed to ICB"):
        gov.response_record(
            recommendation=recommendation,
            organisation=world["org"]["icb"],
            response="accepted",
            responded_on=D(2026, 3, 1),
            actor=SYSTEM,
        )
    police = world["org"]["police"]
    gov.response_record(
        recommendation=recommendation,
        organisation=police,
        response="rejected",
        reason="No budget",
        responded_on=D(2026, 3, 1),
        actor=SYSTEM,
    )
    gov.response_record(
        recommendation=recommendation,
        organisation=police,
        response="accepted",
        responded_on=D(2026, 4, 1),
        actor=SYSTEM,
    )
    assert list(recommendation.responses.values_list("response", "reason")) == [("accepted", "")]


# Papers -----------------------------------------------------------------------------------


def _pdf() -> bytes:
    """A small, well-formed one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Minutes</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Agency", "Attended"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("minutes.pdf", _pdf, "application/pdf"),
        ("minutes.docx", _docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("figures.xlsx", _xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_a_meeting_paper_is_accepted_by_its_content(world, name, make, content_type):
    content = make()
    paper = gov.meeting_add_paper(
        meeting=world["meeting"], title="Paper", uploaded=SimpleUploadedFile(name, content), actor=SYSTEM
    )
    stored = Paper.objects.get(pk=paper.pk)
    assert (stored.content_type, stored.size_bytes) == (content_type, len(content))
    assert stored.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("minutes.pdf", b"These are the minutes, honestly.\n", "must be a PDF, Word"),
        ("minutes.docx", b"PK\x03\x04 not really a zip", "must be a PDF, Word"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_DOCUMENT_BYTES, "the limit is 10 MB"),
    ],
)
def test_a_paper_that_is_not_what_it_says_or_too_big_is_refused(world, name, content, message):
    with pytest.raises(ValidationError, match=message):
        gov.meeting_add_paper(
            meeting=world["meeting"], title="Paper", uploaded=SimpleUploadedFile(name, content), actor=SYSTEM
        )
    assert not Paper.objects.exists()


# Every write is audited ---------------------------------------------------------------------


def _every_service(world, recommendation, actor):
    """Each governance service once, yielding the model label its audit event should name."""
    org, p, meeting = world["org"], world["people"], world["meeting"]
    group = gov.group_create(code="sub", name="Sub", kind="subgroup", actor=actor)
    yield "governance.group"
    membership = gov.membership_add(
        group=group,
        person=p["sam"],
        organisation=org["school"],
        expected_seniority="practitioner",
        started_on=D(2025, 1, 1),
        actor=actor,
    )
    yield "governance.membership"
    gov.membership_end(membership=membership, ended_on=D(2026, 12, 31), actor=actor)
    yield "governance.membership"
    gov.meeting_create(group=group, date=D(2026, 5, 1), mode="virtual", agenda=["Welcome"], actor=actor)
    yield "governance.meeting"
    gov.meeting_update(meeting=meeting, minutes="Agreed.", actor=actor)
    yield "governance.meeting"
    gov.meeting_add_paper(meeting=meeting, title="Minutes", uploaded=SimpleUploadedFile("m.pdf", _pdf()), actor=actor)
    yield "governance.paper"
    gov.meeting_record_attendance(
        meeting=meeting, entries=[E(p["clare"], "in_person"), E(p["conor"], "apologies")], actor=actor
    )
    yield "governance.meeting"
    action = gov.action_create(
        reference="A9",
        title="Do it",
        owner_organisation=org["council"],
        created_on=D(2026, 1, 1),
        due_on=D(2026, 2, 1),
        actor=actor,
    )
    yield "governance.action"
    gov.action_add_update(action=action, on=D(2026, 1, 20), note="Done", status_after="done", actor=actor)
    yield "governance.actionupdate"
    priority = gov.priority_create(code="neglect", title="Neglect", started_on=D(2025, 4, 1), actor=actor)
    yield "governance.priority"
    gov.priority_add_update(priority=priority, on=D(2026, 1, 1), rating="little_or_none", narrative="n", actor=actor)
    yield "governance.priorityupdate"
    basis = gov.lawful_basis_create(code="uk-gdpr-6-1-e", title="UK GDPR Article 6(1)(e): public task", actor=actor)
    yield "governance.lawfulbasis"
    agreement = gov.agreement_create(
        reference="ISA-1",
        title="MASH",
        purpose="p",
        data_shared="d",
        parties=[org["council"], org["police"]],
        lawful_bases=[basis],
        signed_on=D(2025, 1, 1),
        review_due_on=D(2027, 1, 1),
        actor=actor,
    )
    yield "governance.sharingagreement"
    gov.agreement_renew(agreement=agreement, signed_on=D(2026, 12, 1), review_due_on=D(2028, 12, 1), actor=actor)
    yield "governance.sharingagreement"
    gov.recommendation_create(
        reference="SR-2",
        made_on=D(2026, 2, 1),
        scrutineer=p["sam"],
        finding="f",
        recommendation="r",
        addressed_to=[org["council"]],
        actor=actor,
    )
    yield "governance.scrutinyrecommendation"
    gov.response_record(
        recommendation=recommendation,
        organisation=org["council"],
        response="accepted",
        responded_on=D(2026, 3, 1),
        actor=actor,
    )
    yield "governance.scrutinyresponse"


def test_every_governance_service_records_who_did_what(world, recommendation, persona):
    bella = persona("business_manager")
    services = _every_service(world, recommendation, bella)
    count = 0
    while True:
        before = AuditEvent.objects.order_by("pk").last().pk
        try:
            object_type = next(services)
        except StopIteration:
            break
        written = AuditEvent.objects.filter(pk__gt=before)
        assert written.filter(object_type=object_type, actor=bella).exists(), object_type
        assert all(event.actor_label == "bella" for event in written)
        count += 1
    assert count == 16
