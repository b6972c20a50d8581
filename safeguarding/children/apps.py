from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "safeguarding.children"
    label = "children"
    verbose_name = "Children: agency records and linkage"

    def ready(self) -> None:
        from safeguarding.children import attention  # noqa: F401  (registers home-page items)
        from safeguarding.core.navigation import NavItem, register
        from safeguarding.core.permissions import Perm

        register(NavItem("Children", "children:overview", Perm.VIEW_LINKAGE, 40, "/children/"))
