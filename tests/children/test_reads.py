"""One way to read a child (issue 15, item 1): no page assembles a child-level read itself.

The URLconf is walked and every view's module read: none may record a child read, apply
the who-sees-what policy or compute a reader's scope; they call ``children.reads``, which
does all three together. A view added that reads a child its own way fails here, naming it.
"""

import inspect
import re
import sys

from django.urls import URLPattern, URLResolver, get_resolver

# What only children.reads (and the services and API behind it) may call.
FORBIDDEN = {
    "record_child_read": re.compile(r"\brecord_child_read\b"),
    "the policy module": re.compile(r"\bchildren\.policy\b|from safeguarding\.children import [^\n]*\bpolicy\b"),
    "a reader's scope": re.compile(r"\b(reader_scope|token_scope)\("),
}


def _view_modules(patterns, seen=None) -> set[str]:
    seen = set() if seen is None else seen
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _view_modules(entry.url_patterns, seen)
        elif isinstance(entry, URLPattern):
            callback = inspect.unwrap(entry.callback)
            module = getattr(callback, "__module__", "") or ""
            if module.startswith("safeguarding."):
                seen.add(module)
    return seen


def test_the_walk_finds_the_child_pages():
    modules = _view_modules(get_resolver().url_patterns)
    assert {"safeguarding.children.views.child", "safeguarding.moves.views.alerts"} <= modules


def test_no_view_module_records_a_child_read_or_applies_the_policy_itself():
    offenders = []
    for name in sorted(_view_modules(get_resolver().url_patterns)):
        source = inspect.getsource(sys.modules[name])
        offenders += [f"{name} uses {what}" for what, pattern in FORBIDDEN.items() if pattern.search(source)]
    assert not offenders, "views must read children through safeguarding.children.reads:\n" + "\n".join(offenders)


def test_the_check_would_catch_a_view_that_records_the_read_itself():
    """The patterns match the ways a view would do it (so the test above can fail)."""
    samples = {
        "record_child_read": "from safeguarding.core.audit import client_ip, record_child_read",
        "the policy module": "from safeguarding.children import moves, policy, selectors",
        "a reader's scope": "scope = selectors.reader_scope(request.user)",
    }
    for what, sample in samples.items():
        assert FORBIDDEN[what].search(sample), what
    assert not FORBIDDEN["the policy module"].search("from safeguarding.children import reads, selectors")
