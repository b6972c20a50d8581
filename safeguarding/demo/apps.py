from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safeguarding.demo"
    label = "demo"
    verbose_name = "Synthetic demo partnership"

    def ready(self) -> None:
        # Each part of the demo registers its loader (northshire.later_loader).
        from safeguarding.demo import children, governance, performance, reports, training  # noqa: F401
