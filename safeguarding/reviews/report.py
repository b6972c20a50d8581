"""The reviews chapter of the annual report ("Learning from reviews") and the committee's
questions 2 and 3, from the same summary as the reviews figures page
(``reviews_summary_for_report``), always as published: the report is public, so small
counts of children are hidden whoever builds it. Each figure sits beside the same window
a year earlier.

CSPRs are named by their reference and anonymised title; a pause by its dates and the
kind of parallel process, never its recorded reason (free text is not checked for a
child's details: the narrative may say more once a person has read it)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.core.report_sections import (
    ORDER,
    QUESTIONS,
    SUPPRESSED,
    Figure,
    ReportSection,
    ScrutinyQuestion,
    SectionContent,
    Window,
    register_change_feed,
    register_question,
    register_section,
)
from safeguarding.core.tables import Table
from safeguarding.reviews import presentation, rules, selectors
from safeguarding.reviews.figures import Count, ReviewsSummary, reviews_summary_for_report

N, R, M = rules.NOTIFICATION_WORKING_DAYS, rules.RAPID_REVIEW_WORKING_DAYS, rules.CSPR_MONTHS
NOTIFIED = "serious incident notifications made to the National Panel in the year"
WRITES = (AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.DELETE)


def _summary(window: Window) -> ReviewsSummary:
    return reviews_summary_for_report(date_from=window.start, date_to=window.end)


def _children(value: Count) -> int | str:
    return SUPPRESSED if value is None else value


def _published_in_window(summary: ReviewsSummary) -> tuple[int, int]:
    """CSPRs published in the window, and those of them published within 6 months."""
    published = [r for r in summary.practice_reviews if r.published_on and r.published_on >= summary.date_from]
    return len(published), sum(1 for r in published if r.on_time)


def _figures_2(now: ReviewsSummary, before: ReviewsSummary, source: str) -> list[Figure]:
    n, b = now.notifications, before.notifications
    r, p = now.rapid_reviews, before.rapid_reviews

    def figure(key, label, value, previous, explanation, unit="count") -> Figure:
        return Figure(key, label, value, previous, unit=unit, source=source, explanation=explanation)

    return [
        figure("notifications", "Serious incident notifications", n.notified, b.notified,
               f"The {NOTIFIED} (by the day the Panel was notified)."),
        figure("notifications_within_time", f"Notified within {N} working days", n.within_time, b.within_time,
               f"Of the {NOTIFIED}, those made within {N} working days of the local authority becoming aware."),
        figure("notifications_within_time_share", f"Share notified within {N} working days", n.share_within_time,
               b.share_within_time, f"Notifications made within {N} working days as a share of the {NOTIFIED}.",
               unit="percent"),
        figure("notifications_late", "Notified late", n.late, b.late,
               f"Of the {NOTIFIED}, those made more than {N} working days after becoming aware."),
        figure("children_notified", "Children the notifications were about", _children(n.children),
               _children(b.children), f"The children named in the {NOTIFIED}; hidden as {SUPPRESSED} when small."),
        figure("rapid_reviews_completed", "Rapid reviews completed", r.completed, p.completed,
               f"The rapid reviews of the {NOTIFIED} that were sent to the Panel."),
        figure("rapid_reviews_within_time_share", f"Share of rapid reviews sent within {R} working days",
               r.share_within_time, p.share_within_time,
               f"Rapid reviews sent to the Panel within {R} working days of their clock's start, as a share of "
               "those sent.", unit="percent"),
        figure("rapid_reviews_not_required", "Rapid reviews not required", r.not_required, p.not_required,
               f"Rapid reviews of the {NOTIFIED} closed because the case did not meet the criteria after all."),
        figure("led_to_cspr", "Rapid reviews that decided on a local CSPR", r.led_to_cspr, p.led_to_cspr,
               f"Of the rapid reviews of the {NOTIFIED}, those whose decision was a local Child Safeguarding "
               "Practice Review."),
        figure("csprs_opened", "CSPRs opened", now.csprs_opened, before.csprs_opened,
               "Local Child Safeguarding Practice Reviews decided in the year, from a rapid review or at the "
               "Panel's request."),
        figure("panel_agreed", "The Panel agreed with the rapid review", r.panel_replies["agrees"],
               p.panel_replies["agrees"], "Rapid reviews of the year's notifications whose decision the Panel "
               "agreed with (each reply is in the table of the Panel's replies)."),
        figure("referrals_not_notified", "Referrals for consideration not notified", now.referrals.not_notified,
               before.referrals.not_notified,
               "Referrals of a possible serious incident decided in the year that the local authority did not "
               "notify to the Panel, each with its reason recorded."),
    ]  # fmt: skip


def _figures_3(now: ReviewsSummary, before: ReviewsSummary, source: str) -> list[Figure]:
    (published, on_time), (published_before, on_time_before) = _published_in_window(now), _published_in_window(before)
    c, p = now.recommendations, before.recommendations
    recommendations = (
        "recommendations (from CSPRs, rapid reviews, national reviews and the scrutineer) open at some time in the year"
    )

    def figure(key, label, value, previous, explanation, unit="count") -> Figure:
        return Figure(key, label, value, previous, unit=unit, source=source, explanation=explanation)

    return [
        figure("csprs_active", "CSPRs running in the year", len(now.practice_reviews), len(before.practice_reviews),
               "Local CSPRs decided by the year's end and not published before its start."),
        figure("csprs_published", "CSPRs published", published, published_before,
               "Local CSPRs published in the year."),
        figure("csprs_published_on_time", f"CSPRs published within {M} months", on_time, on_time_before,
               f"Of the CSPRs published in the year, those published within {M} months of the decision to hold "
               "them (pauses do not stop the clock)."),
        figure("recommendations_open", "Recommendations open", c.open, p.open,
               f"Of the {recommendations}, those still open at the year's end."),
        figure("recommendations_overdue", "Recommendations overdue", c.overdue, p.overdue,
               f"Of the {recommendations}, those still open after their due date at the year's end."),
        figure("recommendations_closed_with_impact", "Recommendations closed with evidence of impact",
               c.closed_with_impact, p.closed_with_impact,
               f"Of the {recommendations}, those closed in the year with evidence that practice changed (a "
               "re-audit, an indicator, training reach, or what practitioners or families say)."),
    ]  # fmt: skip


def _notes(summary: ReviewsSummary) -> Table:
    return Table("Notes", ["Note"], [[line] for line in presentation.notes(summary)])


def question_2(window: Window) -> SectionContent:
    now, before = _summary(window), _summary(window.year_before())
    source = f"{reverse('reviews:figures')}?{window.query}"
    return SectionContent(figures=_figures_2(now, before, source), tables=[*presentation.question_2(now), _notes(now)])


def question_3(window: Window) -> SectionContent:
    now, before = _summary(window), _summary(window.year_before())
    source = f"{reverse('reviews:figures')}?{window.query}"
    return SectionContent(figures=_figures_3(now, before, source), tables=[*presentation.question_3(now), _notes(now)])


def _briefings(window: Window) -> Table:
    """How far the learning reached: each 7-minute briefing published by the window's end,
    its downloads and the agencies downloading it in the window, and the people trained on
    the courses and learning events that carry it."""
    rows = [
        [
            reach.briefing.title,
            f"{reach.briefing.published_on:%-d %B %Y}",
            reach.downloads,
            reach.agencies_reached,
            sum(course.people for course in reach.courses),
        ]
        for reach in selectors.briefings_reach_for_report(date_from=window.start, date_to=window.end)
    ]
    return Table(
        "7-minute briefings and their reach in the year",
        ["Briefing", "Published", "Downloads", "Agencies downloading", "People trained on the learning"],
        rows,
    )


def reviews(window: Window) -> SectionContent:
    now, before = _summary(window), _summary(window.year_before())
    source = f"{reverse('reviews:figures')}?{window.query}"
    return SectionContent(
        figures=_figures_2(now, before, source) + _figures_3(now, before, source),
        tables=[*presentation.tables(now), _briefings(window), _notes(now)],
    )


register_section(
    ReportSection(
        "reviews",
        "Learning from reviews",
        ORDER["reviews"],
        "The reviews undertaken (rapid reviews, local and national child safeguarding practice reviews), "
        "what they found, and the actions taken on local and national recommendations, with their impact.",
        reviews,
    )
)
register_question(ScrutinyQuestion(2, QUESTIONS[2][0], question_2))
register_question(ScrutinyQuestion(3, QUESTIONS[3][0], question_3))


def reviews_changed_since(when: dt.datetime) -> list[str]:
    """Review records written after the report's figures were built. Every write to them
    goes through an audited service, so the audit trail counts them all."""
    changes = AuditEvent.objects.filter(at__gt=when, object_type__startswith="reviews.", action__in=WRITES).count()
    if not changes:
        return []
    what = "1 change was" if changes == 1 else f"{changes:,} changes were"
    return [
        f"{what} made to the review records (notifications, reviews, recommendations) since the figures were built."
    ]


register_change_feed("reviews", reviews_changed_since)
