"""7-minute briefings and their reach (downloads by agency, and the courses that carry the
learning), the themes across the years, and the move alerts about a review's children."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import AuditEvent
from safeguarding.moves.models import MoveAlert
from safeguarding.reviews import learning, selectors
from safeguarding.reviews.models import Briefing, BriefingDownload
from safeguarding.training.models import Booking
from tests.conftest import sign_in
from tests.factories import CourseFactory, SessionFactory, UserFactory
from tests.reviews.conftest import SYSTEM, D
from tests.reviews.test_pages import day, lead_of
from tests.reviews.test_services import decided

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def a_cspr(world):
    return learning.practice_review_open(
        origin="rapid_review", rapid_review=decided(world), decided_on=D(2026, 4, 22), title="Child Q", actor=SYSTEM
    )


def publish(world, **overrides):
    fields = {
        "title": "7-minute briefing: Child Q",
        "published_on": D(2026, 10, 1),
        "what_to_do_differently": "Ask where a family lived before.",
        "uploaded": SimpleUploadedFile("briefing.pdf", PDF),
        "actor": world.business_manager,
    }
    if "practice_reviews" not in overrides:
        fields["practice_reviews"] = [a_cspr(world)]
    return learning.briefing_publish(**(fields | overrides))


def test_a_briefing_is_published_from_a_review_and_refused_without_one_or_as_the_wrong_file(world):
    briefing = publish(world, themes=world.themes[:1])
    assert (briefing.content_type, list(briefing.themes.all())) == ("application/pdf", world.themes[:1])
    assert AuditEvent.objects.filter(object_type="reviews.briefing", object_id=str(briefing.pk)).exists()
    for overrides, field in [
        ({"title": "7-minute briefing: Child Q"}, "title"),
        ({"title": "Another", "practice_reviews": []}, "practice_reviews"),
        ({"title": "Another", "what_to_do_differently": " "}, "what_to_do_differently"),
        ({"title": "Another", "uploaded": SimpleUploadedFile("b.pdf", b"MZ not a pdf")}, "file"),
        ({"title": "Another", "published_on": D(2099, 1, 1)}, "published_on"),
    ]:
        with pytest.raises(ValidationError) as refused:
            publish(world, **overrides)
        assert field in refused.value.message_dict
    assert Briefing.objects.count() == 1


def test_reach_counts_downloads_by_agency_and_the_courses_attendance(world, client, django_assert_max_num_queries):
    course = CourseFactory(title="Neglect: what the reviews found")
    session = SessionFactory(course=course)
    for n, organisation in enumerate(("police", "police", "school")):
        Booking.objects.create(
            session=session, full_name=f"Trainee {n}", email=f"t{n}@example.org", organisation=world.org[organisation],
            job_role="Officer", status="confirmed", outcome="attended", booked_at=timezone.now(),
        )  # fmt: skip
    briefing = publish(world, courses=[course])
    school_lead, police_lead = lead_of(world, "school", "sally"), lead_of(world, "police", "pete")
    postless = UserFactory(username="pat", roles=["agency_lead"])
    postless.person.posts.all().delete()
    download = reverse("reviews:briefing_download", kwargs={"pk": briefing.pk})
    for reader in (school_lead, police_lead, police_lead, postless):
        sign_in(client, reader)
        response = client.get(download)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert BriefingDownload.objects.count() == 4
    with django_assert_max_num_queries(10):
        [reach] = selectors.briefings_for(world.business_manager)
    assert reach.downloads == 4
    assert reach.downloads_by_agency == [("No organisation", 1), ("Oak School", 1), ("Testshire Police", 2)]
    assert reach.agencies_reached == 2
    assert [(c.course.title, c.people, c.agencies) for c in reach.courses] == [
        ("Neglect: what the reviews found", 3, 2)
    ]
    sign_in(client, world.business_manager)
    page = client.get(reverse("reviews:briefing", kwargs={"pk": briefing.pk})).content.decode()
    assert "Downloads by agency: 4 in all" in page and "Testshire Police" in page


def test_briefings_are_for_the_partnerships_staff_and_published_by_the_business_unit(world, client):
    briefing = publish(world)
    councillor = UserFactory(username="cllr", roles=["scrutiny_member"])
    sign_in(client, councillor)
    assert client.get(reverse("reviews:briefings")).status_code == 403
    assert client.get(reverse("reviews:briefing_download", kwargs={"pk": briefing.pk})).status_code == 403
    assert BriefingDownload.objects.count() == 0
    trainer = UserFactory(username="tia", roles=["training_coordinator"])
    sign_in(client, trainer)
    assert briefing.title in client.get(reverse("reviews:briefings")).content.decode()
    assert client.get(reverse("reviews:briefing_create")).status_code == 403
    sign_in(client, world.business_manager)
    form = {
        "title": "7-minute briefing: Child R",
        "what_to_do_differently": "Check addresses.",
        "practice_reviews": [briefing.practice_reviews.get().pk],
        "file": SimpleUploadedFile("r.pdf", PDF),
        **day("published_on", D(2026, 10, 2)),
    }
    assert client.post(reverse("reviews:briefing_create"), form).status_code == 302
    form["file"] = SimpleUploadedFile("r.pdf", PDF)
    assert "already has this title" in client.post(reverse("reviews:briefing_create"), form).content.decode()


def test_themes_recur_by_year_and_a_review_counts_once(world, client):
    review = decided(world)
    review.themes.set(world.themes)  # neglect, transience and moves
    cspr = learning.practice_review_open(
        origin="rapid_review", rapid_review=review, decided_on=D(2026, 4, 22), title="Child Q", actor=SYSTEM
    )
    cspr.themes.set(world.themes[:1])  # neglect again: the same review
    older = world.notify(became_aware_on=D(2025, 3, 3), notified_panel_on=D(2025, 3, 5), incident_on=D(2025, 3, 1))
    older.rapid_review.themes.set(world.themes[:1])
    table = selectors.themes_by_year(world.business_manager)
    assert table.years == [2024, 2026]
    assert table.rows == [("Neglect", {2024: 1, 2026: 1}, 2), ("Transience and moves", {2026: 1}, 1)]
    assert selectors.themes_by_year(lead_of(world, "school", "sally")) is None
    sign_in(client, world.business_manager)
    page = client.get(reverse("reviews:themes")).content.decode()
    assert "2024/25" in page and "2026/27" in page and "Neglect" in page


def test_a_reviews_linked_child_who_moved_shows_its_move_alerts_to_the_business_unit(world, client):
    from safeguarding.children import services as children
    from safeguarding.children.models import AgencyRecord, Child, ImportBatch
    from safeguarding.reviews import services

    now = timezone.now()
    child = Child.objects.create(created_at=now)
    source = children.source_register(
        code="police-niche", name="Police system", organisation=world.org["police"], kind="police", actor=SYSTEM
    )
    record = AgencyRecord.objects.create(
        source=source, record_id="R1", last_name="Test", child=child, area=world.areas["testshire"],
        batch=ImportBatch.objects.create(origin="command", actor_label="test", at=now),
        first_received_at=now, updated_at=now,
    )  # fmt: skip
    notification = world.notify(children=[services.ChildDetails(child=child)])
    MoveAlert.objects.create(
        child=child, from_area=world.areas["southvale"], to_area=world.areas["testshire"], trigger="address",
        trigger_record=record, detected_by=source, address_changed_on=D(2026, 3, 1),
        raised_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
    )  # fmt: skip
    [seen] = selectors.move_alerts_for_review(world.business_manager, notification)
    assert seen.ordinal == 1
    assert selectors.move_alerts_for_review(UserFactory(username="bo", roles=["board_member"]), notification) == []
    sign_in(client, world.business_manager)
    page = client.get(reverse("reviews:review", kwargs={"pk": notification.rapid_review.pk})).content.decode()
    assert f"Child 1: move alert {seen.alert.pk}, Southvale to Testshire, raised 2 March 2026" in page
    assert selectors.themes_by_year(world.business_manager).moved_by_year == {2026: 1}


def test_the_agencies_holding_records_about_the_children_are_suggested_until_asked(world, client):
    from safeguarding.children import services as children
    from safeguarding.children.models import AgencyRecord, Child, ImportBatch
    from safeguarding.reviews import services

    now = timezone.now()
    child = Child.objects.create(created_at=now)
    batch = ImportBatch.objects.create(origin="command", actor_label="test", at=now)
    for n, organisation in enumerate(("police", "school")):
        source = children.source_register(
            code=f"system-{n}", name=f"System {n}", organisation=world.org[organisation], kind="other", actor=SYSTEM
        )
        AgencyRecord.objects.create(
            source=source, record_id=f"R{n}", last_name="Test", child=child, batch=batch,
            first_received_at=now, updated_at=now,
        )  # fmt: skip
    review = world.notify(children=[services.ChildDetails(child=child)]).rapid_review
    assert [o.name for o in selectors.suggested_agencies(world.business_manager, review)] == [
        "Oak School",
        "Testshire Police",
    ]
    assert selectors.suggested_agencies(UserFactory(username="bo", roles=["board_member"]), review) == []
    services.agency_summary_request(
        review=review, organisation=world.org["school"], requested_on=D(2026, 4, 2), actor=SYSTEM
    )
    assert [o.name for o in selectors.suggested_agencies(world.business_manager, review)] == ["Testshire Police"]
    sign_in(client, world.business_manager)
    form = client.get(reverse("reviews:summary_request", kwargs={"pk": review.pk})).content.decode()
    assert "Suggested, as their systems hold records about the children: Testshire Police" in form
    page = client.get(reverse("reviews:review", kwargs={"pk": review.pk})).content.decode()
    assert "hold records about the children: Testshire Police." in page
