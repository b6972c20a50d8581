"""Who owes quarterly returns and whether they came (issue 14, item 15): relevant
agencies of a sending kind are in the grid, with a row even when nothing came; an
agency lead finds their own organisation's returns first, or is told it owes none."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.core.audit import SystemActor
from safeguarding.performance import returns
from safeguarding.performance.catalogue import load_standard_set
from safeguarding.performance.selectors import return_grid, return_statuses
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, PostFactory, UserFactory

SYSTEM = SystemActor("test")
TODAY = dt.date(2026, 11, 1)


@pytest.fixture
def senders(db):
    load_standard_set(actor=SYSTEM, priorities={})
    force = OrganisationFactory(code="police", name="Testshire Police", kind="police", standing="statutory_partner")
    btp = OrganisationFactory(code="btp", name="British Transport Police", kind="police", standing="relevant_agency")
    OrganisationFactory(code="next-door", name="Next-door Council", kind="local_authority", standing="other")
    trust = OrganisationFactory(code="trust", name="Testshire Hospitals", kind="nhs_trust", standing="relevant_agency")
    rows = returns.read_upload(
        "r.csv", b"indicator,period,breakdown,breakdown_value,value\nmace-children-new,2026-Q1,,,40\n"
    )
    returns.submit_return(
        organisation=force,
        rows=rows,
        file_name="r.csv",
        source="upload",
        actor=SYSTEM,
        submitted_by="t",
        now=dt.datetime(2026, 7, 10, tzinfo=dt.UTC),
    )
    return {"force": force, "btp": btp, "trust": trust}


def _lead(organisation, role="agency_lead"):
    user = UserFactory(username=f"lead-{organisation.code}", roles=[role])
    PostFactory(person=user.person, organisation=organisation)
    return user


def test_a_relevant_agency_that_sends_a_kind_of_return_has_a_row_even_when_nothing_came(senders):
    statuses = {(s.organisation, s.period): s.status for s in return_statuses(today=TODAY, quarters=2)}
    assert statuses[("Testshire Police", "2026-Q1")] == "on_time"
    assert statuses[("British Transport Police", "2026-Q1")] == "missing"
    names = {name for name, _period in statuses}
    assert "Next-door Council" not in names  # a neighbour's council is not asked for returns
    assert "Testshire Hospitals" not in names  # no indicator in use is sent by an NHS trust


def test_the_agency_leads_own_organisation_comes_first_and_is_marked(client, senders):
    grid = return_grid(today=TODAY, quarters=2, own=senders["btp"])
    assert [(name, own) for name, own, _row in grid.rows][0] == ("British Transport Police", True)
    sign_in(client, _lead(senders["btp"]))
    page = client.get(reverse("performance:overview")).content.decode()
    grid_html = page.split("Returns from the statutory partners and relevant agencies")[1]
    assert grid_html.index("British Transport Police") < grid_html.index("Testshire Police")
    assert "Your organisation" in grid_html and "Missing" in grid_html


def test_the_upload_page_shows_the_senders_own_returns(client, senders):
    sign_in(client, _lead(senders["btp"]))
    page = client.get(reverse("performance:upload")).content.decode()
    yours = page.split("Your returns")[1]
    assert "British Transport Police" in yours and "Missing" in yours and "Testshire Police" not in yours


def test_an_agency_lead_whose_organisation_owes_no_return_is_told_so(client, senders):
    sign_in(client, _lead(senders["trust"]))
    for name in ("performance:overview", "performance:upload"):
        page = client.get(reverse(name)).content.decode()
        assert "Testshire Hospitals does not owe quarterly returns" in page, name
