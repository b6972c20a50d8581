"""Globals and filters for page templates."""

import datetime

from django.utils import timezone
from jinja2 import pass_context

from safeguarding.core import govuk_forms
from safeguarding.core.permissions import has_perm


@pass_context
def can(context, perm) -> bool:
    return has_perm(context["request"].user, perm)


@pass_context
def csp_nonce(context) -> str:
    # LazyNonce is falsy until first read, so no "or" here.
    nonce = getattr(context["request"], "_csp_nonce", None)
    return "" if nonce is None else str(nonce)


def date_format(value, fmt: str = "%-d %B %Y") -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime(fmt)


def datetime_format(value) -> str:
    return date_format(value, "%-d %B %Y, %H:%M")


GLOBALS = {
    "can": can,
    "csp_nonce": csp_nonce,
    "govuk_field": govuk_forms.govuk_field,
    "govuk_form_fields": govuk_forms.govuk_form_fields,
    "govuk_error_summary": govuk_forms.govuk_error_summary,
}
FILTERS = {"date": date_format, "datetime": datetime_format}
