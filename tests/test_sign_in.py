"""Signing in: lockout after repeated failures, two-step codes for roles that see
child-level data, sessions that expire, and no open redirects."""

import datetime

import pyotp
import pytest
from django.conf import settings
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import ROLES_REQUIRING_TWO_FACTOR, Role
from tests.conftest import make_persona
from tests.factories import TEST_PASSWORD

SIGN_IN = "/account/sign-in/"


def _post(client, username, password):
    return client.post(SIGN_IN, {"username": username, "password": password})


@pytest.mark.django_db
def test_an_analyst_signs_in_with_a_password_alone(client):
    make_persona(Role.ANALYST)
    response = _post(client, "andy", TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor_label="andy").exists()


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_even_against_the_right_password(client):
    make_persona(Role.ANALYST)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = _post(client, "andy", "wrong password")
        assert "Enter a correct user name and password" in response.content.decode()
    user = User.objects.get(username="andy")
    assert user.locked_until is not None and user.locked_until > timezone.now()
    refused = _post(client, "andy", TEST_PASSWORD)
    assert refused.status_code == 200 and "This account is locked" in refused.content.decode()
    assert (
        AuditEvent.objects.filter(action="login_failed", object_id=str(user.pk)).count() == settings.LOGIN_MAX_FAILURES
    )
    assert AuditEvent.objects.filter(action="locked_out", object_id=str(user.pk)).exists()

    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    assert _post(client, "andy", TEST_PASSWORD).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ROLES_REQUIRING_TWO_FACTOR))
def test_roles_that_see_child_data_need_a_code_to_finish_signing_in(client, role):
    user = make_persona(role)
    response = _post(client, user.username, TEST_PASSWORD)
    assert response["Location"] == "/account/two-step/set-up/"
    assert client.get("/").status_code == 302  # not signed in yet
    page = client.get("/account/two-step/set-up/")
    assert page.status_code == 200
    user.refresh_from_db()
    assert client.post("/account/two-step/set-up/", {"code": "000000"}).status_code == 200
    code = pyotp.TOTP(user.totp_secret).now()
    assert client.post("/account/two-step/set-up/", {"code": code})["Location"] == "/"
    assert client.get("/").status_code == 200
    user.refresh_from_db()
    assert user.has_two_factor


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(client):
    user = make_persona(Role.MASH_PRACTITIONER)
    secret = pyotp.random_base32()
    User.objects.filter(pk=user.pk).update(totp_secret=secret, totp_confirmed_at=timezone.now())
    code = pyotp.TOTP(secret).now()
    assert _post(client, user.username, TEST_PASSWORD)["Location"] == "/account/two-step/"
    assert client.post("/account/two-step/", {"code": code})["Location"] == "/"
    client.logout()
    _post(client, user.username, TEST_PASSWORD)
    reused = client.post("/account/two-step/", {"code": code})
    assert reused.status_code == 200 and "The code is not right" in reused.content.decode()


@pytest.mark.django_db
def test_a_user_given_a_child_data_role_mid_session_must_enter_a_code(client):
    user = make_persona(Role.ANALYST)
    _post(client, "andy", TEST_PASSWORD)
    user.role_assignments.create(role=Role.MASH_PRACTITIONER)
    response = client.get("/organisations/")
    assert response.status_code == 302 and response["Location"] == "/account/two-step/"


def test_sessions_end_after_thirty_minutes_of_inactivity():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.mark.django_db
def test_next_may_not_send_the_user_to_another_site(client):
    make_persona(Role.ANALYST)
    response = client.post(SIGN_IN + "?next=https://evil.example/", {"username": "andy", "password": TEST_PASSWORD})
    assert response["Location"] == "/"
    client.logout()
    response = client.post(SIGN_IN + "?next=/people/", {"username": "andy", "password": TEST_PASSWORD})
    assert response["Location"] == "/people/"
