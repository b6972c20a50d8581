"""The layout holds (issue 15, item 2): no import cycles between files or between apps,
the children area never imports the areas built on it, and the linkage engine and the
synthetic generator stay free of Django. Read from the source, so a new import that
breaks a rule fails here, naming the file."""

from importlib.util import find_spec

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import resolve

from safeguarding.children import extensions
from safeguarding.children.policy import Part
from tests.architecture.imports import build, cycles

GRAPH = build()


def test_no_import_cycle_between_files():
    assert cycles(GRAPH.edges) == []


def test_no_import_cycle_between_apps():
    assert cycles(GRAPH.app_edges()) == []


def test_the_check_finds_a_cycle_when_there_is_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("upper", ["moves", "reports", "demo"])
def test_the_children_area_never_imports_an_area_built_on_it(upper):
    offenders = [
        f"{module} imports {target}"
        for module, targets in GRAPH.edges.items()
        if GRAPH.app_of(module) == "children"
        for target in targets
        if GRAPH.app_of(target) == upper
    ]
    assert offenders == []


@pytest.mark.parametrize("package", ["linkage", "synthetic"])
def test_the_engine_and_the_generator_have_no_django_and_no_app_in_them(package):
    offenders = []
    for module, path in GRAPH.modules.items():
        if GRAPH.app_of(module) != package:
            continue
        text = path.read_text()
        if "import django" in text or "from django" in text:
            offenders.append(f"{module} imports Django")
        offenders += [f"{module} imports {target}" for target in GRAPH.edges[module] if GRAPH.app_of(target) != package]
    assert offenders == []


def test_every_function_local_import_says_why():
    """An import inside a function hides a dependency; each one left says why it is there."""
    silent = [f"{i.module}:{i.line} {i.text}" for i in GRAPH.local_imports if not i.comment and not i.in_ready]
    assert silent == [], "\n".join(silent)


def test_a_follow_up_or_a_child_panel_registered_twice_is_refused():
    registered = extensions.FOLLOW_UPS[0]
    with pytest.raises(ImproperlyConfigured, match="move_alerts"):
        extensions.on_records_linked(extensions.LinkedFollowUp(registered.name, "again", registered.run))
    panel = extensions.CHILD_PANELS[0]
    with pytest.raises(ImproperlyConfigured, match="moves"):
        extensions.register_child_panel(extensions.ChildPanel(panel.key, Part.MOVES, panel.load, panel.body))


def test_the_moves_area_is_what_the_children_area_calls_back():
    assert [f.name for f in extensions.FOLLOW_UPS] == ["move_alerts"]
    assert [(p.key, p.part) for p in extensions.CHILD_PANELS] == [("moves", Part.MOVES)]


# What a page may call on a selector module without saying who reads: helpers that format
# or look up, and the public booking pages' lists (open to anyone by design).
NEEDS_NO_READER = {
    "safeguarding.children.selectors.field_label": "a column's label",
    "safeguarding.children.selectors.child_read_rows": "words the rows of a reader-scoped query",
    "safeguarding.children.selectors.child_by_reference": "finds the ID; reads.child_for_reader then scopes the read",
    "safeguarding.training.selectors.courses": "the public course list",
    "safeguarding.training.selectors.sessions_open_for_booking": "the public booking page",
    "safeguarding.performance.selectors.return_grid": "takes the reader's own organisation",
    "safeguarding.performance.selectors.population_table": "published population estimates",
    "safeguarding.accounts.selectors.current_organisation": "takes the reader",
    "safeguarding.children.selectors.viewer_organisation": "takes the reader",
    "safeguarding.children.selectors.sources_loadable_by": "takes the reader",
    "safeguarding.children.reads.access_policy_table": "the policy itself, for anyone signed in",
    "safeguarding.moves.reads.involvement_text": "words an alert the reader's selector returned",
}


def _selector_calls(module_name: str) -> set[str]:
    """``selectors.x(...)`` calls in a module, by the selector's full name."""
    import ast
    import importlib

    module = importlib.import_module(module_name)
    tree = ast.parse(GRAPH.modules[module_name].read_text())
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
        ):
            target = getattr(module, node.func.value.id, None)
            if getattr(target, "__name__", "").endswith((".selectors", ".reads")):
                found.add(f"{target.__name__}.{node.func.attr}")
    return found


def test_every_selector_a_page_calls_takes_the_reader():
    import importlib
    import inspect

    from tests.children.test_reads import _view_modules, get_resolver

    offenders = []
    for view_module in sorted(_view_modules(get_resolver().url_patterns)):
        for name in sorted(_selector_calls(view_module)):
            if name in NEEDS_NO_READER:
                continue
            module_name, _, function = name.rpartition(".")
            selector = getattr(importlib.import_module(module_name), function)
            if inspect.isclass(selector):  # a filter's fields, not a read
                continue
            parameters = inspect.signature(selector).parameters
            if not {"user", "token"} & set(parameters):
                offenders.append(f"{view_module} calls {name}, which does not take the reader")
    assert offenders == [], "\n".join(offenders)


def test_every_area_with_pages_says_where_they_are_mounted():
    """config.urls mounts each app by its url_prefix: an app with a urls module and no
    prefix would have pages nobody can reach."""
    unmounted = [
        config.name
        for config in apps.get_app_configs()
        if config.name.startswith("safeguarding.")
        and find_spec(f"{config.name}.urls") is not None
        and getattr(config, "url_prefix", None) is None
    ]
    assert unmounted == []
    assert resolve("/children/moves/figures/").namespace == "moves"
    assert resolve("/governance/").app_name == "governance"


# docs/architecture.md draws these layers: an app imports only apps on lower layers.
LAYERS = {
    "linkage": 0,
    "synthetic": 0,
    "core": 1,
    "accounts": 2,
    "governance": 3,
    "training": 4,
    "performance": 4,
    "children": 5,
    "moves": 6,
    "reviews": 7,
    "reports": 8,
    "demo": 9,
}


def test_each_app_imports_only_the_layers_below_it():
    upward = [
        f"{app} imports {target}"
        for app, targets in GRAPH.app_edges().items()
        for target in targets
        if LAYERS[target] >= LAYERS[app]
    ]
    assert upward == []
    assert set(GRAPH.app_edges()) <= set(LAYERS), "a new app: give it a layer here and in docs/architecture.md"


def test_an_unscoped_child_read_is_called_only_where_the_reader_is_checked():
    """``children.selectors.*_unscoped`` return child-level data to whoever calls them:
    only the reads (which check the reader and record the read) and the audited
    search service may."""
    allowed = {"safeguarding.children.reads", "safeguarding.children.services", "safeguarding.children.selectors"}
    callers = [
        module
        for module, path in GRAPH.modules.items()
        if module not in allowed and GRAPH.app_of(module) != "demo" and "_unscoped(" in path.read_text()
    ]
    assert callers == []
