import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safeguarding.accounts import selectors, services
from safeguarding.accounts.forms import (
    ApiTokenForm,
    ChangePostForm,
    EnrolmentForm,
    OneTimeCodeForm,
    OrganisationForm,
    PersonForm,
    SignInForm,
)
from safeguarding.accounts.models import Organisation, Person, User
from safeguarding.core.audit import client_ip, record_event
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Perm, permission_required, public, requires_two_factor

PENDING_USER = "pending_user_id"
PENDING_NEXT = "pending_next"
VERIFIED = "two_factor_verified"
PEOPLE_PAGE_SIZE = 50


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _finish_sign_in(request, user: User, *, verified: bool):
    next_url = request.session.pop(PENDING_NEXT, None)
    request.session.pop(PENDING_USER, None)
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        services.login_succeeded(user=user, ip_address=client_ip(request))
    request.session[VERIFIED] = verified
    return redirect(_safe_next(request, next_url))


def _user_awaiting_code(request) -> User | None:
    """The user between password and code: either part-way through signing in, or
    signed in but now holding a role that needs the code."""
    if request.user.is_authenticated:
        return None if request.session.get(VERIFIED) else request.user
    user_id = request.session.get(PENDING_USER)
    return User.objects.filter(pk=user_id, is_active=True).first() if user_id else None


@public
@never_cache
def sign_in(request):
    if request.user.is_authenticated and request.session.get(VERIFIED) is not None:
        return redirect("core:home")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        candidate = User.objects.filter(username=username).first()
        if candidate is not None and services.user_is_locked(candidate):
            # Only someone who knows the password learns the account is locked; anyone
            # else gets the usual answer, so the message cannot show a user name exists.
            if candidate.check_password(form.cleaned_data["password"]):
                form.add_error(
                    None,
                    "This account is locked after too many failed attempts. Try again after "
                    f"{candidate.locked_until:%H:%M} or ask an administrator to unlock it.",
                )
            else:
                services.login_failed(username=username, ip_address=client_ip(request))
                form.add_error(None, "Enter a correct user name and password")
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                services.login_failed(username=username, ip_address=client_ip(request))
                form.add_error(None, "Enter a correct user name and password")
            else:
                request.session.cycle_key()
                request.session[PENDING_NEXT] = request.GET.get("next")
                if user.has_two_factor or requires_two_factor(user):
                    request.session[PENDING_USER] = user.pk
                    if user.has_two_factor:
                        return redirect("accounts:two_factor_verify")
                    return redirect("accounts:two_factor_setup")
                return _finish_sign_in(request, user, verified=False)
    return render(request, "accounts/sign_in.html", {"title": "Sign in", "form": form})


@public
@never_cache
def two_factor_verify(request):
    user = _user_awaiting_code(request)
    if user is None:
        return redirect("accounts:login")
    if not user.has_two_factor:
        return redirect("accounts:two_factor_setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.user_is_locked(user):
            form.add_error("code", "This account is locked after too many failed attempts")
        elif services.two_factor_check(user=user, code=form.cleaned_data["code"], ip_address=client_ip(request)):
            return _finish_sign_in(request, user, verified=True)
        else:
            services.login_failed(username=user.username, ip_address=client_ip(request))
            form.add_error("code", "The code is not right: enter the code your app shows now")
    return render(request, "accounts/two_factor_verify.html", {"title": "Enter your code", "form": form})


@public
@never_cache
def two_factor_setup(request):
    user = _user_awaiting_code(request) or (request.user if request.user.is_authenticated else None)
    if user is None:
        return redirect("accounts:login")
    if user.has_two_factor:
        messages.info(request, "Two-step verification is already set up for your account.")
        return redirect("core:home" if request.user.is_authenticated else "accounts:two_factor_verify")
    if not user.totp_secret or request.method == "GET":
        services.two_factor_begin(user=user)
    needs_enrolment_code = services.enrolment_code_required(user)
    form = (EnrolmentForm if needs_enrolment_code else OneTimeCodeForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.user_is_locked(user):
            form.add_error("code", "This account is locked after too many failed attempts")
        else:
            refused = services.two_factor_enrol(
                user=user,
                code=form.cleaned_data["code"],
                enrolment_code=form.cleaned_data.get("enrolment_code", ""),
                ip_address=client_ip(request),
            )
            if refused is None:
                if request.user.is_authenticated:
                    request.session[VERIFIED] = True
                    messages.success(request, "Two-step verification is set up.")
                    return redirect("core:home")
                return _finish_sign_in(request, user, verified=True)
            field, message = refused
            if field == "enrolment_code":
                services.login_failed(username=user.username, ip_address=client_ip(request))
            form.add_error(field, message)
    uri = services.totp_for(user).provisioning_uri(name=user.username, issuer_name="Safeguarding")
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, title="QR code for your authenticator app")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "title": "Set up two-step verification",
            "form": form,
            "secret": user.totp_secret,
            "qr_svg": qr_svg,
            "needs_enrolment_code": needs_enrolment_code,
        },
    )


