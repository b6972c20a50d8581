"""Every page each role can open fits a 320 CSS pixel window (WCAG 1.4.10 Reflow:
a 1,280 pixel screen at 400% zoom): the document is no wider than the window.

One browser context per role, signed in once; each page the accessibility test
lists for the role (and every role's shared pages) is opened at 320 pixels and its
width measured. A failure names the page and the elements that stick out furthest.
"""

import pytest

from safeguarding.core.permissions import Role
from tests.browser.test_pages_accessible import (
    ROLE_ORDER,
    _html_pages,
    _may_open,
    _url,
    sign_in_through_the_page,
)
from tests.conftest import make_persona
from tests.test_permission_matrix import PUBLIC
from tests.world import build_world, let_answer_the_worlds_request, let_read_the_worlds_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_SCREEN = {"width": 320, "height": 640}

WIDEST = """(limit) => Array.from(document.querySelectorAll('body *'))
  .map((el) => [el, el.getBoundingClientRect().right])
  .filter(([, right]) => right > limit + 0.5)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 6)
  .map(([el, right]) => `${el.tagName.toLowerCase()}.${el.className} right edge ${Math.round(right)}px: `
    + (el.textContent || '').trim().slice(0, 40))"""


def _too_wide(page, name: str) -> str | None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= SMALL_SCREEN["width"]:
        return None
    widest = page.evaluate(WIDEST, SMALL_SCREEN["width"])
    return f"{name} ({page.url}) is {width}px wide:\n      " + "\n      ".join(widest)


def test_every_page_fits_a_320_pixel_window(browser, live_server):
    users = {r: make_persona(r) for r in Role}
    world = build_world(users[Role.ADMINISTRATOR])
    let_read_the_worlds_child(users[Role.MASH_PRACTITIONER], world)
    let_answer_the_worlds_request(users[Role.AGENCY_LEAD], world)
    pages = list(_html_pages())
    failures = []
    for role in [None, *ROLE_ORDER]:
        context = browser.new_context(viewport=SMALL_SCREEN, locale="en-GB", timezone_id="Europe/London")
        page = context.new_page()
        try:
            if role is not None:
                sign_in_through_the_page(page, live_server.url, users[role])
            for name, kwargs, access in pages:
                # The visitor opens the public pages; each role every other page it may open.
                if (access == PUBLIC) != (role is None) or (role is not None and not _may_open(role, access)):
                    continue
                response = page.goto(live_server.url + _url(world, name, kwargs))
                assert response.status == 200, f"{role} opening {name} got {response.status}"
                page.wait_for_load_state("load")
                problem = _too_wide(page, f"{role or 'visitor'} {name}")
                if problem:
                    failures.append(problem)
        finally:
            context.close()
    assert not failures, f"{len(failures)} pages are wider than 320px:\n  " + "\n  ".join(failures)
