"""The JSON API under /api/v1: token authentication and JSON errors.

Every route needs a partner system's token unless it says otherwise (default
deny); each use is recorded in the audit trail. Errors come back as
``{"detail": "...", "errors": [{"field": ..., "message": ...}]}``, never a trace.
The API's description (``/api/v1/docs`` and ``/api/v1/openapi.json``) is for signed-in
partnership staff and partner systems with a valid token (docs/decisions/0004).
"""

import logging
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from safeguarding.core.audit import client_ip
from safeguarding.core.permissions import PARTNERSHIP_STAFF, requires_two_factor, user_roles

logger = logging.getLogger(__name__)


# Checks a token and records its use (``accounts.services.api_token_authenticate``),
# registered by the accounts area: core sits below it and does not import it.
_token_checks: list = []


def register_token_check(check) -> None:
    _token_checks[:] = [check]


class PartnerToken(HttpBearer):
    openapi_description = "A partner system's token, created by an administrator: `Authorization: Bearer sg_…`"

    def authenticate(self, request, token: str):
        if not _token_checks:
            raise ImproperlyConfigured("No API token check is registered (the accounts app registers it).")
        api_token = _token_checks[0](plaintext=token, ip_address=client_ip(request), path=request.path)
        if api_token is not None:
            request.api_token = api_token
        return api_token


def signed_in_staff(request) -> bool:
    """A member of the partnership's staff, signed in with two-step verification where
    their role needs it (as DefaultDenyMiddleware checks for pages)."""
    user = request.user
    if not (user_roles(user) & PARTNERSHIP_STAFF):
        return False
    return not requires_two_factor(user) or bool(request.session.get("two_factor_verified"))


def staff_or_partner_token(view):
    """Serve the API's description only to signed-in staff or to a valid partner token
    (its use is audited like any other). A visitor opening the docs page is sent to sign
    in; anything else gets the API's JSON refusal."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if signed_in_staff(request) or PartnerToken()(request) is not None:
            return view(request, *args, **kwargs)
        if user_roles(request.user) & PARTNERSHIP_STAFF:
            detail, status = "Verify with your two-step code first.", 403
        elif request.user.is_authenticated:
            detail, status = "Your role does not include the API's description.", 403
        elif request.resolver_match.url_name == "openapi-view" and "Authorization" not in request.headers:
            return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
        else:
            detail, status = "Sign in, or send a valid API token: 'Authorization: Bearer <token>'.", 401
        response = JsonResponse({"detail": detail, "errors": []}, status=status)
        if status == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response

    return guarded


api = NinjaAPI(
    title="Safeguarding API",
    version="1",
    description=(
        "For partner systems to send data returns and records to the partnership, "
        "and to read reference data. Authenticate with a token issued by the "
        "partnership's administrator."
    ),
    auth=PartnerToken(),
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=staff_or_partner_token,
)


def _field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = [
        {"field": _field(error.get("loc", [])), "message": error.get("msg", "Invalid value")} for error in exc.errors
    ]
    return api.create_response(request, {"detail": "The request is not valid.", "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return api.create_response(
        request,
        {"detail": "A valid API token is required: send 'Authorization: Bearer <token>'.", "errors": []},
        status=401,
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc), "errors": []}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found.", "errors": []}, status=404)


@api.exception_handler(Exception)
def unexpected_error(request, exc):
    logger.exception("Unexpected API error on %s", request.path)
    return api.create_response(
        request,
        {"detail": "Something went wrong on our side; nothing was saved.", "errors": []},
        status=500,
    )


def register_router(router) -> None:
    """Each area adds its routes in ``AppConfig.ready``, before the URLconf loads, as it
    adds its navigation: a new area touches no list here."""
    api.add_router("/", router)
