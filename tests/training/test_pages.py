"""Training pages as practitioners, the coordinator and the wrong people use them: each
page's GET and POST, refusals, errors shown on the form, and no server error on bad input."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from safeguarding.core.audit import SystemActor
from safeguarding.core.date_input import date_input_data
from safeguarding.core.models import AuditEvent
from safeguarding.training import services
from safeguarding.training.models import (
    Booking,
    Course,
    ElearningCompletion,
    Evaluation,
    FollowUp,
    Session,
    Topic,
    Workforce,
)
from tests.factories import CourseFactory, OrganisationFactory, TopicFactory, gcp2_course, three_hour_session
from tests.training.conftest import WINDOW

SYSTEM = SystemActor("test")
B = Booking.Status


@pytest.fixture
def training(db):
    school = OrganisationFactory(code="school", name="Riverside High", kind="school", email_domains="riverside.example")
    neglect = TopicFactory(code="neglect", title="Neglect")
    TopicFactory(code="dv", title="Domestic abuse")
    course = gcp2_course(topics=[neglect], outcomes=["Use GCP2", "Explain neglect"], actor=SYSTEM)
    starts = timezone.now() + dt.timedelta(days=10)
    session = three_hour_session(course, starts=starts, capacity=1, venue="Hall", actor=SYSTEM)
    return {"school": school, "course": course, "session": session}


def book(training, name, **extra):
    return services.booking_create(
        session=training["session"],
        full_name=name,
        email=f"{name.lower()}@riverside.example",
        organisation=training["school"],
        job_role="Teacher",
        actor=SYSTEM,
        **extra,
    )


def text(response) -> str:
    return response.content.decode()


# The catalogue and a course ---------------------------------------------------------------------


def test_anyone_sees_the_catalogue_of_active_courses_and_can_filter_by_topic(client, training):
    CourseFactory(code="retired", title="Retired course", is_active=False)
    CourseFactory(code="dv-course", title="Domestic abuse basics", topics=[TopicFactory(code="dv")])
    page = client.get("/training/")
    assert page.status_code == 200
    assert "Graded Care Profile 2" in text(page) and "Domestic abuse basics" in text(page)
    assert "Retired course" not in text(page)
    assert "Manage sessions" not in text(page)
    neglect = text(client.get("/training/?topic=neglect"))
    assert "Graded Care Profile 2" in neglect and "Domestic abuse basics" not in neglect
    nothing = client.get("/training/?topic=no-such-topic")
    assert nothing.status_code == 200 and "Graded Care Profile 2" not in text(nothing)


def test_the_coordinator_sees_the_links_to_manage_from_the_catalogue(client, signed_in, training):
    signed_in(client, "training_coordinator")
    assert "Manage sessions" in text(client.get("/training/"))


def test_a_course_page_lists_its_outcomes_and_open_sessions(client, training):
    three_hour_session(training["course"], starts=timezone.now() + dt.timedelta(days=20), venue="Library", actor=SYSTEM)
    closed = three_hour_session(
        training["course"], starts=timezone.now() + dt.timedelta(days=30), venue="Annexe", actor=SYSTEM
    )
    services.session_cancel(session=closed, actor=SYSTEM)
    page = client.get("/training/courses/gcp2/")
    assert page.status_code == 200
    html = text(page)
    assert "Use GCP2" in html and "Explain neglect" in html
    assert "Library" in html and "Annexe" not in html


@pytest.mark.parametrize("code", ["no-such-course", "retired"])
def test_an_unknown_or_retired_course_is_not_found(client, training, code):
    CourseFactory(code="retired", is_active=False)
    assert client.get(f"/training/courses/{code}/").status_code == 404


# Booking ----------------------------------------------------------------------------------------


def test_a_practitioner_books_without_an_account_and_is_asked_to_confirm(client, training):
    page = client.get(f"/training/sessions/{training['session'].pk}/book/")
    assert page.status_code == 200 and "Riverside High" in text(page)
    response = client.post(
        f"/training/sessions/{training['session'].pk}/book/",
        {
            "full_name": "Ann Teacher",
            "email": "ann@riverside.example",
            "organisation": training["school"].pk,
            "job_role": "Teacher",
        },
    )
    assert response.status_code == 200 and "Booking awaiting confirmation" in text(response)
    booking = Booking.objects.get(email="ann@riverside.example")
    assert booking.status == B.PENDING
    event = AuditEvent.objects.get(object_type="training.booking", object_id=str(booking.pk))
    assert event.actor_label == "system: practitioner using an e-mailed link"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "ann@gmail.example"}, "Use your work e-mail address at Riverside High"),
        ({"email": "not an address"}, "Enter a valid email address"),
        ({"full_name": ""}, "Enter full name"),
        ({"organisation": "999999"}, "Select a valid choice"),
        ({"organisation": "abc"}, "Select a valid choice"),
        ({"job_role": "x" * 201}, "200 characters"),
    ],
)
def test_a_booking_with_a_mistake_shows_the_error_and_books_nothing(client, training, data, message):
    fields = {
        "full_name": "Ann",
        "email": "ann@riverside.example",
        "organisation": training["school"].pk,
        "job_role": "Teacher",
    } | data
    response = client.post(f"/training/sessions/{training['session'].pk}/book/", fields)
    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert message in text(response).replace("&#39;", "'")
    assert not Booking.objects.exists()


def test_booking_twice_names_the_address_already_booked(client, training):
    book(training, "Ann")
    response = client.post(
        f"/training/sessions/{training['session'].pk}/book/",
        {"full_name": "Ann", "email": "ANN@riverside.example", "organisation": training["school"].pk, "job_role": "T"},
    )
    assert response.status_code == 200 and "ann@riverside.example already has a booking" in text(response)
    assert Booking.objects.count() == 1


def test_booking_a_cancelled_session_says_bookings_are_closed(client, training):
    services.session_cancel(session=training["session"], actor=SYSTEM)
    response = client.post(
        f"/training/sessions/{training['session'].pk}/book/",
        {"full_name": "Ann", "email": "ann@riverside.example", "organisation": training["school"].pk, "job_role": "T"},
    )
    assert response.status_code == 200 and "Bookings for this session are closed." in text(response)
    assert not Booking.objects.exists()


def test_booking_a_session_that_does_not_exist_is_not_found(client, training):
    assert client.get("/training/sessions/999999/book/").status_code == 404


def test_signed_in_staff_booking_themselves_get_the_place_at_once(client, signed_in, training):
    client = signed_in(client, "analyst")
    page = client.get(f"/training/sessions/{training['session'].pk}/book/")
    assert "Andy Analyst" in text(page)  # the form starts with their own details
    response = client.post(
        f"/training/sessions/{training['session'].pk}/book/",
        {
            "full_name": "Andy Analyst",
            "email": Booking._meta.get_field("email").to_python("person1@example.org"),
            "organisation": training["school"].pk,
            "job_role": "Analyst",
        }
        | {"email": _own_email(client)},
    )
    assert response.status_code == 200 and "Your place is booked" in text(response)
    assert Booking.objects.get().status == B.CONFIRMED


def _own_email(client) -> str:
    from safeguarding.accounts.models import User

    return User.objects.get(pk=client.session["_auth_user_id"]).person.email


# Links in e-mails ---------------------------------------------------------------------------------


def test_following_the_confirmation_link_confirms_the_place(client, training):
    booking, token = book(training, "Ann", email_confirmed=False)
    page = client.get(f"/training/bookings/confirm/{token}/")
    assert page.status_code == 200 and "Confirm my booking" in text(page)
    response = client.post(f"/training/bookings/confirm/{token}/")
    assert response.status_code == 200 and "Your place is booked" in text(response)
    assert Booking.objects.get(pk=booking.pk).status == B.CONFIRMED
    assert "already place confirmed" in text(client.get(f"/training/bookings/confirm/{token}/"))


def test_confirming_for_a_cancelled_session_says_so(client, training):
    booking, token = book(training, "Ann", email_confirmed=False)
    Session.objects.filter(pk=training["session"].pk).update(cancelled_at=timezone.now())
    response = client.post(f"/training/bookings/confirm/{token}/", follow=True)
    assert response.redirect_chain[-1][0] == "/training/"
    assert "This session has been cancelled." in text(response)
    assert Booking.objects.get(pk=booking.pk).status == B.PENDING


@pytest.mark.parametrize(
    "path",
    [
        "/training/bookings/confirm/not-a-token/",
        "/training/bookings/not-a-token/",
        "/training/feedback/not-a-token/",
        "/training/feedback/not-a-token/certificate.pdf",
        "/training/follow-up/not-a-token/",
    ],
)
def test_a_link_with_a_wrong_token_is_not_found(client, training, path):
    assert client.get(path).status_code == 404


def test_a_wrong_token_cannot_cancel_anything(client, training):
    book(training, "Ann")
    assert client.post("/training/bookings/not-a-token/cancel/").status_code == 404
    assert Booking.objects.get().status == B.CONFIRMED


def test_the_practitioner_cancels_by_their_link_and_the_waiting_list_moves_up(client, training):
    ann, token = book(training, "Ann")
    bob, _ = book(training, "Bob")
    assert bob.status == B.WAITING
    assert "Cancel my booking" in text(client.get(f"/training/bookings/{token}/"))
    assert client.get(f"/training/bookings/{token}/cancel/").status_code == 405
    response = client.post(f"/training/bookings/{token}/cancel/", follow=True)
    assert response.redirect_chain == [(f"/training/bookings/{token}/", 302)]
    assert "Your booking is cancelled" in text(response) and "Cancel my booking" not in text(response)
    assert Booking.objects.get(pk=ann.pk).status == B.CANCELLED
    assert Booking.objects.get(pk=bob.pk).status == B.CONFIRMED


def test_a_no_show_cannot_turn_into_a_late_cancellation_by_their_link_afterwards(client, training):
    """The register is the trainer's record: once it says someone did not come, the
    booking link no longer rewrites it (it did, before this test)."""
    ann, token = book(training, "Ann")
    services.session_record_register(session=training["session"], outcomes={ann.pk: "no_show"}, actor=SYSTEM)
    response = client.post(f"/training/bookings/{token}/cancel/", follow=True)
    assert response.status_code == 200
    stored = Booking.objects.get(pk=ann.pk)
    assert (stored.status, stored.outcome) == (B.CONFIRMED, "no_show")
    assert "attendance has been recorded" in text(response)


def _attended(training):
    ann, _ = book(training, "Ann")
    services.session_record_register(session=training["session"], outcomes={ann.pk: "attended"}, actor=SYSTEM)
    token = "attended-token"
    Booking.objects.filter(pk=ann.pk).update(token_hash=services.hash_token(token))
    return Booking.objects.get(pk=ann.pk), token


def _evaluation_data(training, before="2", after="4"):
    data = {"comments": "Useful"}
    for outcome in training["course"].outcomes.all():
        data[f"before_{outcome.pk}"] = before
        data[f"after_{outcome.pk}"] = after
    return data


def test_the_evaluation_is_sent_once_and_then_thanked_for(client, training):
    ann, token = _attended(training)
    page = client.get(f"/training/feedback/{token}/")
    assert page.status_code == 200 and "After the course: Explain neglect" in text(page)
    response = client.post(f"/training/feedback/{token}/", _evaluation_data(training))
    assert response.status_code == 302 and response["Location"] == f"/training/feedback/{token}/"
    evaluation = Evaluation.objects.get(booking=ann)
    assert sorted(evaluation.answers.values_list("confidence_before", "confidence_after")) == [(2, 4), (2, 4)]
    again = client.get(f"/training/feedback/{token}/")
    assert "your evaluation is saved" in text(again) and "<form" not in text(again).split("govuk-main-wrapper")[1]
    client.post(f"/training/feedback/{token}/", _evaluation_data(training, "1", "1"))
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize(("before", "after"), [("", "4"), ("0", "4"), ("6", "4"), ("two", "4")])
def test_an_evaluation_with_a_missing_or_impossible_rating_shows_an_error(client, training, before, after):
    _, token = _attended(training)
    response = client.post(f"/training/feedback/{token}/", _evaluation_data(training, before, after))
    assert response.status_code == 200 and "govuk-error-summary" in text(response)
    assert not Evaluation.objects.exists()


def test_only_someone_who_attended_has_the_evaluation_certificate_and_follow_up(client, training):
    ann, token = book(training, "Ann")  # a place, no register yet
    for path in (
        f"/training/feedback/{token}/",
        f"/training/feedback/{token}/certificate.pdf",
        f"/training/follow-up/{token}/",
    ):
        assert client.get(path).status_code == 404, path


def test_the_certificate_is_a_pdf_named_for_the_course(client, training):
    _, token = _attended(training)
    response = client.get(f"/training/feedback/{token}/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="certificate-gcp2.pdf"'


def test_the_follow_up_is_answered_once(client, training):
    ann, token = _attended(training)
    assert client.get(f"/training/follow-up/{token}/").status_code == 200
    refused = client.post(f"/training/follow-up/{token}/", {"practice_changed": "maybe"})
    assert refused.status_code == 200 and "govuk-error-summary" in text(refused)
    response = client.post(f"/training/follow-up/{token}/", {"practice_changed": "yes", "example": "I ask more"})
    assert response.status_code == 302
    assert FollowUp.objects.get(booking=ann).example == "I ask more"
    assert "your answer is saved" in text(client.get(f"/training/follow-up/{token}/"))


# The coordinator's pages: who may open them ----------------------------------------------------------

MANAGE_PAGES = ["/training/manage/", "/training/manage/courses/add/", "/training/manage/sessions/add/",
                "/training/manage/elearning/", "/training/manage/workforce/"]  # fmt: skip


@pytest.mark.parametrize("role", ["analyst", "agency_lead", "board_member", "mash_practitioner", "scrutiny_member"])
def test_the_coordinators_pages_are_refused_to_other_roles(client, signed_in, training, role):
    signed_in(client, role)
    session = training["session"]
    for path in [
        *MANAGE_PAGES,
        f"/training/manage/sessions/{session.pk}/",
        f"/training/manage/sessions/{session.pk}/register/",
    ]:
        assert client.get(path).status_code == 403, path
    assert client.post(f"/training/manage/sessions/{session.pk}/cancel/").status_code == 403
    assert Session.objects.get(pk=session.pk).cancelled_at is None


def test_the_coordinators_pages_send_a_visitor_to_sign_in(client, training):
    for path in MANAGE_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/sign-in/?next="), path


@pytest.mark.parametrize("role", ["training_coordinator", "business_manager"])
def test_the_coordinator_and_business_manager_open_every_page(client, signed_in, training, role):
    signed_in(client, role)
    session = training["session"]
    for path in [
        *MANAGE_PAGES,
        f"/training/manage/sessions/{session.pk}/",
        f"/training/manage/sessions/{session.pk}/register/",
    ]:
        assert client.get(path).status_code == 200, path


# Sessions --------------------------------------------------------------------------------------------


def test_the_sessions_list_shows_upcoming_or_past_and_survives_a_bad_page_number(client, signed_in, training):
    signed_in(client, "training_coordinator")
    past = services.session_create(
        course=training["course"],
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=3, hours=-2),
        capacity=4,
        booking_deadline=timezone.localdate() - dt.timedelta(days=4),
        venue="Old Hall",
        actor=SYSTEM,
    )
    upcoming = text(client.get("/training/manage/"))
    past_page = text(client.get("/training/manage/?show=past"))
    assert f"/training/manage/sessions/{training['session'].pk}/" in upcoming
    assert f"/training/manage/sessions/{past.pk}/" not in upcoming
    assert f"/training/manage/sessions/{past.pk}/" in past_page
    for query in ("?page=abc", "?page=999", "?show=nonsense"):
        assert client.get(f"/training/manage/{query}").status_code == 200


def test_the_coordinator_adds_a_session(client, signed_in, training):
    signed_in(client, "training_coordinator")
    day = timezone.localdate() + dt.timedelta(days=40)
    response = client.post(
        "/training/manage/sessions/add/",
        {
            "course": training["course"].pk,
            **date_input_data("date", day),
            "starts_at": "09:30",
            "ends_at": "12:30",
            "venue": "Library",
            "online_link": "",
            "trainer": "",
            "capacity": "12",
            **date_input_data("booking_deadline", day - dt.timedelta(days=7)),
        },
    )
    session = Session.objects.get(venue="Library")
    assert response.status_code == 302 and response["Location"] == f"/training/manage/sessions/{session.pk}/"
    assert timezone.localtime(session.starts_at).time() == dt.time(9, 30)
    assert (session.capacity, session.booking_deadline) == (12, day - dt.timedelta(days=7))
    assert AuditEvent.objects.get(object_type="training.session", object_id=str(session.pk)).actor_label == "tom"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_at": "09:00"}, "The end time must be after the start time"),
        ({"deadline_after": True}, "Bookings must close on or before the day of the session"),
        ({"venue": ""}, "Enter a venue or an online joining link"),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"capacity": "lots"}, "Enter a whole number"),
        ({"starts_at": "25:99"}, "Start time must be a real time"),
        ({"date-month": "13"}, "Date of the session must be a real date"),
        ({"online_link": "not a link"}, "Enter a valid URL"),
    ],
)
def test_a_session_with_a_mistake_shows_the_error_and_adds_nothing(client, signed_in, training, change, message):
    signed_in(client, "training_coordinator")
    day = timezone.localdate() + dt.timedelta(days=40)
    deadline = day + dt.timedelta(days=1) if change.pop("deadline_after", False) else day
    data = {
        "course": training["course"].pk,
        **date_input_data("date", day),
        "starts_at": "09:30",
        "ends_at": "12:30",
        "venue": "Library",
        "capacity": "12",
        **date_input_data("booking_deadline", deadline),
    } | change
    response = client.post("/training/manage/sessions/add/", data)
    assert response.status_code == 200 and "govuk-error-summary" in text(response)
    assert message in text(response)
    assert Session.objects.count() == 1


def test_the_session_page_lists_bookings_and_cancelling_one_moves_the_waiting_list_up(client, signed_in, training):
    ann, _ = book(training, "Ann")
    bob, _ = book(training, "Bob")
    signed_in(client, "training_coordinator")
    session = training["session"]
    page = text(client.get(f"/training/manage/sessions/{session.pk}/"))
    assert "1 of 1 taken; 1 waiting" in page and "ann@riverside.example" in page
    response = client.post(f"/training/manage/sessions/{session.pk}/bookings/{ann.pk}/cancel/", follow=True)
    assert "Ann's booking cancelled. Bob moved up from the waiting list." in text(response).replace("&#39;", "'")
    assert Booking.objects.get(pk=bob.pk).status == B.CONFIRMED


def test_a_booking_is_cancelled_only_through_its_own_session(client, signed_in, training):
    ann, _ = book(training, "Ann")
    other = three_hour_session(training["course"], starts=timezone.now() + dt.timedelta(days=20), actor=SYSTEM)
    signed_in(client, "training_coordinator")
    assert client.post(f"/training/manage/sessions/{other.pk}/bookings/{ann.pk}/cancel/").status_code == 404
    assert client.post(f"/training/manage/sessions/{training['session'].pk}/bookings/999999/cancel/").status_code == 404
    assert (
        client.get(f"/training/manage/sessions/{training['session'].pk}/bookings/{ann.pk}/cancel/").status_code == 405
    )
    assert Booking.objects.get(pk=ann.pk).status == B.CONFIRMED


def test_the_coordinator_cannot_cancel_a_booking_whose_attendance_is_recorded(client, signed_in, training):
    ann, _ = book(training, "Ann")
    services.session_record_register(session=training["session"], outcomes={ann.pk: "attended"}, actor=SYSTEM)
    signed_in(client, "training_coordinator")
    response = client.post(f"/training/manage/sessions/{training['session'].pk}/bookings/{ann.pk}/cancel/", follow=True)
    assert response.status_code == 200 and "attendance has been recorded" in text(response)
    assert Booking.objects.get(pk=ann.pk).outcome == "attended"


def test_the_coordinator_cancels_a_session(client, signed_in, training):
    book(training, "Ann")
    signed_in(client, "training_coordinator")
    session = training["session"]
    assert client.get(f"/training/manage/sessions/{session.pk}/cancel/").status_code == 405
    response = client.post(f"/training/manage/sessions/{session.pk}/cancel/", follow=True)
    assert "Session cancelled; everyone booked has been told." in text(response)
    assert Session.objects.get(pk=session.pk).cancelled_at is not None
    assert Booking.objects.get().status == B.CANCELLED
    assert "Cancel this session" not in text(client.get(f"/training/manage/sessions/{session.pk}/"))


@pytest.mark.parametrize("path", ["/training/manage/sessions/999999/", "/training/manage/sessions/999999/register/"])
def test_a_session_that_does_not_exist_is_not_found(client, signed_in, training, path):
    signed_in(client, "training_coordinator")
    assert client.get(path).status_code == 404
    assert client.post("/training/manage/sessions/999999/cancel/").status_code == 404


def test_the_register_needs_an_answer_for_everyone_and_saves_nothing_without(client, signed_in, training):
    Session.objects.filter(pk=training["session"].pk).update(capacity=2)
    ann, _ = book(training, "Ann")
    bob, _ = book(training, "Bob")
    signed_in(client, "training_coordinator")
    url = f"/training/manage/sessions/{training['session'].pk}/register/"
    page = text(client.get(url))
    assert f"outcome-{ann.pk}-attended" in page and f"outcome-{bob.pk}-no_show" in page
    response = client.post(url, {f"outcome-{ann.pk}": "attended", f"outcome-{bob.pk}": "sort of"})
    assert response.status_code == 200 and "Choose whether Bob attended" in text(response)
    assert "govuk-error-summary" in text(response)
    assert set(Booking.objects.values_list("outcome", flat=True)) == {""}
    response = client.post(url, {f"outcome-{ann.pk}": "attended", f"outcome-{bob.pk}": "no_show"})
    assert response.status_code == 302
    assert dict(Booking.objects.values_list("full_name", "outcome")) == {"Ann": "attended", "Bob": "no_show"}


def test_the_coordinator_downloads_a_certificate_only_for_someone_who_attended(client, signed_in, training):
    Session.objects.filter(pk=training["session"].pk).update(capacity=2)
    ann, _ = book(training, "Ann")
    bob, _ = book(training, "Bob")
    services.session_record_register(
        session=training["session"], outcomes={ann.pk: "attended", bob.pk: "no_show"}, actor=SYSTEM
    )
    signed_in(client, "training_coordinator")
    base = f"/training/manage/sessions/{training['session'].pk}/bookings"
    response = client.get(f"{base}/{ann.pk}/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"{base}/{bob.pk}/certificate.pdf").status_code == 404


# The catalogue, e-learning and workforce ------------------------------------------------------------------


def _course_data(**change):
    return {
        "code": "cse",
        "title": "Child exploitation",
        "description": "Spotting it",
        "level": "universal",
        "format": "virtual",
        "duration_minutes": "90",
        "topics": [Topic.objects.get(code="neglect").pk],
        "outcomes": "Know the signs\n\n  Know who to tell  \n",
    } | change


def test_the_coordinator_adds_a_course(client, signed_in, training):
    signed_in(client, "training_coordinator")
    response = client.post("/training/manage/courses/add/", _course_data())
    assert response.status_code == 302 and response["Location"] == "/training/courses/cse/"
    course = Course.objects.get(code="cse")
    assert list(course.outcomes.values_list("text", flat=True)) == ["Know the signs", "Know who to tell"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "gcp2"}, "This short code is already used: choose another"),
        ({"outcomes": "  \n \n"}, "Enter learning outcomes"),
        ({"code": "not a slug!"}, "Enter a valid"),
        ({"duration_minutes": "0"}, "greater than or equal to 1"),
        ({"level": "expert"}, "Select a valid choice"),
        ({"outcomes": "x" * 301}, "300 characters"),
    ],
)
def test_a_course_with_a_mistake_shows_the_error_and_adds_nothing(client, signed_in, training, change, message):
    signed_in(client, "training_coordinator")
    response = client.post("/training/manage/courses/add/", _course_data(**change))
    assert response.status_code == 200 and "govuk-error-summary" in text(response)
    assert message in text(response)
    assert list(Course.objects.values_list("code", flat=True)) == ["gcp2"]


HEADER = "record_id,course_code,full_name,email,organisation,job_role,completed_on\n"


def test_the_coordinator_imports_e_learning_completions_and_sees_the_counts(client, signed_in, training):
    signed_in(client, "training_coordinator")
    upload = SimpleUploadedFile(
        "export.csv", (HEADER + "1,gcp2,Ann,Ann@riverside.example,school,TA,03/02/2026\n").encode()
    )
    response = client.post("/training/manage/elearning/", {"file": upload}, follow=True)
    assert "export.csv: 1 new, 0 updated, 0 unchanged." in text(response)
    completion = ElearningCompletion.objects.get()
    assert (completion.email, completion.completed_on, completion.platform) == (
        "ann@riverside.example",
        dt.date(2026, 2, 3),
        "learning-platform",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEADER + "1,gcp2,Ann,ann,school,TA,2026-02-03\n", "column email: &#39;ann&#39; is not an e-mail address"),
        (HEADER + "1,gcp2,Ann,a@b.c,school,TA,2026-02-03\n1,gcp2,Bo,b@b.c,school,TA,2026-02-03\n", "appears twice"),
        (HEADER + "1,,Ann,a@b.c,school,TA,2026-02-03\n", "column course_code: a value is required"),
        ("full_name,email\nAnn,a@b.c\n", "missing column(s) record_id, course_code, organisation, completed_on"),
        ("record_id,course_code\n".encode("utf-16"), "not UTF-8 text"),
    ],
)
def test_an_e_learning_file_with_a_problem_lists_it_and_imports_nothing(client, signed_in, training, content, message):
    signed_in(client, "training_coordinator")
    data = content if isinstance(content, bytes) else content.encode()
    response = client.post("/training/manage/elearning/", {"file": SimpleUploadedFile("export.csv", data)})
    assert response.status_code == 200 and message in text(response)
    assert not ElearningCompletion.objects.exists()


def test_an_e_learning_import_without_a_file_asks_for_one(client, signed_in, training):
    signed_in(client, "training_coordinator")
    # A browser's form always carries its CSRF field, so the form is bound.
    response = client.post("/training/manage/elearning/", {"csrfmiddlewaretoken": "x"})
    assert response.status_code == 200 and "govuk-error-summary" in text(response)


def test_the_coordinator_records_and_corrects_a_workforce_figure(client, signed_in, training):
    signed_in(client, "training_coordinator")
    school = training["school"]
    for headcount in ("80", "85"):
        response = client.post(
            "/training/manage/workforce/", {"organisation": school.pk, "year": "2025", "headcount": headcount}
        )
        assert response.status_code == 302
    assert Workforce.objects.get(organisation=school, year=2025).headcount == 85
    assert "Riverside High" in text(client.get("/training/manage/workforce/"))


@pytest.mark.parametrize(
    "change", [{"headcount": "0"}, {"headcount": "-3"}, {"year": "1999"}, {"year": "soon"}, {"organisation": "0"}]
)
def test_a_workforce_figure_with_a_mistake_shows_the_error(client, signed_in, training, change):
    signed_in(client, "training_coordinator")
    data = {"organisation": training["school"].pk, "year": "2025", "headcount": "80"} | change
    response = client.post("/training/manage/workforce/", data)
    assert response.status_code == 200 and "govuk-error-summary" in text(response)
    assert not Workforce.objects.exists()


# The summary page and downloads ---------------------------------------------------------------------------


def _window_query() -> str:
    start, end = WINDOW
    return (
        f"?date_from-day={start.day}&date_from-month={start.month}&date_from-year={start.year}"
        f"&date_to-day={end.day}&date_to-month={end.month}&date_to-year={end.year}"
    )


@pytest.mark.parametrize("role", ["training_coordinator", "agency_lead", "scrutineer", "board_member"])
def test_the_summary_page_and_downloads_give_the_hand_worked_figures(client, signed_in, worked_example, role):
    signed_in(client, role)
    page = client.get("/training/summary/" + _window_query())
    assert page.status_code == 200
    assert "Testshire Police" in text(page)
    csv_text = client.get("/training/summary.csv" + _window_query()).content.decode()
    assert "This window,16,7,4,1,1,1,14%" in csv_text
    assert "Testshire Council,1,50,2%,1" in csv_text
    workbook = load_workbook(io.BytesIO(client.get("/training/summary.xlsx" + _window_query()).content))
    rows = list(workbook["By course"].iter_rows(values_only=True))
    assert rows[0][0] == "Course"
    assert ("Graded Care Profile 2", 10, 4, 2, 1, 1, 1, "25%") in rows


@pytest.mark.parametrize("role", ["mash_practitioner", "scrutiny_member"])
def test_the_summary_is_refused_to_roles_without_the_figures(client, signed_in, worked_example, role):
    signed_in(client, role)
    for path in ("/training/summary/", "/training/summary.csv", "/training/summary.xlsx"):
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize(
    "query",
    [
        "?date_from-day=1&date_from-month=4&date_from-year=2026&date_to-day=1&date_to-month=1&date_to-year=2026",
        "?date_from-day=xx&date_from-month=4&date_from-year=2026",
        "?date_from=2026-02-30&date_to=2026-03-01",
        "?date_from-year=99999999999999999999",
    ],
)
def test_a_bad_window_shows_the_error_and_the_default_figures(client, signed_in, worked_example, query):
    signed_in(client, "training_coordinator")
    page = client.get("/training/summary/" + query)
    assert page.status_code == 200 and "govuk-error-summary" in text(page)
    assert client.get("/training/summary.csv" + query).status_code == 200
