"""The performance pages as each persona uses them: true figures only for the roles
allowed them (checked on the server, whatever the query string asks), the analyst's
catalogue and population pages, and audited downloads."""

import csv
import io

import pytest
from django.urls import reverse

from safeguarding.accounts.models import Area
from safeguarding.core.audit import SystemActor
from safeguarding.core.models import AuditEvent
from safeguarding.performance import returns
from safeguarding.performance.catalogue import load_standard_set
from safeguarding.performance.models import Indicator, Population
from tests.conftest import make_persona, sign_in
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")


@pytest.fixture
def figures(db):
    """One police return whose Southtown count (3) must never be published."""
    load_standard_set(actor=SYSTEM, priorities={})
    north = Area.objects.create(code="A1", name="Northtown")
    south = Area.objects.create(code="A2", name="Southtown")
    police = OrganisationFactory(code="police", kind="police", standing="statutory_partner")
    police.areas.set([north, south])
    text = (
        "indicator,period,breakdown,breakdown_value,value\n"
        "mace-children-new,2026-Q2,,,41\n"
        "mace-children-new,2026-Q2,locality,A1,38\n"
        "mace-children-new,2026-Q2,locality,A2,3\n"
    )
    returns.submit_return(
        organisation=police,
        rows=returns.read_upload("r.csv", text.encode()),
        file_name="r.csv",
        source="upload",
        actor=SYSTEM,
        submitted_by="test",
    )


def _csv_values(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def _south(client, name="performance:download", **query):
    url = reverse(name, kwargs={"fmt": "csv"})
    return client.get(url, {"area": "A2", **query})


def test_an_analyst_sees_true_small_numbers_and_can_ask_for_the_published_view(client, figures):
    sign_in(client, make_persona("analyst"))
    rows = _csv_values(_south(client))
    assert ["mace-children-new", "2026-Q2", "3", "July to September 2026"] in rows
    rows = _csv_values(_south(client, view="published"))
    assert ["mace-children-new", "2026-Q2", "[c]", "July to September 2026"] in rows
    assert not any(row[-1:] == ["3"] for row in rows if row and row[0] == "mace-children-new")


@pytest.mark.parametrize("role", ["scrutiny_member", "scrutineer", "mash_practitioner"])
def test_roles_without_true_figures_get_published_ones_whatever_they_ask(client, figures, role):
    sign_in(client, make_persona(role))
    response = client.get(reverse("performance:published"), {"area": "A2", "view": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "fewer than 5" in page and "true figures" not in page.lower()
    rows = _csv_values(_south(client, name="performance:published_download", view="true"))
    assert ["mace-children-new", "2026-Q2", "[c]", "July to September 2026"] in rows


def test_the_scrutineer_may_open_the_dashboards_but_only_with_small_numbers_hidden(client, figures):
    sign_in(client, make_persona("scrutineer"))
    rows = _csv_values(_south(client, view="true"))
    assert ["mace-children-new", "2026-Q2", "[c]", "July to September 2026"] in rows
    page = client.get(reverse("performance:overview"), {"view": "true"}).content.decode()
    assert "as published" in page and 'name="view"' not in page


def test_downloads_are_recorded_in_the_audit_trail(client, figures):
    user = make_persona("agency_lead")
    sign_in(client, user)
    client.get(reverse("performance:download", kwargs={"fmt": "xlsx"}), {"area": "A2"})
    event = AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.EXPORT).get()
    assert "true figures (xlsx)" in event.changes["export"] and event.changes["filters"]["area"] == "A2"


def test_an_unknown_download_format_is_not_found(client, figures):
    sign_in(client, make_persona("analyst"))
    assert client.get(reverse("performance:download", kwargs={"fmt": "pdf"})).status_code == 404


def test_the_analyst_adds_and_edits_an_indicator_and_each_write_is_audited(client, db):
    analyst = make_persona("analyst")
    sign_in(client, analyst)
    form = {
        "code": "lado-referrals",
        "title": "Referrals to the LADO",
        "definition": "Allegations against adults who work with children, referred to the LADO.",
        "unit": "count",
        "measure": "events",
        "owner_kind": "local_authority",
        "frequency": "quarterly",
        "polarity": "neutral",
        "breakdowns": ["sex", "locality"],
        "publishable": "on",
        "is_active": "on",
    }
    response = client.post(reverse("performance:indicator_new"), form)
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="lado-referrals")
    assert indicator.breakdowns == ["sex", "locality"] and indicator.publishable
    assert AuditEvent.objects.filter(actor=analyst, action=AuditEvent.Action.CREATE, object_id=str(indicator.pk))

    edit = reverse("performance:indicator_edit", kwargs={"code": "lado-referrals"})
    response = client.post(edit, form | {"code": "something-else", "title": "LADO referrals", "target": "40"})
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.code, indicator.title, indicator.target) == ("lado-referrals", "LADO referrals", 40)
    update = AuditEvent.objects.get(actor=analyst, action=AuditEvent.Action.UPDATE, object_id=str(indicator.pk))
    assert set(update.changes) == {"title", "target"}


