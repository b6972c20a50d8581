"""What the accounts area puts on people's home pages: two-step verification to set up,
locked accounts, and API tokens nobody has used for a long time."""

import datetime

from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.selectors import api_tokens_unused_since, locked_users
from safeguarding.core.attention import Attention, register
from safeguarding.core.permissions import Perm, has_perm

STALE_TOKEN_DAYS = 90


@register
def two_factor_not_set_up(user) -> list[Attention]:
    if user.has_two_factor:
        return []
    return [
        Attention(
            title="Set up two-step verification",
            detail="Protect your account with a code from an authenticator app.",
            url=reverse("accounts:two_factor_setup"),
        )
    ]


@register
def locked_accounts(user) -> list[Attention]:
    if not has_perm(user, Perm.ADMIN_SITE):
        return []
    count = locked_users().count()
    if not count:
        return []
    return [
        Attention(
            title="Locked accounts",
            detail="Accounts locked after repeated failed sign-ins.",
            url=reverse("core:audit") + "?action=locked_out",
            count=count,
            urgent=True,
        )
    ]


@register
def stale_api_tokens(user) -> list[Attention]:
    if not has_perm(user, Perm.MANAGE_API_TOKENS):
        return []
    since = timezone.now() - datetime.timedelta(days=STALE_TOKEN_DAYS)
    count = api_tokens_unused_since(since).count()
    if not count:
        return []
    return [
        Attention(
            title="API tokens not used for 90 days",
            detail="Revoke tokens that partner systems no longer use.",
            url=reverse("accounts:api_tokens"),
            count=count,
        )
    ]
