"""The reviews figures page with recorded reviews in it (``tests/reviews/worked_example``):
accessible with its tables full, and each table fits a 320 pixel window."""

import pytest

from safeguarding.core.permissions import Role
from tests.browser.conftest import check_page
from tests.browser.test_page_widths import SMALL_SCREEN, _too_wide
from tests.browser.test_pages_accessible import sign_in_through_the_page
from tests.conftest import make_persona
from tests.reviews.conftest import world  # noqa: F401  (the fixture)
from tests.reviews.worked_example import WINDOW, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_figures_page_with_its_tables_full_is_accessible_and_fits_320_pixels(page, live_server, axe_source, world):  # noqa: F811
    record(world)
    sign_in_through_the_page(page, live_server.url, make_persona(Role.SCRUTINEER))
    url = f"{live_server.url}/reviews/figures/?date_from={WINDOW.start}&date_to={WINDOW.end}"
    assert page.goto(url).status == 200
    assert page.locator("td", has_text="Child Q").count() == 2
    check_page(page, axe_source, "reviews-figures-full")
    page.set_viewport_size(SMALL_SCREEN)
    page.goto(url)
    page.wait_for_load_state("load")
    assert _too_wide(page, "reviews figures") is None
    cell = page.locator("td", has_text="Child Q").first
    assert cell.get_attribute("data-label") == "Review"