@public
@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        record_event(
            actor=request.user, action=AuditEvent.Action.LOGOUT, instance=request.user, ip_address=client_ip(request)
        )
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:login")


@permission_required(Perm.HOME)
def account(request):
    roles = [assignment.get_role_display() for assignment in request.user.role_assignments.all()]
    return render(request, "accounts/account.html", {"title": "Your account", "roles": roles})


# Directory: organisations and people ------------------------------------------------------


@permission_required(Perm.VIEW_DIRECTORY)
def organisation_list(request):
    kind = request.GET.get("kind", "")
    standing = request.GET.get("standing", "")
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "title": "Organisations",
            "organisations": selectors.organisations(user=request.user, kind=kind, standing=standing),
            "kinds": Organisation.Kind.choices,
            "standings": Organisation.Standing.choices,
            "kind": kind,
            "standing": standing,
        },
    )


@permission_required(Perm.VIEW_DIRECTORY)
def organisation_detail(request, code: str):
    organisation = get_object_or_404(selectors.organisations(user=request.user), code=code)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "title": organisation.name,
            "organisation": organisation,
            "posts": selectors.organisation_current_posts(user=request.user, organisation=organisation),
        },
    )


@permission_required(Perm.MANAGE_DIRECTORY)
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(**form.cleaned_data, actor=request.user)
        messages.success(request, f"{organisation.name} added.")
        return redirect("accounts:organisation", code=organisation.code)
    return render(request, "accounts/form_page.html", {"title": "Add an organisation", "form": form})


@permission_required(Perm.MANAGE_DIRECTORY)
def organisation_edit(request, code: str):
    organisation = get_object_or_404(Organisation, code=code)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "areas"}
        organisation.refresh_from_db()
        services.organisation_update(
            organisation=organisation, areas=form.cleaned_data["areas"], actor=request.user, **fields
        )
        messages.success(request, "Changes saved.")
        return redirect("accounts:organisation", code=organisation.code)
    return render(request, "accounts/form_page.html", {"title": f"Change {organisation.name}", "form": form})


@permission_required(Perm.VIEW_DIRECTORY)
def person_list(request):
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.people(user=request.user, search=search), PEOPLE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/person_list.html", {"title": "People", "page": page, "search": search})


@permission_required(Perm.VIEW_DIRECTORY)
def person_detail(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    return render(
        request,
        "accounts/person_detail.html",
        {
            "title": person.full_name,
            "person": person,
            "posts": selectors.person_posts(user=request.user, person=person),
        },
    )


@permission_required(Perm.MANAGE_DIRECTORY)
def person_create(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(**form.cleaned_data, actor=request.user)
        messages.success(request, f"{person.full_name} added.")
        return redirect("accounts:person", pk=person.pk)
    return render(request, "accounts/form_page.html", {"title": "Add a person", "form": form})


@permission_required(Perm.MANAGE_DIRECTORY)
def person_change_post(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    form = ChangePostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_change_post(person=person, **form.cleaned_data, actor=request.user)
        except ValueError as error:
            form.add_error("started_on", str(error))
        else:
            messages.success(request, f"{person.full_name}'s new post is recorded; the old one is kept.")
            return redirect("accounts:person", pk=person.pk)
    return render(
        request, "accounts/form_page.html", {"title": f"Record a new post for {person.full_name}", "form": form}
    )


# API tokens -----------------------------------------------------------------------------


@permission_required(Perm.MANAGE_API_TOKENS)
def api_token_list(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = services.api_token_create(**form.cleaned_data, actor=request.user)
        form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "title": "API tokens",
            "tokens": selectors.api_tokens(user=request.user),
            "form": form,
            "new_token": new_token,
        },
    )


@permission_required(Perm.MANAGE_API_TOKENS)
@require_POST
def api_token_revoke(request, pk: int):
    token = selectors.api_tokens(user=request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"Token {token.prefix} revoked: it can no longer be used.")
    return redirect("accounts:api_tokens")
