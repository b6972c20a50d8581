"""Who looked at the children an agency answers for, with no child's ID needed first
(issue 14, item 15): an agency lead sees the looks at their own agency's children only,
under the same rule as one child's log; a reader without a post sees none."""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.children import selectors
from safeguarding.children.models import AgencyRecord, Child, ImportBatch, Involvement
from safeguarding.core.audit import record_child_read
from safeguarding.core.navigation import items_for
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, PostFactory, UserFactory

PURPOSE = "A child protection (section 47) enquiry"


def _record(source, child, record_id: str, *, involvement_open: bool | None = None) -> AgencyRecord:
    now = timezone.now()
    batch = ImportBatch.objects.create(origin="upload", actor_label="test", at=now)
    record = AgencyRecord.objects.create(
        source=source, record_id=record_id, child=child, batch=batch, first_received_at=now, updated_at=now
    )
    if involvement_open is not None:
        Involvement.objects.create(
            record=record, kind="cp_plan", ended_on=None if involvement_open else dt.date(2025, 1, 1)
        )
    return record


def _user(username: str, role: str, organisation=None):
    user = UserFactory(username=username, roles=[role])
    if organisation is not None:
        PostFactory(person=user.person, organisation=organisation)
    return user


@pytest.fixture
def world(sources):
    """Oliver: social care holds his child protection plan, the GPs a record. Maya: only
    the GPs hold a record. A MASH practitioner of the police has looked at both."""
    council, icb = sources["csc"].organisation, sources["gp"].organisation
    oliver, maya = (Child.objects.create(created_at=timezone.now()) for _ in range(2))
    _record(sources["csc"], oliver, "csc-1", involvement_open=True)
    _record(sources["gp"], oliver, "gp-1")
    _record(sources["gp"], maya, "gp-2")
    police = OrganisationFactory(code="police", name="Testshire Police", kind="police")
    looker = _user("mash-police", "mash_practitioner", police)
    for child in (oliver, maya, oliver):
        record_child_read(actor=looker, instance=child, purpose=PURPOSE)
    return {
        "oliver": oliver,
        "maya": maya,
        "council_lead": _user("lead-council", "agency_lead", council),
        "gp_lead": _user("lead-gp", "agency_lead", icb),
        "looker": looker,
    }


@dataclass
class Row:
    reader: str
    organisation: str
    purpose: str
    reference: str


def _rows(client, user, **query) -> tuple[str, list[Row]]:
    """The page, and its table's rows as (who, works for, why, child)."""
    sign_in(client, user)
    response = client.get(reverse("children:agency_reads"), query)
    assert response.status_code == 200
    page = response.content.decode()
    body = page.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    rows = []
    for tr in re.findall(r"<tr .*?</tr>", body, flags=re.S):
        cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in re.findall(r"<td.*?</td>", tr, re.S)]
        if len(cells) == 5:
            rows.append(Row(*cells[1:]))
    return page, rows


def test_an_agency_lead_sees_the_looks_at_their_agencys_children_without_an_id(client, world):
    page, rows = _rows(client, world["council_lead"])
    assert [(r.reader, r.organisation, r.reference) for r in rows] == [
        ("mash-police", "Testshire Police", world["oliver"].reference)
    ] * 2
    assert PURPOSE in page and world["maya"].reference not in page
    # The child links to their own log, which the same rule lets the lead open.
    log = f"{reverse('children:access_log')}?child={world['oliver'].reference}"
    assert log in page and "mash-police" in client.get(log).content.decode()


def test_another_agencys_lead_sees_only_the_children_that_agency_answers_for(client, world):
    _page, rows = _rows(client, world["gp_lead"])
    # Oliver has an open plan with social care, so the GPs do not answer for him; Maya has
    # no open involvement anywhere, so the GPs, who hold her record, do.
    assert {r.reference for r in rows} == {world["maya"].reference}
    sign_in(client, world["gp_lead"])
    log = client.get(reverse("children:access_log"), {"child": world["oliver"].reference}).content.decode()
    assert "mash-police" not in log  # nor does the per-child log show him


def test_a_reader_with_no_post_sees_no_look_and_is_told_why(client, world):
    page, rows = _rows(client, _user("lead-nowhere", "agency_lead"))
    assert rows == [] and "no post in an organisation" in page and "mash-police" not in page


def test_a_role_without_the_log_is_refused(client, world):
    sign_in(client, world["looker"])
    assert client.get(reverse("children:agency_reads")).status_code == 403


def test_the_business_manager_sees_every_look(client, world):
    _page, rows = _rows(client, _user("bella", "business_manager"))
    assert len(rows) == 3


def test_a_look_under_an_id_since_merged_counts_for_the_child_it_leads_to(client, world):
    old = Child.objects.create(created_at=timezone.now())
    record_child_read(actor=world["looker"], instance=old, purpose="Before the merge")
    Child.objects.filter(pk=old.pk).update(status="merged", merged_into=world["oliver"])
    page, rows = _rows(client, world["council_lead"])
    merged = next(r for r in rows if r.purpose == "Before the merge")
    assert merged.reference == f"{world['oliver'].reference} opened as {old.reference}"


def test_the_dates_filter_the_looks(client, world):
    _page, rows = _rows(client, world["council_lead"], date_to=(timezone.localdate() - dt.timedelta(days=1)))
    assert rows == []
    _page, rows = _rows(client, world["council_lead"], date_from=timezone.localdate().isoformat())
    assert len(rows) == 2
    page, _rows_ = _rows(client, world["council_lead"], date_from="2026-02-01", date_to="2026-01-01")
    assert "The end date must be on or after the start date" in page


def test_the_page_asks_the_same_number_of_queries_however_many_looks(client, world):
    sign_in(client, world["council_lead"])
    url = reverse("children:agency_reads")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        child = Child.objects.create(created_at=timezone.now())
        _record(AgencyRecord.objects.get(record_id="csc-1").source, child, f"csc-extra-{n}")
        record_child_read(
            actor=_user(f"reader-{n}", "mash_practitioner", OrganisationFactory()), instance=child, purpose="x"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    sql = " ".join(q["sql"] for q in many.captured_queries)
    assert "IN (SELECT" in sql.upper().replace("IN(SELECT", "IN (SELECT")  # the children are a subquery


def test_the_agency_lead_finds_the_page_in_the_navigation(rf, world):
    request = rf.get("/")
    request.user = world["council_lead"]
    assert "Who looked at our children" in [item["text"] for item in items_for(request)]
    request.user = _user("bella", "business_manager")  # she reaches it from the Children page
    assert "Who looked at our children" not in [item["text"] for item in items_for(request)]


def test_the_selector_refuses_a_user_without_the_permission(world):
    assert not selectors.child_reads_seen_by(world["looker"]).exists()
