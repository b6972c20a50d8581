"""The governance part of the demo shows what the scrutiny committee asked about.

Only the governance loader runs here (tests/demo/test_load_demo.py loads every area);
it runs first in the real command too, so it sees the same partnership."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from safeguarding.accounts.models import Person
from safeguarding.core.models import AuditEvent
from safeguarding.demo import northshire
from safeguarding.demo.governance import load_governance
from safeguarding.governance import models as m
from safeguarding.governance.selectors import governance_answers_for_report

TODAY = datetime.date.today()
EIGHTEEN_MONTHS = (TODAY - datetime.timedelta(days=549), TODAY)


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setattr(northshire, "LATER_LOADERS", [load_governance])
    call_command("load_demo", quiet_logins=True)


def _counts() -> dict[str, int]:
    models = [m.Group, m.Membership, m.Meeting, m.AgendaItem, m.Attendance, m.Action, m.ActionUpdate, m.Priority]
    models += [m.PriorityUpdate, m.LawfulBasis, m.SharingAgreement, m.ScrutinyRecommendation, m.ScrutinyResponse]
    return {model.__name__: model.objects.count() for model in models + [Person, AuditEvent]}


def test_eighteen_months_of_meetings_moving_from_virtual_to_hybrid(demo):
    held = m.Meeting.objects.filter(status="held")
    first = held.earliest("date").date
    assert 520 <= (TODAY - first).days <= 549
    assert held.latest("date").date <= TODAY
    months = {(d.year, d.month) for d in held.values_list("date", flat=True)}
    assert len(months) >= 16  # every month but August

    board = held.filter(group__code="executive-board")
    assert board.count() == 6  # quarterly
    assert m.Meeting.objects.filter(group__code="executive-board", status="scheduled", date__gt=TODAY).count() == 1
    assert m.Meeting.objects.filter(status="cancelled").count() == 1
    assert m.Group.objects.filter(kind="subgroup").count() == 5

    last_virtual = held.filter(mode="virtual").latest("date").date
    assert held.filter(mode="hybrid").earliest("date").date > last_virtual
    assert held.filter(mode="in_person").earliest("date").date > last_virtual
    assert 6 <= (last_virtual - first).days // 30 <= 9


def test_chief_executives_delegate_and_the_police_send_deputies_below_the_expected_seniority(demo):
    answers = governance_answers_for_report(date_from=EIGHTEEN_MONTHS[0], date_to=EIGHTEEN_MONTHS[1], today=TODAY)
    leads = {lead.organisation: lead for lead in answers.lead_partners}
    assert set(leads) == {"Northshire Council", "Northshire Police", "Northshire and Southvale Integrated Care Board"}
    for lead in leads.values():
        assert lead.expected == 6
        assert lead.by_deputy > lead.attended_personally >= 1

    police = leads["Northshire Police"]
    junior = [d for d in police.deputies if d.below_expected]
    assert {d.deputy_job_title for d in junior} >= {
        "Chief Inspector, Safeguarding",
        "Detective Superintendent, Public Protection",
    }
    assert any(d.deputy_seniority == "manager" for d in junior)
    # The other chief executives' deputies are their Delegated Partners: proper delegation.
    assert leads["Northshire Council"].deputies_below_expected == 0
    assert leads["Northshire and Southvale Integrated Care Board"].deputies_below_expected == 0

    # The ICB's Delegated Partner changed job mid-way: two memberships, one ended.
    icb_seats = m.Membership.objects.filter(group__code="delegated-partners", organisation__code="ns-icb")
    assert icb_seats.count() == 2 and icb_seats.filter(ended_on__isnull=False).count() == 1


def test_overdue_actions_a_lapsed_agreement_a_stalled_priority_and_mixed_responses(demo):
    answers = governance_answers_for_report(date_from=EIGHTEEN_MONTHS[0], date_to=EIGHTEEN_MONTHS[1], today=TODAY)
    assert 25 <= m.Action.objects.filter(is_decision=False).count() <= 40
    assert m.Action.objects.filter(is_decision=True).count() >= 5
    assert sum(row.overdue for row in answers.actions) >= 3
    done = m.Action.objects.filter(status="done")
    assert done.count() >= 10
    assert m.ActionUpdate.objects.filter(status_after="done").exclude(evidence="").count() == done.count()

    lapsed = m.SharingAgreement.objects.filter(review_due_on__lt=TODAY)
    assert [a.title for a in lapsed] == ["Multi-Agency Safeguarding Hub"]
    assert m.SharingAgreement.objects.count() == 5
    assert m.LawfulBasis.objects.count() == 5
    assert set(m.LawfulBasis.objects.values_list("code", flat=True)) >= {"uk-gdpr-6-1-e", "uk-gdpr-9-2-g-dpa-s1-p2-18"}

    priorities = {p.code: p for p in answers.priorities}
    assert set(priorities) == {"exploitation", "neglect", "voice-of-the-child", "working-together"}
    assert priorities["neglect"].rating == "little_or_none" and "GCP2" in priorities["neglect"].decision
    assert m.PriorityUpdate.objects.filter(priority__code="neglect").count() == 6

    assert set(m.ScrutinyResponse.objects.values_list("response", flat=True)) == {"accepted", "partly", "rejected"}
    assert m.ScrutinyRecommendation.objects.count() == 6
    assert m.Action.objects.filter(recommendation__isnull=False).count() >= 5
    assert any(r.awaiting for r in answers.recommendations)


def test_loading_again_changes_nothing(demo):
    before = _counts()
    call_command("load_demo", quiet_logins=True)
    assert _counts() == before


def test_the_same_seed_gives_the_same_meetings_and_registers(db, monkeypatch):
    monkeypatch.setattr(northshire, "LATER_LOADERS", [load_governance])

    def registers():
        return list(
            m.Attendance.objects.order_by("meeting__date", "meeting__group__code", "person__full_name").values_list(
                "meeting__date",
                "meeting__group__code",
                "meeting__mode",
                "person__full_name",
                "status",
                "deputy__full_name",
            )
        )

    with transaction.atomic():
        call_command("load_demo", quiet_logins=True)
        first = registers()
        transaction.set_rollback(True)
    assert not m.Attendance.objects.exists()
    call_command("load_demo", quiet_logins=True)
    assert registers() == first and len(first) > 150
