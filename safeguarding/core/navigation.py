"""The service navigation: one entry per area, shown to those who may open it.

Each area's app adds its entry in ``AppConfig.ready`` with ``register``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from safeguarding.core.permissions import Perm, has_perm


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: Perm
    order: int
    active_prefix: str
    # Not shown to those who hold this permission (they reach the page another way).
    unless: Perm | None = None
    # Shown only while this says so (a page that exists only in some settings: the demo outbox).
    shown: Callable[[], bool] | None = None


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def items_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    return [
        {
            "text": item.label,
            "href": reverse(item.url_name),
            "active": request.path.startswith(item.active_prefix)
            and (item.active_prefix != "/" or request.path == "/"),
        }
        for item in _ITEMS
        if has_perm(user, item.perm)
        and not (item.unless and has_perm(user, item.unless))
        and (item.shown is None or item.shown())
    ]
