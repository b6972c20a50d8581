"""The report's chapters that no area of the system answers with figures: written in the
application. Each area registers its own chapters (``<app>/report.py``); the reviews
chapter is ``reviews/report.py``'s."""

from safeguarding.core.report_sections import ORDER, ReportSection, register_section

register_section(
    ReportSection(
        "voice",
        "The voice of children and families",
        ORDER["voice"],
        "How feedback from children, young people and families was sought, and how it shaped the "
        "partnership's work this year. No child or family may be identifiable.",
    )
)
register_section(
    ReportSection(
        "next_year",
        "Next year's priorities",
        ORDER["next_year"],
        "The priorities for the coming year, why they were chosen, and how progress will be measured.",
    )
)
