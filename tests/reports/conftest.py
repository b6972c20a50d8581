"""The report's partners and a written, built 2025/26 report, for the report tests."""

import datetime as dt

import pytest

from safeguarding.core import report_sections
from safeguarding.core.audit import SystemActor
from safeguarding.reports import services
from safeguarding.reports.tasks import build_now
from tests.factories import OrganisationFactory, PostFactory

SYSTEM = SystemActor("test")
WORDS = "The partners worked together.\n\n## What changed\n- Faster sharing of information."


@pytest.fixture
def partners(db):
    """The three statutory partners, each with a Lead Safeguarding Partner."""
    found = []
    for code, kind in (("council", "local_authority"), ("police", "police"), ("icb", "icb")):
        organisation = OrganisationFactory(code=code, name=code.title(), kind=kind, standing="statutory_partner")
        post = PostFactory(organisation=organisation, seniority="lead_partner", person__full_name=f"Lead of {code}")
        found.append((organisation, post.person))
    return found


@pytest.fixture
def written(partners):
    """A 2025/26 report with every chapter written and its figures built."""
    report = services.report_create(year_start=2025, actor=SYSTEM)
    for chapter in report_sections.sections():
        services.narrative_save(report=report, section_key=chapter.key, text=WORDS, actor=SYSTEM)
    return build_now(report)


def sign_all(report, partners, actor=SYSTEM):
    for organisation, person in partners:
        services.sign_off_record(
            report=report, organisation=organisation, person=person, signed_on=dt.date.today(), actor=actor
        )
    report.refresh_from_db()
    return report
