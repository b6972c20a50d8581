"""Signing in: lockout after repeated failures, two-step codes for roles that see
child-level data, sessions that expire, and no open redirects."""

import datetime

import pyotp
import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import ROLES_REQUIRING_TWO_FACTOR, Role
from tests.conftest import make_persona
from tests.factories import TEST_PASSWORD

SIGN_IN = "/account/sign-in/"
VERIFY = "/account/two-step/"
SET_UP = "/account/two-step/set-up/"
WRONG_PASSWORD = "Enter a correct user name and password"
LOCKED = "This account is locked"
WRONG_CODE = "The code is not right"


def _post(client, username, password, next_url=None):
    url = SIGN_IN if next_url is None else f"{SIGN_IN}?next={next_url}"
    return client.post(url, {"username": username, "password": password})


def _with_authenticator(user) -> pyotp.TOTP:
    """Give the user a confirmed authenticator, as if they had set it up before."""
    secret = pyotp.random_base32()
    User.objects.filter(pk=user.pk).update(totp_secret=secret, totp_confirmed_at=timezone.now())
    return pyotp.TOTP(secret)


def _enrolment_code(user) -> str:
    """What an administrator would hand over before a child-data role first signs in."""
    from safeguarding.accounts.services import enrolment_code_issue

    administrator = User.objects.filter(username="ada").first() or make_persona(Role.ADMINISTRATOR)
    return enrolment_code_issue(user=user, actor=administrator)[1]


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


