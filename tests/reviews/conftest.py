"""A partnership with its three statutory partners, their Lead and Delegated Partners, two
relevant agencies and a neighbouring council; and a notification made as the business
unit would make it (``notify``), across Easter 2026 so the clocks skip bank holidays.

Easter 2026: Good Friday 3 April, Easter Monday 6 April. Aware Wednesday 1 April 2026:
the notification is due Friday 10 April (5 working days); the rapid review's day 10 is
Friday 17 April and day 15 Friday 24 April.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from safeguarding.accounts import services as accounts
from safeguarding.accounts.models import Area, Organisation, Person
from safeguarding.core.audit import SystemActor
from safeguarding.reviews import services
from safeguarding.reviews.models import NotificationReason, ReviewTheme, SeriousIncidentNotification
from tests.factories import AreaFactory, OrganisationFactory, UserFactory

SYSTEM = SystemActor("test")
D = dt.date
AWARE = D(2026, 4, 1)
NOTIFIED = D(2026, 4, 10)
INCIDENT = D(2026, 3, 31)


@dataclass
class World:
    org: dict[str, Organisation]
    people: dict[str, Person]
    areas: dict[str, Area]
    reasons: list[NotificationReason]
    themes: list[ReviewTheme]
    business_manager: Any

    def notify(self, **overrides: Any) -> SeriousIncidentNotification:
        fields: dict[str, Any] = {
            "notified_by": self.org["council"],
            "became_aware_on": AWARE,
            "notified_panel_on": NOTIFIED,
            "incident_on": INCIDENT,
            "incident_place": "The family home",
            "incident_area": self.areas["testshire"],
            "home_area": self.areas["southvale"],
            "reasons": self.reasons[:1],
            "children": [services.ChildDetails(first_name="Amy", last_name="Example", date_of_birth=D(2020, 5, 1))],
            "actor": self.business_manager,
        }
        return services.notification_record(**(fields | overrides))


@pytest.fixture
def world(db) -> World:
    org = {
        "council": OrganisationFactory(
            code="council", name="Testshire Council", kind="local_authority", standing="statutory_partner"
        ),
        "police": OrganisationFactory(
            code="police", name="Testshire Police", kind="police", standing="statutory_partner"
        ),
        "icb": OrganisationFactory(code="icb", name="Testshire ICB", kind="icb", standing="statutory_partner"),
        "school": OrganisationFactory(code="school", name="Oak School", kind="school", standing="relevant_agency"),
        "trust": OrganisationFactory(
            code="trust", name="Testshire Hospitals", kind="nhs_trust", standing="relevant_agency"
        ),
        "neighbour": OrganisationFactory(
            code="southvale", name="Southvale Council", kind="local_authority", standing="other"
        ),
    }

    def person(name: str, organisation: str, title: str, seniority: str) -> Person:
        return accounts.person_create(
            full_name=name,
            organisation=org[organisation],
            job_title=title,
            seniority=seniority,
            started_on=D(2020, 1, 1),
            actor=SYSTEM,
        )

    people = {
        "clare": person("Clare Chief-Executive", "council", "Chief Executive", "lead_partner"),
        "conor": person("Conor Chief-Constable", "police", "Chief Constable", "lead_partner"),
        "dina": person("Dina Delegated", "icb", "Chief Nurse", "delegated_partner"),
        "ian": person("Ian Inspector", "police", "Chief Inspector", "manager"),
        "nina": person("Nina Neighbour", "neighbour", "Chief Executive", "lead_partner"),
        "bella": person("Bella Business-Manager", "council", "Partnership Business Manager", "manager"),
    }
    areas = {
        "testshire": AreaFactory(code="E06000001", name="Testshire"),
        "southvale": AreaFactory(code="E06000002", name="Southvale"),
    }
    reasons = [
        NotificationReason.objects.create(code="death", title="A child died"),
        NotificationReason.objects.create(code="serious-harm", title="A child was seriously harmed"),
    ]
    themes = [
        ReviewTheme.objects.create(code="neglect", title="Neglect"),
        ReviewTheme.objects.create(code="moves", title="Transience and moves"),
    ]
    bella = UserFactory(username="bella", person=people["bella"], roles=["business_manager"])
    return World(org, people, areas, reasons, themes, bella)
