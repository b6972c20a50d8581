"""A half-year of training with every kind of booking, built from the factories, whose
figures are worked by hand in tests/training/test_selectors.py."""

import datetime as dt

import pytest

from tests.factories import (
    BookingFactory,
    CourseFactory,
    ElearningCompletionFactory,
    EvaluationAnswerFactory,
    EvaluationFactory,
    FollowUpFactory,
    OrganisationFactory,
    SessionFactory,
    TopicFactory,
    WorkforceFactory,
)

WINDOW = (dt.date(2026, 4, 1), dt.date(2026, 9, 30))


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30), tzinfo=dt.UTC)


@pytest.fixture
def worked_example(db):
    """Window 1 April to 30 September 2026.

    GCP2 (topic neglect, two outcomes): 12 May, 10 places: Ann (council) attended,
    Bob (council) did not come, Cat (police) attended, Dan (police) cancelled late,
    Eve (school) waits, Fay (school) cancelled in time, Gus (school) never confirmed.
    DA basics (topics neglect and domestic abuse, one outcome): 15 June, 6 places:
    Ann again and Hal (police) attended, Ivy (school) has a place, not yet registered.
    Not in the window: a cancelled GCP2 on 1 July (Jon booked), a GCP2 on 5 October
    (Kim attended). A year earlier: DA basics on 20 May 2025, 4 places: Lee (police)
    attended, Meg (police) did not come.
    """
    org = {
        "council": OrganisationFactory(code="council", name="Testshire Council", kind="local_authority"),
        "police": OrganisationFactory(code="police", name="Testshire Police", kind="police"),
        "school": OrganisationFactory(code="school", name="Riverside High", kind="school"),
        "fire": OrganisationFactory(code="fire", name="Testshire Fire", kind="fire_rescue"),
    }
    neglect = TopicFactory(code="neglect", title="Neglect")
    dv = TopicFactory(code="dv", title="Domestic abuse")
    gcp2 = CourseFactory(
        code="gcp2", title="Graded Care Profile 2", topics=[neglect], outcomes=["Use GCP2", "Explain neglect"]
    )
    da = CourseFactory(code="da", title="DA basics", topics=[neglect, dv], outcomes=["Spot coercive control"])
    s1 = SessionFactory(course=gcp2, starts_at=at(dt.date(2026, 5, 12)), capacity=10)
    s2 = SessionFactory(course=da, starts_at=at(dt.date(2026, 6, 15)), capacity=6)
    s3 = SessionFactory(
        course=gcp2, starts_at=at(dt.date(2026, 7, 1)), capacity=8, cancelled_at=at(dt.date(2026, 6, 1))
    )
    s4 = SessionFactory(course=gcp2, starts_at=at(dt.date(2026, 10, 5)), capacity=10)
    s0 = SessionFactory(course=da, starts_at=at(dt.date(2025, 5, 20)), capacity=4)

    def booking(session, name, where, **extra):
        return BookingFactory(
            session=session, full_name=name, email=f"{name.lower()}@{where}.example", organisation=org[where], **extra
        )

    b = {
        "ann1": booking(s1, "Ann", "council", attended=True),
        "bob": booking(s1, "Bob", "council", no_show=True),
        "cat": booking(s1, "Cat", "police", attended=True),
        "dan": booking(s1, "Dan", "police", late_cancellation=True),
        "eve": booking(s1, "Eve", "school", waiting=True),
        "fay": booking(s1, "Fay", "school", status="cancelled", cancelled_at=at(dt.date(2026, 5, 1))),
        "gus": booking(s1, "Gus", "school", pending=True),
        "ann2": booking(s2, "Ann", "council", attended=True),
        "hal": booking(s2, "Hal", "police", attended=True),
        "ivy": booking(s2, "Ivy", "school"),
        "jon": booking(s3, "Jon", "council", status="cancelled", cancelled_at=at(dt.date(2026, 6, 1))),
        "kim": booking(s4, "Kim", "council", attended=True),
        "lee": booking(s0, "Lee", "police", attended=True),
        "meg": booking(s0, "Meg", "police", no_show=True),
    }
    EvaluationFactory(booking=b["ann1"], confidence=(2, 4))
    cat = EvaluationFactory(booking=b["cat"])
    first, second = gcp2.outcomes.order_by("position")
    EvaluationAnswerFactory(evaluation=cat, outcome=first, confidence_before=1, confidence_after=5)
    EvaluationAnswerFactory(evaluation=cat, outcome=second, confidence_before=3, confidence_after=3)
    EvaluationFactory(booking=b["ann2"], confidence=(3, 4))
    EvaluationFactory(booking=b["kim"], confidence=(1, 1))  # outside the window
    FollowUpFactory(booking=b["ann1"], practice_changed="yes", example="I use the tool at every visit")
    FollowUpFactory(booking=b["cat"], practice_changed="partly", example="")
    FollowUpFactory(booking=b["hal"], practice_changed="no", example="Nothing has changed")
    FollowUpFactory(booking=b["kim"], practice_changed="yes", example="Outside the window")

    ElearningCompletionFactory(email="zoe@school.example", organisation=org["school"], completed_on=dt.date(2026, 5, 1))
    ElearningCompletionFactory(
        email="ann@council.example", organisation=org["council"], completed_on=dt.date(2026, 6, 1)
    )
    ElearningCompletionFactory(
        email="yan@school.example", organisation=org["school"], completed_on=dt.date(2026, 10, 10)
    )
    WorkforceFactory(organisation=org["council"], year=2026, headcount=50)
    WorkforceFactory(organisation=org["police"], year=2026, headcount=40)
    WorkforceFactory(organisation=org["fire"], year=2026, headcount=20)
    WorkforceFactory(organisation=org["school"], year=2025, headcount=30)  # last year's: not the window's
    return {"org": org, "bookings": b, "sessions": {"s0": s0, "s1": s1, "s2": s2, "s3": s3, "s4": s4}}
