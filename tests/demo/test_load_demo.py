"""The demo partnership has the patterns the users will look for, and loading it
twice changes nothing."""

import datetime

import pytest
from django.core.management import call_command

from safeguarding.accounts.models import Organisation, Person
from safeguarding.children import matching
from safeguarding.children.models import ModelVersion
from safeguarding.core.models import OutgoingEmail
from safeguarding.demo import moves as demo_moves
from safeguarding.governance.models import Meeting, ScrutinyResponse, SharingAgreement
from safeguarding.governance.selectors import governance_answers_for_report
from safeguarding.training.selectors import training_summary_for_report
from tests.demo.demo_login_names import each_demo_person_is_called_by_their_log_in_and_the_header_says_so
from tests.demo.demo_reviews import review_counts, the_demo_has_two_years_of_reviews


@pytest.mark.django_db
def test_demo_shows_the_patterns_and_loads_only_once():
    call_command("load_demo", quiet_logins=True)
    today = datetime.date.today()
    people = Person.objects.count()
    # The made-up past e-mails nobody (it once queued 2,300 e-mails the worker then sent);
    # today's delivery alerts the MASH teams.
    subjects = list(OutgoingEmail.objects.values_list("subject", flat=True))
    assert subjects and all(subject.startswith("Move alert:") for subject in subjects), subjects[:5]
    assert len(subjects) <= len(demo_moves.DELIVERY)

    meetings = Meeting.objects.filter(status="held")
    assert (today - meetings.earliest("date").date).days >= 500
    assert meetings.filter(mode="virtual").latest("date").date < meetings.filter(mode="hybrid").earliest("date").date
    year = governance_answers_for_report(date_from=today - datetime.timedelta(days=548), date_to=today, today=today)
    police = next(m for m in year.lead_partners if m.organisation == "Northshire Police")
    assert police.deputies_below_expected >= 1
    assert all(m.by_deputy > m.attended_personally for m in year.lead_partners)  # chief executives delegate
    assert sum(a.overdue for a in year.actions) > 0
    assert SharingAgreement.objects.filter(review_due_on__lt=today).count() == 1
    assert set(ScrutinyResponse.objects.values_list("response", flat=True)) == {"accepted", "partly", "rejected"}

    summary = training_summary_for_report(date_from=today - datetime.timedelta(days=364), date_to=today)
    assert 0.15 <= summary.total.no_show_rate <= 0.20
    reach = {r.organisation: r.share for r in summary.reach}
    assert reach["St Aidan's Primary School"] > 3 * reach["Northshire Council"]
    assert reach["Northshire Women's Aid"] > 3 * reach["Northshire Police"]
    assert any(r.elearning_completions for r in summary.reach)
    assert summary.impact_by_course and all(i.confidence_change > 0 for i in summary.impact_by_course)

    from safeguarding.performance.figures import Selection, figures_as_selected
    from safeguarding.performance.models import Indicator
    from safeguarding.performance.selectors import return_statuses

    trends = {t.indicator.code: t for t in figures_as_selected(Indicator.objects.all(), Selection())}
    mace = trends["mace-children-new"]
    assert mace.latest.value > mace.year_before.value  # the rise the committee asked about
    statuses = [(s.organisation, s.status) for s in return_statuses(today=today, quarters=12)]
    assert ("Northshire Police", "missing") in statuses
    assert sum(1 for o, s in statuses if o.endswith("Integrated Care Board") and s == "late") >= 6

    _the_business_manager_publishes_the_demo_report_and_anyone_reads_it()
    # Issue 14, item 20: here, not in a test of its own, to load the demo once.
    each_demo_person_is_called_by_their_log_in_and_the_header_says_so()
    the_demo_has_two_years_of_reviews(today)
    reviews = review_counts()

    call_command("load_demo", quiet_logins=True)
    assert Person.objects.count() == people
    assert review_counts() == reviews
    assert Organisation.objects.filter(code="northshire-council").count() == 1

    # A demo database from an earlier release keeps a model trained on other comparison
    # levels: loading the demo again trains a new one, so its lookups work after upgrading.
    stored = ModelVersion.objects.get(is_current=True)
    stored.parameters["settings"]["comparisons"][0]["comparison_levels"].pop(1)
    stored.save(update_fields=["parameters"])
    assert matching.model_needs_training_again()
    call_command("load_demo", quiet_logins=True)
    assert not matching.model_needs_training_again()
    assert ModelVersion.objects.get(is_current=True).version != stored.version


def _the_business_manager_publishes_the_demo_report_and_anyone_reads_it():
    """Issue 8's walk-through on the demo's own data: the 2025/26 report is built and
    written; it goes to review, each Lead Partner signs, it passes the check before
    publication and a visitor with no account reads it."""
    from django.test import Client
    from django.urls import reverse

    from safeguarding.reports import services
    from safeguarding.reports.models import Report

    report = Report.objects.get(year_start=2025)
    assert report.build_status == "finished" and report.narratives.count() == 10
    from safeguarding.accounts.models import User

    manager = User.objects.get(username="bella")
    services.report_submit_for_review(report=report, actor=manager)
    for organisation in services.statutory_partners():
        lead = services.lead_partners_of(organisation, datetime.date.today()).get()
        services.sign_off_record(
            report=report, organisation=organisation, person=lead, signed_on=datetime.date.today(), actor=manager
        )
    edition = services.report_publish(report=Report.objects.get(pk=report.pk), actor=manager)
    page = Client().get(reverse("reports:edition", kwargs={"slug": edition.slug}))
    assert page.status_code == 200
    assert "Children who moved across area boundaries" in page.content.decode()
