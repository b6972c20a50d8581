"""Issue 16's journey in a real browser with axe-core: the business manager records a
serious incident notification, runs its rapid review from the decision through the three
partners' sign-off to the National Panel's reply, opens the CSPR it decided on, and closes
a recommendation from it with evidence of impact (refused first without it)."""

import pytest
from playwright.sync_api import expect

from safeguarding.reviews.models import LearningRecommendation, PracticeReview, SeriousIncidentNotification
from tests.browser.conftest import check_page
from tests.browser.test_pages_accessible import sign_in_through_the_page
from tests.reviews.conftest import D, world  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, name: str, day) -> None:
    page.fill(f"[name='{name}-day']", str(day.day))
    page.fill(f"[name='{name}-month']", str(day.month))
    page.fill(f"[name='{name}-year']", str(day.year))


def save(page) -> None:
    page.click("main button[type=submit]")


def test_the_business_manager_runs_a_notification_to_a_closed_recommendation(page, live_server, axe_source, world):  # noqa: F811
    base = live_server.url
    sign_in_through_the_page(page, base, world.business_manager)

    page.goto(base + "/reviews/notifications/new/")
    check_page(page, axe_source, "reviews-notification-form")
    page.select_option("[name=notified_by]", str(world.org["council"].pk))
    fill_date(page, "incident_on", D(2026, 10, 5))
    page.fill("[name=incident_place]", "The family home")
    page.select_option("[name=incident_area]", str(world.areas["testshire"].pk))
    page.select_option("[name=home_area]", str(world.areas["southvale"].pk))
    fill_date(page, "became_aware_on", D(2026, 10, 6))
    fill_date(page, "notified_panel_on", D(2026, 10, 9))
    page.check(f"[name=reasons][value='{world.reasons[0].pk}']")
    page.fill("[name=child1_first_name]", "Amy")
    page.fill("[name=child1_last_name]", "Example")
    save(page)
    expect(page.locator("h1")).to_have_text(
        "Rapid review " + str(SeriousIncidentNotification.objects.get().rapid_review.pk)
    )
    check_page(page, axe_source, "reviews-rapid-review-open")

    page.click("text=Record the decision")
    fill_date(page, "decided_on", D(2026, 10, 20))
    for code in ("improvements", "recurrent_themes", "joint_working", "panel_view"):
        page.check(f"[name={code}_met][value={'yes' if code == 'improvements' else 'no'}]")
        page.fill(f"[name={code}_rationale]", f"The partners' reasoning on {code.replace('_', ' ')}.")
    page.check("[name=outcome][value=local_cspr]")
    save(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Decision recorded")

    for kind, person in (("local_authority", "clare"), ("police", "conor"), ("icb", "dina")):
        page.click("text=Record a sign-off")
        page.check(f"[name=partner_kind][value={kind}]")
        page.select_option("[name=person]", str(world.people[person].pk))
        fill_date(page, "signed_on", D(2026, 10, 21))
        save(page)
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Sign-off recorded")
    page.click("text=Record it as sent to the Panel")
    fill_date(page, "sent_to_panel_on", D(2026, 10, 22))
    save(page)
    page.click("text=Record the Panel’s reply")
    page.check("[name=panel_reply][value=agrees]")
    fill_date(page, "panel_replied_on", D(2026, 11, 2))
    page.fill("[name=panel_reply_text]", "The Panel agrees a local review is appropriate.")
    save(page)
    expect(page.locator("main")).to_contain_text("The Panel agrees a local review is appropriate.")
    check_page(page, axe_source, "reviews-rapid-review-replied")

    page.click("text=Open the Child Safeguarding Practice Review")
    fill_date(page, "decided_on", D(2026, 11, 3))
    page.fill("[name=title]", "Child Q")
    save(page)
    cspr = PracticeReview.objects.get()
    expect(page.locator("h1")).to_have_text(f"{cspr.reference}: Child Q")
    check_page(page, axe_source, "reviews-cspr")

    page.click("text=Record a recommendation")
    expect(page.locator("[name=source][value=cspr]")).to_be_checked()
    expect(page.locator("[name=practice_review]")).to_have_value(str(cspr.pk))
    page.fill("[name=text]", "Agencies check a family's previous addresses with the area they came from.")
    page.select_option("[name=owner_organisation]", str(world.org["council"].pk))
    fill_date(page, "made_on", D(2026, 11, 4))
    fill_date(page, "due_on", D(2027, 3, 31))
    save(page)
    recommendation = LearningRecommendation.objects.get()
    expect(page.locator("h1")).to_have_text(recommendation.reference)

    page.goto(base + f"/reviews/recommendations/{recommendation.pk}/close/")
    fill_date(page, "closed_on", D(2026, 11, 25))
    save(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("evidence of impact")
    check_page(page, axe_source, "reviews-recommendation-close-refused")

    page.goto(base + f"/reviews/recommendations/{recommendation.pk}/")
    page.click("text=Record evidence of impact")
    page.check("[name=kind][value=narrative]")
    fill_date(page, "recorded_on", D(2026, 11, 20))
    page.fill("[name=summary]", "Practitioners at the learning event said they now ask where a family lived before.")
    save(page)
    page.click("text=Close the recommendation")
    fill_date(page, "closed_on", D(2026, 11, 25))
    save(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Closed with evidence of impact")
    check_page(page, axe_source, "reviews-recommendation-closed")

    page.goto(base + "/reviews/recommendations/")
    expect(page.locator("main")).to_contain_text("Closed with evidence of impact")
    check_page(page, axe_source, "reviews-recommendations")
    recommendation.refresh_from_db()
    assert recommendation.status == "closed"
