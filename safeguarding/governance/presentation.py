"""The governance answers as tables and charts: one source for the page, the
downloads and (later) the annual report, so they always agree."""

from __future__ import annotations

from safeguarding.accounts.models import Seniority
from safeguarding.core.charts import Chart, horizontal_bars, stacked_bars
from safeguarding.core.tables import Table
from safeguarding.governance.selectors import GovernanceAnswers

SENIORITY = dict(Seniority.choices)


def percent(value: float | None) -> str:
    return "no meetings" if value is None else f"{value:.0%}"


def member_columns() -> list[str]:
    return [
        "Name",
        "Organisation",
        "Meetings expected",
        "In person",
        "Virtually",
        "By deputy",
        "Apologies",
        "Absent",
        "Attendance rate",
        "Deputies below expected seniority",
    ]


def member_row(m, *, deputies_below_expected: bool = True) -> list:
    row = [
        m.name,
        m.organisation,
        m.expected,
        m.in_person,
        m.virtual,
        m.by_deputy,
        m.apologies,
        m.absent,
        percent(m.attendance_rate),
    ]
    return row + [m.deputies_below_expected] if deputies_below_expected else row


ATTENDANCE_COLUMNS = [
    "Places expected",
    "Attended personally",
    "By deputy",
    "Missed",
    "Attendance rate",
    "Represented rate",
]


def attendance_row(r) -> list:
    """One organisation's or group's attendance: places, how they were filled, the rates."""
    return [
        r.label,
        r.expected,
        r.attended_personally,
        r.by_deputy,
        r.missed,
        percent(r.attendance_rate),
        percent(r.representation_rate),
    ]


def tables(answers: GovernanceAnswers) -> list[Table]:
    return [
        Table(
            "Meetings by mode",
            ["Mode", "Meetings", "Share"],
            [[m.label, m.meetings, percent(m.share)] for m in answers.modes],
        ),
        Table("Lead Partners", member_columns(), [member_row(m) for m in answers.lead_partners]),
        Table(
            "Members",
            [*member_columns(), "Lead Partner at the time"],
            [[*member_row(m), "yes" if m.is_lead_partner else "no"] for m in answers.members],
        ),
        Table(
            "Deputies",
            [
                "Member",
                "Meeting",
                "Group",
                "Deputy",
                "Deputy's job",
                "Deputy's seniority",
                "Expected seniority",
                "Below expected",
            ],
            [
                [
                    m.name,
                    d.meeting_date.isoformat(),
                    d.group,
                    d.deputy,
                    d.deputy_job_title,
                    SENIORITY.get(d.deputy_seniority, d.deputy_seniority),
                    SENIORITY.get(d.expected_seniority, d.expected_seniority),
                    "yes" if d.below_expected else "no",
                ]
                for m in answers.members
                for d in m.deputies
            ],
        ),
        Table(
            "By organisation",
            ["Organisation", *ATTENDANCE_COLUMNS],
            [attendance_row(r) for r in answers.by_organisation],
        ),
        Table(
            "By group",
            ["Group", *ATTENDANCE_COLUMNS],
            [attendance_row(r) for r in answers.by_group],
        ),
        Table(
            "Actions",
            ["Organisation", "Open", "Overdue"],
            [[a.organisation, a.open, a.overdue] for a in answers.actions],
        ),
        Table(
            "Priorities",
            ["Priority", "Latest rating", "Rated on", "What was decided"],
            [
                [p.title, p.rating_label, p.rated_on.isoformat() if p.rated_on else "", p.decision]
                for p in answers.priorities
            ],
        ),
        Table(
            "Scrutiny",
            ["Reference", "Made on", "Recommendation", "Responses", "Awaiting a response from"],
            recommendation_rows(answers.recommendations),
        ),
        Table(
            "Window",
            ["From", "To", "Group"],
            [[answers.date_from.isoformat(), answers.date_to.isoformat(), answers.group or "all groups"]],
        ),
    ]


def charts(answers: GovernanceAnswers) -> list[Chart]:
    result = []
    if answers.meetings_held:
        result.append(
            horizontal_bars(
                title="Meetings by how they were held",
                rows=[{"Mode": m.label, "Meetings": m.meetings} for m in answers.modes],
                category="Mode",
                value="Meetings",
                category_title="Mode",
                value_title="Meetings",
                alt_text="Bar chart of meetings held in person, virtually and hybrid: "
                + ", ".join(f"{m.label.lower()} {m.meetings}" for m in answers.modes)
                + ".",
            )
        )
    if answers.lead_partners:
        rows = []
        for m in answers.lead_partners:
            label = f"{m.name} ({m.organisation})"
            rows += [
                {"Lead Partner": label, "How": "Attended", "Meetings": m.attended_personally},
                {"Lead Partner": label, "How": "Sent a deputy", "Meetings": m.by_deputy},
                {"Lead Partner": label, "How": "Missed", "Meetings": m.missed},
            ]
        result.append(
            stacked_bars(
                title="Lead Partners: attended, delegated or missed",
                rows=rows,
                category="Lead Partner",
                series="How",
                value="Meetings",
                category_title="Lead Partner",
                value_title="Meetings",
                series_order=["Attended", "Sent a deputy", "Missed"],
                alt_text="Stacked bars for each Lead Partner: "
                + "; ".join(
                    f"{m.name} attended {m.attended_personally}, sent a deputy to {m.by_deputy}, missed {m.missed}"
                    for m in answers.lead_partners
                )
                + ".",
            )
        )
    if answers.by_organisation:
        result.append(
            horizontal_bars(
                title="Attendance rate by organisation (in person or virtually)",
                rows=[
                    {"Organisation": r.label, "Attendance rate": r.attendance_rate or 0}
                    for r in answers.by_organisation
                ],
                category="Organisation",
                value="Attendance rate",
                category_title="Organisation",
                value_title="Attendance rate",
                percent=True,
                alt_text="Bar chart of attendance rates by organisation: "
                + ", ".join(f"{r.label} {percent(r.attendance_rate)}" for r in answers.by_organisation)
                + ".",
            )
        )
    return result


def recommendation_rows(recommendations) -> list[list[str]]:
    """The scrutineer's recommendations as table rows: reference, date, what was
    recommended, each partner's response, who has not answered."""
    return [
        [
            r.reference,
            r.made_on.isoformat(),
            r.recommendation,
            "; ".join(f"{organisation}: {response}" for organisation, response in r.responses.items()),
            "; ".join(r.awaiting),
        ]
        for r in recommendations
    ]
