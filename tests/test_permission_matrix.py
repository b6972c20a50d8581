"""Every page and API route against every role: who gets in, who is refused.

Each named URL must have an entry in PAGES (and each API route in API_ROUTES), so
a page added without a decision about who may open it fails here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.accounts.services import api_token_create, api_token_revoke
from safeguarding.core.api import api
from safeguarding.core.permissions import Perm, Role, roles_with
from tests.conftest import make_persona, sign_in
from tests.world import build_world

PUBLIC = "public"
ANY_OK = "any of 200 or 302"  # pages whose answer depends on where the user is in signing in

# url name: (kwargs from the world, who may open it, method, status when allowed)
PAGES = {
    "core:home": ({}, Perm.HOME, "get", 200),
    "core:accessibility": ({}, PUBLIC, "get", 200),
    "core:privacy": ({}, PUBLIC, "get", 200),
    "core:audit": ({}, Perm.VIEW_AUDIT, "get", 200),
    "core:audit_csv": ({}, Perm.VIEW_AUDIT, "get", 200),
    "accounts:login": ({}, PUBLIC, "get", ANY_OK),
    "accounts:logout": ({}, PUBLIC, "post", 302),
    "accounts:two_factor_verify": ({}, PUBLIC, "get", ANY_OK),
    "accounts:two_factor_setup": ({}, PUBLIC, "get", ANY_OK),
    "accounts:account": ({}, Perm.HOME, "get", 200),
    "accounts:organisations": ({}, Perm.VIEW_DIRECTORY, "get", 200),
    "accounts:organisation_create": ({}, Perm.MANAGE_DIRECTORY, "get", 200),
    "accounts:organisation": ({"code": "organisation_code"}, Perm.VIEW_DIRECTORY, "get", 200),
    "accounts:organisation_edit": ({"code": "organisation_code"}, Perm.MANAGE_DIRECTORY, "get", 200),
    "accounts:people": ({}, Perm.VIEW_DIRECTORY, "get", 200),
    "accounts:person_create": ({}, Perm.MANAGE_DIRECTORY, "get", 200),
    "accounts:person": ({"pk": "person_pk"}, Perm.VIEW_DIRECTORY, "get", 200),
    "accounts:person_change_post": ({"pk": "person_pk"}, Perm.MANAGE_DIRECTORY, "get", 200),
    "accounts:api_tokens": ({}, Perm.MANAGE_API_TOKENS, "get", 200),
    "accounts:api_token_revoke": ({"pk": "token_pk"}, Perm.MANAGE_API_TOKENS, "post", 302),
    "governance:overview": ({}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:group": ({"code": "group_code"}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:membership_add": ({"code": "group_code"}, Perm.MANAGE_GOVERNANCE, "get", 200),
    "governance:meetings": ({}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:meeting_create": ({}, Perm.MANAGE_GOVERNANCE, "get", 200),
    "governance:meeting": ({"pk": "meeting_pk"}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:meeting_register": ({"pk": "meeting_pk"}, Perm.MANAGE_GOVERNANCE, "get", 200),
    "governance:meeting_minutes": ({"pk": "meeting_pk"}, Perm.MANAGE_GOVERNANCE, "get", 200),
    "governance:paper_add": ({"pk": "meeting_pk"}, Perm.MANAGE_GOVERNANCE, "get", 200),
    "governance:paper": ({"pk": "meeting_pk", "paper_pk": "paper_pk"}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:actions": ({}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:action_create": ({}, Perm.MANAGE_GOVERNANCE, "get", 200),
    "governance:action": ({"pk": "action_pk"}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:priorities": ({}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:priority_create": ({}, Perm.MANAGE_GOVERNANCE, "get", 200),
    "governance:priority": ({"code": "priority_code"}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:agreements": ({}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:agreement_create": ({}, Perm.MANAGE_GOVERNANCE, "get", 200),
    "governance:agreement": ({"pk": "agreement_pk"}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:agreement_document": ({"pk": "agreement_pk"}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:scrutiny": ({}, Perm.VIEW_GOVERNANCE, "get", 200),
    "governance:recommendation_create": ({}, Perm.RECORD_SCRUTINY, "get", 200),
    "governance:response_record": ({"pk": "recommendation_pk"}, Perm.RESPOND_TO_SCRUTINY, "get", 200),
    "governance:answers": ({}, Perm.VIEW_GOVERNANCE_FIGURES, "get", 200),
    "governance:answers_csv": ({}, Perm.VIEW_GOVERNANCE_FIGURES, "get", 200),
    "governance:answers_xlsx": ({}, Perm.VIEW_GOVERNANCE_FIGURES, "get", 200),
    "performance:overview": ({}, Perm.VIEW_PERFORMANCE, "get", 200),
    "performance:upload": ({}, Perm.SUBMIT_RETURNS, "get", 200),
    "performance:template": ({}, Perm.SUBMIT_RETURNS, "get", 200),
    "performance:indicator": ({"code": "indicator_code"}, Perm.VIEW_PERFORMANCE, "get", 200),
    "training:catalogue": ({}, PUBLIC, "get", 200),
    "training:course": ({"code": "course_code"}, PUBLIC, "get", 200),
    "training:book": ({"pk": "session_pk"}, PUBLIC, "get", 200),
    "training:booking_confirm": ({"token": "pending_token"}, PUBLIC, "get", 200),
    "training:booking_manage": ({"token": "manage_token"}, PUBLIC, "get", 200),
    "training:booking_cancel": ({"token": "manage_token"}, PUBLIC, "post", 302),
    "training:feedback": ({"token": "attended_token"}, PUBLIC, "get", 200),
    "training:certificate": ({"token": "attended_token"}, PUBLIC, "get", 200),
    "training:follow_up": ({"token": "attended_token"}, PUBLIC, "get", 200),
    "training:sessions": ({}, Perm.MANAGE_TRAINING, "get", 200),
    "training:course_create": ({}, Perm.MANAGE_TRAINING, "get", 200),
    "training:session_create": ({}, Perm.MANAGE_TRAINING, "get", 200),
    "training:session": ({"pk": "session_pk"}, Perm.MANAGE_TRAINING, "get", 200),
    "training:session_cancel": ({"pk": "session_pk"}, Perm.MANAGE_TRAINING, "post", 302),
    "training:session_register": ({"pk": "session_pk"}, Perm.MANAGE_TRAINING, "get", 200),
    "training:booking_cancel_for": (
        {"pk": "session_pk", "booking_pk": "booking_pk"},
        Perm.MANAGE_TRAINING,
        "post",
        302,
    ),
    "training:booking_certificate": (
        {"pk": "session_pk", "booking_pk": "booking_pk"},
        Perm.MANAGE_TRAINING,
        "get",
        404,
    ),  # the booking did not attend: no certificate, for anyone
    "training:elearning_import": ({}, Perm.MANAGE_TRAINING, "get", 200),
    "training:workforce": ({}, Perm.MANAGE_TRAINING, "get", 200),
    "training:summary": ({}, Perm.VIEW_TRAINING_FIGURES, "get", 200),
    "training:summary_csv": ({}, Perm.VIEW_TRAINING_FIGURES, "get", 200),
    "training:summary_xlsx": ({}, Perm.VIEW_TRAINING_FIGURES, "get", 200),
}

# API path: query string for a successful call. Every route needs a partner token.
API_ROUTES = {
    "/api/v1/organisations": "",
    "/api/v1/organisations/{code}": "",
    "/api/v1/people": "",
    "/api/v1/governance/attendance": "?from=2025-01-01&to=2026-12-31",
    "/api/v1/training/summary": "?from=2025-01-01&to=2026-12-31",
    "/api/v1/data-package": "POST",
    "/api/v1/performance/returns": "POST",
}


# The world's API token belongs to the police, who send police indicators.
POST_BODIES = {
    "/api/v1/data-package": {"files": {"lawful_bases.csv": [{"code": "x", "title": "X"}]}},
    "/api/v1/performance/returns": {"figures": [{"indicator": "da-crimes", "period": "2025-Q2", "value": 3}]},
}


def _named_urls(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_urls(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _page_urls():
    return sorted(n for n in _named_urls() if not n.startswith(("admin:", "api:")))


def test_every_page_has_an_entry_in_the_matrix():
    missing = set(_page_urls()) - set(PAGES)
    stale = set(PAGES) - set(_page_urls())
    assert not missing, f"Pages without a permission decision in PAGES: {sorted(missing)}"
    assert not stale, f"PAGES lists pages that no longer exist: {sorted(stale)}"


def test_every_api_route_has_an_entry_in_the_matrix():
    paths = set(api.get_openapi_schema()["paths"])
    assert paths == set(API_ROUTES), f"API routes and API_ROUTES differ: {sorted(paths ^ set(API_ROUTES))}"


def _expected(access, role, ok_status):
    allowed = access == PUBLIC or (role is not None and role in roles_with(access))
    if allowed:
        return ok_status
    return "login" if role is None else 403


def _request(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_page_answers_each_role_as_the_matrix_says(url_name, db, client):
    kwargs_from, access, method, ok_status = PAGES[url_name]
    admin = make_persona(Role.ADMINISTRATOR)
    world = build_world(admin)
    url = reverse(url_name, kwargs={k: getattr(world, v) for k, v in kwargs_from.items()})
    users = {role: (admin if role == Role.ADMINISTRATOR else make_persona(role)) for role in Role}
    failures = []
    for role in [None, *Role]:
        client.logout()
        if role is not None:
            sign_in(client, users[role])
        response = _request(client, method, url)
        expected = _expected(access, role, ok_status)
        if expected == "login":
            ok = response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        elif expected == ANY_OK:
            ok = response.status_code in (200, 302)
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{role or 'anonymous'}: got {response.status_code}, expected {expected}")
    assert not failures, f"{url_name} ({url}): " + "; ".join(failures)


@pytest.mark.parametrize("path", sorted(API_ROUTES))
def test_api_route_needs_a_live_token(path, db, client):
    admin = make_persona(Role.ADMINISTRATOR)
    world = build_world(admin)
    if API_ROUTES[path] == "POST":
        url = path
        body = POST_BODIES[path]

        def call(**headers):
            return client.post(url, body, content_type="application/json", headers=headers)
    else:
        url = path.replace("{code}", world.organisation_code) + API_ROUTES[path]

        def call(**headers):
            return client.get(url, headers=headers)

    assert call().status_code == 401
    assert call(Authorization="Bearer sg_nottoken_guess").status_code == 401
    response = call(Authorization=f"Bearer {world.token}")
    assert response.status_code in (200, 201), response.content
    token, plaintext = api_token_create(organisation=admin.person.posts.get().organisation, name="old", actor=admin)
    api_token_revoke(token=token, actor=admin)
    refused = call(Authorization=f"Bearer {plaintext}")
    assert refused.status_code == 401 and "detail" in refused.json()


def test_admin_is_for_administrators_with_two_step_verification(db, client):
    users = {role: make_persona(role) for role in Role}
    for role, user in users.items():
        client.logout()
        sign_in(client, user)
        response = client.get("/admin/")
        if role == Role.ADMINISTRATOR:
            assert response.status_code == 200, role
        else:
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), role
            # The admin's own log-in hands over to the service's, where lockout and codes apply.
            assert client.get(response["Location"])["Location"].startswith("/account/sign-in/")
    client.logout()
    client.force_login(users[Role.ADMINISTRATOR])  # signed in without the two-step flag
    assert client.get("/admin/").status_code == 302
