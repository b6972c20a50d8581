"""E-mails to account holders. The set-password link carries a token made from the
account's current password and last sign-in (Django's password-reset tokens), so it
works once, and never after the password has changed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from safeguarding.core.mail import queue_email


def set_password_path(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:set_password", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


def set_password_link(user, *, first: bool) -> None:
    days = settings.PASSWORD_LINK_DAYS
    link = settings.SITE_URL.rstrip("/") + set_password_path(user)
    name = user.person.full_name if user.person_id else user.username
    if first:
        subject = "Your Safeguarding account"
        lead = f"An administrator has made you an account. Your user name is {user.username}."
    else:
        subject = "Set a new password"
        lead = f"An administrator has sent you a link to set a new password for {user.username}."
    queue_email(
        subject=subject,
        body=(
            f"Dear {name},\n\n{lead}\n\nTo choose your password, follow this link: {link}\n\n"
            f"The link works once and for {days} days. If it has run out, ask an administrator for a new one.\n\n"
            f"{settings.PARTNERSHIP_NAME}"
        ),
        to=[user.email],
    )
