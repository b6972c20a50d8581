"""The business unit's daily e-mail of the reviews' deadlines: due within 3 England working
days or overdue, each with a link, no child's name; nothing sent when nothing is due."""

import datetime as dt

from django.core.management import call_command

from safeguarding.core.models import OutgoingEmail
from safeguarding.reviews import digest, learning, services
from tests.reviews.conftest import AWARE, SYSTEM
from tests.reviews.test_services import decided

D = dt.date


def test_the_digest_names_what_falls_due_in_three_working_days_and_what_is_overdue(world):
    review = world.notify().rapid_review  # due Friday 24 April 2026 (Easter: see conftest)
    services.agency_summary_request(review=review, organisation=world.org["school"], requested_on=AWARE, actor=SYSTEM)
    # Wednesday 22 April: 3 working days on is Monday 27 April; the summary was due 17 April.
    found = digest.reviews_deadlines(D(2026, 4, 22))
    assert found.horizon == D(2026, 4, 27)
    n = review.pk
    assert [(d.what, d.due_on) for d in found.overdue] == [
        (f"Oak School's summary for rapid review {n}", D(2026, 4, 17))
    ]
    assert [(d.what, d.due_on) for d in found.due_soon] == [(f"Rapid review {n} to the National Panel", D(2026, 4, 24))]
    assert found.due_soon[0].link.endswith(f"/reviews/{review.pk}/")
    # Thursday 16 April: the review (24 April) is more than 3 working days off; the summary is due 17 April.
    early = digest.reviews_deadlines(D(2026, 4, 16))
    assert [d.what for d in early.due_soon] == [f"Oak School's summary for rapid review {n}"] and not early.overdue


def test_csprs_and_recommendations_are_in_it_until_published_or_closed(world):
    review = decided(world)
    cspr = learning.practice_review_open(
        origin="rapid_review", rapid_review=review, decided_on=D(2026, 4, 22), title="Child Q", actor=SYSTEM
    )
    learning.recommendation_create(
        origin=cspr, text="Check addresses.", owner_organisation=world.org["police"],
        made_on=D(2026, 4, 23), due_on=D(2026, 10, 1), actor=SYSTEM,
    )  # fmt: skip
    found = digest.reviews_deadlines(D(2026, 10, 23))
    assert [d.what for d in found.overdue] == [
        f"Rapid review {review.pk} to the National Panel",  # decided, never sent
        "Recommendation REC-2026-01 (Testshire Police)",
        "CSPR-2026-01 (Child Q) published",
    ]


def test_the_business_managers_get_one_email_and_none_when_nothing_is_due(world, settings):
    settings.SITE_URL = "https://safeguarding.testshire.example"
    world.business_manager.email = "bella@testshire.example"
    world.business_manager.save()
    assert digest.send_deadlines_email(today=D(2026, 4, 22)) == 0
    assert not OutgoingEmail.objects.exists()
    review = world.notify().rapid_review
    assert digest.send_deadlines_email(today=D(2026, 4, 22)) == 1
    email = OutgoingEmail.objects.get()
    assert email.to == ["bella@testshire.example"]
    assert email.subject == "Reviews: 0 overdue, 1 due in the next 3 working days"
    assert f"Rapid review {review.pk} to the National Panel: due 24 April 2026" in email.body
    assert f"https://safeguarding.testshire.example/reviews/{review.pk}/" in email.body
    assert "Amy" not in email.body and "Example" not in email.body


def test_the_command_runs_the_task(world, capsys):
    call_command("reviews_emails")
    assert "deadline" in capsys.readouterr().out
