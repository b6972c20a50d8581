"""Every page type in a real browser, signed in through the real sign-in page as
each role, with a screenshot and axe-core's WCAG 2.2 A and AA rules."""

import pyotp
import pytest
from django.urls import reverse

from safeguarding.core.permissions import ROLES_REQUIRING_TWO_FACTOR, Role, roles_with
from tests.browser.conftest import check_page
from tests.conftest import make_persona
from tests.factories import TEST_PASSWORD
from tests.test_permission_matrix import PAGES, PUBLIC
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_HTML = ("_csv", "_xlsx", "certificate", "_document", "governance:paper", "performance:template")
SIGN_IN_FLOW = {"accounts:login", "accounts:two_factor_verify", "accounts:two_factor_setup", "accounts:logout"}
ROLE_ORDER = [
    Role.BUSINESS_MANAGER,
    Role.TRAINING_COORDINATOR,
    Role.ADMINISTRATOR,
    Role.SCRUTINEER,
    Role.BOARD_MEMBER,
    Role.ANALYST,
    Role.AGENCY_LEAD,
    Role.MASH_PRACTITIONER,
    Role.SCRUTINY_MEMBER,
]


def sign_in_through_the_page(page, base_url: str, user) -> None:
    page.goto(base_url + reverse("accounts:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button:has-text('Continue')")
    if user.role_assignments.filter(role__in=ROLES_REQUIRING_TWO_FACTOR).exists():
        secret = page.text_content("[data-testid=totp-secret]").strip()
        page.fill("#id_code", pyotp.TOTP(secret).now())
        page.click("button:has-text('Continue')")
    page.wait_for_url(base_url + "/")


def _html_pages():
    for name, (kwargs, access, method, status) in sorted(PAGES.items()):
        if method != "get" or status != 200 or name in SIGN_IN_FLOW or any(m in name for m in NOT_HTML):
            continue
        yield name, kwargs, access


def _first_allowed_role(access):
    if access == PUBLIC:
        return None
    allowed = roles_with(access)
    return next(role for role in ROLE_ORDER if role in allowed)


@pytest.mark.parametrize("role", ROLE_ORDER)
def test_each_role_signs_in_and_every_page_it_is_first_to_open_is_accessible(role, page, live_server, axe_source):
    users = {r: make_persona(r) for r in Role}
    world = build_world(users[Role.ADMINISTRATOR])
    sign_in_through_the_page(page, live_server.url, users[role])
    check_page(page, axe_source, f"{role}-home")
    page.goto(live_server.url + reverse("accounts:account"))
    check_page(page, axe_source, f"{role}-account")
    for name, kwargs, access in _html_pages():
        if _first_allowed_role(access) != role:
            continue
        url = reverse(name, kwargs={k: getattr(world, v) for k, v in kwargs.items()})
        response = page.goto(live_server.url + url)
        assert response.status == 200, f"{name} answered {response.status}"
        check_page(page, axe_source, f"{role}-{name.replace(':', '-')}")
    if role == Role.SCRUTINY_MEMBER:
        response = page.goto(live_server.url + reverse("core:audit"))
        assert response.status == 403
        check_page(page, axe_source, "forbidden-403")


def test_public_pages_sign_in_errors_and_not_found_are_accessible(page, live_server, axe_source):
    users = {r: make_persona(r) for r in Role}
    world = build_world(users[Role.ADMINISTRATOR])
    page.goto(live_server.url + reverse("accounts:login"))
    check_page(page, axe_source, "sign-in")
    page.click("button:has-text('Continue')")
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page, axe_source, "sign-in-errors")
    page.fill("#id_username", "sam")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button:has-text('Continue')")
    check_page(page, axe_source, "two-step-set-up")
    page.fill("#id_code", "123")
    page.click("button:has-text('Continue')")
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page, axe_source, "two-step-errors")
    for name, kwargs, access in _html_pages():
        if access != PUBLIC:
            continue
        page.goto(live_server.url + reverse(name, kwargs={k: getattr(world, v) for k, v in kwargs.items()}))
        check_page(page, axe_source, f"public-{name.replace(':', '-')}")
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    check_page(page, axe_source, "not-found-404")
