from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "safeguarding.performance"
    label = "performance"
    verbose_name = "Multi-agency performance data"
    url_prefix = "performance/"  # where config.urls mounts its pages

    def ready(self) -> None:
        from safeguarding.core.api import register_router
        from safeguarding.performance.api import router

        register_router(router)
        from safeguarding.core.navigation import NavItem, register
        from safeguarding.core.permissions import Perm
        from safeguarding.performance import datapackage, report  # noqa: F401  (files, report chapters)

        register(NavItem("Data", "performance:overview", Perm.VIEW_PERFORMANCE, 30, "/performance/"))
        register(
            NavItem(
                "Published figures",
                "performance:published",
                Perm.VIEW_PUBLISHED,
                31,
                "/performance/published/",
                unless=Perm.VIEW_PERFORMANCE,
            )
        )
