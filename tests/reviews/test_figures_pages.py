"""The reviews figures page, its CSV and XLSX downloads and GET /api/v1/reviews/summary,
against ``worked_example``; and who reads what: an agency lead the true counts of
children, the scrutineer and partner systems the published ones, a reader with no
organisation the partnership's figures, a councillor only the evidence pack's."""

import io

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from safeguarding.accounts.services import api_token_create, api_token_revoke
from safeguarding.core.models import AuditEvent
from tests.conftest import make_persona, sign_in
from tests.reviews.worked_example import WINDOW, record

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore")]

QUERY = f"?date_from={WINDOW.start}&date_to={WINDOW.end}"
API = f"/api/v1/reviews/summary?from={WINDOW.start}&to={WINDOW.end}"
CHILDREN = '<th scope="row" class="govuk-table__header">Children the notifications were about</th>'


@pytest.fixture
def recorded(world):
    return record(world)


def children_cell(page) -> str:
    text = page.content.decode()
    cell = text[text.index(CHILDREN) + len(CHILDREN) :]
    return cell[cell.index(">") + 1 : cell.index("</td>")]


@override_settings(SUPPRESSION_THRESHOLD=5)
def test_an_agency_lead_sees_the_true_figures_on_the_page_and_in_both_downloads(client, recorded):
    lead = make_persona("agency_lead")
    sign_in(client, lead)
    page = client.get("/reviews/figures/" + QUERY)
    text = page.content.decode()
    assert page.status_code == 200 and children_cell(page) == "4"
    assert "Child Q" in text and "CSPR-2026-01" in text and "5.2" in text and "67%" in text
    assert "Police investigation or criminal trial".lower() in text
    assert "Contains small numbers of children" in text
    csv_text = client.get("/reviews/figures.csv" + QUERY).content.decode()
    assert "Children the notifications were about,4" in csv_text
    assert "CSPR-2026-01,Child Q,22 April 2026,22 October 2026,28 September 2026,5.2,30,1.0," in csv_text
    assert "Child Safeguarding Practice Review,2,1,1,1" in csv_text
    workbook = load_workbook(io.BytesIO(client.get("/reviews/figures.xlsx" + QUERY).content))
    rows = list(workbook["Rapid reviews"].iter_rows(values_only=True))
    assert ("Sent within 15 working days", 1) in rows and ("Share sent within 15 working days", "50%") in rows
    assert "Notes" in workbook.sheetnames
    exports = AuditEvent.objects.filter(actor=lead, action="export")
    assert exports.count() == 2


@override_settings(SUPPRESSION_THRESHOLD=5)
def test_the_scrutineer_sees_the_published_figures(client, recorded):
    sign_in(client, make_persona("scrutineer"))
    page = client.get("/reviews/figures/" + QUERY)
    assert page.status_code == 200 and children_cell(page) == "[c]"
    assert "kept back so that no child can be identified" in page.content.decode()
    assert "Children the notifications were about,[c]" in client.get("/reviews/figures.csv" + QUERY).content.decode()


def test_a_reader_with_no_organisation_sees_the_partnerships_figures(client, recorded):
    analyst = make_persona("analyst")
    analyst.person.posts.all().delete()
    sign_in(client, analyst)
    page = client.get("/reviews/figures/" + QUERY)
    assert page.status_code == 200 and "CSPR-2026-02" in page.content.decode()


@override_settings(SUPPRESSION_THRESHOLD=5)
def test_a_councillor_reads_questions_2_and_3_only_as_published_in_the_evidence_pack(client, recorded):
    sign_in(client, make_persona("scrutiny_member"))
    for path in ("/reviews/figures/", "/reviews/figures.csv", "/reviews/figures.xlsx"):
        assert client.get(path + QUERY).status_code == 403, path
    assert client.get(API).status_code == 401  # a session is not a partner token
    pack = client.get("/reports/evidence-pack/" + QUERY).content.decode()
    question_2 = pack[pack.index('id="question-2"') : pack.index('id="question-4"')]
    assert "Serious incident notifications" in question_2 and "Child Q" in question_2
    assert "not built" not in question_2
    assert "[c]" in question_2  # four children: hidden


