"""Every page and API route against every role: who gets in, who is refused.

``EXPECTED`` holds one entry per named URL and ``API_EXPECTED`` one per API
operation, so a page or route added without a decision about who may open it
fails here. Each (page, role) pair is its own test, so a failure names both.

The partnership the pages show (``tests.world``) and one persona per role are
built once for the module; each test runs in a savepoint inside that and is
rolled back, so a POST in one test never leaks into the next.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.accounts.models import Organisation, User
from safeguarding.accounts.services import api_token_create, api_token_revoke
from safeguarding.core.api import api
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import CHILD_LEVEL_PERMISSIONS, ROLE_PERMISSIONS, Perm, Role, roles_with
from tests.conftest import make_persona, sign_in
from tests.world import World, build_world, let_answer_the_worlds_request, let_read_the_worlds_child

PUBLIC = "public"
SIGN_IN = "302 to the sign-in page"
ANONYMOUS = "anonymous"
SELF_GUARDED = ("admin/", "api/", "static/")  # checked separately below


def page(perm, *, kwargs=None, method="get", status=200, anonymous=None):
    """One row of the matrix.

    ``perm`` names the permission the page declares (allowed roles are
    ``roles_with(perm)``) or ``PUBLIC``. ``kwargs`` maps URL arguments to
    ``World`` attributes. ``status`` is what an allowed, signed-in role gets;
    ``anonymous`` overrides what a visitor gets on a public page (a protected
    page always sends a visitor to sign in).
    """
    return {
        "perm": perm,
        "kwargs": kwargs or {},
        "method": method,
        "status": status,
        "anonymous": status if anonymous is None else anonymous,
    }


EXPECTED = {
    # Core
    "core:home": page(Perm.HOME),
    "core:accessibility": page(PUBLIC),
    "core:privacy": page(PUBLIC),
    "core:audit": page(Perm.VIEW_AUDIT),
    "core:audit_csv": page(Perm.VIEW_AUDIT),
    "core:email_failures": page(Perm.ADMIN_SITE),
    "core:sent_emails": page(Perm.ADMIN_SITE, status=404),  # only while the demo outbox is on
    # Signing in: a signed-in user is sent on; a visitor sees the form or is sent to it.
    "accounts:login": page(PUBLIC, status=302, anonymous=200),
    "accounts:logout": page(PUBLIC, method="post", status=SIGN_IN),
    "accounts:two_factor_verify": page(PUBLIC, status=SIGN_IN),
    "accounts:two_factor_setup": page(PUBLIC, anonymous=SIGN_IN),
    "accounts:account": page(Perm.HOME),
    # Directory and API tokens
    "accounts:organisations": page(Perm.VIEW_DIRECTORY),
    "accounts:organisation_create": page(Perm.MANAGE_DIRECTORY),
    "accounts:organisation": page(Perm.VIEW_DIRECTORY, kwargs={"code": "organisation_code"}),
    "accounts:organisation_edit": page(Perm.MANAGE_DIRECTORY, kwargs={"code": "organisation_code"}),
    "accounts:people": page(Perm.VIEW_DIRECTORY),
    "accounts:person_create": page(Perm.MANAGE_DIRECTORY),
    "accounts:person": page(Perm.VIEW_DIRECTORY, kwargs={"pk": "person_pk"}),
    "accounts:person_change_post": page(Perm.MANAGE_DIRECTORY, kwargs={"pk": "person_pk"}),
    "accounts:set_password": page(PUBLIC, kwargs={"uidb64": "set_password_uid", "token": "set_password_token"}),
    "accounts:users": page(Perm.MANAGE_USERS),
    "accounts:user_create": page(Perm.MANAGE_USERS),
    "accounts:user": page(Perm.MANAGE_USERS, kwargs={"pk": "user_pk"}),
    "accounts:user_roles": page(Perm.MANAGE_USERS, kwargs={"pk": "user_pk"}),
    "accounts:user_deactivate": page(Perm.MANAGE_USERS, kwargs={"pk": "user_pk"}),
    "accounts:user_reactivate": page(Perm.MANAGE_USERS, kwargs={"pk": "user_pk"}),
    "accounts:user_two_step_reset": page(Perm.MANAGE_USERS, kwargs={"pk": "user_pk"}),
    "accounts:user_password_link": page(Perm.MANAGE_USERS, kwargs={"pk": "user_pk"}, method="post", status=302),
    "accounts:user_unlock": page(Perm.MANAGE_USERS, kwargs={"pk": "user_pk"}, method="post", status=302),
    "accounts:user_enrolment_code": page(Perm.MANAGE_USERS, kwargs={"pk": "user_pk"}, method="post"),
    "accounts:api_tokens": page(Perm.MANAGE_API_TOKENS),
    "accounts:api_token_revoke": page(Perm.MANAGE_API_TOKENS, kwargs={"pk": "token_pk"}, method="post", status=302),
    # Governance
    "governance:overview": page(Perm.VIEW_GOVERNANCE),
    "governance:group": page(Perm.VIEW_GOVERNANCE, kwargs={"code": "group_code"}),
    "governance:membership_add": page(Perm.MANAGE_GOVERNANCE, kwargs={"code": "group_code"}),
    "governance:meetings": page(Perm.VIEW_GOVERNANCE),
    "governance:meeting_create": page(Perm.MANAGE_GOVERNANCE),
    "governance:meeting": page(Perm.VIEW_GOVERNANCE, kwargs={"pk": "meeting_pk"}),
    "governance:meeting_register": page(Perm.MANAGE_GOVERNANCE, kwargs={"pk": "meeting_pk"}),
    "governance:meeting_minutes": page(Perm.MANAGE_GOVERNANCE, kwargs={"pk": "meeting_pk"}),
    "governance:paper_add": page(Perm.MANAGE_GOVERNANCE, kwargs={"pk": "meeting_pk"}),
    "governance:paper": page(Perm.VIEW_GOVERNANCE, kwargs={"pk": "meeting_pk", "paper_pk": "paper_pk"}),
    "governance:actions": page(Perm.VIEW_GOVERNANCE),
    "governance:action_create": page(Perm.MANAGE_GOVERNANCE),
    "governance:action": page(Perm.VIEW_GOVERNANCE, kwargs={"pk": "action_pk"}),
    "governance:priorities": page(Perm.VIEW_GOVERNANCE),
    "governance:priority_create": page(Perm.MANAGE_GOVERNANCE),
    "governance:priority": page(Perm.VIEW_GOVERNANCE, kwargs={"code": "priority_code"}),
    "governance:agreements": page(Perm.VIEW_GOVERNANCE),
    "governance:agreement_create": page(Perm.MANAGE_GOVERNANCE),
    "governance:agreement": page(Perm.VIEW_GOVERNANCE, kwargs={"pk": "agreement_pk"}),
    "governance:agreement_document": page(Perm.VIEW_GOVERNANCE, kwargs={"pk": "agreement_pk"}),
    "governance:scrutiny": page(Perm.VIEW_GOVERNANCE),
    "governance:recommendation_create": page(Perm.RECORD_SCRUTINY),
    "governance:response_record": page(Perm.RESPOND_TO_SCRUTINY, kwargs={"pk": "recommendation_pk"}),
    "governance:answers": page(Perm.VIEW_GOVERNANCE_FIGURES),
    "governance:answers_csv": page(Perm.VIEW_GOVERNANCE_FIGURES),
    "governance:answers_xlsx": page(Perm.VIEW_GOVERNANCE_FIGURES),
    # Performance
    "performance:overview": page(Perm.VIEW_PERFORMANCE),
    "performance:upload": page(Perm.SUBMIT_RETURNS),
    "performance:template": page(Perm.SUBMIT_RETURNS),
    "performance:indicator": page(Perm.VIEW_PERFORMANCE, kwargs={"code": "indicator_code"}),
    "performance:download": page(Perm.VIEW_PERFORMANCE, kwargs={"fmt": "csv_format"}),
    "performance:priority": page(Perm.VIEW_PERFORMANCE, kwargs={"code": "priority_code"}),
    # Published figures: public, as their name says (aggregate, small numbers hidden).
    "performance:published": page(PUBLIC),
    "performance:published_download": page(PUBLIC, kwargs={"fmt": "csv_format"}),
    "performance:catalogue": page(Perm.VIEW_PERFORMANCE),
    "performance:indicator_new": page(Perm.MANAGE_INDICATORS),
    "performance:indicator_edit": page(Perm.MANAGE_INDICATORS, kwargs={"code": "indicator_code"}),
    "performance:populations": page(Perm.VIEW_PERFORMANCE),
    # Children: linkage as a whole, loading records, runs, the review queue
    "children:overview": page(Perm.VIEW_LINKAGE),
    "children:upload": page(Perm.IMPORT_CHILD_RECORDS),
    "children:run_start": page(Perm.RUN_LINKAGE, method="post", status=302),
    "children:run": page(Perm.VIEW_LINKAGE, kwargs={"pk": "run_pk"}),
    "children:delivery": page(Perm.IMPORT_CHILD_RECORDS, kwargs={"pk": "delivery_pk"}),
    "children:source_quality": page(Perm.VIEW_LINKAGE),
    "children:lookup": page(Perm.VIEW_CHILD_RECORDS),
    "children:access_log": page(Perm.VIEW_CHILD_ACCESS_LOG),
    "children:agency_reads": page(Perm.VIEW_CHILD_ACCESS_LOG),
    "children:reviews": page(Perm.REVIEW_MATCHES),
    "children:review": page(Perm.REVIEW_MATCHES, kwargs={"pk": "review_pk"}),
    "children:child": page(Perm.VIEW_CHILD_RECORDS, kwargs={"reference": "child_reference"}),
    "children:access_policy": page(Perm.HOME),
    "moves:alerts": page(Perm.HANDLE_MOVE_ALERTS),
    "moves:alert": page(Perm.HANDLE_MOVE_ALERTS, kwargs={"pk": "alert_pk"}),
    "moves:figures": page(Perm.VIEW_MOVE_FIGURES),
    "moves:figures_download": page(Perm.VIEW_MOVE_FIGURES, kwargs={"fmt": "csv_format"}),
    # The annual report and the evidence pack
    "reports:list": page(Perm.VIEW_REPORT_DRAFTS),
    "reports:create": page(Perm.EDIT_REPORT),
    "reports:detail": page(Perm.VIEW_REPORT_DRAFTS, kwargs={"year": "report_year"}),
    "reports:build": page(Perm.EDIT_REPORT, kwargs={"year": "report_year"}, method="post", status=302),
    "reports:build_progress": page(Perm.VIEW_REPORT_DRAFTS, kwargs={"year": "report_year"}),
    "reports:preview": page(Perm.VIEW_REPORT_DRAFTS, kwargs={"year": "report_year"}),
    "reports:chapter": page(Perm.VIEW_REPORT_DRAFTS, kwargs={"year": "report_year", "key": "report_chapter"}),
    "reports:publish_progress": page(Perm.MANAGE_REPORT, kwargs={"year": "report_year"}),
    "reports:section_edit": page(Perm.EDIT_REPORT, kwargs={"year": "report_year", "key": "report_chapter"}),
    "reports:comment_add": page(
        Perm.VIEW_REPORT_DRAFTS, kwargs={"year": "report_year", "key": "report_chapter"}, method="post", status=302
    ),
    "reports:comment_resolve": page(
        Perm.EDIT_REPORT, kwargs={"year": "report_year", "pk": "comment_pk"}, method="post", status=302
    ),
    "reports:status": page(Perm.MANAGE_REPORT, kwargs={"year": "report_year"}, method="post", status=302),
    "reports:sign_off": page(Perm.MANAGE_REPORT, kwargs={"year": "report_year"}, method="post", status=302),
    "reports:publish": page(Perm.MANAGE_REPORT, kwargs={"year": "report_year"}, method="post", status=302),
    "reports:panel_sent": page(Perm.MANAGE_REPORT, kwargs={"year": "report_year"}, method="post", status=302),
    "reports:figure": page(
        Perm.VIEW_REPORT_DRAFTS,
        kwargs={"year": "report_year", "section": "report_chapter", "key": "report_figure"},
    ),
    "reports:draft_download": page(Perm.VIEW_REPORT_DRAFTS, kwargs={"year": "report_year", "fmt": "csv_format"}),
    "reports:evidence_pack": page(Perm.VIEW_EVIDENCE_PACK),
    "reports:evidence_pack_pdf": page(Perm.VIEW_EVIDENCE_PACK),
    "reports:published_list": page(PUBLIC),
    "reports:edition": page(PUBLIC, kwargs={"slug": "edition_slug"}),
    "reports:edition_download": page(PUBLIC, kwargs={"slug": "edition_slug", "fmt": "csv_format"}),
    "reports:edition_figure": page(
        PUBLIC, kwargs={"slug": "edition_slug", "section": "report_chapter", "key": "report_figure"}
    ),
    # Reviews: the record of the work for the Board and the scrutineer; the children and
    # the summaries for the business unit; an agency lead their own agency's requests.
    "reviews:notifications": page(Perm.VIEW_REVIEW_DECISIONS),
    "reviews:notification_create": page(Perm.MANAGE_REVIEWS),
    "reviews:referrals": page(Perm.VIEW_REVIEWS),
    "reviews:referral_create": page(Perm.MANAGE_REVIEWS),
    "reviews:my_requests": page(Perm.ANSWER_SUMMARY_REQUESTS),
    "reviews:answer": page(
        Perm.ANSWER_SUMMARY_REQUESTS, kwargs={"pk": "rapid_review_pk", "request_pk": "agency_request_pk"}
    ),
    "reviews:answer_children": page(
        Perm.ANSWER_SUMMARY_REQUESTS, kwargs={"pk": "rapid_review_pk", "request_pk": "agency_request_pk"}
    ),
    "reviews:review": page(Perm.VIEW_REVIEW_DECISIONS, kwargs={"pk": "rapid_review_pk"}),
    "reviews:children": page(Perm.VIEW_REVIEWS, kwargs={"pk": "rapid_review_pk"}),
    "reviews:not_required": page(Perm.MANAGE_REVIEWS, kwargs={"pk": "rapid_review_pk"}),
    "reviews:summary_request": page(Perm.MANAGE_REVIEWS, kwargs={"pk": "rapid_review_pk"}),
    "reviews:summary": page(Perm.VIEW_REVIEWS, kwargs={"pk": "rapid_review_pk", "request_pk": "summary_request_pk"}),
    "reviews:summary_chase": page(
        Perm.MANAGE_REVIEWS, kwargs={"pk": "rapid_review_pk", "request_pk": "summary_request_pk"}
    ),
    "reviews:summary_return": page(
        Perm.MANAGE_REVIEWS, kwargs={"pk": "rapid_review_pk", "request_pk": "summary_request_pk"}
    ),
    "reviews:meeting": page(Perm.MANAGE_REVIEWS, kwargs={"pk": "rapid_review_pk"}),
    "reviews:panel_answer": page(Perm.MANAGE_REVIEWS, kwargs={"pk": "rapid_review_pk"}),
    # The world's review has no sign-off to withdraw: the business unit reads it as missing.
    "reviews:withdraw_sign_off": page(
        Perm.MANAGE_REVIEWS, kwargs={"pk": "rapid_review_pk", "sign_off_pk": "rapid_review_pk"}, status=404
    ),
    "reviews:attach": page(Perm.MANAGE_REVIEWS, kwargs={"pk": "rapid_review_pk"}),
    "reviews:document": page(Perm.VIEW_REVIEWS, kwargs={"kind": "document_kind", "pk": "attachment_pk"}),
    "reviews:decide": page(Perm.MANAGE_REVIEWS, kwargs={"pk": "rapid_review_pk"}),
    "reviews:sign_off": page(Perm.MANAGE_REVIEWS, kwargs={"pk": "rapid_review_pk"}),
    "reviews:send": page(Perm.MANAGE_REVIEWS, kwargs={"pk": "rapid_review_pk"}),
    "reviews:panel_reply": page(Perm.MANAGE_REVIEWS, kwargs={"pk": "rapid_review_pk"}),
    "reviews:practice_reviews": page(Perm.VIEW_REVIEW_DECISIONS),
    "reviews:practice_review_open": page(Perm.MANAGE_REVIEWS),
    "reviews:practice_review": page(Perm.VIEW_REVIEW_DECISIONS, kwargs={"pk": "practice_review_pk"}),
    **{
        f"reviews:cspr_{step}": page(Perm.MANAGE_REVIEWS, kwargs={"pk": "practice_review_pk"})
        for step in ("commission", "parallel_process", "pause", "resume", "report", "monitoring", "send", "publish")
    },
    "reviews:briefings": page(Perm.VIEW_BRIEFINGS),
    "reviews:briefing_create": page(Perm.MANAGE_REVIEWS),
    "reviews:briefing": page(Perm.VIEW_BRIEFINGS, kwargs={"pk": "briefing_pk"}),
    "reviews:briefing_download": page(Perm.VIEW_BRIEFINGS, kwargs={"pk": "briefing_pk"}),
    "reviews:themes": page(Perm.VIEW_REVIEW_DECISIONS),
    "reviews:recommendations": page(Perm.VIEW_RECOMMENDATIONS),
    "reviews:recommendation_create": page(Perm.MANAGE_REVIEWS),
    "reviews:national_review_create": page(Perm.MANAGE_REVIEWS),
    "reviews:recommendation": page(Perm.VIEW_RECOMMENDATIONS, kwargs={"pk": "learning_recommendation_pk"}),
    **{
        f"reviews:recommendation_{step}": page(Perm.MANAGE_REVIEWS, kwargs={"pk": "learning_recommendation_pk"})
        for step in ("action", "impact", "close")
    },
    # Questions 2 and 3 as counts: councillors read them in the evidence pack and the report.
    "reviews:figures": page(Perm.VIEW_REVIEW_FIGURES),
    "reviews:figures_download": page(Perm.VIEW_REVIEW_FIGURES, kwargs={"fmt": "csv_format"}),
    # Training: booking is open to any practitioner with a link, signed in or not.
    "training:catalogue": page(PUBLIC),
    "training:course": page(PUBLIC, kwargs={"code": "course_code"}),
    "training:book": page(PUBLIC, kwargs={"pk": "session_pk"}),
    "training:booking_confirm": page(PUBLIC, kwargs={"token": "pending_token"}),
    "training:booking_manage": page(PUBLIC, kwargs={"token": "manage_token"}),
    "training:booking_cancel": page(PUBLIC, kwargs={"token": "manage_token"}, method="post", status=302),
    "training:feedback": page(PUBLIC, kwargs={"token": "attended_token"}),
    "training:certificate": page(PUBLIC, kwargs={"token": "attended_token"}),
    "training:follow_up": page(PUBLIC, kwargs={"token": "attended_token"}),
    "training:sessions": page(Perm.MANAGE_TRAINING),
    "training:course_create": page(Perm.MANAGE_TRAINING),
    "training:session_create": page(Perm.MANAGE_TRAINING),
    "training:session": page(Perm.MANAGE_TRAINING, kwargs={"pk": "session_pk"}),
    "training:session_cancel": page(Perm.MANAGE_TRAINING, kwargs={"pk": "session_pk"}, method="post", status=302),
    "training:session_register": page(Perm.MANAGE_TRAINING, kwargs={"pk": "session_pk"}),
    "training:booking_cancel_for": page(
        Perm.MANAGE_TRAINING, kwargs={"pk": "session_pk", "booking_pk": "booking_pk"}, method="post", status=302
    ),
    "training:booking_certificate": page(
        Perm.MANAGE_TRAINING, kwargs={"pk": "past_session_pk", "booking_pk": "attended_booking_pk"}
    ),
    "training:elearning_import": page(Perm.MANAGE_TRAINING),
    "training:workforce": page(Perm.MANAGE_TRAINING),
    "training:summary": page(Perm.VIEW_TRAINING_FIGURES),
    "training:summary_csv": page(Perm.VIEW_TRAINING_FIGURES),
    "training:summary_xlsx": page(Perm.VIEW_TRAINING_FIGURES),
}

# The same table in the shape the browser tests read: (kwargs, perm, method, status).
PAGES = {name: (e["kwargs"], e["perm"], e["method"], e["status"]) for name, e in EXPECTED.items()}


def api_route(*, kwargs=None, query="", body=None, status=200):
    """One API operation: ``kwargs`` fill the path from ``World``; ``body`` is JSON
    for a POST; ``status`` is the answer to a live token."""
    return {"kwargs": kwargs or {}, "query": query, "body": body, "status": status}


# The world's token belongs to the police, who send police indicators.
API_EXPECTED = {
    "GET /api/v1/organisations": api_route(),
    "GET /api/v1/organisations/{code}": api_route(kwargs={"code": "organisation_code"}),
    "GET /api/v1/people": api_route(),
    "GET /api/v1/governance/attendance": api_route(query="?from=2025-01-01&to=2026-12-31"),
    "GET /api/v1/training/summary": api_route(query="?from=2025-01-01&to=2026-12-31"),
    "GET /api/v1/reviews/summary": api_route(query="?from=2025-01-01&to=2026-12-31"),
    # A token may send only its own organisation's rows (tests/core/test_datapackage_scope.py).
    "POST /api/v1/data-package": api_route(
        body={"files": {"workforce.csv": [{"organisation": "world-police", "year": 2026, "headcount": 40}]}}
    ),
    "POST /api/v1/performance/returns": api_route(
        body={"figures": [{"indicator": "da-crimes", "period": "2025-Q2", "value": 3}]}, status=201
    ),
    # The world's records have never been linked, so the lookup says it cannot answer yet.
    "POST /api/v1/children/lookup": api_route(body={"nhs_number": "9990000018", "purpose": "testing"}, status=503),
    "POST /api/v1/children/records": api_route(
        body={"records": [{"source": "world-police", "record_id": "P1", "last_name": "Fielding"}]}, status=201
    ),
}


# Walking the URL configuration -------------------------------------------------------


def _routes(patterns=None, prefix="", namespace=None):
    """(route, name) for every URL pattern, name None where the pattern has none."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield route, name


