"""The demo's sent e-mails, kept where an administrator can read them (issue 14, item 20).

The demo has no mail server, and a booking is completed from the link in its confirmation
e-mail. With ``EMAIL_BACKEND`` set to ``OutboxBackend`` (and ``DEMO_OUTBOX_DIR`` naming a
folder; settings refuse one without the other) each message the task worker sends is
written to that folder as a ``.eml`` file, and administrators read them on the *Sent
e-mails* page. Never on in production unless someone sets both variables on purpose.
"""

import datetime
import email
import email.policy
import re
import uuid
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

BACKEND = "safeguarding.core.demo_outbox.OutboxBackend"
_NAME = re.compile(r"^\d{8}T\d{6}\d{6}-[0-9a-f]{32}$")


def enabled() -> bool:
    return settings.MAILERS["default"]["BACKEND"] == BACKEND


def _folder() -> Path:
    return Path(settings.DEMO_OUTBOX_DIR)


class OutboxBackend(BaseEmailBackend):
    """Writes each message to ``DEMO_OUTBOX_DIR`` instead of sending it."""

    def send_messages(self, email_messages) -> int:
        folder = _folder()
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%f")
            path = folder / f"{stamp}-{uuid.uuid4().hex}.eml"
            path.write_bytes(message.message().as_bytes())
        return len(email_messages)


@dataclass(frozen=True)
class SentEmail:
    id: str
    to: str
    subject: str
    sent_at: datetime.datetime | None
    body: str


def _read(path: Path) -> SentEmail:
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    part = parsed.get_body(preferencelist=("plain",))
    try:
        sent_at = parsedate_to_datetime(parsed["Date"]) if parsed["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return SentEmail(
        id=path.stem,
        to=str(parsed["To"] or ""),
        subject=str(parsed["Subject"] or ""),
        sent_at=sent_at,
        body=part.get_content() if part is not None else "",
    )


def sent_email_ids() -> list[str]:
    """Every message's id, newest first (ids begin with the time sent); empty when the
    outbox is off or nothing has been sent. Only names are listed: a page reads just its own."""
    if not enabled() or not _folder().is_dir():
        return []
    return sorted((p.stem for p in _folder().glob("*.eml") if _NAME.match(p.stem)), reverse=True)


def sent_emails(ids: list[str] | None = None) -> list[SentEmail]:
    """The messages with these ids (all of them, newest first, by default)."""
    ids = sent_email_ids() if ids is None else ids
    return [_read(_folder() / f"{message_id}.eml") for message_id in ids]


def sent_email(message_id: str) -> SentEmail | None:
    """One message by its id; None for an id that is not one of ours (no path tricks)."""
    if not enabled() or not _NAME.match(message_id):
        return None
    path = _folder() / f"{message_id}.eml"
    return _read(path) if path.is_file() else None
