"""Enrolment codes: a role that sees children's data sets up an authenticator only with a
single-use, expiring code issued by an administrator, so a password alone is not enough."""

import datetime
import io

import pyotp
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from safeguarding.accounts import services
from safeguarding.accounts.models import EnrolmentCode
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import ROLES_REQUIRING_TWO_FACTOR, Role
from tests.conftest import make_persona, sign_in
from tests.factories import TEST_PASSWORD

SIGN_IN = "/account/sign-in/"
SET_UP = "/account/two-step/set-up/"

pytestmark = pytest.mark.django_db


def _to_set_up(client, user):
    assert client.post(SIGN_IN, {"username": user.username, "password": TEST_PASSWORD})["Location"] == SET_UP
    assert client.get(SET_UP).status_code == 200
    user.refresh_from_db()
    return pyotp.TOTP(user.totp_secret)


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


@pytest.fixture
def ada():
    return make_persona(Role.ADMINISTRATOR)


@pytest.fixture
def sam():
    return make_persona(Role.MASH_PRACTITIONER)


def test_child_data_roles_need_an_enrolment_code():
    assert Role.MASH_PRACTITIONER in ROLES_REQUIRING_TWO_FACTOR
    assert services.enrolment_code_required(make_persona(Role.MASH_PRACTITIONER))
    assert not services.enrolment_code_required(make_persona(Role.ANALYST))


def test_enrolment_without_a_code_is_refused_for_a_child_data_role(client, sam):
    totp = _to_set_up(client, sam)
    response = client.post(SET_UP, {"code": totp.now()})
    assert response.status_code == 200 and "Enter enrolment code" in response.content.decode()
    response = client.post(SET_UP, {"code": totp.now(), "enrolment_code": "ABCD-EFGH-JKLM"})
    assert "The enrolment code is not right" in response.content.decode()
    assert not _signed_in(client)
    sam.refresh_from_db()
    assert not sam.has_two_factor and sam.failed_login_count == 1
    assert AuditEvent.objects.filter(actor=sam, changes__result="enrolment code refused").exists()


def test_enrolment_with_a_valid_code_succeeds_and_uses_it_up(client, ada, sam):
    code, plaintext = services.enrolment_code_issue(user=sam, actor=ada)
    assert plaintext not in code.code_hash and len(plaintext) == 14
    totp = _to_set_up(client, sam)
    # A wrong authenticator code does not use up the enrolment code.
    wrong = f"{(int(totp.now()) + 500_000) % 1_000_000:06d}"
    assert "The code is not right" in client.post(SET_UP, {"code": wrong, "enrolment_code": plaintext}).content.decode()
    response = client.post(SET_UP, {"code": totp.now(), "enrolment_code": plaintext.lower().replace("-", " ")})
    assert response["Location"] == "/"
    assert _signed_in(client)
    sam.refresh_from_db()
    code.refresh_from_db()
    assert sam.has_two_factor and code.used_at is not None
    assert AuditEvent.objects.filter(object_type="accounts.enrolmentcode", object_id=str(code.pk)).count() == 2


def test_a_used_code_is_refused(client, ada, sam):
    _, plaintext = services.enrolment_code_issue(user=sam, actor=ada)
    totp = _to_set_up(client, sam)
    assert client.post(SET_UP, {"code": totp.now(), "enrolment_code": plaintext})["Location"] == "/"
    services.two_factor_reset(user=sam, actor=ada)
    client.post("/account/sign-out/")
    totp = _to_set_up(client, sam)
    response = client.post(SET_UP, {"code": totp.now(), "enrolment_code": plaintext})
    assert "already been used" in response.content.decode()
    assert not _signed_in(client)


