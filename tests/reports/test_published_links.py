"""Each role finds its own work (issue 14, item 15): the published report leads to the
published figures, and a councillor finds the evidence pack in the navigation."""

from django.urls import reverse

from safeguarding.core.navigation import items_for
from safeguarding.core.permissions import Role
from tests.conftest import make_persona
from tests.world import _reports


def _navigation(rf, user) -> dict[str, str]:
    request = rf.get("/")
    request.user = user
    return {item["text"]: item["href"] for item in items_for(request)}


def test_the_published_report_and_the_list_of_reports_link_to_the_published_figures(client, db):
    _year, _comment, slug = _reports(make_persona(Role.ADMINISTRATOR))
    figures = f'href="{reverse("performance:published")}"'
    for url in (reverse("reports:edition", kwargs={"slug": slug}), reverse("reports:published_list")):
        response = client.get(url)  # nobody signed in
        assert response.status_code == 200 and figures in response.content.decode(), url
    assert client.get(reverse("performance:published")).status_code == 200  # and the link opens for a visitor


def test_a_councillor_finds_the_evidence_pack_in_the_navigation(rf, db):
    councillor = _navigation(rf, make_persona(Role.SCRUTINY_MEMBER))
    assert councillor["Evidence pack"] == reverse("reports:evidence_pack")
    assert {"Published figures", "Annual reports"} <= set(councillor)
    # Those who work on the report reach the pack from the Annual report page.
    assert "Evidence pack" not in _navigation(rf, make_persona(Role.BUSINESS_MANAGER))
