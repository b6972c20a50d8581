"""What needs each user's attention, for the home page.

Each area registers providers: functions from a user to a list of ``Attention``
items. A provider decides for itself whether the user's role makes it relevant.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Attention:
    title: str
    detail: str
    url: str
    count: int | None = None
    urgent: bool = False


Provider = Callable[[object], list[Attention]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def attention_for(user) -> list[Attention]:
    items = [item for provider in _PROVIDERS for item in provider(user)]
    return sorted(items, key=lambda item: not item.urgent)
