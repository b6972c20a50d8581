"""The partnership's own rapid review day plan, kept in the admin: used for the review's
page and for when agencies' summaries fall due; the typical plan where none is recorded.
Easter 2026 (see conftest): the clock starts Wednesday 1 April."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from safeguarding.reviews import day_plan, rules, services
from safeguarding.reviews.models import DayPlanStep
from tests.conftest import sign_in
from tests.reviews.conftest import AWARE, SYSTEM, D


def test_without_its_own_plan_the_partnership_uses_the_typical_one(world):
    assert day_plan.partnership_day_plan() == rules.DEFAULT_DAY_PLAN
    assert day_plan.summaries_due_on(AWARE) == D(2026, 4, 17)  # day 10, across Easter


def test_the_partnerships_own_plan_sets_the_page_and_when_summaries_fall_due(world, client):
    DayPlanStep.objects.create(code="summaries_requested", title="Summaries requested", working_day=1)
    DayPlanStep.objects.create(code="summaries_due", title="Summaries due", working_day=8)
    DayPlanStep.objects.create(code="panel", title="Rapid review panel", working_day=11)
    review = world.notify().rapid_review
    asked = services.agency_summary_request(
        review=review, organisation=world.org["school"], requested_on=AWARE, actor=SYSTEM
    )
    # Day 8 from Wednesday 1 April: 2, 7, 8, 9, 10, 13, 14, 15 April (3 and 6 April are bank holidays).
    assert asked.due_on == D(2026, 4, 15)
    sign_in(client, world.business_manager)
    page = client.get(reverse("reviews:review", kwargs={"pk": review.pk})).content.decode()
    assert "Rapid review panel" in page and "Partners’ sign-off" not in page
    form = client.get(reverse("reviews:summary_request", kwargs={"pk": review.pk})).content.decode()
    assert 'name="due_on-day" type="text" value="15"' in form


def test_a_plan_without_a_summaries_step_falls_back_to_day_10_and_a_step_past_day_15_is_refused(world):
    DayPlanStep.objects.create(code="panel", title="Rapid review panel", working_day=12)
    assert day_plan.summaries_due_on(AWARE) == D(2026, 4, 17)
    with transaction.atomic(), pytest.raises(IntegrityError):
        DayPlanStep.objects.create(code="late", title="Too late", working_day=16)


def test_the_day_plan_is_kept_in_the_admin(client, db):
    from safeguarding.accounts.services import user_create

    admin = user_create(username="admin1", password="x" * 16, person=None, roles=["administrator"], actor=SYSTEM)
    sign_in(client, admin)
    assert client.get("/admin/reviews/dayplanstep/add/").status_code == 200
