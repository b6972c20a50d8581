"""The JSON API under /api/v1: token authentication and JSON errors.

Every route needs a partner system's token unless it says otherwise (default
deny); each use is recorded in the audit trail. Errors come back as
``{"detail": "...", "errors": [{"field": ..., "message": ...}]}``, never a trace.
"""

import logging

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from safeguarding.accounts.services import api_token_authenticate
from safeguarding.core.audit import client_ip

logger = logging.getLogger(__name__)


class PartnerToken(HttpBearer):
    openapi_description = "A partner system's token, created by an administrator: `Authorization: Bearer sg_…`"

    def authenticate(self, request, token: str):
        api_token = api_token_authenticate(plaintext=token, ip_address=client_ip(request), path=request.path)
        if api_token is not None:
            request.api_token = api_token
        return api_token


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


def register_routers() -> None:
    from safeguarding.accounts.api import router as accounts_router
    from safeguarding.children.api import router as children_router
    from safeguarding.core.api_datapackage import router as datapackage_router
    from safeguarding.governance.api import router as governance_router
    from safeguarding.performance.api import router as performance_router
    from safeguarding.training.api import router as training_router

    api.add_router("/", accounts_router)
    api.add_router("/", governance_router)
    api.add_router("/", training_router)
    api.add_router("/", datapackage_router)
    api.add_router("/", performance_router)
    api.add_router("/", children_router)


register_routers()
