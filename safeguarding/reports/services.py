"""Writes for the annual report, each saying who acted: the report, its words with their
history, comments, building the figures, review, the Lead Partners' sign-offs,
publication (a frozen edition) and the copy to the National Panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.utils import timezone

from safeguarding.accounts.models import Organisation, Person, Post, Seniority, User
from safeguarding.core import report_sections
from safeguarding.core.audit import Actor, SystemActor, actor_label
from safeguarding.core.services import create_audited, update_audited
from safeguarding.reports import rules
from safeguarding.reports.assembly import report_content
from safeguarding.reports.checklist import checklist
from safeguarding.reports.freshness import changes_since_build
from safeguarding.reports.models import Comment, Edition, Narrative, NarrativeVersion, Report, SignOff, new_edition_slug
from safeguarding.reports.outputs import report_pdf
from safeguarding.reports.publication_check import scan
from safeguarding.reports.tasks import build_report


class PublicationBlocked(ValidationError):
    """Publication refused, with everything to fix."""


def _editable(report: Report) -> None:
    # Read afresh: the caller's copy may predate publication.
    if Report.objects.filter(pk=report.pk, status=Report.Status.PUBLISHED).exists():
        raise ValidationError("A published report cannot change.")


@transaction.atomic
def report_create(*, year_start: int, actor: Actor) -> Report:
    if Report.objects.filter(year_start=year_start).exists():
        raise ValidationError(f"There is already a report for {year_start}/{(year_start + 1) % 100:02d}.")
    return create_audited(Report(year_start=year_start, created_at=timezone.now()), actor)


@transaction.atomic
def narrative_save(*, report: Report, section_key: str, text: str, actor: Actor) -> Narrative:
    """Save a chapter's words, keeping the earlier version in its history."""
    _editable(report)
    if report_sections.section(section_key) is None:
        raise ValidationError(f"The report has no chapter '{section_key}'.")
    now, label = timezone.now(), actor_label(actor)
    narrative = Narrative.objects.filter(report=report, section_key=section_key).first()
    if narrative is None:
        narrative = create_audited(
            Narrative(report=report, section_key=section_key, text=text, updated_at=now, updated_by=label), actor
        )
    elif narrative.text != text:
        update_audited(narrative, actor, text=text, updated_at=now, updated_by=label)
    else:
        return narrative
    NarrativeVersion.objects.create(narrative=narrative, text=text, saved_by=label, saved_at=now)
    return narrative


@transaction.atomic
def comment_add(*, report: Report, section_key: str, text: str, actor: User) -> Comment:
    _editable(report)
    if not text.strip():
        raise ValidationError("Write the comment.")
    return create_audited(
        Comment(report=report, section_key=section_key, author=actor, text=text.strip(), created_at=timezone.now()),
        actor,
    )


@transaction.atomic
def comment_resolve(*, comment: Comment, actor: User) -> Comment:
    return update_audited(comment, actor, resolved_at=timezone.now(), resolved_by=actor)


@transaction.atomic
def report_build_start(*, report: Report, actor: Actor, enqueue: bool = True) -> Report:
    """Queue a build of the figures for the worker; the page shows its progress."""
    _editable(report)
    update_audited(report, actor, build_status=Report.BuildStatus.QUEUED, build_step="Queued", build_progress=0)
    if enqueue:
        transaction.on_commit(lambda: build_report.enqueue(report.pk))
    return report


def _move(report: Report, status: str, actor: Actor) -> Report:
    if not rules.can_move(report.status, status):
        raise ValidationError(
            f"A report that is {report.get_status_display().lower()} cannot become "
            f"{Report.Status(status).label.lower()}."
        )
    return update_audited(report, actor, status=status)


@transaction.atomic
def report_submit_for_review(*, report: Report, actor: Actor) -> Report:
    """The draft goes to the business unit's review; the figures must have been built."""
    if report.build_status != Report.BuildStatus.FINISHED:
        raise ValidationError("Build the figures before sending the report for review.")
    return _move(report, Report.Status.IN_REVIEW, actor)


@transaction.atomic
def report_return_to_draft(*, report: Report, actor: Actor) -> Report:
    SignOff.objects.filter(report=report).delete()  # words may change: sign-offs must be given again
    return _move(report, Report.Status.DRAFT, actor)


def statutory_partners() -> QuerySet[Organisation]:
    return Organisation.objects.filter(standing=Organisation.Standing.STATUTORY_PARTNER, is_active=True)


