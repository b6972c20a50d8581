"""The Users pages: administrators add log-ins, change their roles, reset two-step
verification and deactivate accounts, each through a service that records who, when and
why. And the public page where an account holder sets their password from the e-mailed link."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safeguarding.accounts import selectors, services
from safeguarding.accounts.forms_users import (
    ChooseYourPasswordForm,
    ReasonForm,
    UserCreateForm,
    UserFilterForm,
    UserRolesForm,
)
from safeguarding.accounts.models import User
from safeguarding.core.audit import client_ip
from safeguarding.core.audit_display import audit_rows
from safeguarding.core.permissions import ROLES_REQUIRING_TWO_FACTOR, Perm, permission_required, public
from safeguarding.core.selectors import AuditFilter, audit_events

USERS_PAGE_SIZE = 50
HISTORY_SHOWN = 10
SET_PASSWORD_SESSION = "set_password_token"
TOKEN_IN_SESSION = "set"  # the path's token once the real one is in the session, off the address bar


def _managed_user(request, pk: int) -> User:
    return get_object_or_404(selectors.users(user=request.user, filters=selectors.UserFilter(status="")), pk=pk)


def _name(user: User) -> str:
    return user.person.full_name if user.person_id else user.username


@permission_required(Perm.MANAGE_USERS)
def user_list(request):
    data = request.GET.copy()
    data.setdefault("status", "active")  # deactivated accounts only when asked for
    form = UserFilterForm(data)
    cleaned = form.cleaned_data if form.is_valid() else {"status": "active"}
    filters = selectors.UserFilter(
        search=cleaned.get("q", ""),
        role=cleaned.get("role", ""),
        organisation=cleaned.get("organisation", ""),
        status=cleaned.get("status", "active"),
        two_step=cleaned.get("two_step", ""),
    )
    page = Paginator(selectors.users(user=request.user, filters=filters), USERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {"title": "Users", "form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


@permission_required(Perm.MANAGE_USERS)
def user_create(request):
    form = UserCreateForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(
                username=form.cleaned_data["username"],
                person=form.cleaned_data["person"],
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
                actor=request.user,
            )
        except ValueError as error:
            form.add_error("person", str(error))
        else:
            messages.success(request, f"{user.username} added. A link to set a password is e-mailed to {user.email}.")
            return redirect("accounts:user", pk=user.pk)
    return render(
        request,
        "accounts/form_page.html",
        {"title": "Add a user", "form": form, "submit_label": "Add the user and e-mail the link"},
    )


@permission_required(Perm.MANAGE_USERS)
def user_detail(request, pk: int):
    managed = _managed_user(request, pk)
    history = audit_events(user=request.user, filters=AuditFilter(object_type="accounts.user", object_id=str(pk)))
    return render(
        request,
        "accounts/user_detail.html",
        {
            "title": _name(managed),
            "managed": managed,
            "organisation": selectors.current_organisation(managed),
            "roles": sorted(a.get_role_display() for a in managed.role_assignments.all()),
            "needs_two_step": bool({a.role for a in managed.role_assignments.all()} & ROLES_REQUIRING_TWO_FACTOR),
            "is_locked": services.user_is_locked(managed),
            "is_you": managed.pk == request.user.pk,
            "history": audit_rows(list(history[:HISTORY_SHOWN]), user=request.user),
        },
    )


@permission_required(Perm.MANAGE_USERS)
def user_roles(request, pk: int):
    managed = _managed_user(request, pk)
    current = sorted(managed.role_assignments.values_list("role", flat=True))
    form = UserRolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_roles(
                user=managed, roles=form.cleaned_data["roles"], reason=form.cleaned_data["reason"], actor=request.user
            )
        except PermissionDenied as error:
            form.add_error("roles", str(error))
        else:
            messages.success(request, "Roles saved.")
            return redirect("accounts:user", pk=managed.pk)
    return render(
        request,
        "accounts/form_page.html",
        {"title": f"Change the roles of {_name(managed)}", "form": form, "submit_label": "Save the roles"},
    )


# Changes confirmed on a page of their own, with the reason -----------------------------

CONFIRMATIONS = {
    "deactivate": {
        "title": "Are you sure you want to deactivate {name}?",
        "warning": "They cannot sign in from now on, and are signed out at once. Their records and history are kept. "
        "An administrator can reactivate the account.",
        "label": "Why is the account deactivated?",
        "missing": "Enter why the account is deactivated",
        "hint": "For the audit trail, for example: left the council on 30 November",
        "button": "Yes, deactivate the account",
        "button_class": "govuk-button--warning",
        "done": "{name}'s account is deactivated.",
    },
    "reactivate": {
        "title": "Are you sure you want to reactivate {name}?",
        "warning": "They can sign in again with their password and two-step verification, and have the roles shown.",
        "label": "Why is the account reactivated?",
        "missing": "Enter why the account is reactivated",
        "hint": "For the audit trail, for example: back from secondment",
        "button": "Yes, reactivate the account",
        "button_class": "",
        "done": "{name}'s account is active again.",
    },
    "two_step_reset": {
        "title": "Are you sure you want to reset {name}'s two-step verification?",
        "warning": "Their authenticator app stops working for this account. At next sign-in they set up a new one; "
        "a role that sees children's data needs a new enrolment code for it.",
        "label": "Why is two-step verification reset?",
        "missing": "Enter why two-step verification is reset",
        "hint": "For the audit trail, for example: phone lost, identity checked by a call to their manager",
        "button": "Yes, reset two-step verification",
        "button_class": "govuk-button--warning",
        "done": "{name}'s two-step verification is reset.",
    },
}


def _confirmed_change(request, pk: int, change: str):
    managed = _managed_user(request, pk)
    wording = {key: text.format(name=_name(managed)) for key, text in CONFIRMATIONS[change].items()}
    form = ReasonForm(request.POST or None, label=wording["label"], hint=wording["hint"], missing=wording["missing"])
    if request.method == "POST" and form.is_valid():
        do: Callable[..., None] = {
            "deactivate": services.user_deactivate,
            "reactivate": services.user_reactivate,
            "two_step_reset": services.two_factor_reset,
        }[change]
        try:
            do(user=managed, reason=form.cleaned_data["reason"], actor=request.user)
        except (PermissionDenied, ValueError) as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, wording["done"])
            return redirect("accounts:user", pk=managed.pk)
    return render(
        request,
        "accounts/user_confirm.html",
        {"title": wording["title"], "wording": wording, "form": form, "managed": managed},
    )


@permission_required(Perm.MANAGE_USERS)
def user_deactivate(request, pk: int):
    if pk == request.user.pk:
        messages.error(request, "You cannot deactivate your own account: ask another administrator.")
        return redirect("accounts:user", pk=pk)
    return _confirmed_change(request, pk, "deactivate")


@permission_required(Perm.MANAGE_USERS)
def user_reactivate(request, pk: int):
    return _confirmed_change(request, pk, "reactivate")


@permission_required(Perm.MANAGE_USERS)
def user_two_step_reset(request, pk: int):
    return _confirmed_change(request, pk, "two_step_reset")


# One-click actions -----------------------------------------------------------------------


@permission_required(Perm.MANAGE_USERS)
@require_POST
def user_password_link(request, pk: int):
    managed = _managed_user(request, pk)
    try:
        services.password_link_send(user=managed, actor=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"A link to set a new password is e-mailed to {managed.email}.")
    return redirect("accounts:user", pk=managed.pk)


@permission_required(Perm.MANAGE_USERS)
@require_POST
def user_unlock(request, pk: int):
    managed = _managed_user(request, pk)
    services.user_unlock(user=managed, actor=request.user, reason="unlocked on the Users page")
    messages.success(request, f"{_name(managed)} can sign in again.")
    return redirect("accounts:user", pk=managed.pk)


@permission_required(Perm.MANAGE_USERS)
@require_POST
@never_cache
def user_enrolment_code(request, pk: int):
    """The code is shown on this answer only (never cached): never stored, never put in a message."""
    managed = _managed_user(request, pk)
    if not managed.is_active:
        messages.error(request, "Reactivate the account before issuing an enrolment code.")
        return redirect("accounts:user", pk=managed.pk)
    code, plaintext = services.enrolment_code_issue(user=managed, actor=request.user)
    return render(
        request,
        "accounts/user_enrolment_code.html",
        {"title": f"Enrolment code for {_name(managed)}", "managed": managed, "code": code, "plaintext": plaintext},
    )


# The account holder sets a password from the e-mailed link ---------------------------------


def _user_from_link(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


@public
@never_cache
def set_password(request, uidb64: str, token: str):
    user = _user_from_link(uidb64)
    if token != TOKEN_IN_SESSION:
        if user is not None and default_token_generator.check_token(user, token):
            # Keep the token out of the address bar (and so out of history and referrers).
            request.session[SET_PASSWORD_SESSION] = token
            return redirect(request.path.replace(token, TOKEN_IN_SESSION))
        return render(request, "accounts/set_password_invalid.html", {"title": "This link does not work"})
    token = request.session.get(SET_PASSWORD_SESSION, "")
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/set_password_invalid.html", {"title": "This link does not work"})
    form = ChooseYourPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_set(user=user, password=form.cleaned_data["new_password1"], ip_address=client_ip(request))
        request.session.pop(SET_PASSWORD_SESSION, None)
        messages.success(request, "Your password is set. Sign in with it.")
        return redirect("accounts:login")
    return render(
        request,
        "accounts/form_page.html",
        {"title": "Choose your password", "form": form, "submit_label": "Set the password", "caption": user.username},
    )
