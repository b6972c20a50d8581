from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safeguarding.reports"
    label = "reports"
    verbose_name = "The annual report and the scrutiny evidence pack"
    url_prefix = "reports/"  # where config.urls mounts its pages

    def ready(self) -> None:
        from safeguarding.core.navigation import NavItem, register
        from safeguarding.core.permissions import Perm
        from safeguarding.reports import (
            attention,  # noqa: F401  (registers home-page items)
            sections,  # noqa: F401  (the report's own narrative chapters)
        )

        register(NavItem("Annual report", "reports:list", Perm.VIEW_REPORT_DRAFTS, 50, "/reports/"))
        register(
            NavItem(
                "Annual reports",
                "reports:published_list",
                Perm.VIEW_PUBLISHED,
                51,
                "/reports/published/",
                unless=Perm.VIEW_REPORT_DRAFTS,
            )
        )
        register(
            NavItem(
                "Evidence pack",
                "reports:evidence_pack",
                Perm.VIEW_EVIDENCE_PACK,
                52,
                "/reports/evidence-pack",
                unless=Perm.VIEW_REPORT_DRAFTS,  # they reach it from the Annual report page
            )
        )
