"""Children who move across area boundaries: the rule, alerts raised the same day, the
alert's life, e-mail and escalation, and the pages the MASH uses."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safeguarding.children import records as record_checks
from safeguarding.children import services
from safeguarding.children.models import AgencyRecord, Involvement
from safeguarding.core.models import AuditEvent
from safeguarding.moves import rules
from safeguarding.moves import services as moves
from safeguarding.moves.models import MoveAlert
from tests.children.conftest import SYSTEM, TODAY
from tests.conftest import sign_in
from tests.factories import PostFactory, UserFactory

D = dt.date
NORTH, SOUTH, EAST = 1, 2, 3
EARLY_JANUARY = D(2026, 1, 5)


def seen(pk, area, address_from=None, *, source=10, source_areas=(NORTH,), received=EARLY_JANUARY):
    return rules.RecordSeen(pk, source, frozenset(source_areas), area, address_from, received)


# The rule ----------------------------------------------------------------------------------


def test_an_address_in_another_area_after_the_plan_began_is_a_move():
    plan = [rules.OpenInvolvement("cp_plan", D(2025, 3, 1), NORTH)]
    records = [
        seen(1, NORTH, D(2024, 6, 1)),
        seen(2, SOUTH, D(2026, 8, 1), source=20, source_areas=(SOUTH,)),
        seen(3, SOUTH, D(2026, 9, 1), source=30, source_areas=(SOUTH,), received=D(2025, 12, 1)),
    ]
    (move,) = rules.moves_found(plan, records)
    assert (move.from_area_id, move.to_area_id, move.trigger) == (NORTH, SOUTH, "address")
    assert move.address_changed_on == D(2026, 8, 1)  # the earliest new address
    assert move.record_pk == 3 and move.source_id == 30  # the record that arrived first found it
    assert move.involvement_kinds == ("cp_plan",)


def test_an_old_address_elsewhere_is_not_a_move():
    plan = [rules.OpenInvolvement("cin", D(2025, 3, 1), NORTH)]
    lived_there_before = [seen(1, NORTH, D(2025, 1, 1)), seen(2, SOUTH, D(2020, 1, 1), source_areas=(SOUTH,))]
    assert rules.moves_found(plan, lived_there_before) == []
    moved_back = [seen(1, NORTH, D(2026, 6, 1)), seen(2, SOUTH, D(2025, 9, 1), source_areas=(SOUTH,))]
    assert rules.moves_found(plan, moved_back) == []


def test_an_undated_address_counts_only_when_its_record_has_just_arrived():
    plan = [rules.OpenInvolvement("cin", D(2025, 3, 1), NORTH)]
    police = seen(2, SOUTH, None, source=40, source_areas=(NORTH, SOUTH), received=D(2026, 11, 30))
    assert rules.moves_found(plan, [seen(1, NORTH, D(2025, 1, 1)), police]) == []
    (move,) = rules.moves_found(plan, [seen(1, NORTH, D(2025, 1, 1)), police], new_since=D(2026, 11, 30))
    assert move.address_changed_on == D(2026, 11, 30)


def test_a_new_registration_with_a_system_of_another_area_is_a_move_even_at_the_old_address():
    plan = [rules.OpenInvolvement("cla", None, NORTH)]
    gp = seen(2, NORTH, D(2024, 1, 1), source=20, source_areas=(SOUTH,), received=D(2026, 11, 30))
    (move,) = rules.moves_found(plan, [seen(1, NORTH, D(2024, 1, 1)), gp], new_since=D(2026, 11, 30))
    assert (move.to_area_id, move.trigger) == (SOUTH, "appeared")
    assert rules.moves_found(plan, [seen(1, NORTH, D(2024, 1, 1)), gp], new_since=D(2026, 12, 1)) == []


def test_a_child_known_in_both_areas_raises_nothing_between_them():
    known_both = [rules.OpenInvolvement("cin", D(2025, 1, 1), NORTH), rules.OpenInvolvement("cin", None, SOUTH)]
    assert rules.moves_found(known_both, [seen(1, SOUTH, D(2026, 1, 1), source_areas=(SOUTH,))]) == []


def test_the_transfer_in_conference_is_due_fifteen_working_days_on_skipping_christmas():
    # Raised Friday 18 December 2026: Christmas Day and Boxing Day (substitute Monday 28th)
    # and New Year's Day are not working days.
    assert rules.transfer_in_conference_due(D(2026, 12, 18)) == D(2027, 1, 13)
    assert rules.transfer_in_conference_due(D(2026, 11, 2)) == D(2026, 11, 23)


def test_an_alert_is_overdue_after_the_next_working_day_and_only_while_new():
    friday = D(2026, 11, 27)
    assert rules.acknowledgement_due(friday) == D(2026, 11, 30)
    assert not rules.alert_overdue(status="new", raised_on=friday, today=D(2026, 11, 30))
    assert rules.alert_overdue(status="new", raised_on=friday, today=D(2026, 12, 1))
    assert not rules.alert_overdue(status="acknowledged", raised_on=friday, today=D(2026, 12, 1))


def test_a_move_found_more_than_five_working_days_after_the_address_changed_was_found_late():
    assert not rules.found_late(D(2026, 11, 2), D(2026, 11, 9))  # 5 working days
    assert rules.found_late(D(2026, 11, 2), D(2026, 11, 10))


def test_an_alert_moves_on_only_along_the_workflow():
    assert rules.alert_can_move("new", "acknowledged")
    assert rules.alert_can_move("information_requested", "information_received")
    assert not rules.alert_can_move("acknowledged", "new")
    assert not rules.alert_can_move("closed", "acknowledged")


# Alerts raised the same day -----------------------------------------------------------------

HEADER = ",".join(record_checks.COLUMNS + record_checks.INVOLVEMENT_COLUMNS) + "\n"
KNOWN = (
    "ns-csc,C1,Oliver,James,Kowalski,2014-02-03,M,9990000018,NS1 4AB,1 Mill Lane,2023-01-01,cp_plan,2025-03-01,\n"
    "ns-csc,C2,Maja,,Kowalski,2016-07-09,F,,NS1 4AB,1 Mill Lane,2023-01-01,,,\n"
    "ns-csc,C3,Amelia,,Hart,2012-11-20,F,9990000026,NS2 1AA,4 Kiln Row,2021-05-05,,,\n"
    "sv-gp,G7,Amelia,Rose,Hart,2012-11-20,F,9990000026,NS2 1AA,4 Kiln Row,2021-05-05,,,\n"
)
ARRIVES = "sv-gp,G1,Ollie,,Kowalski,2014-02-03,M,999 000 0018,SV1 2CD,5 Quay Street,2026-11-23,,,\n"


def receive(text: str, name: str = "delivery.csv"):
    checked = record_checks.check_rows(
        name, record_checks.read_table(name, text.encode()), known_sources={"ns-csc", "sv-gp"}, today=TODAY
    )
    return services.records_receive(checked, actor=SYSTEM, origin="upload", file_name=name)


@pytest.fixture
def known(sources):
    """Three children linked by a full run, one of them on a Northshire CP plan, and a MASH
    practitioner in each area."""
    receive(HEADER + KNOWN, "known.csv")
    call_command("children", "link")
    north_mash = UserFactory(username="nora", person__email="nora@north.example", roles=["mash_practitioner"])
    PostFactory(person=north_mash.person, organisation=sources["csc"].organisation)
    sources["csc"].organisation.areas.set([sources["north"]])
    south_mash = UserFactory(username="sid", person__email="sid@south.example", roles=["mash_practitioner"])
    PostFactory(person=south_mash.person, organisation=sources["gp"].organisation)
    sources["gp"].organisation.areas.set([sources["south"]])
    return {**sources, "north_mash": north_mash, "south_mash": south_mash}


def test_a_gp_registration_in_the_new_area_raises_an_alert_the_same_day_to_both_mash(
    known, django_capture_on_commit_callbacks
):
    assert not MoveAlert.objects.exists()  # nobody has moved yet
    with django_capture_on_commit_callbacks(execute=True):
        report = receive(HEADER + ARRIVES)
    assert report.followed["move_alerts"] == 1
    alert = MoveAlert.objects.get()
    oliver = AgencyRecord.objects.get(record_id="C1").child
    assert alert.child == oliver and alert.trigger_record.record_id == "G1"
    assert (alert.from_area, alert.to_area, alert.detected_by) == (known["north"], known["south"], known["gp"])
    assert timezone.localdate(alert.raised_at) == dt.date.today()
    assert alert.address_changed_on == D(2026, 11, 23)
    assert alert.cp_plan and alert.conference_due_on == rules.transfer_in_conference_due(dt.date.today())
    assert {e["record"] for e in alert.evidence} == {"ns-csc:C1", "sv-gp:G1"}
    assert alert.evidence[0]["address"] == "5 Quay Street"  # newest address first
    (email,) = mail.outbox
    assert set(email.to) == {"nora@north.example", "sid@south.example"}
    assert "Oliver" not in email.body and "Kowalski" not in email.body  # no child's details by e-mail
    assert reverse("moves:alert", kwargs={"pk": alert.pk}) in email.body
    assert AuditEvent.objects.filter(object_type="moves.movealert", action="create").count() == 1


def test_the_same_move_is_not_raised_twice_nor_again_after_it_is_closed(known):
    receive(HEADER + ARRIVES)
    call_command("children", "link", "--reuse-model")
    assert MoveAlert.objects.count() == 1
    alert = MoveAlert.objects.get()
    moves.alert_update(alert=alert, status="closed", note="Transfer-in conference held", actor=known["south_mash"])
    assert moves.detect_moves() == []
    later = "sv-gp,G1,Ollie,,Kowalski,2014-02-03,M,9990000018,SV1 9ZZ,8 Harbour Road,2026-11-28,,,\n"
    receive(HEADER + later)  # a newer address in the same area after closing: a new alert
    assert MoveAlert.objects.filter(status="new").count() == 1


def test_a_move_the_full_run_links_is_found_by_the_full_run(sources):
    receive(HEADER + KNOWN + ARRIVES.replace("2026-11-23", "2026-06-01"))  # no model yet: nothing linked
    assert not MoveAlert.objects.exists()
    call_command("children", "link")
    alert = MoveAlert.objects.get()
    assert alert.address_changed_on == D(2026, 6, 1)
    assert rules.found_late(alert.address_changed_on, timezone.localdate(alert.raised_at))


def test_an_ended_involvement_raises_nothing(known):
    Involvement.objects.update(ended_on=D(2025, 12, 1))
    receive(HEADER + ARRIVES)
    assert not MoveAlert.objects.exists()


# The alert's life ---------------------------------------------------------------------------


def test_acknowledging_then_closing_records_who_and_why(known):
    receive(HEADER + ARRIVES)
    alert = MoveAlert.objects.get()
    sid = known["south_mash"]
    moves.alert_update(alert=alert, status="acknowledged", actor=sid)
    with pytest.raises(ValidationError, match="Say why"):
        moves.alert_update(alert=alert, status="closed", note=" ", actor=sid)
    with pytest.raises(ValidationError, match="cannot become new"):
        moves.alert_update(alert=alert, status="new", actor=sid)
    moves.alert_update(
        alert=alert, status="closed", note="Conference held", conference_held_on=D(2026, 12, 10), actor=sid
    )
    alert.refresh_from_db()
    assert alert.acknowledged_by == sid and alert.acknowledged_at <= alert.closed_at
    assert (alert.closed_reason, alert.conference_held_on) == ("Conference held", D(2026, 12, 10))
    assert [u.status for u in alert.updates.all()] == ["new", "acknowledged", "closed"]
    assert AuditEvent.objects.filter(object_type="moves.movealert", action="update", actor=sid).count() == 2


def test_an_alert_nobody_acknowledged_escalates_once_to_the_managers(known, django_capture_on_commit_callbacks):
    receive(HEADER + ARRIVES)
    alert = MoveAlert.objects.get()
    manager = UserFactory(username="bm", email="bm@partnership.example", roles=["business_manager"])
    PostFactory(person=manager.person, organisation=known["csc"].organisation)
    mail.outbox.clear()
    raised = timezone.localdate(alert.raised_at)
    assert moves.alerts_escalate(now=alert.raised_at) == 0  # not due yet
    two_working_days_on = timezone.make_aware(
        dt.datetime.combine(rules.acknowledgement_due(raised) + dt.timedelta(days=1), dt.time(9))
    )
    call_command("children", "escalate-alerts")  # today: not yet overdue
    with django_capture_on_commit_callbacks(execute=True):  # e-mail goes once the escalation commits
        assert moves.alerts_escalate(now=two_working_days_on) == 1
    assert moves.alerts_escalate(now=two_working_days_on) == 0  # once
    alert.refresh_from_db()
    assert alert.escalated_at is not None
    assert "bm@partnership.example" in mail.outbox[-1].to


# The pages -------------------------------------------------------------------------------------


def test_the_mash_sees_the_alert_opens_the_child_with_a_purpose_and_acknowledges(known, client):
    receive(HEADER + ARRIVES)
    alert = MoveAlert.objects.get()
    sid = known["south_mash"]
    sign_in(client, sid)
    home = client.get(reverse("core:home")).content.decode()
    assert "Children who moved: new alerts" in home
    listing = client.get(reverse("moves:alerts")).content.decode()
    assert f"Alert {alert.pk}" in listing and "Child protection plan" in listing
    page = client.get(reverse("moves:alert", kwargs={"pk": alert.pk})).content.decode()
    assert "5 Quay Street" in page and "transfer-in conference by" in page
    assert AuditEvent.objects.filter(
        actor=sid, action="read", object_id=str(alert.child_id), purpose=f"Handling move alert {alert.pk}"
    ).exists()
    response = client.post(reverse("moves:alert", kwargs={"pk": alert.pk}), {"status": "acknowledged"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.acknowledged_by == sid
    refused = client.post(reverse("moves:alert", kwargs={"pk": alert.pk}), {"status": "closed", "note": ""})
    assert "Say why the alert is closed" in refused.content.decode()


def test_closing_an_alert_asks_first_and_closes_only_when_confirmed(known, client):
    """Issue 14, item 11: closing happened on one click."""
    receive(HEADER + ARRIVES)
    alert = MoveAlert.objects.get()
    sign_in(client, known["south_mash"])
    url = reverse("moves:alert", kwargs={"pk": alert.pk})
    answers = {"status": "closed", "note": "Family did not move <after all>"}
    asked = client.post(url, answers)
    page = asked.content.decode()
    assert asked.status_code == 200 and "Are you sure you want to close this alert?" in page
    assert "Family did not move &lt;after all&gt;" in page and 'name="confirmed" value="yes"' in page
    alert.refresh_from_db()
    assert alert.status == "new" and not alert.updates.filter(status="closed").exists()
    closed = client.post(url, {**answers, "confirmed": "yes"})
    assert closed.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "closed" and alert.closed_reason == "Family did not move <after all>"


def test_the_closing_question_is_not_asked_when_the_note_is_missing(known, client):
    receive(HEADER + ARRIVES)
    alert = MoveAlert.objects.get()
    sign_in(client, known["south_mash"])
    page = client.post(reverse("moves:alert", kwargs={"pk": alert.pk}), {"status": "closed"}).content.decode()
    assert "Say why the alert is closed" in page and "Are you sure" not in page


def test_a_mash_practitioner_of_an_uninvolved_area_does_not_see_the_alert(known, client):
    from safeguarding.accounts.models import Area
    from tests.factories import OrganisationFactory

    elsewhere = OrganisationFactory(code="far-council", kind="local_authority", standing="statutory_partner")
    elsewhere.areas.set([Area.objects.create(code="E06999009", name="Farshire")])
    far = UserFactory(username="far", roles=["mash_practitioner"])
    PostFactory(person=far.person, organisation=elsewhere)
    receive(HEADER + ARRIVES)
    alert = MoveAlert.objects.get()
    sign_in(client, far)
    assert client.get(reverse("moves:alert", kwargs={"pk": alert.pk})).status_code == 404
    assert f"Alert {alert.pk}" not in client.get(reverse("moves:alerts")).content.decode()
    closing = {"status": "closed", "note": "Not ours", "confirmed": "yes"}
    assert client.post(reverse("moves:alert", kwargs={"pk": alert.pk}), closing).status_code == 404
    alert.refresh_from_db()
    assert alert.status == "new"


def test_the_alert_shows_only_the_records_the_readers_agency_shares(known, client):
    import datetime as dt

    from safeguarding.governance.models import SharingAgreement

    receive(HEADER + ARRIVES)
    alert = MoveAlert.objects.get()
    sid = known["south_mash"]
    agreement = SharingAgreement.objects.create(
        reference="ISA-T", title="GPs", purpose="x", data_shared="x", review_due_on=TODAY + dt.timedelta(days=90)
    )  # not signed yet, so not in force: nothing of the council's reaches the GPs
    agreement.parties.set([known["gp"].organisation, known["csc"].organisation])
    sign_in(client, sid)
    page = client.get(reverse("moves:alert", kwargs={"pk": alert.pk})).content.decode()
    assert "5 Quay Street" in page and "1 Mill Lane" not in page
    assert "not shared with your agency" in page and "Northshire social care" in page
    SharingAgreement.objects.filter(pk=agreement.pk).update(signed_on=TODAY - dt.timedelta(days=1))
    assert "1 Mill Lane" in client.get(reverse("moves:alert", kwargs={"pk": alert.pk})).content.decode()
