"""Writes for organisations, people, users and API tokens. Each says who acted."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

import pyotp
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguarding.accounts import emails
from safeguarding.accounts.models import (
    ApiToken,
    Area,
    EnrolmentCode,
    Organisation,
    Person,
    Post,
    RoleAssignment,
    User,
)
from safeguarding.core.audit import Actor, SystemActor, diff, record_event, record_write, snapshot
from safeguarding.core.hashing import hash_token
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Perm, has_perm, requires_two_factor

A = AuditEvent.Action


# Organisations and areas -------------------------------------------------------------


@transaction.atomic
def area_create(*, code: str, name: str, actor: Actor) -> Area:
    area = Area.objects.create(code=code, name=name)
    record_write(actor=actor, action=A.CREATE, instance=area)
    return area


@transaction.atomic
def organisation_create(
    *,
    code: str,
    name: str,
    kind: str,
    standing: str,
    areas: Iterable[Area] = (),
    email_domains: str = "",
    actor: Actor,
) -> Organisation:
    organisation = Organisation(code=code, name=name, kind=kind, standing=standing, email_domains=email_domains)
    organisation.full_clean()
    organisation.save()
    organisation.areas.set(areas)
    changes = snapshot(organisation) | {"areas": sorted(a.code for a in areas)}
    record_write(actor=actor, action=A.CREATE, instance=organisation, changes=changes)
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: Actor, areas: Iterable[Area] | None = None, **fields: Any
) -> Organisation:
    before = snapshot(organisation) | {"areas": sorted(a.code for a in organisation.areas.all())}
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    if areas is not None:
        organisation.areas.set(areas)
    after = snapshot(organisation) | {"areas": sorted(a.code for a in organisation.areas.all())}
    changes = diff(before, after)
    if changes:
        record_write(actor=actor, action=A.UPDATE, instance=organisation, changes=changes)
    return organisation


# People and their posts ------------------------------------------------------------


def new_person_reference() -> str:
    """A stable key for a person that travels with data packages between systems."""
    return f"p-{secrets.token_hex(5)}"


@transaction.atomic
def person_create(
    *,
    full_name: str,
    email: str = "",
    organisation: Organisation,
    job_title: str,
    seniority: str,
    started_on: datetime.date,
    actor: Actor,
) -> Person:
    person = Person.objects.create(full_name=full_name, email=email, reference=new_person_reference())
    record_write(actor=actor, action=A.CREATE, instance=person)
    _post_create(
        person=person,
        organisation=organisation,
        job_title=job_title,
        seniority=seniority,
        started_on=started_on,
        actor=actor,
    )
    return person


def _post_create(
    *,
    person: Person,
    organisation: Organisation,
    job_title: str,
    seniority: str,
    started_on: datetime.date,
    actor: Actor,
) -> Post:
    post = Post(
        person=person,
        organisation=organisation,
        job_title=job_title,
        seniority=seniority,
        started_on=started_on,
    )
    post.full_clean()
    post.save()
    record_write(actor=actor, action=A.CREATE, instance=post)
    return post


@transaction.atomic
def person_change_post(
    *,
    person: Person,
    organisation: Organisation,
    job_title: str,
    seniority: str,
    started_on: datetime.date,
    actor: Actor,
) -> Post:
    """End the current post the day before the new one starts, so history stays whole."""
    current = person.posts.select_for_update().filter(ended_on__isnull=True).first()
    if current is not None:
        if started_on <= current.started_on:
            raise ValueError(f"The new post must start after the current one ({current.started_on:%d %B %Y}).")
        before = snapshot(current)
        current.ended_on = started_on - datetime.timedelta(days=1)
        current.save(update_fields=["ended_on"])
        record_write(actor=actor, action=A.UPDATE, instance=current, changes=diff(before, snapshot(current)))
    return _post_create(
        person=person,
        organisation=organisation,
        job_title=job_title,
        seniority=seniority,
        started_on=started_on,
        actor=actor,
    )


# Users and roles ----------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    person: Person | None,
    roles: Iterable[str],
    email: str = "",
    actor: Actor,
) -> User:
    user = User(username=username, email=email, person=person)
    user.set_password(password)
    user.save()
    record_write(actor=actor, action=A.CREATE, instance=user)
    user_set_roles(user=user, roles=roles, actor=actor)
    return user


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[str], actor: Actor, reason: str = "") -> None:
    wanted = set(roles)
    current = set(user.role_assignments.values_list("role", flat=True))
    if _is_self(actor, user) and "administrator" in current - wanted:
        # Another administrator must do it, so nobody locks the partnership out by mistake.
        raise PermissionDenied("You cannot take away your own administrator role.")
    user.role_assignments.filter(role__in=current - wanted).delete()
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=role) for role in sorted(wanted - current))
    # Administrators maintain reference data in the admin, which needs model permissions.
    user.is_staff = user.is_superuser = "administrator" in wanted
    user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("_sg_roles", None)
    if wanted != current:
        record_write(
            actor=actor,
            action=A.UPDATE,
            instance=user,
            changes={"roles": [sorted(current), sorted(wanted)]} | _why(reason),
        )


def _is_self(actor: Actor, user: User) -> bool:
    return isinstance(actor, User) and actor.pk == user.pk


def _why(reason: str) -> dict[str, str]:
    return {"reason": reason.strip()} if reason and reason.strip() else {}


@transaction.atomic
def user_invite(
    *,
    username: str,
    person: Person,
    email: str,
    roles: Iterable[str],
    actor: Actor,
) -> User:
    """A new log-in with no password yet: its holder sets one from the link e-mailed to
    them, so no administrator ever knows it."""
    if User.objects.filter(person=person).exists():
        raise ValueError(f"{person.full_name} already has a log-in.")
    user = User(username=username, email=email, person=person)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record_write(actor=actor, action=A.CREATE, instance=user)
    user_set_roles(user=user, roles=roles, actor=actor)
    password_link_send(user=user, actor=actor, first=True)
    return user


def password_link_send(*, user: User, actor: Actor, first: bool = False) -> None:
    """E-mail the account holder a link to set their password (valid for
    ``PASSWORD_RESET_TIMEOUT``; it stops working once used, or once the password changes)."""
    if not user.email:
        raise ValueError(f"{user.username} has no e-mail address to send the link to.")
    if not user.is_active:
        raise ValueError(f"{user.username} is deactivated: reactivate the account first.")
    emails.set_password_link(user, first=first)
    record_write(actor=actor, action=A.UPDATE, instance=user, changes={"password": "set-password link e-mailed"})


@transaction.atomic
def password_set(*, user: User, password: str, ip_address: str | None = None) -> None:
    """The account holder's new password, from the e-mailed link; it also ends a lockout."""
    user.set_password(password)
    user.failed_login_count = 0
    user.locked_until = None
    user.save(update_fields=["password", "failed_login_count", "locked_until"])
    record_write(
        actor=user, action=A.UPDATE, instance=user, changes={"password": "set by its holder"}, ip_address=ip_address
    )


