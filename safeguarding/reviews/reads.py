"""A notified child's details, and an agency's summary, as their reader may see them: the
one way a page reads either. Each checks the reader, records the read with the purpose
they gave (``core.audit.record_child_read``), and returns only what they may see; a
reader who may not see it gets None, as for a record that does not exist, so an ID
cannot be tested.

Who may read: the business unit (``VIEW_REVIEWS``), and an agency lead for a review that
asked their agency for its summary (the children, to find their records; their own
agency's summary only). A linked child's agency records are not shown here: they stay
behind ``children.policy`` and are read through ``children.reads``; this shows the
details the local authority gave the Panel and the child's ID.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Final

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile

from safeguarding.accounts.models import User
from safeguarding.core.audit import record_child_read
from safeguarding.core.permissions import Perm, RequestUser, has_perm
from safeguarding.reviews import rules
from safeguarding.reviews.models import (
    AgencySummaryRequest,
    NotificationAttachment,
    NotifiedChild,
    RapidReview,
    ReportVersion,
)
from safeguarding.reviews.selectors import answering_organisation


def _needs_purpose(purpose: str) -> str:
    if not purpose.strip():
        raise ValidationError({"purpose": "Say why you are looking at this child's details."})
    return purpose.strip()


def _asked_reader_agency(user: RequestUser, review: RapidReview) -> int | None:
    """The reader's agency's pk where the review asked it for a summary, else None."""
    organisation = answering_organisation(user)
    if organisation is None or not review.summary_requests.filter(organisation=organisation).exists():
        return None
    return organisation.pk


@dataclass(frozen=True)
class NotifiedChildRead:
    ordinal: int
    child_reference: str  # the linked child's ID, "" where none is linked
    first_name: str
    last_name: str
    date_of_birth: datetime.date | None
    age_at_incident: int | None
    looked_after: bool
    care_leaver: bool


def notified_child_for_reader(
    *, user: RequestUser, notified_child: NotifiedChild, purpose: str, ip_address: str | None = None
) -> NotifiedChildRead | None:
    """One notified child's details, the read recorded against the linked child (so it is
    on that child's access log) or, where none is linked, against the notified child."""
    purpose = _needs_purpose(purpose)
    notification = notified_child.notification
    if not has_perm(user, Perm.VIEW_REVIEWS):
        review = RapidReview.objects.filter(notification=notification).first()
        if review is None or _asked_reader_agency(user, review) is None:
            return None
    assert isinstance(user, User)  # has_perm, or an agency lead's organisation, says so
    child = notified_child.child
    record_child_read(
        actor=user,
        instance=child if child is not None else notified_child,
        purpose=f"Serious incident notification {notification.pk}: {purpose}",
        ip_address=ip_address,
    )
    born = notified_child.date_of_birth
    return NotifiedChildRead(
        ordinal=notified_child.ordinal,
        child_reference=child.reference if child is not None else "",
        first_name=notified_child.first_name,
        last_name=notified_child.last_name,
        date_of_birth=born,
        age_at_incident=rules.age_on(born, notification.incident_on) if born else None,
        looked_after=notified_child.looked_after,
        care_leaver=notified_child.care_leaver,
    )


@dataclass(frozen=True)
class SummaryRead:
    organisation: str
    returned_on: datetime.date | None
    text: str
    file_name: str  # "" when it was written, not uploaded


def agency_summary_for_reader(
    *, user: RequestUser, request: AgencySummaryRequest, purpose: str, ip_address: str | None = None
) -> SummaryRead | None:
    """An agency's summary of its work with the children: for the business unit, and for
    the agency lead of the agency that wrote it."""
    purpose = _needs_purpose(purpose)
    if not has_perm(user, Perm.VIEW_REVIEWS) and _asked_reader_agency(user, request.rapid_review) != (
        request.organisation_id
    ):
        return None
    assert isinstance(user, User)
    record_child_read(
        actor=user,
        instance=request,
        purpose=f"Rapid review {request.rapid_review_id}: {purpose}",
        ip_address=ip_address,
    )
    return SummaryRead(
        organisation=request.organisation.name,
        returned_on=request.returned_on,
        text=request.text,
        file_name=request.file.name or "",
    )


@dataclass(frozen=True)
class DocumentRead:
    file: FieldFile
    content_type: str
    file_name: str


DOCUMENT_KINDS: Final = ("summary", "report", "attachment")


def _document(kind: str, pk: int) -> tuple[models.Model, FieldFile, str, str] | None:
    """The record holding the document, its file, its type and what it belongs to."""
    if kind == "summary":
        asked = AgencySummaryRequest.objects.filter(pk=pk).first()
        return (
            None if asked is None else (asked, asked.file, asked.content_type, f"Rapid review {asked.rapid_review_id}")
        )
    if kind == "report":
        version = ReportVersion.objects.select_related("practice_review").filter(pk=pk).first()
        return (
            None
            if version is None
            else (version, version.file, version.content_type, version.practice_review.reference)
        )
    if kind == "attachment":
        attached = NotificationAttachment.objects.filter(pk=pk).first()
        if attached is None:
            return None
        return (
            attached,
            attached.file,
            attached.content_type,
            f"Serious incident notification {attached.notification_id}",
        )
    return None


def document_for_reader(
    *, user: RequestUser, kind: str, pk: int, purpose: str, ip_address: str | None = None
) -> DocumentRead | None:
    """An uploaded document about the children (an agency's summary, a CSPR's draft or
    final report, a notification's attachment), for the business unit only, the read
    recorded with its purpose. None for anyone else, or where there is no such file."""
    purpose = _needs_purpose(purpose)
    if not has_perm(user, Perm.VIEW_REVIEWS):
        return None
    found = _document(kind, pk)
    if found is None or not found[1]:
        return None
    instance, file, content_type, belongs_to = found
    assert isinstance(user, User)  # has_perm says so
    record_child_read(
        actor=user, instance=instance, purpose=f"{belongs_to}, a document: {purpose}", ip_address=ip_address
    )
    return DocumentRead(file=file, content_type=content_type, file_name=(file.name or "document").rsplit("/", 1)[-1])
