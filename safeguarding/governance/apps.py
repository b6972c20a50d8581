from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safeguarding.governance"
    label = "governance"
    verbose_name = "Governance"
    url_prefix = "governance/"  # where config.urls mounts its pages

    def ready(self) -> None:
        from safeguarding.core.api import register_router
        from safeguarding.governance.api import router

        register_router(router)
        from safeguarding.core.navigation import NavItem, register
        from safeguarding.core.permissions import Perm
        from safeguarding.governance import (
            attention,  # noqa: F401  (registers home-page items)
            datapackage,  # noqa: F401  (registers files)
            report,  # noqa: F401  (registers report chapters and questions)
        )

        register(NavItem("Governance", "governance:overview", Perm.VIEW_GOVERNANCE, 10, "/governance/"))
