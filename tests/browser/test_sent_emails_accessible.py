"""The demo's Sent e-mails pages in a real browser with axe-core (issue 14, item 20): the
matrix lists the page as a 404 (the outbox is off in tests), so the page-by-page run skips it."""

import pytest
from django.test import override_settings
from django.urls import reverse

from safeguarding.core import demo_outbox
from safeguarding.core.permissions import Role
from tests.browser.conftest import check_page
from tests.browser.test_pages_accessible import sign_in_through_the_page
from tests.conftest import make_persona
from tests.core.test_demo_outbox import _book_from_an_outside_address

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sent_emails_list_and_one_email_are_accessible(page, live_server, axe_source, tmp_path):
    with override_settings(MAILERS={"default": {"BACKEND": demo_outbox.BACKEND}}, DEMO_OUTBOX_DIR=str(tmp_path)):
        _book_from_an_outside_address()
        sign_in_through_the_page(page, live_server.url, make_persona(Role.ADMINISTRATOR))
        page.click("nav >> text=Sent e-mails")
        page.wait_for_url(live_server.url + reverse("core:sent_emails"))
        check_page(page, axe_source, "administrator-sent_emails")
        page.click("text=Confirm your training booking")
        # The click only starts the navigation: wait for the e-mail's page before counting its links.
        page.wait_for_url("**/sent-emails/?message=*")
        page.wait_for_load_state()
        assert page.locator("main a[href*='/training/']").count() == 1
        check_page(page, axe_source, "administrator-sent_email")
