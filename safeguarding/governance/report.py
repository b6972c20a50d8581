"""Governance's chapters of the annual report (the scrutineer's view, priorities and
impact, governance and partnership working) and the committee's questions 1, 8 and 9,
from the same answers as the governance answers page (``governance_answers_for_report``)."""

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
from safeguarding.governance import presentation, selectors
from safeguarding.governance.models import Group, PriorityUpdate, ScrutinyResponse
from safeguarding.governance.presentation import recommendation_rows
from safeguarding.governance.selectors import GovernanceAnswers, governance_answers_for_report

LITTLE = PriorityUpdate.Rating.LITTLE


def _answers(window: Window, group: Group | None = None) -> GovernanceAnswers:
    # Overdue actions are not reported here, so the day they are counted on does not matter.
    return governance_answers_for_report(date_from=window.start, date_to=window.end, group=group, today=window.end)


def _source(window: Window, group: Group | None = None) -> str:
    return f"{reverse('governance:answers')}?{window.query}" + (f"&group={group.code}" if group else "")


def _day(day) -> str:
    return day.isoformat() if day else ""


def _figure(key, label, now, before, source, explanation, unit="count") -> Figure:
    return Figure(key, label, now, before, unit=unit, source=source, explanation=explanation)


# The independent scrutineer's view (question 9) -----------------------------------------


def _awaiting(answers: GovernanceAnswers) -> int:
    return sum(len(r.awaiting) for r in answers.recommendations)


def scrutineer(window: Window) -> SectionContent:
    now, before = _answers(window), _answers(window.year_before())
    source = _source(window)
    made_in = "recommendations the independent scrutineer made in the year (by the date made)"
    figures = [
        _figure(
            "recommendations", "Recommendations made", len(now.recommendations), len(before.recommendations),
            source, f"The scrutiny register's {made_in}.",
        ),
        *(
            _figure(
                f"responses_{kind}", f"Partners' responses: {label.lower()}", now.responses_by_kind[kind],
                before.responses_by_kind[kind], source,
                f"Responses recorded by the partners addressed, to the {made_in}; one per partner addressed.",
            )
            for kind, label in ScrutinyResponse.Response.choices
        ),
        _figure(
            "awaiting", "Responses still awaited", _awaiting(now), _awaiting(before), source,
            f"Partners addressed by the {made_in} who have not yet recorded a response.",
        ),
    ]  # fmt: skip
    table = Table(
        "The scrutineer's recommendations and the partners' responses",
        ["Reference", "Made on", "Recommendation", "Responses", "Awaiting a response from"],
        recommendation_rows(now.recommendations),
    )
    return SectionContent(figures=figures, tables=[table])


# Priorities and impact (question 8) ------------------------------------------------------


def priorities(window: Window) -> SectionContent:
    now, before = _answers(window), _answers(window.year_before())
    source = _source(window)
    live = "priorities in force at some time in the year"

    def little(answers: GovernanceAnswers) -> int:
        return sum(1 for p in answers.priorities if p.rating == LITTLE)

    figures = [
        _figure("priorities", "Priorities in force", len(now.priorities), len(before.priorities), source,
                f"The priorities register: {live}."),
        _figure("little_or_none", "Priorities with little or no progress", little(now), little(before), source,
                f"Of the {live}, those whose latest progress rating on or before the year's end was "
                "'little or no progress'."),
    ]  # fmt: skip
    return SectionContent(
        figures=figures,
        tables=[
            Table(
                "Each priority's latest rating in the year",
                ["Priority", "Latest rating", "Rated on", "What was decided"],
                [[p.title, p.rating_label, _day(p.rated_on), p.decision] for p in now.priorities],
            ),
            Table(
                "Priorities with little or no progress, and what was decided",
                ["Priority", "Rated on", "What was decided"],
                [
                    [p.title, _day(p.rated_on), p.decision or "Nothing recorded"]
                    for p in now.priorities
                    if p.rating == LITTLE
                ],
            ),
        ],
    )