def test_an_expired_code_is_refused(client, ada, sam):
    issued = timezone.now() - datetime.timedelta(hours=settings.ENROLMENT_CODE_HOURS, minutes=1)
    _, plaintext = services.enrolment_code_issue(user=sam, actor=ada, now=issued)
    totp = _to_set_up(client, sam)
    response = client.post(SET_UP, {"code": totp.now(), "enrolment_code": plaintext})
    assert "has expired" in response.content.decode()
    sam.refresh_from_db()
    assert not sam.has_two_factor


def test_another_users_code_is_refused(client, ada, sam):
    hana = make_persona(Role.AGENCY_LEAD)
    _, hanas = services.enrolment_code_issue(user=hana, actor=ada)
    totp = _to_set_up(client, sam)
    response = client.post(SET_UP, {"code": totp.now(), "enrolment_code": hanas})
    assert "The enrolment code is not right" in response.content.decode()
    assert not _signed_in(client)


def test_a_new_code_replaces_the_unused_one(ada, sam):
    first, _ = services.enrolment_code_issue(user=sam, actor=ada)
    services.enrolment_code_issue(user=sam, actor=ada)
    first.refresh_from_db()
    assert first.expires_at <= timezone.now()


def test_wrong_enrolment_codes_count_toward_lockout(client, sam):
    totp = _to_set_up(client, sam)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(SET_UP, {"code": totp.now(), "enrolment_code": "WRON-GCOD-EXXX"})
    sam.refresh_from_db()
    assert sam.locked_until is not None and sam.locked_until > timezone.now()


def test_a_role_without_child_data_enrols_without_a_code(client):
    andy = make_persona(Role.ANALYST)
    sign_in(client, andy)
    assert "Enrolment code" not in client.get(SET_UP).content.decode()
    andy.refresh_from_db()
    assert client.post(SET_UP, {"code": pyotp.TOTP(andy.totp_secret).now()})["Location"] == "/"


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.ADMINISTRATOR}))
def test_a_non_administrator_cannot_issue_a_code(role, sam):
    other = make_persona(role) if role != Role.MASH_PRACTITIONER else sam
    with pytest.raises(PermissionDenied):
        services.enrolment_code_issue(user=sam, actor=other)
    assert not EnrolmentCode.objects.exists()


def test_the_command_issues_a_code_for_an_administrator_only(ada, sam):
    out = io.StringIO()
    call_command("enrolment_code", "sam", "--by", "ada", stdout=out)
    plaintext = out.getvalue().split("Enrolment code for sam: ")[1].split()[0]
    code = EnrolmentCode.objects.get(user=sam)
    assert code.code_hash == services.hash_enrolment_code(plaintext) and code.issued_by == ada
    with pytest.raises(CommandError, match="Only an administrator"):
        call_command("enrolment_code", "ada", "--by", "sam", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no active user called 'nobody'"):
        call_command("enrolment_code", "nobody", "--by", "ada", stdout=io.StringIO())


def test_the_admin_action_shows_the_code_once_and_only_to_an_administrator(client, ada, sam):
    services.user_set_roles(user=ada, roles=[Role.ADMINISTRATOR], actor=ada)  # the admin needs is_staff
    ada.refresh_from_db()
    sign_in(client, ada)
    response = client.post(
        "/admin/accounts/user/", {"action": "issue_enrolment_code", "_selected_action": [sam.pk]}, follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    code = EnrolmentCode.objects.get(user=sam)
    shown = body.split('data-testid="enrolment-code">')[1].split("<")[0]
    assert services.hash_enrolment_code(shown) == code.code_hash
    assert "no-store" in response["Cache-Control"]


def test_enrolment_code_hours_must_be_sensible():
    from tests.test_settings import PRINT, START, _python

    for bad in ("0", "-3", "1000", "soon"):
        result = _python(START, DEBUG="true", ENROLMENT_CODE_HOURS=bad)
        assert result.returncode != 0 and "ENROLMENT_CODE_HOURS" in result.stderr
    result = _python(PRINT.format("settings.ENROLMENT_CODE_HOURS"), DEBUG="true")
    assert result.stdout.strip() == "72", result.stderr
