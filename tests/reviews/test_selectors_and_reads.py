"""Who sees which review, and reads of a notified child's details or an agency's summary:
each read recorded with its purpose, each refused reader given nothing and nothing
recorded. The readers: the business manager (everything), the Board member and the
scrutineer (decisions, no child), the school's agency lead (only the reviews that asked
the school, only the school's request), the hospital's agency lead (another agency), an
agency lead with no post (no organisation), and a councillor (nothing)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguarding.children.models import Child
from safeguarding.core.models import AuditEvent
from safeguarding.reviews import reads, selectors, services
from tests.factories import PostFactory, UserFactory

D = dt.date


@pytest.fixture
def scene(world):
    """Two notifications; the school is asked for a summary on the first only, the
    hospital trust on the second only."""
    child = Child.objects.create(created_at=timezone.now())
    first = world.notify(
        children=[
            services.ChildDetails(child=child, first_name="Amy", last_name="Example", date_of_birth=D(2020, 5, 1)),
            services.ChildDetails(first_name="Ben", last_name="Example", date_of_birth=D(2018, 2, 3)),
        ]
    )
    second = world.notify()
    bm = world.business_manager
    school_request = services.agency_summary_request(
        review=first.rapid_review, organisation=world.org["school"], requested_on=D(2026, 4, 2), actor=bm
    )
    services.agency_summary_request(
        review=first.rapid_review, organisation=world.org["police"], requested_on=D(2026, 4, 2), actor=bm
    )
    services.agency_summary_request(
        review=second.rapid_review, organisation=world.org["trust"], requested_on=D(2026, 4, 2), actor=bm
    )
    services.agency_summary_return(
        review=first.rapid_review,
        organisation=world.org["school"],
        returned_on=D(2026, 4, 9),
        text="Amy's attendance fell from January.",
        actor=bm,
    )
    school_request.refresh_from_db()

    def reader(username, role, organisation=None):
        user = UserFactory(username=username, roles=[role])
        if organisation is not None:
            PostFactory(person=user.person, organisation=world.org[organisation])
        return user

    return {
        "first": first,
        "second": second,
        "child": child,
        "school_request": school_request,
        "bm": bm,
        "board": reader("carl", "board_member", "police"),
        "scrutineer": reader("ivy", "scrutineer"),
        "school_lead": reader("sally", "agency_lead", "school"),
        "trust_lead": reader("hana", "agency_lead", "trust"),
        "postless_lead": reader("nobody", "agency_lead"),
        "councillor": reader("cllr", "scrutiny_member", "council"),
    }


# Selectors --------------------------------------------------------------------------------


def test_the_business_unit_the_board_and_the_scrutineer_see_every_notification(scene):
    for who in ("bm", "board", "scrutineer"):
        assert set(selectors.notifications_for(scene[who])) == {scene["first"], scene["second"]}, who
    assert selectors.notifications_for(scene["bm"]).get(pk=scene["first"].pk).children_count == 2


def test_an_agency_lead_sees_only_the_notifications_that_asked_their_agency(scene):
    assert list(selectors.notifications_for(scene["school_lead"])) == [scene["first"]]
    assert list(selectors.notifications_for(scene["trust_lead"])) == [scene["second"]]
    assert list(selectors.notifications_for(scene["postless_lead"])) == []
    assert list(selectors.notifications_for(scene["councillor"])) == []


def test_an_agency_lead_sees_a_review_with_only_their_own_agencys_request(scene):
    first = scene["first"].rapid_review.pk
    view = selectors.rapid_review_for(scene["school_lead"], first)
    assert view is not None
    assert [r.organisation for r in view.summary_requests] == ["Oak School"]
    everyone = selectors.rapid_review_for(scene["bm"], first)
    assert everyone is not None
    assert [r.organisation for r in everyone.summary_requests] == ["Oak School", "Testshire Police"]
    # Day 15 from Wednesday 1 April 2026, Easter skipped: Friday 24 April.
    assert (everyone.plan[-1].due_on, everyone.notification_late, everyone.sent_on_time) == (
        D(2026, 4, 24),
        False,
        None,
    )


def test_a_review_that_did_not_ask_the_readers_agency_reads_as_missing(scene):
    first = scene["first"].rapid_review.pk
    assert selectors.rapid_review_for(scene["trust_lead"], first) is None  # another agency
    assert selectors.rapid_review_for(scene["postless_lead"], first) is None  # no organisation
    assert selectors.rapid_review_for(scene["councillor"], first) is None  # no permission
    assert selectors.rapid_review_for(scene["bm"], 999_999) is None


def test_summary_requests_are_scoped_to_the_agency(scene):
    assert [r.organisation for r in selectors.summary_requests_for(scene["school_lead"])] == ["Oak School"]
    assert selectors.summary_requests_for(scene["school_lead"], open_only=True) == []
    # The police's summary was due on Friday 17 April 2026 and has not come back.
    police = [
        r for r in selectors.summary_requests_for(scene["bm"], open_only=True) if r.organisation == "Testshire Police"
    ]
    assert (police[0].due_on, police[0].overdue) == (D(2026, 4, 17), True)
    assert len(selectors.summary_requests_for(scene["bm"])) == 3
    assert selectors.summary_requests_for(scene["postless_lead"]) == []
    assert selectors.summary_requests_for(scene["councillor"]) == []


def test_referrals_are_for_the_business_unit_only(scene, world):
    services.referral_record(
        referred_by=world.org["school"],
        referred_on=D(2026, 5, 5),
        summary="A pupil was injured.",
        decision="do_not_notify",
        decided_on=D(2026, 5, 6),
        reason="Not serious harm.",
        actor=world.business_manager,
    )
    assert selectors.referrals_for(scene["bm"]).count() == 1
    for who in ("board", "scrutineer", "school_lead", "councillor"):
        assert selectors.referrals_for(scene[who]).count() == 0, who


# Reads of a child's details -------------------------------------------------------------


def reads_recorded():
    return AuditEvent.objects.filter(action="read").count()


def test_the_business_manager_reads_a_linked_child_and_the_read_is_on_the_childs_log(scene):
    amy = scene["first"].children.get(ordinal=1)
    read = reads.notified_child_for_reader(user=scene["bm"], notified_child=amy, purpose="Preparing the panel")
    assert read is not None
    assert (read.child_reference, read.first_name, read.age_at_incident) == (scene["child"].reference, "Amy", 5)
    event = AuditEvent.objects.get(action="read")
    assert (event.actor, event.object_type, event.object_id) == (scene["bm"], "children.child", str(scene["child"].pk))
    assert event.purpose == f"Serious incident notification {scene['first'].pk}: Preparing the panel"


def test_an_unlinked_childs_read_is_recorded_against_the_notified_child(scene):
    ben = scene["first"].children.get(ordinal=2)
    read = reads.notified_child_for_reader(user=scene["school_lead"], notified_child=ben, purpose="Finding our records")
    assert read is not None and read.child_reference == ""
    event = AuditEvent.objects.get(action="read")
    assert (event.actor, event.object_type, event.object_id) == (
        scene["school_lead"],
        "reviews.notifiedchild",
        str(ben.pk),
    )


@pytest.mark.parametrize(
    "who",
    [
        "trust_lead",  # an agency lead of an agency that was not asked
        "postless_lead",  # an agency lead with no organisation
        "board",  # decisions only, no child's details
        "scrutineer",
        "councillor",  # no permission at all
    ],
)
def test_a_reader_who_may_not_see_the_child_gets_nothing_and_nothing_is_recorded(scene, who):
    amy = scene["first"].children.get(ordinal=1)
    assert reads.notified_child_for_reader(user=scene[who], notified_child=amy, purpose="Curious") is None
    assert reads_recorded() == 0


def test_a_read_needs_a_purpose(scene):
    amy = scene["first"].children.get(ordinal=1)
    with pytest.raises(ValidationError) as caught:
        reads.notified_child_for_reader(user=scene["bm"], notified_child=amy, purpose="  ")
    assert "purpose" in caught.value.message_dict
    assert reads_recorded() == 0


# Reads of an agency's summary -------------------------------------------------------------


def test_the_agency_that_wrote_a_summary_and_the_business_unit_read_it(scene):
    request = scene["school_request"]
    for who in ("school_lead", "bm"):
        read = reads.agency_summary_for_reader(user=scene[who], request=request, purpose="Checking the summary")
        assert read is not None and read.text == "Amy's attendance fell from January.", who
    events = AuditEvent.objects.filter(action="read", object_type="reviews.agencysummaryrequest")
    assert [e.actor for e in events.order_by("pk")] == [scene["school_lead"], scene["bm"]]


@pytest.mark.parametrize("who", ["trust_lead", "postless_lead", "board", "scrutineer", "councillor"])
def test_another_agencys_summary_reads_as_missing(scene, who):
    assert reads.agency_summary_for_reader(user=scene[who], request=scene["school_request"], purpose="x") is None
    assert reads_recorded() == 0


def test_an_asked_agency_lead_cannot_read_another_asked_agencys_summary(scene, world):
    police_request = scene["first"].rapid_review.summary_requests.get(organisation=world.org["police"])
    assert reads.agency_summary_for_reader(user=scene["school_lead"], request=police_request, purpose="x") is None
    assert reads_recorded() == 0