# Governance and partnership working (question 1) -----------------------------------------


def _deputies(answers: GovernanceAnswers) -> list[list]:
    """Whom each Lead Partner sent, by post and seniority (the committee's "to whom, how
    senior"): the deputy's post answers it without naming a further officer."""
    return [
        [
            m.name,
            m.organisation,
            d.meeting_date.isoformat(),
            d.deputy_job_title,
            presentation.SENIORITY.get(d.deputy_seniority, d.deputy_seniority),
            "yes" if d.below_expected else "no",
        ]
        for m in answers.lead_partners
        for d in m.deputies
    ]


def governance(window: Window) -> SectionContent:
    board = selectors.board()
    now, before = _answers(window, board), _answers(window.year_before(), board)
    everyone, everyone_before = _answers(window), _answers(window.year_before())
    source = _source(window, board)
    meetings = f"meetings of {board.name}" if board else "meetings of all the partnership's groups"
    figures = [
        _figure("meetings_held", "Board meetings held", now.meetings_held, before.meetings_held, source,
                f"The {meetings} held in the year (cancelled ones not counted)."),
        *(
            _figure(f"mode_{m.mode}", f"Board meetings held {m.label.lower()}", m.share,
                    next(b.share for b in before.modes if b.mode == m.mode), source,
                    f"The share of the {meetings} held in the year that were held {m.label.lower()}.",
                    unit="percent")
            for m in now.modes
        ),
        _figure("all_meetings_held", "Meetings of all groups held", everyone.meetings_held,
                everyone_before.meetings_held, _source(window),
                "The meetings of the Board and every subgroup held in the year."),
    ]  # fmt: skip
    percent = presentation.percent
    tables = [
        Table(
            "Lead Partners at Board meetings",
            [
                "Lead Partner",
                "Organisation",
                "Meetings",
                "In person",
                "Virtually",
                "Sent a deputy",
                "Apologies",
                "Absent",
                "Attendance rate",
            ],
            # The deputies themselves are in the next table, by post and seniority.
            [presentation.member_row(m, deputies_below_expected=False) for m in now.lead_partners],
        ),  # fmt: skip
        Table(
            "Deputies sent by Lead Partners",
            ["Lead Partner", "Organisation", "Meeting", "Deputy's post", "Deputy's seniority", "Below expected"],
            _deputies(now),
        ),
        Table(
            "Board attendance by agency",
            ["Organisation", "Places", "Attended", "By deputy", "Missed", "Attendance rate", "Represented rate"],
            [presentation.attendance_row(r) for r in now.by_organisation],
        ),  # fmt: skip
        Table(
            "Attendance at each group's meetings",
            ["Group", "Places", "Attended", "By deputy", "Missed", "Attendance rate"],
            [
                [r.label, r.expected, r.attended_personally, r.by_deputy, r.missed, percent(r.attendance_rate)]
                for r in everyone.by_group
            ],
        ),
    ]
    return SectionContent(figures=figures, tables=tables, charts=[chart_data(c) for c in presentation.charts(now)])


SECTIONS = [
    ("scrutineer", "The independent scrutineer's view", scrutineer,
     "The independent scrutineer's assessment of the arrangements, the recommendations made in the year and "
     "how the partners responded to each."),
    ("priorities", "Priorities and impact", priorities,
     "Progress on each priority, with evidence of impact; those with little or no progress, why, and what "
     "the partners decided to do about it."),
    ("governance", "Governance and partnership working", governance,
     "How the Lead Partners took part in the Board (attending, delegating or sending apologies), attendance "
     "by agency, and how the arrangements worked across the partnership."),
]  # fmt: skip
for key, title, build, guidance in SECTIONS:
    register_section(ReportSection(key, title, ORDER[key], guidance, build))
for number, build in ((1, governance), (8, priorities), (9, scrutineer)):
    register_question(ScrutinyQuestion(number, QUESTIONS[number][0], build))
