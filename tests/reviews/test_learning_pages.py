"""The CSPR and recommendation pages: each step writes through ``reviews.learning`` and
leaves an audit event, a refusal shows on the form naming the field; and who may open
what: the business unit runs them, the Board and the scrutineer read them, an agency lead
reads only their own agency's recommendations, and a lead with no post none."""

import pytest
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.governance.models import Action
from safeguarding.reviews import learning
from safeguarding.reviews.models import ImpactEvidence, LearningRecommendation, PracticeReview
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.reviews.conftest import SYSTEM, D
from tests.reviews.test_pages import day, lead_of
from tests.reviews.test_services import decided

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def a_cspr(world) -> PracticeReview:
    return learning.practice_review_open(
        origin="rapid_review", rapid_review=decided(world), decided_on=D(2026, 4, 22), title="Child Q", actor=SYSTEM
    )


def test_a_cspr_runs_through_its_pages_from_opening_to_publication(client, world):
    sign_in(client, world.business_manager)
    review = decided(world)
    opening = client.get(reverse("reviews:practice_review_open") + f"?rapid_review={review.pk}")
    assert opening.status_code == 200 and 'value="rapid_review" checked' in text(opening)
    form = {
        "origin": "rapid_review",
        "rapid_review": review.pk,
        "title": "Child Q",
        **day("decided_on", D(2026, 4, 22)),
    }
    assert client.post(reverse("reviews:practice_review_open"), form).status_code == 302
    cspr = PracticeReview.objects.get()
    assert AuditEvent.objects.filter(object_type="reviews.practicereview", object_id=str(cspr.pk)).exists()
    step = lambda name, data: client.post(reverse(f"reviews:cspr_{name}", kwargs={"pk": cspr.pk}), data)  # noqa: E731

    commission = {
        "reviewer_name": "Rowan Reviewer",
        "terms_of_reference": "How agencies shared what they knew.",
        **day("contract_starts_on", D(2026, 5, 1)),
        **day("contract_ends_on", D(2026, 4, 30)),
    }
    assert "cannot end before it starts" in text(step("commission", commission))
    assert step("commission", commission | day("contract_ends_on", D(2026, 10, 31))).status_code == 302
    assert step("parallel_process", {"kind": "police", "description": "Criminal trial"}).status_code == 302
    assert step("pause", {"reason": "The trial", **day("paused_on", D(2026, 6, 1))}).status_code == 302
    page = text(client.get(reverse("reviews:practice_review", kwargs={"pk": cspr.pk})))
    assert "Paused now" in page and "Record that work resumed" in page
    assert step("resume", day("resumed_on", D(2026, 7, 1))).status_code == 302
    assert step("report", {"kind": "final", **day("received_on", D(2026, 9, 1))}).status_code == 302
    publication = {
        "public_link": "https://testshire.example/child-q.pdf",
        "redaction_checked_by": "Bella",
        **day("published_on", D(2026, 9, 30)),
        **day("redaction_checked_on", D(2026, 9, 10)),
        **day("published_until", D(2027, 9, 30)),
    }
    assert step("send", day("sent_to_panel_on", D(2026, 9, 24))).status_code == 302
    refused = text(step("publish", publication))
    assert "publish on 5 October 2026 or later" in refused
    assert step("publish", publication | day("published_on", D(2026, 10, 5))).status_code == 302
    cspr.refresh_from_db()
    assert (cspr.status, cspr.published_on) == ("published", D(2026, 10, 5))
    listing = text(client.get(reverse("reviews:practice_reviews")))
    assert "CSPR-2026-01: Child Q" in listing and "5.4 of 6" in listing and "30 days" in listing


def test_a_recommendation_is_closed_with_impact_evidence_through_the_pages(client, world):
    cspr = a_cspr(world)
    sign_in(client, world.business_manager)
    form = {
        "source": "cspr",
        "text": "Check previous addresses.",
        "owner_organisation": world.org["council"].pk,
        **day("made_on", D(2026, 9, 28)),
        **day("due_on", D(2026, 11, 30)),
    }
    assert "Choose the cspr it comes from" in text(client.post(reverse("reviews:recommendation_create"), form))
    assert client.post(reverse("reviews:recommendation_create"), form | {"practice_review": cspr.pk}).status_code == 302
    rec = LearningRecommendation.objects.get()
    here = lambda name: reverse(f"reviews:recommendation_{name}", kwargs={"pk": rec.pk})  # noqa: E731
    action = {"title": "Add the check to the contact form", **day("due_on", D(2026, 12, 31))}
    assert client.post(here("action"), action).status_code == 302
    assert "evidence of impact" in text(client.post(here("close"), day("closed_on", D(2026, 11, 20))))
    evidence = {"kind": "narrative", "summary": "Practitioners now ask.", **day("recorded_on", D(2026, 11, 10))}
    assert client.post(here("impact"), evidence).status_code == 302
    assert "Actions still open: REC-2026-01-A1" in text(client.post(here("close"), day("closed_on", D(2026, 11, 20))))
    Action.objects.filter(reference="REC-2026-01-A1").update(status="done", completed_on=D(2026, 11, 1))
    assert client.post(here("close"), day("closed_on", D(2026, 11, 20))).status_code == 302
    rec.refresh_from_db()
    assert rec.status == "closed" and ImpactEvidence.objects.filter(recommendation=rec).count() == 1
    listing = text(client.get(reverse("reviews:recommendations")))
    assert "REC-2026-01" in listing and "Closed with evidence of impact" in listing


