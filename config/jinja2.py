"""The Jinja2 environment for pages: GOV.UK Frontend macros, Django helpers.

govuk-frontend-jinja's templates import each other as "govuk_frontend_jinja/...",
so they are mounted under that prefix beside the apps' own templates. Its macros
test optional parameters by chaining attributes, hence ChainableUndefined.
"""

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, PrefixLoader

from safeguarding.core import jinja_helpers


def url(viewname: str, *args, **kwargs) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    app_loader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [
            app_loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    options["undefined"] = ChainableUndefined
    options.setdefault("autoescape", True)
    env = Environment(**options)
    env.globals.update(
        {
            "static": static,
            "static_url": settings.STATIC_URL,
            "url": url,
            "get_messages": get_messages,
            "settings_partnership_name": settings.PARTNERSHIP_NAME,
            "service_name": settings.SERVICE_NAME,
        }
    )
    env.globals.update(jinja_helpers.GLOBALS)
    env.filters.update(jinja_helpers.FILTERS)
    return env
