import pkgutil
from importlib import import_module

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safeguarding.demo"
    label = "demo"
    verbose_name = "Synthetic demo partnership"

    def ready(self) -> None:
        # Each part of the demo registers its loader when imported (northshire.later_loader),
        # so every module here is imported: a new area's part is a new module, named in no list.
        for module in pkgutil.iter_modules([self.path]):
            if not module.ispkg:
                import_module(f"{self.name}.{module.name}")
