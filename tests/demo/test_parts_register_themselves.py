"""Each part of the demo registers its own loader: a module in safeguarding/demo that
declares one is loaded by DemoConfig.ready, with no list to add it to."""

import pkgutil
from pathlib import Path

from safeguarding import demo
from safeguarding.demo.northshire import LATER_LOADERS


def test_every_demo_module_with_a_loader_has_it_registered_in_order():
    declaring = {
        f"safeguarding.demo.{m.name}"
        for m in pkgutil.iter_modules(demo.__path__)
        if not m.ispkg and "@later_loader(" in (Path(demo.__path__[0]) / f"{m.name}.py").read_text()
    }
    assert declaring >= {"safeguarding.demo.governance", "safeguarding.demo.children"}
    assert {loader.__module__ for loader in LATER_LOADERS} == declaring
