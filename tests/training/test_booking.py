"""Booking, the waiting list, the register and the summary, on a small fixture."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguarding.accounts import services as accounts_services
from safeguarding.core.audit import SystemActor
from safeguarding.core.permissions import Role
from safeguarding.training import services
from safeguarding.training.models import Booking
from safeguarding.training.selectors import training_summary_for_report
from tests.conftest import make_persona, sign_in
from tests.factories import OrganisationFactory, three_hour_session

SYSTEM = SystemActor("test")


# E-mails go out after commit, so these tests commit as the real site does.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(transactional_db):
    school = OrganisationFactory(code="school", name="Riverside High", kind="school", email_domains="riverside.example")
    council = OrganisationFactory(
        code="council",
        name="Testshire Council",
        kind="local_authority",
        standing="statutory_partner",
        email_domains="testshire.example",
    )
    topic = services.topic_create(code="neglect", title="Neglect", actor=SYSTEM)
    course = services.course_create(
        code="gcp2",
        title="Graded Care Profile 2",
        description="d",
        level="targeted",
        format="classroom",
        duration_minutes=180,
        topics=[topic],
        outcomes=["Use GCP2", "Explain neglect"],
        actor=SYSTEM,
    )
    starts = timezone.now() + datetime.timedelta(days=10)
    session = three_hour_session(course, starts=starts, capacity=2, venue="Hall", actor=SYSTEM)
    return {"school": school, "council": council, "session": session, "course": course}


def _book(setup, name, org="school"):
    domain = setup[org].email_domains
    booking, token = services.booking_create(
        session=setup["session"],
        full_name=name,
        email=f"{name.lower()}@{domain}",
        organisation=setup[org],
        job_role="Teacher",
        actor=SYSTEM,
    )
    return booking, token


def test_third_booking_waits_and_is_promoted_when_a_place_frees(setup):
    first, _ = _book(setup, "Ann")
    _book(setup, "Bob")
    third, _ = _book(setup, "Cat")
    assert third.status == Booking.Status.WAITING
    promoted = services.booking_cancel(booking=first, actor=SYSTEM)
    assert promoted.pk == third.pk
    third.refresh_from_db()
    assert third.status == Booking.Status.CONFIRMED and third.promoted_at is not None
    assert any("A place has come up" in m.subject for m in mail.outbox)


def test_public_booking_needs_a_known_work_domain_and_holds_no_place_until_confirmed(setup):
    with pytest.raises(ValidationError) as error:
        services.booking_create(
            session=setup["session"],
            full_name="Eve",
            email="eve@gmail.example",
            organisation=setup["school"],
            job_role="TA",
            email_confirmed=False,
            actor=SYSTEM,
        )
    assert "@riverside.example" in str(error.value)
    pending, _ = services.booking_create(
        session=setup["session"],
        full_name="Dan",
        email="dan@riverside.example",
        organisation=setup["school"],
        job_role="TA",
        email_confirmed=False,
        actor=SYSTEM,
    )
    assert pending.status == Booking.Status.PENDING
    assert "Confirm your training booking" in mail.outbox[-1].subject
    confirmed = services.booking_confirm_email(booking=pending, actor=SYSTEM)
    assert confirmed.status == Booking.Status.CONFIRMED


def test_late_cancellation_is_recorded_and_summary_counts_by_hand(setup):
    ann, _ = _book(setup, "Ann")
    bob, _ = _book(setup, "Bob", org="council")
    session = setup["session"]
    services.booking_cancel(booking=bob, actor=SYSTEM, now=session.starts_at - datetime.timedelta(hours=2))
    bob.refresh_from_db()
    assert bob.outcome == Booking.Outcome.LATE_CANCELLATION
    services.session_record_register(session=session, outcomes={ann.pk: "attended"}, actor=SYSTEM)
    day = session.starts_at.date()
    summary = training_summary_for_report(date_from=day - datetime.timedelta(days=1), date_to=day)
    # By hand: 2 places offered; Ann and Bob held places (Bob cancelled late); Ann attended.
    assert (summary.total.places_offered, summary.total.booked, summary.total.attended) == (2, 2, 1)
    assert summary.total.late_cancellations == 1 and summary.total.no_shows == 0
    by_org = {c.label: c for c in summary.by_organisation}
    assert by_org["Testshire Council"].booked == 1 and by_org["Testshire Council"].attended == 0
    assert [t.label for t in summary.by_topic] == ["Neglect"]


def test_certificate_is_a_pdf_for_those_who_attended(setup, client):
    ann, _ = _book(setup, "Ann")
    services.session_record_register(session=setup["session"], outcomes={ann.pk: "attended"}, actor=SYSTEM)
    link = [m for m in mail.outbox if "How useful" in m.subject][-1].body
    token = link.split("/training/feedback/")[1].split("/")[0]
    response = client.get(f"/training/feedback/{token}/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    page = client.get(f"/training/feedback/{token}/")
    assert page.status_code == 200 and "Before the course: Use GCP2" in page.content.decode()


def test_training_records_round_trip_through_a_data_package(setup, tmp_path):
    from safeguarding.core.datapackage import export_package, import_package

    ann, _ = _book(setup, "Ann")
    bob, _ = _book(setup, "Bob", org="council")
    services.booking_cancel(booking=bob, actor=SYSTEM)
    services.session_record_register(session=setup["session"], outcomes={ann.pk: "attended"}, actor=SYSTEM)
    ann.refresh_from_db()
    outcome = setup["course"].outcomes.first()
    second = setup["course"].outcomes.last()
    services.evaluation_submit(
        booking=ann, answers={outcome.pk: (2, 4), second.pk: (1, 3)}, comments="Good", actor=SYSTEM
    )
    services.workforce_set(organisation=setup["school"], year=2026, headcount=80, actor=SYSTEM)
    export_package(tmp_path / "one")
    Booking.objects.all().delete()
    report = import_package(tmp_path / "one", actor=SYSTEM)
    assert report.counts["bookings.csv"]["created"] == 2
    assert report.counts["evaluations.csv"]["created"] == 2
    assert report.counts["workforce.csv"]["unchanged"] == 1
    export_package(tmp_path / "two")
    for file in (tmp_path / "one").iterdir():
        assert file.read_bytes() == (tmp_path / "two" / file.name).read_bytes(), file.name


def test_daily_emails_remind_once_and_ask_for_follow_up_after_three_months(setup):
    from django.core.management import call_command

    from safeguarding.training.models import Session

    ann, _ = _book(setup, "Ann")
    session = setup["session"]
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() + datetime.timedelta(days=2),
        ends_at=timezone.now() + datetime.timedelta(days=2, hours=3),
    )
    mail.outbox.clear()
    call_command("training_emails")
    call_command("training_emails")
    assert [m.subject for m in mail.outbox] == ["Reminder: training soon"]

    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=100),
        ends_at=timezone.now() - datetime.timedelta(days=100) + datetime.timedelta(hours=3),
    )
    Booking.objects.filter(pk=ann.pk).update(outcome="attended")
    mail.outbox.clear()
    call_command("training_emails")
    call_command("training_emails")
    assert [m.subject for m in mail.outbox] == ["Three months on: has the training changed your practice?"]


def test_summary_counts_a_promotion_and_a_practitioner_who_moved_organisation(setup):
    """By hand: capacity 2. Ann (school) and Bob (council) book; Cat (school) waits.
    Bob cancels in good time, so Cat is promoted. Ann attends, Cat does not come.
    A second session: Ann, now at the council, attends again."""
    ann, _ = _book(setup, "Ann")
    bob, _ = _book(setup, "Bob", org="council")
    cat, _ = _book(setup, "Cat")
    services.booking_cancel(booking=bob, actor=SYSTEM)
    session = setup["session"]
    services.session_record_register(session=session, outcomes={ann.pk: "attended", cat.pk: "no_show"}, actor=SYSTEM)
    later = services.session_create(
        course=setup["course"],
        starts_at=session.starts_at + datetime.timedelta(days=7),
        ends_at=session.ends_at + datetime.timedelta(days=7),
        capacity=5,
        booking_deadline=session.booking_deadline,
        venue="Hall",
        actor=SYSTEM,
    )
    moved, _ = services.booking_create(
        session=later,
        full_name="Ann",
        email="ann@testshire.example",
        organisation=setup["council"],
        job_role="Social worker",
        actor=SYSTEM,
    )
    services.session_record_register(session=later, outcomes={moved.pk: "attended"}, actor=SYSTEM)
    services.workforce_set(organisation=setup["council"], year=2026, headcount=10, actor=SYSTEM)
    day = session.starts_at.date()
    summary = training_summary_for_report(date_from=day, date_to=day + datetime.timedelta(days=8))
    total = summary.total
    assert (total.places_offered, total.booked, total.attended, total.no_shows) == (7, 3, 2, 1)
    assert total.waiting_list == 0 and total.late_cancellations == 0
    assert abs(total.no_show_rate - 1 / 3) < 1e-9
    by_org = {c.label: (c.booked, c.attended, c.no_shows) for c in summary.by_organisation}
    assert by_org == {"Riverside High": (2, 1, 1), "Testshire Council": (1, 1, 0)}
    reach = {r.organisation: (r.people_reached, r.workforce) for r in summary.reach}
    assert reach["Riverside High"][0] == 1 and reach["Testshire Council"][0] == 1


def test_elearning_import_is_all_or_nothing_with_clear_errors_and_idempotent(setup, client):
    from safeguarding.training import elearning
    from safeguarding.training.models import ElearningCompletion

    header = "record_id,course_code,full_name,email,organisation,job_role,completed_on\n"
    bad = (
        header + "1,gcp2,Ann,ann@riverside.example,school,TA,2026-02-30\n2,nope,Bob,bob@x.example,mars,TA,2026-01-01\n"
    )
    with pytest.raises(elearning.CompletionsImportError) as error:
        elearning.import_completions(data=bad.encode(), filename="export.csv", platform="lp", actor=SYSTEM)
    assert error.value.errors == [
        "export.csv, row 2, column completed_on: '2026-02-30' is not a date (use YYYY-MM-DD).",
        "export.csv, row 3, column course_code: unknown course 'nope'.",
        "export.csv, row 3, column organisation: unknown organisation code 'mars'.",
    ]
    assert ElearningCompletion.objects.count() == 0
    good = header + "1,gcp2,Ann,ann@riverside.example,school,TA,2026-02-03\n"
    first = elearning.import_completions(data=good.encode(), filename="export.csv", platform="lp", actor=SYSTEM)
    again = elearning.import_completions(data=good.encode(), filename="export.csv", platform="lp", actor=SYSTEM)
    assert (first.created, again.created, again.unchanged) == (1, 0, 1)
    with pytest.raises(elearning.CompletionsImportError, match="missing column"):
        elearning.import_completions(data=b"record_id,email\n1,a@b.c\n", filename="x.csv", platform="lp", actor=SYSTEM)


def test_the_api_summary_gives_the_page_figures(setup, client):
    from safeguarding.accounts.services import api_token_create
    from tests.conftest import make_persona

    ann, _ = _book(setup, "Ann")
    services.session_record_register(session=setup["session"], outcomes={ann.pk: "attended"}, actor=SYSTEM)
    _, token = api_token_create(organisation=setup["council"], name="feed", actor=make_persona("administrator"))
    day = setup["session"].starts_at.date()
    body = client.get(f"/api/v1/training/summary?from={day}&to={day}", headers={"Authorization": f"Bearer {token}"})
    assert body.status_code == 200
    total = body.json()["total"]
    assert (total["places_offered"], total["booked"], total["attended"], total["no_show_rate"]) == (2, 1, 1, 0.0)


def test_the_coordinator_is_told_of_registers_to_take(setup):
    from safeguarding.core.attention import attention_for
    from safeguarding.training.models import Session
    from tests.conftest import make_persona

    coordinator = make_persona("training_coordinator")
    _book(setup, "Ann")
    assert "Training registers to take" not in [i.title for i in attention_for(coordinator)]
    Session.objects.filter(pk=setup["session"].pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2), ends_at=timezone.now() - datetime.timedelta(days=1)
    )
    items = {i.title: i for i in attention_for(coordinator)}
    assert items["Training registers to take"].count == 1


# Staff booking for someone ----------------------------------------------------------------


def _staff_books(client, setup, **fields):
    andy = make_persona(Role.ANALYST)
    sign_in(client, andy)
    data = {"organisation": setup["school"].pk, "job_role": "Teacher"} | fields
    response = client.post(f"/training/sessions/{setup['session'].pk}/book/", data)
    assert response.status_code == 200, response.content.decode()[:500]
    return andy, response


def test_staff_booking_an_address_not_in_the_directory_waits_for_that_address_to_confirm(setup, client):
    _, response = _staff_books(client, setup, full_name="Anyone At All", email="anyone@riverside.example")
    booking = Booking.objects.get(email="anyone@riverside.example")
    assert booking.status == Booking.Status.PENDING and booking.confirmed_at is None
    assert booking.person is None
    assert "awaiting confirmation" in response.content.decode()
    assert mail.outbox[-1].to == ["anyone@riverside.example"]
    assert "Confirm your training booking" in mail.outbox[-1].subject
    # It holds no place until the address's owner follows the link.
    assert not setup["session"].bookings.filter(status=Booking.Status.CONFIRMED).exists()
    confirmed = services.booking_confirm_email(booking=booking, actor=SYSTEM)
    assert confirmed.status == Booking.Status.CONFIRMED


def test_staff_booking_an_address_outside_the_organisations_domains_is_refused(setup, client):
    _, response = _staff_books(client, setup, full_name="Eve", email="eve@gmail.example")
    assert "@riverside.example" in response.content.decode()
    assert not Booking.objects.filter(email="eve@gmail.example").exists()


def test_staff_booking_a_person_in_the_directory_is_confirmed_and_linked_to_them(setup, client):
    bob = accounts_services.person_create(
        full_name="Bob Teacher",
        email="Bob.Teacher@riverside.example",
        organisation=setup["school"],
        job_title="Teacher",
        seniority="practitioner",
        started_on=datetime.date(2020, 1, 1),
        actor=SYSTEM,
    )
    _staff_books(client, setup, full_name="Not Bob", email="bob.teacher@riverside.example")
    booking = Booking.objects.get(email="bob.teacher@riverside.example")
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.person == bob and booking.full_name == "Bob Teacher"


def test_staff_booking_themselves_is_confirmed_and_linked_to_their_own_person(setup, client):
    andy = make_persona(Role.ANALYST)
    andy.person.email = "andy@testshire.example"
    andy.person.save()
    sign_in(client, andy)
    data = {
        "full_name": "Andy Analyst",
        "email": "andy@testshire.example",
        "organisation": setup["council"].pk,
        "job_role": "Analyst",
    }
    assert client.post(f"/training/sessions/{setup['session'].pk}/book/", data).status_code == 200
    booking = Booking.objects.get(email="andy@testshire.example")
    assert booking.status == Booking.Status.CONFIRMED and booking.person == andy.person
