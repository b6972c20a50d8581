"""Every page type in a real browser, signed in through the real sign-in page as
each role, with a full-page screenshot and axe-core's WCAG 2.2 A and AA rules.

Each role visits the pages every role shares in some form (home, account, the
directory, the audit trail, API tokens, the accessibility statement, the privacy
notice, a page it may not open and one that does not exist), because the header
and what the page offers change with the role. The many other page types are each
visited once, by the first role in ``ROLE_ORDER`` allowed to open them, to keep
the run short.
"""

import pyotp
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from safeguarding.accounts.models import User
from safeguarding.core.permissions import ROLES_REQUIRING_TWO_FACTOR, Role, roles_with
from tests.browser.conftest import check_page
from tests.conftest import make_persona
from tests.factories import TEST_PASSWORD
from tests.test_permission_matrix import PAGES, PUBLIC
from tests.world import build_world, let_answer_the_worlds_request, let_read_the_worlds_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_HTML = (
    "_csv",
    "_xlsx",
    "certificate",
    "_document",
    "governance:paper",
    "performance:template",
    "_download",
    "performance:download",
    "_pdf",
)
SIGN_IN_FLOW = {"accounts:login", "accounts:two_factor_verify", "accounts:two_factor_setup", "accounts:logout"}
EVERY_ROLE_VISITS = [
    "core:home",
    "accounts:account",
    "accounts:organisations",
    "accounts:organisation",
    "accounts:people",
    "accounts:person",
    "core:audit",
    "accounts:api_tokens",
    "core:accessibility",
    "core:privacy",
]
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


def test_every_role_is_in_the_order():
    assert sorted(ROLE_ORDER) == sorted(Role)


def _html_pages():
    """(name, kwargs, access) for every page that answers an allowed GET with HTML."""
    for name, (kwargs, access, method, status) in sorted(PAGES.items()):
        if method != "get" or status != 200 or name in SIGN_IN_FLOW or any(m in name for m in NOT_HTML):
            continue
        yield name, kwargs, access


def _may_open(role, access) -> bool:
    return access == PUBLIC or role in roles_with(access)


def _first_allowed_role(access):
    if access == PUBLIC:
        return None
    return next(role for role in ROLE_ORDER if role in roles_with(access))


def _url(world, name, kwargs) -> str:
    return reverse(name, kwargs={k: getattr(world, v) for k, v in kwargs.items()})


def _short(name: str) -> str:
    """The screenshot's name for a page: "core:audit" is "audit"; "governance:overview"
    keeps its area because "performance:overview" exists too."""
    page_name = name.split(":")[1]
    same = [other for other in PAGES if other.split(":")[1] == page_name]
    return page_name if len(same) == 1 else name.replace(":", "-")


def _wrong_code(secret: str) -> str:
    """Six digits that are not the code the app shows now."""
    return f"{(int(pyotp.TOTP(secret).now()) + 500_000) % 1_000_000:06d}"


def _enrolment_code(user) -> str:
    """An administrator's code for the user's first set-up (decision 0001)."""
    from safeguarding.accounts.services import enrolment_code_issue

    administrator = User.objects.filter(username="ada").first() or make_persona(Role.ADMINISTRATOR)
    return enrolment_code_issue(user=user, actor=administrator)[1]


