"""The report's chapters that no area of the system answers with figures yet: written
in the application. Each area registers its own chapters (``<app>/report.py``)."""

from safeguarding.core.report_sections import ORDER, ReportSection, SectionContent, Window, register_section


def _reviews_not_built(window: Window) -> SectionContent:
    return SectionContent(
        unavailable="The reviews area of the system (serious incident notifications, rapid reviews and "
        "local child safeguarding practice reviews) is not built yet, so this chapter has no figures: "
        "describe the reviews undertaken and the actions on their recommendations in words."
    )


register_section(
    ReportSection(
        "reviews",
        "Learning from reviews",
        ORDER["reviews"],
        "The reviews undertaken (rapid reviews, local and national child safeguarding practice reviews), "
        "what they found, and the actions taken on local and national recommendations, with their impact.",
        _reviews_not_built,
    )
)
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
