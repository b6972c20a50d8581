from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeguarding.core"
    label = "core"
    verbose_name = "Core: audit trail and shared services"
    url_prefix = ""  # where config.urls mounts its pages

    def ready(self) -> None:
        from safeguarding.core import attention_providers, checks, demo_outbox  # noqa: F401  (registers providers and checks)
        from safeguarding.core.api import register_router
        from safeguarding.core.api_datapackage import router
        from safeguarding.core.navigation import NavItem, register
        from safeguarding.core.permissions import Perm

        register_router(router)

        register(
            NavItem("Sent e-mails", "core:sent_emails", Perm.ADMIN_SITE, 92, "/sent-emails/", shown=demo_outbox.enabled)
        )