def test_the_figures_are_linked_from_the_reviews_page_and_the_navigation(client, recorded, world):
    sign_in(client, world.business_manager)
    assert 'href="/reviews/figures/"' in client.get("/reviews/").content.decode()
    sign_in(client, make_persona("analyst"))
    assert 'href="/reviews/figures/"' in client.get("/").content.decode()


@pytest.mark.parametrize("query", ["?date_from=2026-11-30&date_to=2026-04-01", "?date_from=2026-02-30&date_to=x"])
def test_a_bad_window_shows_the_error_and_the_default_figures(client, recorded, world, query):
    sign_in(client, world.business_manager)
    page = client.get("/reviews/figures/" + query)
    assert page.status_code == 200 and "govuk-error-summary" in page.content.decode()
    assert client.get("/reviews/figures.csv" + query).status_code == 200
    assert client.get("/reviews/figures.pdf" + query).status_code == 404


# The API ------------------------------------------------------------------------------------


@pytest.fixture
def tokens(recorded, world):
    admin = make_persona("administrator")
    result = {}
    for code in ("council", "school"):
        row, token = api_token_create(organisation=world.org[code], name=f"{code} feed", actor=admin)
        result[code] = (row, token)
    return result | {"admin": admin}


def get(client, url, token):
    return client.get(url, headers={"Authorization": f"Bearer {token}"})


@override_settings(SUPPRESSION_THRESHOLD=5)
def test_a_token_gets_the_published_figures(client, tokens):
    response = get(client, API, tokens["council"][1])
    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"], body["as_of"], body["suppressed"]) == (
        "2026-04-01", "2026-11-30", "2026-11-30", True,
    )  # fmt: skip
    n, r = body["notifications"], body["rapid_reviews"]
    assert (n["notified"], n["within_time"], n["late"], n["children"]) == (3, 2, 1, None)
    assert (r["completed"], r["completed_within_time"], r["share_within_time"]) == (2, 1, 0.5)
    assert r["panel_replies"]["agrees"] == 1 and body["csprs_opened"] == 2
    child_q = body["practice_reviews"][0]
    assert (child_q["title"], child_q["months_taken"], child_q["months_allowed"], child_q["days_paused"]) == (
        "Child Q", 5.2, 6, 30,
    )  # fmt: skip
    assert child_q["pauses"] == [
        {"paused_on": "2026-06-01", "resumed_on": "2026-07-01", "days": 30,
         "because": "Police investigation or criminal trial"}
    ]  # fmt: skip
    assert body["recommendations"]["overdue"] == 1
    assert get(client, API, tokens["school"][1]).json() == body  # the partnership's figures, for every token
    assert AuditEvent.objects.filter(action="api_use").count() == 2


def test_a_revoked_or_missing_token_is_refused(client, tokens):
    assert client.get(API).status_code == 401
    assert get(client, API, "not-a-token").status_code == 401
    row, token = tokens["school"]
    api_token_revoke(token=row, actor=tokens["admin"])
    assert get(client, API, token).status_code == 401
    assert get(client, API, tokens["council"][1]).status_code == 200


@pytest.mark.parametrize(
    "query", ["?from=2026-11-30&to=2026-04-01", "?from=2026-02-30&to=2026-04-01", "?from=yesterday", "?to=99999-1-1"]
)
def test_a_bad_window_is_refused_with_a_json_error_never_a_500(client, tokens, query):
    response = get(client, "/api/v1/reviews/summary" + query, tokens["council"][1])
    assert response.status_code == 422
    assert response.json()["detail"]


def test_the_default_window_is_the_last_twelve_months(client, tokens):
    import datetime as dt

    from safeguarding.core.windows import last_twelve_months

    body = get(client, "/api/v1/reviews/summary", tokens["council"][1]).json()
    start, end = last_twelve_months(dt.date.today())
    assert (body["from"], body["to"]) == (start.isoformat(), end.isoformat())
