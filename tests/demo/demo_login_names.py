"""Each demo log-in's person carries the log-in's name, so signing in as bella shows
"Bella ..." in the header (issue 14, item 20). The check runs inside
tests/demo/test_load_demo.py, which loads the demo once for both."""

from django.test import Client

from safeguarding.accounts.models import User
from safeguarding.demo import northshire
from tests.conftest import sign_in


def _login_name(username: str) -> str:
    return username.rsplit(".", 1)[-1]  # cllr.chris is Chris


def each_demo_person_is_called_by_their_log_in_and_the_header_says_so():
    """Called by tests/demo/test_load_demo.py once the demo is loaded (a load takes minutes)."""
    client = Client()
    logins = northshire.demo_logins()
    assert {login.username for login in logins} == {u for u, _, _ in northshire.DEMO_USERS}
    for login in logins:
        first_name = login.full_name.split()[0]
        assert first_name.lower().startswith(_login_name(login.username).lower()), login
        user = User.objects.get(username=login.username)
        assert user.person.full_name == login.full_name
        sign_in(client, user)
        page = client.get("/")
        assert page.status_code == 200
        header = page.content.decode().split('class="sg-header__user">', 1)[1].split("<", 1)[0]
        assert header.strip() == login.full_name
        client.logout()