# Passwords and lockout ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_analyst_signs_in_with_a_password_alone(client):
    assert Role.ANALYST not in ROLES_REQUIRING_TWO_FACTOR
    make_persona(Role.ANALYST)
    response = _post(client, "andy", TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in(client)
    assert client.session["two_factor_verified"] is False
    assert AuditEvent.objects.filter(action="login", actor_label="andy").exists()


@pytest.mark.django_db
def test_signing_in_gives_a_new_session_key(client):
    make_persona(Role.ANALYST)
    client.get(SIGN_IN)
    session = client.session
    session["planted"] = True
    session.save()
    planted = session.session_key
    _post(client, "andy", TEST_PASSWORD)
    assert client.session.session_key != planted


@pytest.mark.django_db
def test_a_wrong_password_and_an_unknown_user_read_the_same(client):
    make_persona(Role.ANALYST)
    wrong = _post(client, "andy", "not the password")
    unknown = _post(client, "nobody", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 200 and WRONG_PASSWORD in response.content.decode()
    assert not _signed_in(client)


@pytest.mark.django_db
def test_a_deactivated_user_cannot_sign_in(client):
    user = make_persona(Role.ANALYST)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = _post(client, "andy", TEST_PASSWORD)
    assert response.status_code == 200 and WRONG_PASSWORD in response.content.decode()
    assert not _signed_in(client)


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_even_against_the_right_password(client):
    make_persona(Role.ANALYST)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = _post(client, "andy", "wrong password")
        assert WRONG_PASSWORD in response.content.decode()
    user = User.objects.get(username="andy")
    assert user.locked_until is not None and user.locked_until > timezone.now()

    refused = _post(client, "andy", TEST_PASSWORD)
    assert refused.status_code == 200 and LOCKED in refused.content.decode()
    assert not _signed_in(client)

    failures = AuditEvent.objects.filter(action="login_failed", object_id=str(user.pk))
    assert failures.count() == settings.LOGIN_MAX_FAILURES
    assert all(event.actor == user for event in failures)
    locked = AuditEvent.objects.get(action="locked_out", object_id=str(user.pk))
    assert locked.changes["locked_until"] == user.locked_until.isoformat()

    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    assert _post(client, "andy", TEST_PASSWORD).status_code == 302
    assert _signed_in(client)
    user.refresh_from_db()
    assert user.failed_login_count == 0 and user.locked_until is None


@pytest.mark.django_db
def test_one_failure_short_of_the_limit_does_not_lock(client):
    make_persona(Role.ANALYST)
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        _post(client, "andy", "wrong password")
    assert User.objects.get(username="andy").locked_until is None
    assert _post(client, "andy", TEST_PASSWORD).status_code == 302
    assert User.objects.get(username="andy").failed_login_count == 0


# Two-step codes -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ROLES_REQUIRING_TWO_FACTOR))
def test_roles_that_see_child_data_set_up_a_code_to_finish_signing_in(client, role):
    user = make_persona(role)
    enrolment_code = _enrolment_code(user)
    response = _post(client, user.username, TEST_PASSWORD)
    assert response["Location"] == SET_UP
    assert not _signed_in(client)
    assert client.get(SET_UP).status_code == 200
    user.refresh_from_db()
    wrong = client.post(SET_UP, {"code": "000000", "enrolment_code": enrolment_code})
    assert wrong.status_code == 200 and WRONG_CODE in wrong.content.decode()
    assert not _signed_in(client)
    code = pyotp.TOTP(user.totp_secret).now()
    assert client.post(SET_UP, {"code": code, "enrolment_code": enrolment_code})["Location"] == "/"
    assert _signed_in(client)
    assert client.session["two_factor_verified"] is True
    user.refresh_from_db()
    assert user.has_two_factor


@pytest.mark.django_db
def test_a_user_with_an_authenticator_is_asked_for_a_code_and_a_wrong_one_is_refused(client):
    user = make_persona(Role.MASH_PRACTITIONER)
    totp = _with_authenticator(user)
    assert _post(client, "sam", TEST_PASSWORD)["Location"] == VERIFY
    assert not _signed_in(client)
    wrong = client.post(VERIFY, {"code": "000000" if totp.now() != "000000" else "111111"})
    assert wrong.status_code == 200 and WRONG_CODE in wrong.content.decode()
    assert not _signed_in(client)
    assert AuditEvent.objects.filter(action="two_factor", changes__result="refused", actor=user).exists()
    assert client.post(VERIFY, {"code": totp.now()})["Location"] == "/"
    assert _signed_in(client)
    assert AuditEvent.objects.filter(action="two_factor", changes__result="accepted", actor=user).exists()


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(client):
    user = make_persona(Role.MASH_PRACTITIONER)
    totp = _with_authenticator(user)
    code = totp.now()
    _post(client, "sam", TEST_PASSWORD)
    assert client.post(VERIFY, {"code": code})["Location"] == "/"
    user.refresh_from_db()
    assert user.totp_last_counter >= totp.timecode(timezone.now()) - 1
    client.post("/account/sign-out/")
    _post(client, "sam", TEST_PASSWORD)
    reused = client.post(VERIFY, {"code": code})
    assert reused.status_code == 200 and WRONG_CODE in reused.content.decode()
    assert not _signed_in(client)


@pytest.mark.django_db
def test_repeated_wrong_codes_lock_the_account(client):
    user = make_persona(Role.MASH_PRACTITIONER)
    totp = _with_authenticator(user)
    _post(client, "sam", TEST_PASSWORD)
    wrong = "000000" if totp.now() != "000000" else "111111"
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(VERIFY, {"code": wrong})
    user.refresh_from_db()
    assert user.locked_until is not None and user.locked_until > timezone.now()
    refused = client.post(VERIFY, {"code": totp.now()})
    assert refused.status_code == 200 and LOCKED in refused.content.decode()
    assert not _signed_in(client)


@pytest.mark.django_db
def test_the_code_pages_send_a_visitor_without_a_password_to_sign_in(client):
    make_persona(Role.MASH_PRACTITIONER)
    for url in (VERIFY, SET_UP):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == SIGN_IN
        assert client.post(url, {"code": "123456"})["Location"] == SIGN_IN


@pytest.mark.django_db
def test_a_user_given_a_child_data_role_mid_session_must_enter_a_code(client):
    user = make_persona(Role.ANALYST)
    _post(client, "andy", TEST_PASSWORD)
    assert client.get("/organisations/").status_code == 200
    user.role_assignments.create(role=Role.MASH_PRACTITIONER)
    response = client.get("/organisations/")
    assert response.status_code == 302 and response["Location"] == VERIFY
    # No authenticator yet: the verify page sends them on to set one up, then back in.
    assert client.get(VERIFY)["Location"] == SET_UP
    client.get(SET_UP)
    user.refresh_from_db()
    code = pyotp.TOTP(user.totp_secret).now()
    assert client.post(SET_UP, {"code": code, "enrolment_code": _enrolment_code(user)})["Location"] == "/"
    assert client.get("/organisations/").status_code == 200


@pytest.mark.django_db
def test_a_session_without_the_two_step_flag_is_sent_to_enter_a_code(client):
    user = make_persona(Role.BUSINESS_MANAGER)
    _with_authenticator(user)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == VERIFY


# Sessions, signing out and redirects --------------------------------------------------


def test_sessions_end_after_thirty_minutes_of_inactivity():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.mark.django_db
def test_each_request_pushes_the_expiry_on_and_an_idle_session_ends(client):
    make_persona(Role.ANALYST)
    _post(client, "andy", TEST_PASSWORD)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    assert _signed_in(client)
    pushed = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < pushed <= datetime.timedelta(minutes=30)

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


@pytest.mark.django_db
def test_signing_out_is_a_post_that_ends_the_session_and_is_audited(client):
    user = make_persona(Role.ANALYST)
    _post(client, "andy", TEST_PASSWORD)
    assert client.get("/account/sign-out/").status_code == 405
    assert _signed_in(client)
    response = client.post("/account/sign-out/")
    assert response["Location"] == SIGN_IN
    assert not _signed_in(client)
    assert AuditEvent.objects.filter(action="logout", actor=user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "evil", ["https://evil.example/", "//evil.example/", "http:evil.example", "/\\evil.example", "javascript:alert(1)"]
)
def test_next_may_not_send_the_user_to_another_site(client, evil):
    make_persona(Role.ANALYST)
    response = client.post(SIGN_IN, {"username": "andy", "password": TEST_PASSWORD}, query_params={"next": evil})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_next_within_the_site_is_followed(client):
    make_persona(Role.ANALYST)
    assert _post(client, "andy", TEST_PASSWORD, next_url="/people/")["Location"] == "/people/"


@pytest.mark.django_db
def test_next_survives_the_code_step_and_is_still_checked(client):
    user = make_persona(Role.MASH_PRACTITIONER)
    totp = _with_authenticator(user)
    _post(client, "sam", TEST_PASSWORD, next_url="/people/")
    assert client.post(VERIFY, {"code": totp.now()})["Location"] == "/people/"
    client.post("/account/sign-out/")
    User.objects.filter(pk=user.pk).update(totp_last_counter=0)
    _post(client, "sam", TEST_PASSWORD, next_url="https://evil.example/")
    assert client.post(VERIFY, {"code": totp.now()})["Location"] == "/"


@pytest.mark.django_db
def test_a_protected_page_sends_a_visitor_to_sign_in_and_back(client):
    make_persona(Role.ANALYST)
    response = client.get("/people/?q=smith")
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=%2Fpeople%2F%3Fq%3Dsmith"
    assert _post(client, "andy", TEST_PASSWORD, next_url="/people/%3Fq%3Dsmith")["Location"] == "/people/?q=smith"


@pytest.mark.django_db
def test_the_lockout_message_does_not_show_a_user_name_exists(client):
    make_persona(Role.ANALYST)
    User.objects.filter(username="andy").update(locked_until=timezone.now() + datetime.timedelta(minutes=10))
    locked_wrong = _post(client, "andy", "wrong password").content.decode()
    nobody = _post(client, "nobody-at-all", "wrong password").content.decode()
    assert LOCKED not in locked_wrong and WRONG_PASSWORD in locked_wrong and WRONG_PASSWORD in nobody


@pytest.mark.django_db
def test_a_failed_sign_in_with_an_unknown_user_name_is_audited(client):
    _post(client, "guessing-names", "wrong password")
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor is None and event.changes == {"user_name": "guessing-names", "known_user": False}
    assert event.actor_label == "system: sign-in page"