def _page_routes():
    return [(route, name) for route, name in _routes() if not route.startswith(SELF_GUARDED)]


def test_every_page_has_a_name_so_it_can_have_an_entry():
    unnamed = [route for route, name in _page_routes() if name is None]
    assert not unnamed, f"URL patterns without a name escape the permission matrix: {unnamed}"


def test_every_page_has_an_entry_in_the_matrix():
    names = {name for _, name in _page_routes() if name}
    missing = names - set(EXPECTED)
    stale = set(EXPECTED) - names
    assert not missing, f"Pages without a permission decision in EXPECTED: {sorted(missing)}"
    assert not stale, f"EXPECTED lists pages that no longer exist: {sorted(stale)}"


def _api_operations() -> dict[str, dict]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def test_every_api_operation_has_an_entry_in_the_matrix():
    operations = set(_api_operations())
    assert operations == set(API_EXPECTED), (
        f"API operations and API_EXPECTED differ: {sorted(operations ^ set(API_EXPECTED))}"
    )


def test_every_api_operation_declares_that_it_needs_a_token():
    open_operations = [key for key, operation in _api_operations().items() if not operation.get("security")]
    assert not open_operations, f"API operations open without a token: {open_operations}"


# One partnership and one persona per role, built once --------------------------------


@dataclass
class Matrix:
    world: World
    users: dict[str, User]
    revoked_token: str


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        users = {role: make_persona(role) for role in Role}
        admin = users[Role.ADMINISTRATOR]
        world = build_world(admin)
        let_read_the_worlds_child(users[Role.MASH_PRACTITIONER], world)
        let_answer_the_worlds_request(users[Role.AGENCY_LEAD], world)
        police = Organisation.objects.get(api_tokens__pk=world.token_pk)
        old, revoked = api_token_create(organisation=police, name="Retired feed", actor=admin)
        api_token_revoke(token=old, actor=admin)
        yield Matrix(world=world, users=users, revoked_token=revoked)
        transaction.set_rollback(True)


