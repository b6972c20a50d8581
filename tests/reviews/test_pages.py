"""The reviews pages: each form writes through its service and leaves an audit event;
each refusal shows on the form, naming the field, and writes nothing; and who may open
what, object by object (another agency's lead, a role without the permission, a lead
with no post)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.accounts import services as accounts
from safeguarding.core.models import AuditEvent
from safeguarding.reviews import services
from safeguarding.reviews.models import (
    AgencySummaryRequest,
    Chaser,
    RapidReview,
    RapidReviewSignOff,
    ReferralForConsideration,
    SeriousIncidentNotification,
)
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.reviews.conftest import AWARE, INCIDENT, NOTIFIED, SYSTEM, D

pytestmark = pytest.mark.django_db


def day(name: str, date: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(date.day), f"{name}-month": str(date.month), f"{name}-year": str(date.year)}


def signed_in_manager(client, world):
    return sign_in(client, world.business_manager)


def lead_of(world, organisation: str, username: str):
    person = accounts.person_create(
        full_name=f"{username.title()} Lead",
        organisation=world.org[organisation],
        job_title="Named nurse",
        seniority="manager",
        started_on=D(2020, 1, 1),
        actor=SYSTEM,
    )
    return UserFactory(username=username, person=person, roles=["agency_lead"])


def notification_form(world, **overrides) -> dict[str, str]:
    data = {
        "notified_by": str(world.org["council"].pk),
        "incident_place": "The family home",
        "incident_time": "09:30",
        "incident_area": str(world.areas["testshire"].pk),
        "home_area": str(world.areas["southvale"].pk),
        "reasons": [str(world.reasons[0].pk)],
        "child1_first_name": "Amy",
        "child1_last_name": "Example",
        **day("child1_date_of_birth", D(2020, 5, 1)),
        "child2_first_name": "Ben",
        "child2_last_name": "Example",
        "child2_looked_after": "on",
        **day("incident_on", INCIDENT),
        **day("became_aware_on", AWARE),
        **day("notified_panel_on", NOTIFIED),
    }
    return data | overrides


def errors_of(response) -> str:
    return response.content.decode()


def test_a_notification_is_recorded_with_its_children_and_an_audit_event(client, world):
    signed_in_manager(client, world)
    url = reverse("reviews:notification_create")
    assert client.get(url).status_code == 200

    before = AuditEvent.objects.count()
    aware_too_early = client.post(url, notification_form(world, **day("became_aware_on", D(2026, 3, 1))))
    assert aware_too_early.status_code == 200
    assert "cannot become aware before the incident" in errors_of(aware_too_early)
    unknown_child = client.post(url, notification_form(world, child3_reference="C-NOBODY"))
    assert "No linked child has the ID C-NOBODY" in errors_of(unknown_child)
    wrong_date = client.post(url, notification_form(world, **{"incident_on-day": "32"}))
    assert "must be a real date" in errors_of(wrong_date)
    bad_time = client.post(url, notification_form(world, incident_time="9.30am"))
    assert "for example 09:30" in errors_of(bad_time)
    assert SeriousIncidentNotification.objects.count() == 0
    assert AuditEvent.objects.count() == before

    response = client.post(url, notification_form(world))
    notification = SeriousIncidentNotification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:review", kwargs={"pk": notification.rapid_review.pk})
    assert [(c.first_name, c.looked_after) for c in notification.children.all()] == [("Amy", False), ("Ben", True)]
    assert notification.incident_time == dt.time(9, 30)
    assert AuditEvent.objects.filter(
        object_type="reviews.seriousincidentnotification", object_id=str(notification.pk), action="create"
    ).exists()


def test_a_late_notification_without_its_reason_is_refused_on_the_field(client, world):
    signed_in_manager(client, world)
    response = client.post(
        reverse("reviews:notification_create"), notification_form(world, **day("notified_panel_on", D(2026, 4, 20)))
    )
    assert "say why it was late" in errors_of(response)
    assert 'href="#id_late_reason"' in errors_of(response)
    assert SeriousIncidentNotification.objects.count() == 0


def test_the_list_shows_each_review_with_its_due_date_and_flags(client, world, django_assert_max_num_queries):
    for _ in range(3):
        world.notify()
    late = world.notify(notified_panel_on=D(2026, 4, 20), late_reason="The council was told late")
    signed_in_manager(client, world)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reviews:notifications"))
    page = response.content.decode()
    assert f"Rapid review {late.rapid_review.pk}" in page
    assert "Notified late" in page and "Overdue" in page  # every review's 15 days ran out in April
    assert "24 April 2026" in page


def test_not_required_is_recorded_and_a_refusal_names_the_field(client, world):
    review = world.notify().rapid_review
    signed_in_manager(client, world)
    url = reverse("reviews:not_required", kwargs={"pk": review.pk})
    before = AuditEvent.objects.count()
    refused = client.post(url, {"not_required_reason": "Not a serious harm", **day("not_required_on", D(2026, 3, 1))})
    assert "cannot come before the partners became aware" in errors_of(refused)
    assert 'href="#id_not_required_on-day"' in errors_of(refused)
    assert AuditEvent.objects.count() == before
    assert (
        client.post(url, {"not_required_reason": "Not a serious harm", **day("not_required_on", AWARE)}).status_code
        == 302
    )
    review.refresh_from_db()
    assert review.status == RapidReview.Status.NOT_REQUIRED
    assert AuditEvent.objects.count() > before


def test_asking_chasing_and_returning_a_summary_write_through_the_services(client, world):
    review = world.notify().rapid_review
    signed_in_manager(client, world)
    ask = reverse("reviews:summary_request", kwargs={"pk": review.pk})
    school = str(world.org["school"].pk)
    assert client.post(ask, {"organisation": school, **day("requested_on", D(2026, 4, 2))}).status_code == 302
    request = AgencySummaryRequest.objects.get()
    assert request.due_on == D(2026, 4, 17)  # the day plan's day 10, past Easter

    before = AuditEvent.objects.count()
    twice = client.post(ask, {"organisation": school, **day("requested_on", D(2026, 4, 2))})
    assert "has already been asked" in errors_of(twice) and 'href="#id_organisation"' in errors_of(twice)
    assert AuditEvent.objects.count() == before

    chase = reverse("reviews:summary_chase", kwargs={"pk": review.pk, "request_pk": request.pk})
    early = client.post(chase, {**day("chased_on", D(2026, 4, 1))})
    assert "cannot be chased before it was requested" in errors_of(early)
    assert client.post(chase, {**day("chased_on", D(2026, 4, 20)), "note": "Phoned"}).status_code == 302
    assert Chaser.objects.get().note == "Phoned"

    back = reverse("reviews:summary_return", kwargs={"pk": review.pk, "request_pk": request.pk})
    empty = client.post(back, {**day("returned_on", D(2026, 4, 21))})
    assert "Write the summary or upload it" in errors_of(empty)
    assert client.post(back, {**day("returned_on", D(2026, 4, 21)), "text": "Seen twice at school"}).status_code == 302
    request.refresh_from_db()
    assert request.returned_on == D(2026, 4, 21)
    assert AuditEvent.objects.filter(object_type="reviews.agencysummaryrequest", action="update").exists()
    page = client.get(reverse("reviews:review", kwargs={"pk": review.pk})).content.decode()
    assert "Oak School" in page and "21 April 2026" in page and "20 April 2026" in page


def decision_form(**overrides) -> dict[str, str]:
    data: dict[str, str] = {"outcome": "local_cspr", **day("decided_on", D(2026, 4, 20))}
    for code in ("improvements", "recurrent_themes", "joint_working", "panel_view"):
        data[f"{code}_met"] = "yes" if code != "panel_view" else "no"
        data[f"{code}_rationale"] = f"Because of {code}"
    return data | overrides


def test_a_rapid_review_runs_from_decision_to_the_panels_reply(client, world):
    review = world.notify().rapid_review
    signed_in_manager(client, world)
    pk = {"pk": review.pk}
    before = AuditEvent.objects.count()
    too_early = client.post(reverse("reviews:decide", kwargs=pk), decision_form(**day("decided_on", D(2026, 3, 1))))
    assert "cannot come before the partners became aware" in errors_of(too_early)
    signing_open = client.post(
        reverse("reviews:sign_off", kwargs=pk),
        {"partner_kind": "police", "person": world.people["conor"].pk, **day("signed_on", D(2026, 4, 21))},
    )
    assert "cannot be signed off" in errors_of(signing_open)
    assert AuditEvent.objects.count() == before

    decided = client.post(reverse("reviews:decide", kwargs=pk), decision_form(themes=[str(world.themes[0].pk)]))
    assert decided.status_code == 302
    review.refresh_from_db()
    assert review.status == RapidReview.Status.DECIDED and review.panel_view_met is False
    assert list(review.themes.all()) == [world.themes[0]]

    sign = reverse("reviews:sign_off", kwargs=pk)
    not_in_post = client.post(
        sign, {"partner_kind": "police", "person": world.people["ian"].pk, **day("signed_on", D(2026, 4, 21))}
    )
    assert "did not hold the police&#39;s Lead or Delegated Safeguarding Partner post" in errors_of(not_in_post)
    assert 'href="#id_person"' in errors_of(not_in_post)
    send = reverse("reviews:send", kwargs=pk)
    unsigned = client.post(send, day("sent_to_panel_on", D(2026, 4, 22)))
    assert "Still to sign off" in errors_of(unsigned)
    for kind, person in (("local_authority", "clare"), ("police", "conor"), ("icb", "dina")):
        signed = client.post(
            sign, {"partner_kind": kind, "person": world.people[person].pk, **day("signed_on", D(2026, 4, 21))}
        )
        assert signed.status_code == 302, kind
    assert RapidReviewSignOff.objects.count() == 3
    assert client.post(send, day("sent_to_panel_on", D(2026, 4, 22))).status_code == 302

    reply = reverse("reviews:panel_reply", kwargs=pk)
    before_sent = client.post(
        reply, {"panel_reply": "agrees", "panel_reply_text": "Agreed", **day("panel_replied_on", D(2026, 4, 21))}
    )
    assert "cannot reply before the review was sent" in errors_of(before_sent)
    agreed = client.post(
        reply, {"panel_reply": "agrees", "panel_reply_text": "Agreed", **day("panel_replied_on", D(2026, 5, 1))}
    )
    assert agreed.status_code == 302
    review.refresh_from_db()
    assert review.status == RapidReview.Status.REPLIED and review.sent_to_panel_on == D(2026, 4, 22)
    page = client.get(reverse("reviews:review", kwargs=pk)).content.decode()
    assert "Agreed" in page and "(on time)" in page and "Dina Delegated" in page


def test_a_referral_is_recorded_through_the_service_and_listed(client, world):
    signed_in_manager(client, world)
    url = reverse("reviews:referral_create")
    form = {
        "referred_by": world.org["school"].pk,
        "summary": "A pupil came to school injured",
        "decision": "do_not_notify",
        "reason": "Not serious harm",
        **day("referred_on", D(2026, 5, 4)),
        **day("decided_on", D(2026, 5, 5)),
    }
    backwards = client.post(url, form | day("decided_on", D(2026, 5, 1)))
    assert "cannot come before the referral" in errors_of(backwards)
    assert ReferralForConsideration.objects.count() == 0
    assert client.post(url, form).status_code == 302
    assert AuditEvent.objects.filter(object_type="reviews.referralforconsideration", action="create").exists()
    listed = client.get(reverse("reviews:referrals")).content.decode()
    assert "Oak School" in listed and "Not serious harm" in listed


def test_an_agency_lead_cannot_open_or_answer_another_agencys_request(client, world):
    review = world.notify().rapid_review
    asked = services.agency_summary_request(
        review=review, organisation=world.org["school"], requested_on=AWARE, actor=SYSTEM
    )
    answer = reverse("reviews:answer", kwargs={"pk": review.pk, "request_pk": asked.pk})
    reply = {"text": "Our summary", **day("returned_on", D(2026, 4, 10))}

    sign_in(client, lead_of(world, "trust", "tess"))  # the hospital was not asked
    before = AuditEvent.objects.count()
    assert client.get(answer).status_code == 404
    assert client.post(answer, reply).status_code == 404
    assert client.get(reverse("reviews:review", kwargs={"pk": review.pk})).status_code == 403
    assert AuditEvent.objects.count() == before
    asked.refresh_from_db()
    assert asked.returned_on is None

    sign_in(client, lead_of(world, "school", "sally"))
    early = client.post(answer, reply | day("returned_on", D(2026, 3, 30)))
    assert "cannot come back before it was asked for" in errors_of(early)
    assert client.post(answer, reply).status_code == 302
    asked.refresh_from_db()
    assert asked.text == "Our summary" and asked.returned_by


def test_an_agency_lead_lists_only_their_agencys_requests_and_without_a_post_none(client, world):
    review = world.notify().rapid_review
    for organisation in ("school", "trust"):
        services.agency_summary_request(
            review=review, organisation=world.org[organisation], requested_on=AWARE, actor=SYSTEM
        )
    sign_in(client, lead_of(world, "school", "sally"))
    page = client.get(reverse("reviews:my_requests")).content.decode()
    assert page.count("Send the summary") == 1
    home = client.get(reverse("core:home")).content.decode()
    assert "Agency summaries to send" in home

    postless = UserFactory(username="pat", roles=["agency_lead"])
    postless.person.posts.all().delete()
    sign_in(client, postless)
    page = client.get(reverse("reviews:my_requests")).content.decode()
    assert "You hold no post" in page and "Send the summary" not in page
    trust_request = AgencySummaryRequest.objects.get(organisation=world.org["trust"])
    assert (
        client.get(reverse("reviews:answer", kwargs={"pk": review.pk, "request_pk": trust_request.pk})).status_code
        == 404
    )


def test_the_childrens_details_are_shown_only_with_a_purpose_and_each_read_is_recorded(client, world):
    review = world.notify().rapid_review
    board = UserFactory(username="bob", roles=["board_member"])
    sign_in(client, board)
    page = client.get(reverse("reviews:review", kwargs={"pk": review.pk})).content.decode()
    assert "Child 1" in page and "Amy" not in page and "See the children" not in page
    assert client.get(reverse("reviews:children", kwargs={"pk": review.pk})).status_code == 403
    nobody = UserFactory(username="tom", roles=["training_coordinator"])
    sign_in(client, nobody)
    assert client.get(reverse("reviews:review", kwargs={"pk": review.pk})).status_code == 403

    signed_in_manager(client, world)
    url = reverse("reviews:children", kwargs={"pk": review.pk})
    assert "Amy" not in client.get(url).content.decode()
    reads = AuditEvent.objects.filter(action="read")
    before = reads.count()
    assert "Enter why" in client.post(url, {"purpose": ""}).content.decode()
    assert reads.count() == before
    shown = client.post(url, {"purpose": "Preparing the rapid review meeting"}).content.decode()
    assert "Amy Example" in shown and "aged 5" in shown
    assert reads.count() == before + 1
    assert "Preparing the rapid review meeting" in reads.first().purpose


def test_a_summary_is_read_only_with_a_purpose_and_the_read_is_recorded(client, world):
    review = world.notify().rapid_review
    asked = services.agency_summary_request(
        review=review, organisation=world.org["school"], requested_on=AWARE, actor=SYSTEM
    )
    services.agency_summary_return(
        review=review, organisation=world.org["school"], returned_on=D(2026, 4, 9), text="Seen twice", actor=SYSTEM
    )
    signed_in_manager(client, world)
    url = reverse("reviews:summary", kwargs={"pk": review.pk, "request_pk": asked.pk})
    assert "Seen twice" not in client.get(url).content.decode()
    shown = client.post(url, {"purpose": "Panel preparation"}).content.decode()
    assert "Seen twice" in shown
    assert AuditEvent.objects.filter(action="read", purpose__contains="Panel preparation").count() == 1
    other = reverse("reviews:summary", kwargs={"pk": review.pk + 1, "request_pk": asked.pk})
    assert client.get(other).status_code == 404


def test_the_business_managers_home_page_shows_what_falls_due(client, world):
    world.notify()
    signed_in_manager(client, world)
    home = client.get(reverse("core:home")).content.decode()
    assert "Notifications not yet decided" in home and "Rapid reviews overdue" in home
    scrutineer = UserFactory(username="ivy", roles=["scrutineer"])
    sign_in(client, scrutineer)
    home = client.get(reverse("core:home")).content.decode()
    assert "Notifications not yet decided" not in home
    assert 'href="/reviews/"' in home  # the navigation's entry


def test_only_the_asked_agencys_lead_reads_the_children_and_each_read_is_recorded(client, world):
    review = world.notify().rapid_review
    asked = services.agency_summary_request(
        review=review, organisation=world.org["school"], requested_on=AWARE, actor=SYSTEM
    )
    url = reverse("reviews:answer_children", kwargs={"pk": review.pk, "request_pk": asked.pk})
    reads = AuditEvent.objects.filter(action="read")

    sign_in(client, lead_of(world, "trust", "tess"))
    assert client.get(url).status_code == 404
    assert client.post(url, {"purpose": "Curious"}).status_code == 404
    assert reads.count() == 0

    sign_in(client, lead_of(world, "school", "sally"))
    answer = client.get(reverse("reviews:answer", kwargs={"pk": review.pk, "request_pk": asked.pk}))
    assert url in answer.content.decode()
    assert "Amy" not in client.get(url).content.decode()
    shown = client.post(url, {"purpose": "Finding our records for the summary"}).content.decode()
    assert "Amy Example" in shown
    assert reads.get().purpose.endswith("Finding our records for the summary")


def test_an_uploaded_summary_that_is_not_a_document_is_refused_on_the_file(client, world):
    review = world.notify().rapid_review
    asked = services.agency_summary_request(
        review=review, organisation=world.org["school"], requested_on=AWARE, actor=SYSTEM
    )
    signed_in_manager(client, world)
    back = reverse("reviews:summary_return", kwargs={"pk": review.pk, "request_pk": asked.pk})
    before = AuditEvent.objects.count()
    response = client.post(
        back, {**day("returned_on", D(2026, 4, 9)), "file": SimpleUploadedFile("s.pdf", b"MZ not a pdf")}
    )
    assert response.status_code == 200 and 'href="#id_file"' in response.content.decode()
    assert AuditEvent.objects.count() == before
    asked.refresh_from_db()
    assert asked.returned_on is None
