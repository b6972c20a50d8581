"""GET /api/v1/training/summary: the page's figures for any window, for a partner token.
The figures are the partnership's, so every organisation's token reads the same ones; a
token can only send its own organisation's training rows (tests/core/test_datapackage_scope.py
and test_data_package.py here)."""

import pytest

from safeguarding.accounts.services import api_token_create, api_token_revoke
from safeguarding.core.models import AuditEvent
from tests.conftest import make_persona
from tests.training.conftest import WINDOW

URL = f"/api/v1/training/summary?from={WINDOW[0]}&to={WINDOW[1]}"


@pytest.fixture
def tokens(worked_example):
    admin = make_persona("administrator")
    result = {}
    for code in ("council", "school"):
        row, token = api_token_create(organisation=worked_example["org"][code], name=f"{code} feed", actor=admin)
        result[code] = (row, token)
    return result | {"admin": admin}


def get(client, url, token):
    return client.get(url, headers={"Authorization": f"Bearer {token}"})


def test_the_summary_gives_the_hand_worked_figures(client, tokens):
    response = get(client, URL, tokens["council"][1])
    assert response.status_code == 200
    body = response.json()
    total = body["total"]
    assert (total["places_offered"], total["booked"], total["attended"], total["no_shows"]) == (16, 7, 4, 1)
    assert (total["late_cancellations"], total["waiting_list"]) == (1, 1)
    assert body["previous_year"]["booked"] == 2
    assert {r["organisation"]: r["people_reached"] for r in body["reach"]} == {
        "Riverside High": 1,
        "Testshire Council": 1,
        "Testshire Fire": 0,
        "Testshire Police": 2,
    }
    assert body["examples"] == ["I use the tool at every visit"]


def test_every_organisations_token_reads_the_same_partnership_figures_and_each_use_is_audited(client, tokens):
    council = get(client, URL, tokens["council"][1]).json()
    school = get(client, URL, tokens["school"][1]).json()
    assert council == school
    labels = set(AuditEvent.objects.filter(action="api_use").values_list("actor_label", flat=True))
    assert {label.split("(")[1] for label in labels} == {"council)", "school)"}


def test_the_default_window_is_the_last_twelve_months(client, tokens):
    body = get(client, "/api/v1/training/summary", tokens["council"][1]).json()
    import datetime as dt

    from safeguarding.core.windows import last_twelve_months

    start, end = last_twelve_months(dt.date.today())
    assert (body["from"], body["to"]) == (start.isoformat(), end.isoformat())


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?from=2026-09-30&to=2026-04-01", 422),
        ("?from=2026-02-30&to=2026-04-01", 422),
        ("?from=yesterday", 422),
    ],
)
def test_a_bad_window_is_refused_with_a_json_error(client, tokens, query, status):
    response = get(client, "/api/v1/training/summary" + query, tokens["council"][1])
    assert response.status_code == status
    assert response.json()["detail"]


def test_the_summary_needs_a_valid_token(client, tokens):
    assert client.get(URL).status_code == 401
    assert get(client, URL, "not-a-token").status_code == 401
    row, token = tokens["school"]
    api_token_revoke(token=row, actor=tokens["admin"])
    assert get(client, URL, token).status_code == 401
    assert get(client, URL, tokens["council"][1]).status_code == 200