def _url(name: str, world: World) -> str:
    return reverse(name, kwargs={k: getattr(world, v) for k, v in EXPECTED[name]["kwargs"].items()})


def _expected(name: str, role: str):
    entry = EXPECTED[name]
    if role == ANONYMOUS:
        return entry["anonymous"] if entry["perm"] == PUBLIC else SIGN_IN
    if entry["perm"] == PUBLIC or role in roles_with(entry["perm"]):
        return entry["status"]
    return 403


def _answers(response, expected) -> bool:
    if expected == SIGN_IN:
        return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    return response.status_code == expected


PAGE_CASES = [(name, role) for name in sorted(EXPECTED) for role in [ANONYMOUS, *Role]]


@pytest.mark.parametrize(("url_name", "role"), PAGE_CASES, ids=[f"{n}-{r}" for n, r in PAGE_CASES])
def test_page_answers_the_role_as_the_matrix_says(url_name, role, matrix, db, client):
    entry = EXPECTED[url_name]
    url = _url(url_name, matrix.world)
    if role != ANONYMOUS:
        sign_in(client, matrix.users[role])
    expected = _expected(url_name, role)
    response = client.post(url) if entry["method"] == "post" else client.get(url)
    detail = response.get("Location", "")
    assert _answers(response, expected), (
        f"{url_name} as {role}: got {response.status_code} {detail}, expected {expected}"
    )


