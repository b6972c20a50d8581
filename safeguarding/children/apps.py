from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "safeguarding.children"
    label = "children"
    verbose_name = "Children: agency records and linkage"
    url_prefix = "children/"  # where config.urls mounts its pages

    def ready(self) -> None:
        from safeguarding.children.api import router
        from safeguarding.core.api import register_router

        register_router(router)
        from safeguarding.children import attention  # noqa: F401  (home-page items)
        from safeguarding.core.navigation import NavItem, register
        from safeguarding.core.permissions import Perm

        register(NavItem("Children", "children:overview", Perm.VIEW_LINKAGE, 40, "/children/"))
        register(
            NavItem(
                "Who looked at our children",
                "children:agency_reads",
                Perm.VIEW_CHILD_ACCESS_LOG,
                42,
                "/children/access/",
                unless=Perm.VIEW_LINKAGE,  # they reach it from the Children page
            )
        )
