"""The foundation's own attention items: e-mails the outbox could not send. (Accounts'
items, such as locked accounts, are the accounts area's: ``accounts/attention.py``.)"""

from django.urls import reverse

from safeguarding.core.attention import Attention, register
from safeguarding.core.permissions import Perm, has_perm
from safeguarding.core.selectors import undelivered_emails as undelivered


@register
def undelivered_emails(user) -> list[Attention]:
    if not has_perm(user, Perm.ADMIN_SITE):
        return []
    count = undelivered(user=user).count()
    if not count:
        return []
    return [
        Attention(
            title="E-mails not sent",
            detail="The mail server refused or could not be reached after every retry. What they were about was saved.",
            url=reverse("core:email_failures"),
            count=count,
            urgent=True,
        )
    ]
