"""The Users pages (issue 14, item 20): an administrator adds a log-in, whose holder sets
their own password from the e-mailed link; changes roles, resets two-step verification,
deactivates and reactivates accounts; each through a service, with who and why recorded."""

import re

import pyotp
import pytest
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts import services
from safeguarding.accounts.models import EnrolmentCode, User
from safeguarding.core.audit import SystemActor
from safeguarding.core.models import AuditEvent, OutgoingEmail
from safeguarding.core.permissions import Role
from tests.conftest import make_persona, sign_in
from tests.factories import TEST_PASSWORD, OrganisationFactory, PersonFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "heron-lantern-pebble-42"


@pytest.fixture
def admin(client):
    user = make_persona(Role.ADMINISTRATOR)
    sign_in(client, user)
    return user


def _user_events(user: User) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk)).order_by("id"))


def _link_in(email: OutgoingEmail) -> str:
    (link,) = re.findall(r"https?://\S+/account/set-password/\S+/", email.body)
    return re.sub(r"^https?://[^/]+", "", link)


def test_an_administrator_adds_a_user_who_sets_their_own_password_from_the_emailed_link(client, admin):
    person = PostFactory(
        organisation=OrganisationFactory(name="Riverside Police"), person__full_name="Petra Quill"
    ).person
    taken = UserFactory(person__full_name="Has Alog-in").person
    form = client.get(reverse("accounts:user_create")).content.decode()
    assert "Petra Quill" in form and taken.full_name not in form  # only people without a log-in

    response = client.post(
        reverse("accounts:user_create"),
        {"person": person.pk, "username": "petra.quill", "email": "petra@riverside.example", "roles": ["analyst"]},
    )
    user = User.objects.get(username="petra.quill")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:user", kwargs={"pk": user.pk})
    assert user.person == person and not user.has_usable_password()
    assert set(user.role_assignments.values_list("role", flat=True)) == {"analyst"}
    events = _user_events(user)
    assert [e.action for e in events] == ["create", "update", "update"]  # made, its roles, the link sent
    assert all(e.actor == admin for e in events)
    assert events[1].changes["roles"] == [[], ["analyst"]]

    (email,) = OutgoingEmail.objects.filter(to=["petra@riverside.example"])
    assert email.subject == "Your Safeguarding account" and "petra.quill" in email.body
    client.logout()
    landing = client.get(_link_in(email))
    # The token leaves the address bar for the session before the form is shown.
    assert landing.status_code == 302 and landing["Location"].endswith("/set/")
    page = client.get(landing["Location"]).content.decode()
    assert "Choose your password" in page

    short = client.post(landing["Location"], {"new_password1": "short", "new_password2": "short"})
    assert "This password is too short" in short.content.decode()
    done = client.post(landing["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:login")
    assert authenticate(username="petra.quill", password=NEW_PASSWORD) is not None
    assert _user_events(user)[-1].changes == {"password": "set by its holder"}
    assert _user_events(user)[-1].actor == user

    used = client.get(_link_in(email))  # the link works once
    assert used.status_code == 200 and "This link does not work" in used.content.decode()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"username": "taken"}, "That user name is taken"),
        ({"username": "has space"}, "Enter a valid username"),
        ({"email": ""}, "has none in the directory"),
        ({"roles": ["emperor"]}, "Select a valid choice"),
    ],
)
def test_a_user_that_cannot_be_added_is_refused_with_the_reason_and_nothing_written(client, admin, change, error):
    UserFactory(username="taken")
    person = PersonFactory(full_name="No Email", email="")
    before = AuditEvent.objects.count()
    data = {"person": person.pk, "username": "no.email", "email": "no.email@example.test", "roles": ["analyst"]}
    response = client.post(reverse("accounts:user_create"), data | change)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not User.objects.filter(person=person).exists() and AuditEvent.objects.count() == before


def test_roles_change_with_a_reason_and_an_administrator_cannot_take_away_their_own(client, admin):
    user = UserFactory(roles=["analyst"])
    url = reverse("accounts:user_roles", kwargs={"pk": user.pk})
    assert "Why are the roles changing?" in client.get(url).content.decode()
    no_reason = client.post(url, {"roles": ["mash_practitioner"]})
    assert no_reason.status_code == 200 and "govuk-error-summary" in no_reason.content.decode()
    assert set(user.role_assignments.values_list("role", flat=True)) == {"analyst"}

    client.post(url, {"roles": ["mash_practitioner", "analyst"], "reason": "Joined the MASH"})
    assert set(user.role_assignments.values_list("role", flat=True)) == {"analyst", "mash_practitioner"}
    last = _user_events(user)[-1]
    assert last.actor == admin
    assert last.changes == {"roles": [["analyst"], ["analyst", "mash_practitioner"]], "reason": "Joined the MASH"}

    own = client.post(
        reverse("accounts:user_roles", kwargs={"pk": admin.pk}), {"roles": ["analyst"], "reason": "tidying up"}
    )
    assert "You cannot take away your own administrator role." in own.content.decode()
    assert admin.role_assignments.filter(role="administrator").exists()