def test_only_the_business_unit_runs_a_cspr_and_its_recommendations(client, world):
    cspr = a_cspr(world)
    ours = learning.recommendation_create(
        origin=cspr, text="Council's", owner_organisation=world.org["council"],
        made_on=D(2026, 9, 28), due_on=D(2026, 11, 30), actor=SYSTEM,
    )  # fmt: skip
    theirs = learning.recommendation_create(
        origin=cspr, text="The school's", owner_organisation=world.org["school"],
        made_on=D(2026, 9, 28), due_on=D(2026, 11, 30), actor=SYSTEM,
    )  # fmt: skip
    steps = [
        reverse("reviews:practice_review_open"),
        *(
            reverse(f"reviews:cspr_{step}", kwargs={"pk": cspr.pk})
            for step in ("commission", "parallel_process", "pause", "resume", "report", "monitoring", "send", "publish")
        ),
        reverse("reviews:recommendation_create"),
        reverse("reviews:national_review_create"),
        *(reverse(f"reviews:recommendation_{s}", kwargs={"pk": ours.pk}) for s in ("action", "impact", "close")),
    ]
    board = UserFactory(username="bob", person=world.people["conor"], roles=["board_member"])
    school_lead = lead_of(world, "school", "sally")
    postless = UserFactory(username="pat", roles=["agency_lead"])
    postless.person.posts.all().delete()
    councillor = UserFactory(username="cllr", roles=["scrutiny_member"])
    before = AuditEvent.objects.count()
    for reader in (board, school_lead, postless, councillor):
        sign_in(client, reader)
        for url in steps:
            assert client.get(url).status_code == 403, (reader.username, url)
            assert client.post(url, {"title": "x"}).status_code == 403, (reader.username, url)
    assert AuditEvent.objects.count() == before

    sign_in(client, board)  # the Board reads decisions and progress, not the case narrative
    page = text(client.get(reverse("reviews:practice_review", kwargs={"pk": cspr.pk})))
    assert "Child Q" in page and "Terms of reference" not in page
    assert client.get(reverse("reviews:recommendation", kwargs={"pk": theirs.pk})).status_code == 200

    sign_in(client, school_lead)  # their own agency's recommendations, no CSPR pages
    listing = text(client.get(reverse("reviews:recommendations")))
    assert theirs.reference in listing and ours.reference not in listing
    assert client.get(reverse("reviews:recommendation", kwargs={"pk": theirs.pk})).status_code == 200
    assert client.get(reverse("reviews:recommendation", kwargs={"pk": ours.pk})).status_code == 404
    assert client.get(reverse("reviews:practice_review", kwargs={"pk": cspr.pk})).status_code == 403

    sign_in(client, postless)  # an agency lead with no organisation sees none
    listing = text(client.get(reverse("reviews:recommendations")))
    assert theirs.reference not in listing and ours.reference not in listing
    assert client.get(reverse("reviews:recommendation", kwargs={"pk": theirs.pk})).status_code == 404

    sign_in(client, councillor)
    assert client.get(reverse("reviews:recommendations")).status_code == 403
    assert client.get(reverse("reviews:practice_reviews")).status_code == 403


def test_the_rapid_review_meeting_is_a_governance_meeting(client, world):
    from safeguarding.governance import services as governance

    group = governance.group_create(
        code="crg", name="Case Review Group", kind="subgroup", quorum_minimum=1, actor=SYSTEM
    )
    before_aware = governance.meeting_create(group=group, date=D(2026, 3, 1), mode="virtual", agenda=[], actor=SYSTEM)
    panel = governance.meeting_create(
        group=group, date=D(2026, 4, 17), mode="virtual", agenda=["Child A"], actor=SYSTEM
    )
    review = world.notify().rapid_review
    url = reverse("reviews:meeting", kwargs={"pk": review.pk})
    sign_in(client, UserFactory(username="bob", person=world.people["conor"], roles=["board_member"]))
    assert client.post(url, {"meeting": panel.pk}).status_code == 403
    sign_in(client, world.business_manager)
    assert "before the partners became aware" in text(client.post(url, {"meeting": before_aware.pk}))
    assert client.post(url, {"meeting": panel.pk}).status_code == 302
    review.refresh_from_db()
    assert review.meeting == panel
    event = AuditEvent.objects.filter(object_type="reviews.rapidreview", object_id=str(review.pk)).latest("pk")
    assert event.changes["meeting"] == [None, panel.pk]
    page = text(client.get(reverse("reviews:review", kwargs={"pk": review.pk})))
    assert "Case Review Group, 17 April 2026" in page