REFUSED_CASES = [
    (name, role)
    for name, role in PAGE_CASES
    if EXPECTED[name]["perm"] != PUBLIC and _expected(name, role) in (403, SIGN_IN)
]


@pytest.mark.parametrize(("url_name", "role"), REFUSED_CASES, ids=[f"{n}-{r}" for n, r in REFUSED_CASES])
def test_a_refused_role_cannot_post_to_the_page_either(url_name, role, matrix, db, client):
    url = _url(url_name, matrix.world)
    if role != ANONYMOUS:
        sign_in(client, matrix.users[role])
    before = AuditEvent.objects.count()
    response = client.post(url, {"name": "Intruder", "title": "Intruder", "code": "intruder"})
    assert _answers(response, _expected(url_name, role)), f"{url_name} as {role}: POST got {response.status_code}"
    assert AuditEvent.objects.count() == before, f"{url_name} as {role}: a refused POST wrote to the audit trail"


# The API: a live token on every route ------------------------------------------------

CREDENTIALS = ["none", "not-a-token", "forged", "revoked", "live"]
API_CASES = [(key, credential) for key in sorted(API_EXPECTED) for credential in CREDENTIALS]


def _authorization(credential: str, matrix: Matrix) -> dict[str, str]:
    live = matrix.world.token
    token = {
        "none": None,
        "not-a-token": "sg_nottoken_guess",
        "forged": live[:-4] + ("AAAA" if not live.endswith("AAAA") else "BBBB"),
        "revoked": matrix.revoked_token,
        "live": live,
    }[credential]
    return {} if token is None else {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(("operation", "credential"), API_CASES, ids=[f"{k}-{c}" for k, c in API_CASES])
def test_api_operation_needs_a_live_token(operation, credential, matrix, db, client):
    entry = API_EXPECTED[operation]
    method, path = operation.split(" ", 1)
    url = path.format(**{k: getattr(matrix.world, v) for k, v in entry["kwargs"].items()}) + entry["query"]
    headers = _authorization(credential, matrix)
    if method == "POST":
        response = client.post(url, entry["body"], content_type="application/json", headers=headers)
    else:
        response = client.get(url, headers=headers)
    if credential == "live":
        assert response.status_code == entry["status"], response.content
    else:
        assert response.status_code == 401, response.content
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()


# The admin: administrators who have entered a code -----------------------------------


@pytest.mark.parametrize("role", [ANONYMOUS, *Role])
def test_admin_is_for_administrators_with_two_step_verification(role, matrix, db, client):
    if role != ANONYMOUS:
        sign_in(client, matrix.users[role])
    response = client.get("/admin/")
    if role == Role.ADMINISTRATOR:
        assert response.status_code == 200
        return
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    # The admin's own log-in hands over to the service's, where lockout and codes apply.
    assert client.get(response["Location"])["Location"].startswith(reverse("accounts:login"))


def test_an_administrator_without_the_two_step_flag_is_kept_out_of_the_admin(matrix, db, client):
    client.force_login(matrix.users[Role.ADMINISTRATOR])
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    session = client.session
    session["two_factor_verified"] = False
    session.save()
    assert client.get("/admin/").status_code == 302


# Object-level cases -------------------------------------------------------------------------
# A role that may open a page of child-level data sees only the children and records its
# desk and agreements allow. Each such page names the test that proves it with readers of
# another agency, a desk without the part, a reader with no organisation (and, for the API,
# a token of another organisation). A new child-level page without one fails here.
REVIEW_PAGES = "tests/reviews/test_pages.py::"
LEARNING_PAGES = "tests/reviews/test_learning_pages.py::"
DOCUMENT_PAGES = "tests/reviews/test_documents.py::"
OBJECT_LEVEL_TESTS = {
    "children:child": "tests/children/test_object_access.py::"
    "test_the_view_of_a_child_shows_in_detail_only_the_records_the_readers_agency_shares",
    "children:lookup": "tests/children/test_object_access.py::"
    "test_the_lookup_page_shows_the_kind_of_involvement_only_to_desks_and_agencies_that_may_see_it",
    "children:reviews": "tests/children/test_object_access.py::"
    "test_the_review_queue_lists_and_opens_only_pairs_whose_both_records_the_reader_may_read",
    "children:review": "tests/children/test_object_access.py::"
    "test_a_decision_cannot_be_posted_on_a_pair_the_reader_may_not_read",
    "moves:alerts": "tests/children/test_object_access.py::"
    "test_move_alerts_follow_the_desk_policy_and_no_areas_means_no_alerts",
    "moves:alert": "tests/children/test_object_access.py::"
    "test_an_education_reader_of_an_alert_does_not_learn_that_a_cp_plan_applies",
    "children:upload": "tests/children/test_object_access.py::"
    "test_an_upload_may_name_only_the_uploaders_own_organisations_systems",
    "children:delivery": "tests/children/test_object_access.py::"
    "test_a_delivery_opens_only_for_those_who_may_load_every_system_in_it",
    "children:access_log": "tests/children/test_child_view.py::"
    "test_an_agency_lead_sees_who_looked_only_at_children_their_agency_answers_for",
    "children:agency_reads": "tests/children/test_agency_reads.py::"
    "test_another_agencys_lead_sees_only_the_children_that_agency_answers_for",
    # Reviews: the business unit's pages, and an agency lead's own agency's requests.
    "reviews:answer": REVIEW_PAGES + "test_an_agency_lead_cannot_open_or_answer_another_agencys_request",
    "reviews:answer_children": REVIEW_PAGES
    + "test_only_the_asked_agencys_lead_reads_the_children_and_each_read_is_recorded",
    "reviews:my_requests": REVIEW_PAGES
    + "test_an_agency_lead_lists_only_their_agencys_requests_and_without_a_post_none",
    "reviews:children": REVIEW_PAGES
    + "test_the_childrens_details_are_shown_only_with_a_purpose_and_each_read_is_recorded",
    "reviews:summary": REVIEW_PAGES + "test_a_summary_is_read_only_with_a_purpose_and_the_read_is_recorded",
    "reviews:referrals": REVIEW_PAGES + "test_a_referral_is_recorded_through_the_service_and_listed",
    "reviews:referral_create": REVIEW_PAGES + "test_a_referral_is_recorded_through_the_service_and_listed",
    "reviews:notification_create": REVIEW_PAGES
    + "test_a_notification_is_recorded_with_its_children_and_an_audit_event",
    "reviews:not_required": REVIEW_PAGES + "test_not_required_is_recorded_and_a_refusal_names_the_field",
    "reviews:summary_request": REVIEW_PAGES + "test_asking_chasing_and_returning_a_summary_write_through_the_services",
    "reviews:summary_chase": REVIEW_PAGES + "test_asking_chasing_and_returning_a_summary_write_through_the_services",
    "reviews:summary_return": REVIEW_PAGES + "test_asking_chasing_and_returning_a_summary_write_through_the_services",
    "reviews:decide": REVIEW_PAGES + "test_a_rapid_review_runs_from_decision_to_the_panels_reply",
    "reviews:meeting": LEARNING_PAGES + "test_the_rapid_review_meeting_is_a_governance_meeting",
    "reviews:panel_answer": LEARNING_PAGES
    + "test_a_second_round_with_the_panel_and_a_withdrawn_sign_off_through_the_pages",
    "reviews:withdraw_sign_off": LEARNING_PAGES
    + "test_a_second_round_with_the_panel_and_a_withdrawn_sign_off_through_the_pages",
    "reviews:attach": DOCUMENT_PAGES
    + "test_documents_about_the_children_open_only_for_the_business_unit_with_a_purpose",
    "reviews:document": DOCUMENT_PAGES
    + "test_documents_about_the_children_open_only_for_the_business_unit_with_a_purpose",
    "reviews:sign_off": REVIEW_PAGES + "test_a_rapid_review_runs_from_decision_to_the_panels_reply",
    "reviews:send": REVIEW_PAGES + "test_a_rapid_review_runs_from_decision_to_the_panels_reply",
    "reviews:panel_reply": REVIEW_PAGES + "test_a_rapid_review_runs_from_decision_to_the_panels_reply",
    # The business unit runs every CSPR and recommendation (no agency's share of them is
    # child-level): each step page with readers of other roles is in LEARNING_PAGES.
    **{
        name: LEARNING_PAGES + "test_only_the_business_unit_runs_a_cspr_and_its_recommendations"
        for name in (
            "reviews:practice_review_open",
            *(
                f"reviews:cspr_{step}"
                for step in (
                    "commission",
                    "parallel_process",
                    "pause",
                    "resume",
                    "report",
                    "monitoring",
                    "send",
                    "publish",
                )
            ),
            "reviews:recommendation_create",
            "reviews:national_review_create",
            "reviews:briefing_create",
            *(f"reviews:recommendation_{step}" for step in ("action", "impact", "close")),
        )
    },
    # The audit trail is for administrators alone, who read every event by design.
    "core:audit": None,
    "core:audit_csv": None,
}


def test_every_child_level_page_has_object_level_tests():
    from pathlib import Path

    child_level = {name for name, (_k, perm, _m, _s) in PAGES.items() if perm in CHILD_LEVEL_PERMISSIONS}
    assert child_level == set(OBJECT_LEVEL_TESTS), (
        f"Child-level pages without an object-level decision: {sorted(child_level ^ set(OBJECT_LEVEL_TESTS))}"
    )
    root = Path(__file__).resolve().parents[1]
    for name, test in OBJECT_LEVEL_TESTS.items():
        if test is None:
            assert ROLE_PERMISSIONS[PAGES[name][1]] == frozenset({Role.ADMINISTRATOR}), name
            continue
        path, _, function = test.partition("::")
        assert f"def {function}(" in (root / path).read_text(), f"{name}: {test} does not exist"
