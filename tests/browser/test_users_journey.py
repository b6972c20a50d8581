"""The Users pages in a real browser with axe-core (issue 14, item 20): an administrator adds
a log-in, reads the e-mail it sent on the demo's Sent e-mails page, and its holder sets a
password from the link and signs in; then the administrator deactivates the account, saying why."""

from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from safeguarding.accounts.models import User
from safeguarding.core import demo_outbox
from safeguarding.core.permissions import Role
from tests.browser.conftest import check_page
from tests.browser.test_pages_accessible import sign_in_through_the_page
from tests.conftest import make_persona
from tests.factories import OrganisationFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "otter-meadow-lantern-7"


def test_an_administrator_adds_a_user_who_sets_a_password_and_is_later_deactivated(
    page, browser, live_server, axe_source, tmp_path
):
    base = live_server.url
    person = PostFactory(
        organisation=OrganisationFactory(name="Riverside Police"), person__full_name="Petra Quill"
    ).person
    admin = make_persona(Role.ADMINISTRATOR)
    with override_settings(MAILERS={"default": {"BACKEND": demo_outbox.BACKEND}}, DEMO_OUTBOX_DIR=str(tmp_path)):
        sign_in_through_the_page(page, base, admin)
        page.click("nav >> text=Users")
        page.wait_for_url(base + reverse("accounts:users"))
        page.click("text=Add a user")
        page.click("main button:has-text('Add the user')")
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check_page(page, axe_source, "administrator-user_create-errors")

        page.select_option("#id_person", str(person.pk))
        page.fill("#id_username", "petra.quill")
        page.fill("#id_email", "petra@riverside.example")
        page.check("input[name=roles][value=analyst]")
        page.click("main button:has-text('Add the user')")
        expect(page.locator("h1")).to_have_text("Petra Quill")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("A link to set a password is e-mailed")
        check_page(page, axe_source, "administrator-user-added")

        page.goto(base + reverse("core:sent_emails"))
        page.click("text=Your Safeguarding account")
        page.wait_for_url("**/sent-emails/?message=*")
        link = page.locator("main a[href*='/account/set-password/']").get_attribute("href")

        # Petra, in a browser of her own, while the administrator stays signed in.
        holder = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
        holder.problems = []
        holder.goto(base + urlsplit(link).path)  # the e-mail has SITE_URL's host
        expect(holder.locator("h1")).to_have_text("Choose your password")
        assert holder.url.endswith("/set/")  # the token is off the address bar
        holder.fill("#id_new_password1", "short")
        holder.fill("#id_new_password2", "short")
        holder.click("main button:has-text('Set the password')")
        expect(holder.locator(".govuk-error-summary")).to_be_visible()
        check_page(holder, axe_source, "anonymous-set_password-errors")
        holder.fill("#id_new_password1", PASSWORD)
        holder.fill("#id_new_password2", PASSWORD)
        holder.click("main button:has-text('Set the password')")
        holder.wait_for_url(base + reverse("accounts:login"))
        holder.fill("#id_username", "petra.quill")
        holder.fill("#id_password", PASSWORD)
        holder.click("button:has-text('Continue')")
        holder.wait_for_url(base + "/")

        petra = User.objects.get(username="petra.quill")
        page.goto(base + reverse("accounts:user", kwargs={"pk": petra.pk}))
        page.click("text=Deactivate the account")
        expect(page.locator("h1")).to_have_text("Are you sure you want to deactivate Petra Quill?")
        page.click("main button:has-text('Yes, deactivate the account')")
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check_page(page, axe_source, "administrator-user_deactivate-errors")
        page.fill("#id_reason", "Left the force on 30 November")
        page.click("main button:has-text('Yes, deactivate the account')")
        expect(page.locator(".govuk-inset-text")).to_contain_text("This account is deactivated")
        expect(page.locator("main")).to_contain_text("Left the force on 30 November")  # in its history
        check_page(page, axe_source, "administrator-user-deactivated")
        holder.reload()  # her session ended with the account
        assert holder.url.startswith(base + reverse("accounts:login"))
        holder.context.close()
    petra.refresh_from_db()
    assert not petra.is_active