def test_deactivating_asks_why_signs_the_user_out_and_reactivating_lets_them_back(client, admin):
    from django.test import Client

    user = UserFactory(username="leaver", roles=["analyst"])
    theirs = sign_in(Client(), user)
    assert theirs.get(reverse("core:home")).status_code == 200
    url = reverse("accounts:user_deactivate", kwargs={"pk": user.pk})

    confirm = client.get(url).content.decode()
    assert "Are you sure you want to deactivate" in confirm and "Why is the account deactivated?" in confirm
    client.post(url, {"reason": ""})
    user.refresh_from_db()
    assert user.is_active  # no reason, no change

    done = client.post(url, {"reason": "Left the council on 30 November"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert _user_events(user)[-1].changes == {"is_active": [True, False], "reason": "Left the council on 30 November"}
    signed_out = theirs.get(reverse("core:home"))
    assert signed_out.status_code == 302 and signed_out["Location"].startswith(reverse("accounts:login"))
    assert authenticate(username="leaver", password=TEST_PASSWORD) is None

    client.post(reverse("accounts:user_reactivate", kwargs={"pk": user.pk}), {"reason": "Came back"})
    user.refresh_from_db()
    assert user.is_active and _user_events(user)[-1].changes == {"is_active": [False, True], "reason": "Came back"}


def test_an_administrator_cannot_deactivate_themselves(client, admin):
    response = client.get(reverse("accounts:user_deactivate", kwargs={"pk": admin.pk}), follow=True)
    assert "You cannot deactivate your own account" in response.content.decode()
    with pytest.raises(Exception, match="You cannot deactivate your own account"):
        services.user_deactivate(user=admin, reason="oops", actor=admin)
    admin.refresh_from_db()
    assert admin.is_active


def test_resetting_two_step_clears_the_authenticator_after_confirming_why(client, admin):
    user = UserFactory(roles=["analyst"])
    secret = pyotp.random_base32()
    User.objects.filter(pk=user.pk).update(totp_secret=secret, totp_confirmed_at=timezone.now())
    url = reverse("accounts:user_two_step_reset", kwargs={"pk": user.pk})
    assert "Are you sure you want to reset" in client.get(url).content.decode()
    client.post(url, {"reason": "Phone lost; checked with their manager"})
    user.refresh_from_db()
    assert not user.has_two_factor and user.totp_secret == ""
    assert _user_events(user)[-1].changes == {
        "two_factor": ["set up", "reset"],
        "reason": "Phone lost; checked with their manager",
    }


def test_an_enrolment_code_is_shown_once_and_never_stored(client, admin):
    user = UserFactory(roles=["mash_practitioner"])
    detail = client.get(reverse("accounts:user", kwargs={"pk": user.pk})).content.decode()
    assert "Issue an enrolment code" in detail  # the role needs two-step verification
    response = client.post(reverse("accounts:user_enrolment_code", kwargs={"pk": user.pk}))
    assert "no-store" in response["Cache-Control"]
    (code,) = re.findall(r'data-testid="enrolment-code">([A-Z0-9-]+)<', response.content.decode())
    stored = EnrolmentCode.objects.get(user=user)
    assert stored.code_hash == services.hash_enrolment_code(code) and code not in stored.code_hash
    assert code not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_the_list_filters_by_name_role_organisation_status_and_two_step(client, admin):
    police = OrganisationFactory(code="riverside-police", name="Riverside Police")
    dora = UserFactory(username="dora", person__full_name="Dora Finch", roles=["analyst"])
    PostFactory(person=dora.person, organisation=police)
    UserFactory(username="eli", person__full_name="Eli Wren", roles=["training_coordinator"])
    gone = UserFactory(username="gone", person__full_name="Gone Away", roles=["analyst"])
    services.user_deactivate(user=gone, reason="left", actor=SystemActor("tests"))
    User.objects.filter(username="eli").update(totp_secret="X", totp_confirmed_at=timezone.now())

    def names(**query) -> set[str]:
        page = client.get(reverse("accounts:users"), query).content.decode()
        return {n for n in ("Dora Finch", "Eli Wren", "Gone Away") if n in page}

    assert names() == {"Dora Finch", "Eli Wren"}  # active only, at first
    assert names(q="finch") == {"Dora Finch"}
    assert names(q="eli") == {"Eli Wren"}
    assert names(role="analyst") == {"Dora Finch"}
    assert names(organisation="riverside-police") == {"Dora Finch"}
    assert names(status="deactivated") == {"Gone Away"}
    assert names(status="", role="analyst") == {"Dora Finch", "Gone Away"}
    assert names(two_step="set_up") == {"Eli Wren"}
    assert names(role="not-a-role") == {"Dora Finch", "Eli Wren"}  # an unknown value is ignored, not a 500


def test_the_list_takes_the_same_queries_for_ten_users_as_for_forty(client, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:users")).status_code == 200
        return len(queries)

    for _ in range(10):
        PostFactory(person=UserFactory(roles=["analyst", "agency_lead"]).person)
    ten = count()
    for _ in range(30):
        PostFactory(person=UserFactory(roles=["analyst"]).person)
    assert count() == ten


def test_a_set_password_link_that_is_garbled_or_for_a_deactivated_account_does_not_work(client, admin):
    user = UserFactory(email="someone@example.test")
    services.password_link_send(user=user, actor=admin)
    link = _link_in(OutgoingEmail.objects.get(to=["someone@example.test"]))
    client.logout()
    for broken in (
        link[:-2] + ("0" if link[-2] != "0" else "1") + "/",  # the token's last character mistyped
        reverse("accounts:set_password", kwargs={"uidb64": "zzzz", "token": "abc"}),
        reverse("accounts:set_password", kwargs={"uidb64": "MQ", "token": "set"}),  # no token in the session
    ):
        response = client.get(broken)
        assert response.status_code == 200 and "This link does not work" in response.content.decode(), broken
    services.user_deactivate(user=user, reason="left", actor=admin)
    assert "This link does not work" in client.get(link).content.decode()


def test_only_an_administrator_reaches_the_users_pages(client):
    """Who else: each role is in the permission matrix; here the cases that matter most
    for log-ins: another role, a user with no organisation, and a partner's API token."""
    target = UserFactory(roles=["analyst"])
    pages = [reverse("accounts:users"), reverse("accounts:user", kwargs={"pk": target.pk})]
    sign_in(client, make_persona(Role.BUSINESS_MANAGER))
    assert all(client.get(p).status_code == 403 for p in pages)
    assert (
        client.post(reverse("accounts:user_deactivate", kwargs={"pk": target.pk}), {"reason": "x"}).status_code == 403
    )

    sign_in(client, UserFactory(person=None, roles=[]))  # no organisation, no role
    assert all(client.get(p).status_code == 403 for p in pages)

    client.logout()
    _, token = services.api_token_create(
        organisation=OrganisationFactory(), name="Feed", actor=make_persona(Role.ADMINISTRATOR)
    )
    for p in pages:
        response = client.get(p, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    target.refresh_from_db()
    assert target.is_active

    # An administrator with no organisation of their own (a break-glass account) manages users.
    sign_in(client, UserFactory(person=None, roles=["administrator"]))
    assert all(client.get(p).status_code == 200 for p in pages)


def test_a_new_api_token_and_an_enrolment_code_are_shown_as_code_not_as_escaped_markup(client, admin):
    police = OrganisationFactory(name="Riverside Police")
    page = client.post(reverse("accounts:api_tokens"), {"organisation": police.pk, "name": "Police feed"})
    html = page.content.decode()
    (token,) = re.findall(r'<code data-testid="new-token">(sg_[A-Za-z0-9_-]+)</code>', html)
    assert "&lt;code" not in html and services.api_token_authenticate(plaintext=token, ip_address=None, path="/")
    assert html.count("<h1") == 1  # the panel's title is not a second page heading


def test_the_set_password_link_lifetime_must_be_sensible():
    from tests.test_settings import PRINT, START, _python

    for bad in ("0", "15", "soon"):
        result = _python(START, DEBUG="true", PASSWORD_LINK_DAYS=bad)
        assert result.returncode != 0 and "PASSWORD_LINK_DAYS" in result.stderr
    result = _python(PRINT.format("settings.PASSWORD_RESET_TIMEOUT"), DEBUG="true", PASSWORD_LINK_DAYS="2")
    assert result.stdout.strip() == str(2 * 24 * 3600), result.stderr


def test_turning_the_page_keeps_the_filters(client, admin):
    """The shared pagination macro (core/_pagination.html), on the Users and People lists."""
    for n in range(55):
        UserFactory(username=f"analyst{n:02}", person__full_name=f"Analyst {n:02}", roles=["analyst"])
    UserFactory(username="coordinator", person__full_name="Coordinator Person", roles=["training_coordinator"])
    first = client.get(reverse("accounts:users"), {"role": "analyst"}).content.decode()
    (next_link,) = re.findall(r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next"', first)
    assert "role=analyst" in next_link.replace("&amp;", "&") and "page=2" in next_link
    second = client.get(reverse("accounts:users") + next_link.replace("&amp;", "&")).content.decode()
    assert "Analyst 54" in second and "Analyst 00" not in second and "Coordinator Person" not in second

    people = client.get(reverse("accounts:people"), {"q": "Analyst"}).content.decode()
    (next_link,) = re.findall(r'href="([^"]+)" rel="next"', people)
    assert next_link.replace("&amp;", "&") == "?q=Analyst&page=2"


def test_a_missing_reason_is_asked_for_in_plain_words(client, admin):
    user = UserFactory(roles=["analyst"])
    deactivate = client.post(reverse("accounts:user_deactivate", kwargs={"pk": user.pk}), {"reason": ""})
    assert "Enter why the account is deactivated" in deactivate.content.decode()
    roles = client.post(reverse("accounts:user_roles", kwargs={"pk": user.pk}), {"roles": ["analyst"]})
    assert "Enter why the roles are changing" in roles.content.decode()
