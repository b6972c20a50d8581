from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguarding.core.permissions import PUBLIC, has_perm, requires_two_factor
from safeguarding.core.text import describe_control_character, find_control_character

# Subsystems that do their own default-deny checks: the admin site (administrators
# with two-step verification) and the API (a token on every route).
SELF_GUARDED_PREFIXES = ("/admin/", "/api/")


class DefaultDenyMiddleware:
    """Refuse every view that has not declared who may open it, and check the
    declaration for those that have."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(SELF_GUARDED_PREFIXES):
            return None
        perm = getattr(view_func, "sg_permission", None)
        if perm is None:
            raise PermissionDenied("This page has not declared who may open it.")
        if perm == PUBLIC:
            return None
        user = request.user
        if not user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(settings.LOGIN_URL)}?{query}")
        if requires_two_factor(user) and not request.session.get("two_factor_verified"):
            # Roles changed during the session: verify before going further.
            return redirect("accounts:two_factor_verify")
        if not has_perm(user, perm):
            raise PermissionDenied("Your role does not allow this page.")
        return None


class ControlCharacterMiddleware:
    """Refuse a form whose text holds a control character, on every page at once.

    Files are checked by their readers and the API by its routes (naming file, row and
    column, or the field); this covers the text boxes of every form, which Django checks
    for NUL only. Runs after DefaultDenyMiddleware, so only a permitted request is read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.path.startswith("/api/"):
            return None
        for field, values in request.POST.lists():
            for value in values:
                position = find_control_character(value)
                if position is not None:
                    return render(
                        request,
                        "core/control_character.html",
                        {
                            "title": "The form holds a hidden character",
                            "field": field.replace("_", " "),
                            "character": describe_control_character(value, position),
                            "position": position + 1,
                            "back": request.path,
                        },
                        status=400,
                    )
        return None
