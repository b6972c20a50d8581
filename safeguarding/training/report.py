"""Training's chapter of the annual report (learning and development) and the committee's
question 4, from the same summary as the training summary page (``training_summary_for_report``).

Practitioners' own words from follow-ups are left out: free text is not checked for
details of a child, so the narrative quotes them only once a person has read them."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.core.report_sections import (
    ORDER,
    QUESTIONS,
    Figure,
    ReportSection,
    ScrutinyQuestion,
    SectionContent,
    Window,
    chart_data,
    register_question,
    register_section,
)
from safeguarding.core.tables import Table
from safeguarding.training import presentation, rules
from safeguarding.training.selectors import TrainingSummary, training_summary_for_report

percent = presentation.percent


def _summary(window: Window) -> TrainingSummary:
    return training_summary_for_report(date_from=window.start, date_to=window.end)


def _people_reached(summary: TrainingSummary) -> int:
    return sum(r.people_reached for r in summary.reach)


def _evaluations(summary: TrainingSummary) -> int:
    # One evaluation is one booking on one course, so the courses' counts add up.
    return sum(i.evaluations for i in summary.impact_by_course)


def _follow_ups(summary: TrainingSummary) -> tuple[int, int]:
    """Follow-ups answered three months on, and those saying practice changed (or partly)."""
    impact = summary.impact_by_course
    return (
        sum(i.follow_ups for i in impact),
        sum(i.practice_changed + i.practice_partly_changed for i in impact),
    )


def _figures(now: TrainingSummary, before: TrainingSummary, source: str) -> list[Figure]:
    sessions = "sessions held in the year (cancelled ones not counted)"
    booked = f"bookings on the {sessions} that held a place (confirmed, or cancelled too late to refill)"
    (asked, changed), (asked_before, changed_before) = _follow_ups(now), _follow_ups(before)

    def figure(key, label, value, previous, explanation, unit="count") -> Figure:
        return Figure(key, label, value, previous, unit=unit, source=source, explanation=explanation)

    t, p = now.total, before.total
    return [
        figure("places_offered", "Places offered", t.places_offered, p.places_offered,
               f"The places on the {sessions}."),
        figure("booked", "Places booked", t.booked, p.booked, f"The {booked}."),
        figure("attended", "Places attended", t.attended, p.attended,
               f"Bookings on the {sessions} that the trainer's register marks attended."),
        figure("no_shows", "Booked places not attended", t.no_shows, p.no_shows,
               f"Bookings on the {sessions} that the register marks 'did not attend'."),
        figure("no_show_rate", "No-show rate", t.no_show_rate, p.no_show_rate,
               f"Places not attended as a share of the {booked}.", unit="percent"),
        figure("people_reached", "Practitioners reached", _people_reached(now), _people_reached(before),
               "Different practitioners (by e-mail address) who attended a session or completed e-learning in "
               "the year, each counted once under each organisation they trained with."),
        figure("evaluations", "Evaluations returned", _evaluations(now), _evaluations(before),
               "Evaluations (confidence before and after, for each learning outcome) from those who attended."),
        figure("follow_ups", "Follow-ups answered three months on", asked, asked_before,
               "Answers from those who attended, asked three months later whether their practice changed."),
        figure("practice_changed", "Follow-ups saying practice changed", changed, changed_before,
               "Follow-ups answering that practice changed, fully or partly: evidence of impact beyond the "
               "feedback form."),
        figure("practice_changed_share", "Share of follow-ups saying practice changed",
               rules.rate(changed, asked), rules.rate(changed_before, asked_before),
               "Follow-ups saying practice changed (fully or partly) as a share of those answered.", unit="percent"),
    ]  # fmt: skip


def _by_organisation(summary: TrainingSummary) -> Table:
    counts = {c.label: c for c in summary.by_organisation}
    reach = {r.organisation: r for r in summary.reach}
    rows = []
    for name in sorted(set(counts) | set(reach)):
        c, r = counts.get(name), reach.get(name)
        rows.append(
            [
                name,
                c.booked if c else 0,
                c.attended if c else 0,
                c.no_shows if c else 0,
                percent(c.no_show_rate if c else None),
                r.people_reached if r else 0,
                (r.workforce or "not recorded") if r else "not recorded",
                percent(r.share if r else None),
            ]
        )
    return Table(
        "Places and reach by agency",
        ["Organisation", "Booked", "Attended", "Did not attend", "No-show rate", "Practitioners reached",
         "Workforce", "Share of workforce reached"],
        rows,
    )  # fmt: skip


def _by_course(summary: TrainingSummary) -> Table:
    return Table(
        "Places by course",
        ["Course", "Places offered", "Booked", "Attended", "Did not attend", "No-show rate"],
        [
            [c.label, c.places_offered or 0, c.booked, c.attended, c.no_shows, percent(c.no_show_rate)]
            for c in summary.by_course
        ],
    )


def _impact(summary: TrainingSummary) -> Table:
    return Table(
        "Evidence of impact by course",
        ["Course", "Evaluations", "Confidence before (1 to 5)", "Confidence after (1 to 5)", "Change",
         "Follow-ups", "Practice changed (fully or partly)"],
        [
            [i.label, i.evaluations, i.confidence_before, i.confidence_after,
             presentation.number(i.confidence_change), i.follow_ups, percent(i.practice_changed_share)]
            for i in summary.impact_by_course
        ],
    )  # fmt: skip


def learning(window: Window) -> SectionContent:
    now, before = _summary(window), _summary(window.year_before())
    source = f"{reverse('training:summary')}?{window.query}"
    return SectionContent(
        figures=_figures(now, before, source),
        tables=[_by_organisation(now), _by_course(now), _impact(now)],
        charts=[chart_data(c) for c in presentation.charts(now)],
    )


register_section(
    ReportSection(
        "learning",
        "Learning and development",
        ORDER["learning"],
        "The multi-agency training offered and taken up by each agency, how much of each agency's workforce it "
        "reached, and the evidence that it changed practice, beyond the feedback forms.",
        learning,
    )
)
register_question(ScrutinyQuestion(4, QUESTIONS[4][0], learning))
