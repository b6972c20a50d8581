from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "safeguarding.training"
    label = "training"
    verbose_name = "Learning and development"
    url_prefix = "training/"  # where config.urls mounts its pages

    def ready(self) -> None:
        from safeguarding.core.api import register_router
        from safeguarding.training.api import router

        register_router(router)
        from safeguarding.core.navigation import NavItem, register
        from safeguarding.core.permissions import Perm
        from safeguarding.training import attention, datapackage, report  # noqa: F401  (items, files, report)

        register(NavItem("Training", "training:catalogue", Perm.BOOK_TRAINING, 20, "/training/"))