def lead_partner_posts(organisations: Iterable[Organisation], on: dt.date) -> QuerySet[Post]:
    """The Lead Safeguarding Partner posts held at these organisations on ``on``."""
    return (
        Post.objects.filter(organisation__in=organisations, seniority=Seniority.LEAD_PARTNER, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .select_related("person", "organisation")
        .order_by("organisation__name")
    )


def lead_partners_of(organisation: Organisation, on: dt.date) -> QuerySet[Person]:
    """The people who are the organisation's Lead Safeguarding Partner on ``on`` (one post
    holds both conditions, not any two of the person's posts)."""
    return Person.objects.filter(posts__in=lead_partner_posts([organisation], on))


@transaction.atomic
def sign_off_record(
    *, report: Report, organisation: Organisation, person: Person, signed_on: dt.date, actor: Actor
) -> SignOff:
    """Record a Lead Partner's sign-off (name and date). When every statutory partner has
    signed, the report is signed off. The contents checklist must be complete first."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.IN_REVIEW:
        raise ValidationError("Lead Partners sign off a report that is in review.")
    items = checklist(report_content(report))
    incomplete = [item for item in items if item.status == "missing" or item.blocks_sign_off]
    if incomplete:
        raise ValidationError(
            "The contents checklist is not complete: " + "; ".join(item.title for item in incomplete) + "."
        )
    if not statutory_partners().filter(pk=organisation.pk).exists():
        raise ValidationError(f"{organisation} is not a statutory safeguarding partner.")
    if not lead_partners_of(organisation, signed_on).filter(pk=person.pk).exists():
        raise ValidationError(f"{person} was not {organisation}'s Lead Safeguarding Partner on {signed_on:%-d %B %Y}.")
    if signed_on > timezone.localdate():
        raise ValidationError("A sign-off cannot be dated in the future.")
    if SignOff.objects.filter(report=report, organisation=organisation).exists():
        raise ValidationError(f"{organisation} has already signed off this report.")
    sign_off = create_audited(
        SignOff(
            report=report,
            organisation=organisation,
            person=person,
            signed_on=signed_on,
            recorded_by=actor_label(actor),
            recorded_at=timezone.now(),
        ),
        actor,
    )
    left = rules.partners_still_to_sign(
        set(statutory_partners().values_list("pk", flat=True)),
        set(report.sign_offs.values_list("organisation_id", flat=True)),
    )
    if not left:
        _move(report, Report.Status.SIGNED_OFF, actor)
    return sign_off


class FiguresOutOfDate(ValidationError):
    """The data changed after the figures were built, and nobody said they understood."""


def _check_publishable(report: Report, *, figures_out_of_date_understood: bool) -> None:
    if report.status != Report.Status.SIGNED_OFF:
        raise ValidationError("Only a report signed off by every Lead Partner can be published.")
    if report.build_status in (Report.BuildStatus.QUEUED, Report.BuildStatus.RUNNING):
        raise ValidationError("The figures are being built: publish when the build has finished.")
    changes = changes_since_build(report)
    if changes and not figures_out_of_date_understood:
        raise FiguresOutOfDate(
            ["The figures are out of date: " + " ".join(changes)]
            + ["Build the figures again, or confirm that you understand they are out of date."]
        )


@transaction.atomic
def report_publish_start(
    *,
    report: Report,
    actor: Actor,
    reason: str = "",
    figures_out_of_date_understood: bool = False,
    enqueue: bool = True,
) -> Report:
    """Ask the worker to publish (the PDF and Word files take seconds), after the same
    checks the worker makes, recording who asked, when and why; the progress page
    follows it."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.publish_status in (Report.PublishStatus.QUEUED, Report.PublishStatus.RUNNING):
        raise ValidationError("The report is already being published.")
    _check_publishable(report, figures_out_of_date_understood=figures_out_of_date_understood)
    update_audited(
        report,
        actor,
        publish_status=Report.PublishStatus.QUEUED,
        publish_step="Queued",
        publish_progress=0,
        publish_problems=[],
        publish_requested_by=actor_label(actor),
        publish_requested_at=timezone.now(),
        publish_reason=reason[:1000],
    )
    if enqueue:
        actor_id = getattr(actor, "pk", None)
        transaction.on_commit(lambda: publish_report.enqueue(report.pk, actor_id, figures_out_of_date_understood))
    return report


def report_publish(
    *,
    report: Report,
    actor: Actor,
    figures_out_of_date_understood: bool = False,
    progress: Callable[[str, float], None] | None = None,
) -> Edition:
    """Publish: scan for personal details and small numbers (any finding blocks it),
    freeze the content with its PDF and Word files, and start the National Panel clock.
    Figures built before the data last changed block it unless the publisher said they
    understand. The slow files are made outside the transaction, so ``progress`` can be
    seen by the page; the checks run again inside it."""

    def step(text: str, fraction: float) -> None:
        if progress:
            progress(text, fraction)

    report = Report.objects.get(pk=report.pk)
    _check_publishable(report, figures_out_of_date_understood=figures_out_of_date_understood)
    step("Checking for anything that could identify a child", 0.05)
    content = report_content(report)
    # The adults the report names (Lead Partners, deputies, the scrutineer) are in the
    # directory; a child who shares a name with one is still found in the narrative's words.
    adults = Person.objects.values_list("full_name", flat=True)
    problems = scan(content, threshold=settings.SUPPRESSION_THRESHOLD, allowed_names=list(adults))
    if problems:
        raise PublicationBlocked([p.message for p in problems])
    now = timezone.now()
    content["published_at"] = now.isoformat()
    step("Making the PDF", 0.2)
    pdf = report_pdf(content)
    step("Making the Word document", 0.7)
    from safeguarding.reports.word import report_docx  # python-docx is slow to load: only here

    docx = report_docx(content)
    step("Saving the published edition", 0.9)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _check_publishable(report, figures_out_of_date_understood=figures_out_of_date_understood)
        slug = f"{report.year_start}-{(report.year_start + 1) % 100:02d}-{new_edition_slug()}"
        edition = create_audited(
            Edition(
                report=report,
                slug=slug,
                published_at=now,
                published_by=actor_label(actor),
                content=content,
                pdf=pdf,
                docx=docx,
                panel_copy_due_on=rules.panel_copy_due(timezone.localdate(now), settings.REPORT_PANEL_COPY_DAYS),
            ),
            actor,
        )
        _move(report, Report.Status.PUBLISHED, actor)
    return edition


@transaction.atomic
def panel_copy_sent(*, edition: Edition, sent_on: dt.date, actor: Actor) -> Edition:
    if sent_on < timezone.localdate(edition.published_at) or sent_on > timezone.localdate():
        raise ValidationError("The copy was sent on or after publication, and not in the future.")
    return update_audited(edition, actor, panel_copy_sent_on=sent_on)


# Publishing in the worker ------------------------------------------------------------


def publish_now(report_id: int, actor: Actor, *, figures_out_of_date_understood: bool = False) -> Report:
    """Publish in this process (the worker), recording each step for the progress page;
    a finding of the check before publication, or any other refusal, is kept for the page
    to show instead of the progress."""

    def progress(step: str, fraction: float) -> None:
        Report.objects.filter(pk=report_id).update(publish_step=step[:200], publish_progress=round(fraction, 3))

    mark = Report.objects.filter(pk=report_id).update
    mark(publish_status=Report.PublishStatus.RUNNING, publish_step="Starting")
    try:
        report_publish(
            report=Report.objects.get(pk=report_id),
            actor=actor,
            figures_out_of_date_understood=figures_out_of_date_understood,
            progress=progress,
        )
    except PublicationBlocked as blocked:
        mark(publish_status=Report.PublishStatus.BLOCKED, publish_step="Stopped", publish_problems=blocked.messages)
    except ValidationError as refused:
        mark(publish_status=Report.PublishStatus.FAILED, publish_step="Refused", publish_problems=refused.messages)
    except Exception as error:
        mark(
            publish_status=Report.PublishStatus.FAILED,
            publish_step="Failed",
            publish_problems=[f"Publishing failed: {error}"[:500]],
        )
        raise
    else:
        mark(publish_status=Report.PublishStatus.FINISHED, publish_step="Published", publish_progress=1)
    return Report.objects.get(pk=report_id)


@task()
def publish_report(report_id: int, actor_id: int | None, figures_out_of_date_understood: bool = False) -> str:
    actor: Actor = User.objects.get(pk=actor_id) if actor_id else SystemActor("worker")
    return publish_now(report_id, actor, figures_out_of_date_understood=figures_out_of_date_understood).publish_status