def test_a_second_round_with_the_panel_and_a_withdrawn_sign_off_through_the_pages(client, world):
    from safeguarding.reviews import services
    from safeguarding.reviews.models import PanelRound, RapidReviewSignOff
    from tests.reviews.test_services import signed_off

    review = signed_off(world, decided(world))
    police = RapidReviewSignOff.objects.get(rapid_review=review, partner_kind="police")
    withdraw = reverse("reviews:withdraw_sign_off", kwargs={"pk": review.pk, "sign_off_pk": police.pk})
    answer = reverse("reviews:panel_answer", kwargs={"pk": review.pk})
    board = UserFactory(username="bob", person=world.people["conor"], roles=["board_member"])
    sign_in(client, board)
    assert client.post(withdraw, {"reason": "x"}).status_code == 403
    assert client.post(answer, {"answer": "x", **day("answered_on", D(2026, 5, 8))}).status_code == 403

    sign_in(client, world.business_manager)
    assert client.post(withdraw, {"reason": "Signed by the wrong officer"}).status_code == 302
    event = AuditEvent.objects.filter(object_type="reviews.rapidreviewsignoff", action="delete").latest("pk")
    assert event.changes["withdrawn_because"] == "Signed by the wrong officer"
    assert client.get(withdraw).status_code == 404  # gone
    services.rapid_review_sign_off(
        review=review, partner_kind="police", person=world.people["conor"], signed_on=D(2026, 4, 23), actor=SYSTEM
    )
    services.rapid_review_send_to_panel(review=review, sent_on=D(2026, 4, 24), actor=SYSTEM)
    assert "Only a reply asking" in text(client.post(answer, {"answer": "x", **day("answered_on", D(2026, 5, 8))}))
    services.panel_reply_record(
        review=review, kind="more_information", replied_on=D(2026, 5, 6), text="Say more about the GP.", actor=SYSTEM
    )
    assert "cannot come before the Panel" in text(
        client.post(answer, {"answer": "The GP saw her twice.", **day("answered_on", D(2026, 5, 5))})
    )
    assert (
        client.post(answer, {"answer": "The GP saw her twice.", **day("answered_on", D(2026, 5, 8))}).status_code == 302
    )
    review.refresh_from_db()
    assert (review.status, review.panel_reply, review.sent_to_panel_on) == ("sent", "", D(2026, 4, 24))
    earlier = PanelRound.objects.get()
    assert (earlier.reply, earlier.answered_on) == ("more_information", D(2026, 5, 8))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="before the review was sent"):  # after the answer, not the first sending
        services.panel_reply_record(review=review, kind="agrees", replied_on=D(2026, 5, 7), text="Yes.", actor=SYSTEM)
    services.panel_reply_record(review=review, kind="agrees", replied_on=D(2026, 5, 12), text="Agreed.", actor=SYSTEM)
    page = text(client.get(reverse("reviews:review", kwargs={"pk": review.pk})))
    assert "Earlier rounds" in page and "The GP saw her twice." in page and "Agreed." in page


def test_an_agency_lead_records_progress_on_their_own_agencys_actions_only(client, world):
    from safeguarding.governance.models import ActionUpdate

    cspr = a_cspr(world)
    rec = learning.recommendation_create(
        origin=cspr, text="The school's", owner_organisation=world.org["school"],
        made_on=D(2026, 9, 28), due_on=D(2026, 11, 30), actor=SYSTEM,
    )  # fmt: skip
    action = learning.recommendation_add_action(
        recommendation=rec, title="Train the staff", due_on=D(2026, 11, 1), created_on=D(2026, 9, 29), actor=SYSTEM
    )
    url = reverse("governance:action", kwargs={"pk": action.pk})
    update = {"note": "Half the staff trained.", "status_after": "in_progress", **day("on", D(2026, 10, 15))}
    for reader in (
        lead_of(world, "trust", "tess"),  # another agency's lead
        UserFactory(username="bob", person=world.people["conor"], roles=["board_member"]),
    ):
        sign_in(client, reader)
        assert "Half the staff" not in text(client.get(url))
        assert client.post(url, update).status_code == 404
    assert not ActionUpdate.objects.exists()
    sign_in(client, lead_of(world, "school", "sally"))
    assert client.post(url, update).status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress" and ActionUpdate.objects.get().note == "Half the staff trained."
    event = AuditEvent.objects.filter(object_type="governance.actionupdate").latest("pk")
    assert event.actor.username == "sally"
