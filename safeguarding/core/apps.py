from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeguarding.core"
    label = "core"
    verbose_name = "Core: audit trail and shared services"

    def ready(self) -> None:
        from safeguarding.core import attention_providers, checks  # noqa: F401  (registers providers and checks)
