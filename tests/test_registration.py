"""Areas register themselves (issue 15, item 4): each app adds its API routes in its
``AppConfig.ready``, and each part of the demo its loader, so a new area touches no
central list but ``INSTALLED_APPS`` and the role table."""

import importlib
import importlib.util

import pytest
from django.apps import apps

from safeguarding.core.api import api
from safeguarding.demo import northshire


def _area_routers():
    """Every router an installed area defines, in <app>/api.py (core's in api_datapackage)."""
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("safeguarding."):
            continue
        for module_name in (f"{config.name}.api", f"{config.name}.api_datapackage"):
            if importlib.util.find_spec(module_name) is None:
                continue
            router = getattr(importlib.import_module(module_name), "router", None)
            if router is not None:
                found[module_name] = router
    return found


def test_every_areas_router_is_mounted_once():
    mounted = [router for _, router in api._routers]
    routers = _area_routers()
    assert {"safeguarding.children.api", "safeguarding.core.api_datapackage"} <= set(routers)
    for name, router in routers.items():
        assert mounted.count(router) == 1, f"{name}: mounted {mounted.count(router)} times"


def test_the_demos_parts_load_in_their_order_and_an_order_is_taken_once():
    names = [loader.__name__ for loader in northshire.LATER_LOADERS]
    assert names == [
        "load_governance",
        "load_training",
        "load_performance",
        "load_children",
        "load_reviews",
        "load_reports",
    ]

    def load_nothing(*, rng, actor, today):
        return None

    with pytest.raises(ValueError, match="order 20"):
        northshire.later_loader(order=20)(load_nothing)
    assert load_nothing not in northshire.LATER_LOADERS