def sign_in_through_the_page(page, base_url: str, user) -> None:
    page.goto(base_url + reverse("accounts:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button:has-text('Continue')")
    if user.role_assignments.filter(role__in=ROLES_REQUIRING_TWO_FACTOR).exists():
        page.wait_for_url(base_url + reverse("accounts:two_factor_setup"))
        secret = page.text_content("[data-testid=totp-secret]").strip()
        page.fill("#id_enrolment_code", _enrolment_code(user))
        page.fill("#id_code", pyotp.TOTP(secret).now())
        page.click("button:has-text('Continue')")
    page.wait_for_url(base_url + "/")


@pytest.mark.parametrize("role", ROLE_ORDER)
def test_each_role_signs_in_and_its_pages_are_accessible(role, page, live_server, axe_source):
    users = {r: make_persona(r) for r in Role}
    world = build_world(users[Role.ADMINISTRATOR])
    let_read_the_worlds_child(users[Role.MASH_PRACTITIONER], world)
    let_answer_the_worlds_request(users[Role.AGENCY_LEAD], world)
    pages = {name: (kwargs, access) for name, kwargs, access in _html_pages()}
    sign_in_through_the_page(page, live_server.url, users[role])

    visits = [name for name in EVERY_ROLE_VISITS if _may_open(role, pages[name][1])]
    visits += [
        name for name, (_, access) in pages.items() if _first_allowed_role(access) == role and name not in visits
    ]
    for name in visits:
        kwargs, _ = pages[name]
        response = page.goto(live_server.url + _url(world, name, kwargs))
        assert response.status == 200, f"{role} opening {name} got {response.status}"
        check_page(page, axe_source, f"{role}-{_short(name)}")

    forbidden = next(name for name, (_, access) in pages.items() if not _may_open(role, access))
    response = page.goto(live_server.url + _url(world, forbidden, pages[forbidden][0]))
    assert response.status == 403, f"{role} opening {forbidden} got {response.status}"
    check_page(page, axe_source, f"{role}-forbidden-403")

    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    check_page(page, axe_source, f"{role}-not-found-404")

    if role == Role.BUSINESS_MANAGER:
        # A form's error state beyond signing in: text inputs, selects and checkboxes all in error.
        page.goto(live_server.url + reverse("governance:agreement_create"))
        page.click("main button[type=submit]")
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check_page(page, axe_source, f"{role}-agreement_create-errors")


def test_sign_in_two_step_pages_and_their_errors_are_accessible(page, live_server, axe_source):
    make_persona(Role.MASH_PRACTITIONER)
    base = live_server.url
    page.goto(base + reverse("accounts:login"))
    check_page(page, axe_source, "anonymous-sign-in")

    page.click("button:has-text('Continue')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, axe_source, "anonymous-sign-in-errors")

    page.fill("#id_username", "sam")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button:has-text('Continue')")
    page.wait_for_url(base + reverse("accounts:two_factor_setup"))
    check_page(page, axe_source, "anonymous-two-step-set-up")

    page.fill("#id_code", "123")
    page.click("button:has-text('Continue')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, axe_source, "anonymous-two-step-set-up-errors")

    secret = page.text_content("[data-testid=totp-secret]").strip()
    page.fill("#id_enrolment_code", _enrolment_code(User.objects.get(username="sam")))
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.click("button:has-text('Continue')")
    page.wait_for_url(base + "/")
    page.click("button:has-text('Sign out')")
    page.wait_for_url(base + reverse("accounts:login"))
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    check_page(page, axe_source, "anonymous-signed-out")

    page.fill("#id_username", "sam")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button:has-text('Continue')")
    page.wait_for_url(base + reverse("accounts:two_factor_verify"))
    check_page(page, axe_source, "anonymous-two-step-verify")

    page.fill("#id_code", _wrong_code(secret))
    page.click("button:has-text('Continue')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, axe_source, "anonymous-two-step-verify-errors")


def test_public_pages_and_not_found_are_accessible_to_a_visitor(page, live_server, axe_source):
    users = {r: make_persona(r) for r in Role}
    world = build_world(users[Role.ADMINISTRATOR])
    let_read_the_worlds_child(users[Role.MASH_PRACTITIONER], world)
    let_answer_the_worlds_request(users[Role.AGENCY_LEAD], world)
    for name, kwargs, access in _html_pages():
        if access != PUBLIC:
            continue
        response = page.goto(live_server.url + _url(world, name, kwargs))
        assert response.status == 200, f"a visitor opening {name} got {response.status}"
        check_page(page, axe_source, f"anonymous-{_short(name)}")
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    check_page(page, axe_source, "anonymous-not-found-404")


def test_the_header_reflows_on_a_small_screen_and_its_menu_opens(browser, live_server, axe_source):
    """WCAG 1.4.10: at 320 CSS pixels wide (a 1280 pixel screen at 400% zoom) the
    partnership header and the longest navigation fit without sideways
    scrolling, and GOV.UK Frontend's script (loaded under the CSP) runs the menu."""
    admin = make_persona(Role.ADMINISTRATOR)
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="en-GB")
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.problems.append(m.text))
    try:
        sign_in_through_the_page(page, live_server.url, admin)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        menu = page.locator(".govuk-service-navigation__toggle")
        assert menu.is_visible(), "the navigation's Menu button did not appear: GOV.UK Frontend's script did not run"
        menu.click()
        expect(page.locator(".govuk-service-navigation__list")).to_be_visible()
        check_page(page, axe_source, "administrator-home-small-screen-menu-open")
    finally:
        context.close()


def test_a_mash_practitioner_acts_on_a_move_alert_and_the_business_manager_sees_the_look(page, live_server, axe_source):
    """Issue 7's journey: sign in with two steps, see the day's move alert on the home
    page, open the child with a stated purpose, see the records side by side, acknowledge
    the alert; the access log then shows the look with its purpose."""
    users = {r: make_persona(r) for r in Role}
    world = build_world(users[Role.ADMINISTRATOR])
    let_read_the_worlds_child(users[Role.MASH_PRACTITIONER], world)
    let_answer_the_worlds_request(users[Role.AGENCY_LEAD], world)
    base = live_server.url
    sign_in_through_the_page(page, base, users[Role.MASH_PRACTITIONER])
    page.click("text=Children who moved: new alerts")
    page.click(f"text=Alert {world.alert_pk}")
    check_page(page, axe_source, "mash_practitioner-alert-new")
    page.click(f"main a:has-text('{world.child_reference}')")
    expect(page.locator("h1")).to_have_text("Why are you opening this record?")
    page.select_option("#id_purpose", "section_47")
    page.click("button:has-text('Open the record')")
    expect(page.locator("h1")).to_have_text(f"Child {world.child_reference}")
    expect(page.locator("text=The records side by side")).to_be_visible()
    check_page(page, axe_source, "mash_practitioner-child-opened")
    page.goto(base + reverse("moves:alert", kwargs={"pk": world.alert_pk}))
    page.check("input[value=closed]")
    page.click("main button:has-text('Save')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, axe_source, "mash_practitioner-alert-errors")
    page.check("input[value=acknowledged]")
    page.click("main button:has-text('Save')")
    expect(page.locator("text=The alert is now acknowledged")).to_be_visible()
    page.check("input[value=closed]")
    page.fill("#id_note", "Transfer-in conference held")
    page.click("main button:has-text('Save')")
    expect(page.locator("h1")).to_have_text("Are you sure you want to close this alert?")
    check_page(page, axe_source, "mash_practitioner-alert-close-confirm")
    page.click("main button:has-text('Yes, close the alert')")
    expect(page.locator("text=The alert is now closed")).to_be_visible()
    page.click("button:has-text('Sign out')")

    sign_in_through_the_page(page, base, users[Role.BUSINESS_MANAGER])
    page.goto(base + reverse("children:access_log") + f"?child={world.child_reference}")
    log = page.locator("main table").text_content()
    assert "sam" in log and "A child protection (section 47) enquiry" in log
    check_page(page, axe_source, "business_manager-access_log-child")