def test_a_bad_indicator_gets_messages_for_each_field_and_nothing_is_saved(client, db):
    sign_in(client, make_persona("analyst"))
    response = client.post(reverse("performance:indicator_new"), {"code": "Not a slug!", "unit": "furlongs"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Enter title" in page and "furlongs" in page
    assert not Indicator.objects.exists()


def test_populations_are_entered_and_corrected_by_the_analyst_only(client, db):
    area = Area.objects.create(code="A1", name="Northtown")
    analyst = make_persona("analyst")
    sign_in(client, analyst)
    url = reverse("performance:populations")
    assert client.post(url, {"area": area.pk, "year": 2026, "children": 10_000}).status_code == 302
    assert client.post(url, {"area": area.pk, "year": 2026, "children": 10_250}).status_code == 302
    assert Population.objects.get(area=area, year=2026).children == 10_250
    assert AuditEvent.objects.filter(actor=analyst, action=AuditEvent.Action.UPDATE).exists()
    assert "10,250" in client.get(url).content.decode()

    client.logout()
    sign_in(client, make_persona("business_manager"))
    assert client.post(url, {"area": area.pk, "year": 2026, "children": 1}).status_code == 403
    assert Population.objects.get(area=area, year=2026).children == 10_250


def test_a_councillor_finds_the_published_figures_in_the_navigation_and_staff_find_them_under_data(client, db):
    sign_in(client, make_persona("scrutiny_member"))
    assert reverse("performance:published") in client.get(reverse("core:home")).content.decode()
    client.logout()
    sign_in(client, make_persona("analyst"))
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("performance:overview") in home and 'href="/performance/published/"' not in home


def test_the_blank_return_lists_each_figure_and_breakdown_for_the_chosen_organisation(client, figures):
    sign_in(client, make_persona("analyst"))
    response = client.get(reverse("performance:template"), {"organisation": "police"})
    lines = response.content.decode().splitlines()
    assert lines[0] == "indicator,period,breakdown,breakdown_value,value,denominator"
    assert "mace-children-new,,,,," in lines and "mace-children-new,,locality,A2,," in lines
    assert "mace-children-new,,sex,female,," in lines
    assert not any(line.startswith("referrals,") for line in lines)  # sent by the council, not the police
    assert client.get(reverse("performance:template"), {"organisation": "nobody"}).status_code == 404


def test_whose_returns_each_persona_may_send_is_decided_by_permission_not_a_role_name(db, client):
    """The analyst sends for any agency that owes a return; an agency lead for their own
    organisation only; a role without the permission, and a lead with no post, for none."""
    from safeguarding.performance.selectors import organisations_user_may_submit_for
    from tests.factories import UserFactory

    load_standard_set(actor=SYSTEM, priorities={})
    police = OrganisationFactory(code="police", name="Shire Police", kind="police", standing="statutory_partner")
    analyst, lead = make_persona("analyst"), make_persona("agency_lead")
    owners = {o.name for o in organisations_user_may_submit_for(analyst)}
    assert "Shire Police" in owners and len(owners) > 1
    (own,) = organisations_user_may_submit_for(lead)
    assert own == lead.person.posts.get().organisation
    assert not organisations_user_may_submit_for(make_persona("board_member")).exists()
    assert not organisations_user_may_submit_for(UserFactory(person=None, roles=["agency_lead"])).exists()

    sign_in(client, lead)
    page = client.get(reverse("performance:upload")).content.decode()
    assert own.name in page and police.name not in page