@transaction.atomic
def user_deactivate(*, user: User, reason: str, actor: Actor) -> None:
    """The log-in stops working at once (its sessions too: an inactive user is signed out
    on the next request); its history stays. Enrolment codes not yet used stop working."""
    if _is_self(actor, user):
        raise PermissionDenied("You cannot deactivate your own account.")
    if not reason.strip():
        raise ValueError("Say why the account is deactivated.")
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).update(
        expires_at=timezone.now()
    )
    record_write(actor=actor, action=A.UPDATE, instance=user, changes={"is_active": [True, False]} | _why(reason))


@transaction.atomic
def user_reactivate(*, user: User, reason: str, actor: Actor) -> None:
    if not reason.strip():
        raise ValueError("Say why the account is reactivated.")
    if user.is_active:
        return
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_write(actor=actor, action=A.UPDATE, instance=user, changes={"is_active": [False, True]} | _why(reason))


# Signing in: lockout and two-step verification ----------------------------------------


def user_is_locked(user: User, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return user.locked_until is not None and user.locked_until > now


@transaction.atomic
def login_failed(*, username: str, ip_address: str | None) -> User | None:
    """Count a failed password for a known user and lock the account after too many;
    a user name nobody has is recorded too (someone may be guessing)."""
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        record_event(
            actor=SystemActor("sign-in page"),
            action=A.LOGIN_FAILED,
            details={"user_name": username[:150], "known_user": False},
            ip_address=ip_address,
        )
        return None
    user.failed_login_count += 1
    fields = ["failed_login_count"]
    record_event(
        actor=user,
        action=A.LOGIN_FAILED,
        instance=user,
        details={"failures": user.failed_login_count},
        ip_address=ip_address,
    )
    if user.failed_login_count >= settings.LOGIN_MAX_FAILURES:
        user.locked_until = timezone.now() + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        user.failed_login_count = 0
        fields.append("locked_until")
        record_event(
            actor=user,
            action=A.LOCKED_OUT,
            instance=user,
            details={"locked_until": user.locked_until.isoformat()},
            ip_address=ip_address,
        )
    user.save(update_fields=fields)
    return user


def login_succeeded(*, user: User, ip_address: str | None) -> None:
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    record_event(actor=user, action=A.LOGIN, instance=user, ip_address=ip_address)


@transaction.atomic
def user_unlock(*, user: User, actor: Actor, reason: str = "") -> None:
    before = user.locked_until.isoformat() if user.locked_until else None
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    user.failed_login_count, user.locked_until = 0, None
    record_write(actor=actor, action=A.UPDATE, instance=user, changes={"locked_until": [before, None]} | _why(reason))


def totp_for(user: User) -> pyotp.TOTP:
    return pyotp.TOTP(user.totp_secret)


def two_factor_begin(*, user: User) -> str:
    """Give the user a new secret to add to an authenticator app; it counts only
    once they have typed a code from it (``two_factor_confirm``)."""
    if user.has_two_factor:
        raise ValueError("Two-step verification is already set up for this account.")
    user.totp_secret = pyotp.random_base32()
    user.save(update_fields=["totp_secret"])
    return user.totp_secret


@transaction.atomic
def two_factor_check(*, user: User, code: str, ip_address: str | None = None) -> bool:
    """True if ``code`` is the current one-time code (or the one either side of it)
    and has not been used before."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.totp_secret:
        return False
    code = "".join(code.split())
    totp = totp_for(user)
    now = timezone.now()
    for drift in (0, -1, 1):
        at = now + datetime.timedelta(seconds=drift * totp.interval)
        counter = totp.timecode(at)
        if counter > user.totp_last_counter and secrets.compare_digest(totp.at(at), code):
            user.totp_last_counter = counter
            fields = ["totp_last_counter"]
            if user.totp_confirmed_at is None:
                user.totp_confirmed_at = now
                fields.append("totp_confirmed_at")
            user.save(update_fields=fields)
            record_event(
                actor=user,
                action=A.TWO_FACTOR,
                instance=user,
                details={"result": "accepted"},
                ip_address=ip_address,
            )
            return True
    record_event(
        actor=user,
        action=A.TWO_FACTOR,
        instance=user,
        details={"result": "refused"},
        ip_address=ip_address,
    )
    return False


@transaction.atomic
def two_factor_reset(*, user: User, actor: Actor, reason: str = "") -> None:
    """For a lost phone: the user sets up a new authenticator at next sign-in."""
    User.objects.filter(pk=user.pk).update(totp_secret="", totp_confirmed_at=None)
    user.totp_secret, user.totp_confirmed_at = "", None
    record_write(
        actor=actor, action=A.UPDATE, instance=user, changes={"two_factor": ["set up", "reset"]} | _why(reason)
    )


# Enrolment codes: an administrator's say-so to enrol an authenticator -------------------

ENROLMENT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I, read aloud safely
ENROLMENT_CODE_LENGTH = 12  # 60 bits; with the lockout, far beyond guessing


def enrolment_code_required(user: User) -> bool:
    """A role that sees children's data enrols an authenticator only with an
    administrator-issued code, so a stolen password alone cannot (decision 0001)."""
    return requires_two_factor(user)


def _normalise_enrolment_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_enrolment_code(code: str) -> str:
    return hashlib.sha256(_normalise_enrolment_code(code).encode()).hexdigest()


@transaction.atomic
def enrolment_code_issue(*, user: User, actor: User, now: datetime.datetime | None = None) -> tuple[EnrolmentCode, str]:
    """A new single-use code for ``user``, valid for ``ENROLMENT_CODE_HOURS``. Returns the
    row and the code itself, which is shown once to the administrator and never stored.
    Codes issued before and not yet used stop working."""
    if not has_perm(actor, Perm.ADMIN_SITE):
        raise PermissionDenied("Only an administrator can issue an enrolment code.")
    now = now or timezone.now()
    raw = "".join(secrets.choice(ENROLMENT_ALPHABET) for _ in range(ENROLMENT_CODE_LENGTH))
    plaintext = "-".join(raw[i : i + 4] for i in range(0, ENROLMENT_CODE_LENGTH, 4))
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = EnrolmentCode.objects.create(
        user=user,
        code_hash=hash_enrolment_code(plaintext),
        issued_by=actor,
        issued_at=now,
        expires_at=now + datetime.timedelta(hours=settings.ENROLMENT_CODE_HOURS),
    )
    record_write(
        actor=actor,
        action=A.CREATE,
        instance=code,
        changes={"user": user.username, "expires_at": code.expires_at.isoformat()},
    )
    return code, plaintext


def _enrolment_code_problem(
    user: User, enrolment_code: str, now: datetime.datetime
) -> tuple[EnrolmentCode | None, str]:
    found = (
        EnrolmentCode.objects.select_for_update()
        .filter(user=user, code_hash=hash_enrolment_code(enrolment_code))
        .first()
    )
    if found is None:
        return None, "The enrolment code is not right: check it with the administrator who gave it to you"
    if found.used_at is not None:
        return found, "This enrolment code has already been used: ask an administrator for a new one"
    if found.expires_at <= now:
        return found, "This enrolment code has expired: ask an administrator for a new one"
    return found, ""


@transaction.atomic
def two_factor_enrol(
    *,
    user: User,
    code: str,
    enrolment_code: str = "",
    ip_address: str | None = None,
    now: datetime.datetime | None = None,
) -> tuple[str, str] | None:
    """Confirm a new authenticator with its first code, and, where the user's roles need
    one, a valid enrolment code, which is then used up. Returns None on success, else the
    form field at fault and what to say. A refused enrolment code is recorded; nothing is
    raised, so the record survives."""
    now = now or timezone.now()
    found = None
    if enrolment_code_required(user):
        found, problem = _enrolment_code_problem(user, enrolment_code, now)
        if problem:
            record_event(
                actor=user,
                action=A.TWO_FACTOR,
                instance=user,
                details={"result": "enrolment code refused", "reason": problem.split(":")[0]},
                ip_address=ip_address,
            )
            return "enrolment_code", problem
    if not two_factor_check(user=user, code=code, ip_address=ip_address):
        return "code", "The code is not right: check the app shows this account, then try the new code"
    if found is not None:
        found.used_at = now
        found.save(update_fields=["used_at"])
        record_write(actor=user, action=A.UPDATE, instance=found, changes={"used_at": [None, now.isoformat()]})
    return None


# API tokens ---------------------------------------------------------------------------

TOKEN_PREFIX = "sg"


@transaction.atomic
def api_token_create(*, organisation: Organisation, name: str, actor: User) -> tuple[ApiToken, str]:
    """Returns the token row and the token itself, which is shown once and never stored."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    plaintext = f"{TOKEN_PREFIX}_{prefix}_{secret}"
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        token_hash=hash_token(plaintext),
        created_by=actor,
    )
    record_write(actor=actor, action=A.CREATE, instance=token)
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record_write(
        actor=actor,
        action=A.UPDATE,
        instance=token,
        changes={"revoked_at": [None, token.revoked_at.isoformat()]},
    )


def api_token_authenticate(*, plaintext: str, ip_address: str | None, path: str) -> ApiToken | None:
    """The active token matching ``plaintext``, with its use recorded; else None."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("organisation").filter(prefix=parts[1]).first()
    if token is None or not secrets.compare_digest(token.token_hash, hash_token(plaintext)):
        return None
    if token.revoked_at is not None:
        record_event(
            actor=token,
            action=A.API_REFUSED,
            instance=token,
            details={"path": path, "reason": "revoked"},
            ip_address=ip_address,
        )
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    record_event(actor=token, action=A.API_USE, instance=token, details={"path": path}, ip_address=ip_address)
    return token
