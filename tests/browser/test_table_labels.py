"""Small screens stack each table row with its column's header beside each value
(init.js sets data-label); a cell across the whole row, such as an empty table's
message, is nobody's column and carries no label."""

import pytest
from django.urls import reverse

from safeguarding.core.permissions import Role
from tests.browser.test_pages_accessible import sign_in_through_the_page
from tests.conftest import make_persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cells_are_labelled_by_their_column_but_a_whole_row_message_is_not(page, live_server):
    admin = make_persona(Role.ADMINISTRATOR)
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in_through_the_page(page, live_server.url, admin)

    page.goto(live_server.url + reverse("accounts:users"))
    headers = [" ".join(h.split()) for h in page.locator("table.govuk-table thead th").all_text_contents()]
    cells = page.locator("table.govuk-table tbody tr").first.locator("th, td")
    assert [cells.nth(i).get_attribute("data-label") for i in range(cells.count())] == headers

    page.goto(live_server.url + reverse("accounts:api_tokens"))
    empty = page.locator("td[colspan]", has_text="No tokens yet.")
    assert empty.count() == 1
    assert empty.get_attribute("data-label") is None
