import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from safeguarding.accounts.models import ApiToken, Organisation, Person, Post, User
from safeguarding.core.permissions import Perm, RequestUser, has_perm


def current_organisation(user: RequestUser) -> Organisation | None:
    """The organisation of the user's current post (a person holds one at a time); None
    for an account without a person or a post."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return None
    return Organisation.objects.filter(posts__person_id=person_id, posts__ended_on__isnull=True).first()


def directory_person_with_email(email: str) -> Person | None:
    """The one person in the directory with this e-mail address (any case), or None
    when nobody, or more than one person, has it."""
    matches = list(Person.objects.filter(email__iexact=email.strip())[:2])
    return matches[0] if len(matches) == 1 else None


def organisations(*, user: RequestUser, kind: str = "", standing: str = "") -> QuerySet[Organisation]:
    if not has_perm(user, Perm.VIEW_DIRECTORY):
        return Organisation.objects.none()
    result = Organisation.objects.prefetch_related("areas")
    if kind:
        result = result.filter(kind=kind)
    if standing:
        result = result.filter(standing=standing)
    return result.order_by("standing", "name")


def organisation_current_posts(*, user: RequestUser, organisation: Organisation) -> QuerySet[Post]:
    if not has_perm(user, Perm.VIEW_DIRECTORY):
        return Post.objects.none()
    return organisation.posts.filter(ended_on__isnull=True).select_related("person").order_by("person__full_name")


def people(*, user: RequestUser, search: str = "", organisation: Organisation | None = None) -> QuerySet[Person]:
    """People with their current post (one query, however many people)."""
    if not has_perm(user, Perm.VIEW_DIRECTORY):
        return Person.objects.none()
    current = Post.objects.filter(ended_on__isnull=True).select_related("organisation")
    result = Person.objects.prefetch_related(Prefetch("posts", queryset=current, to_attr="current_posts"))
    if search:
        result = result.filter(Q(full_name__icontains=search) | Q(posts__job_title__icontains=search))
    if organisation is not None:
        result = result.filter(posts__organisation=organisation, posts__ended_on__isnull=True)
    return result.distinct().order_by("full_name")


def person_posts(*, user: RequestUser, person: Person) -> QuerySet[Post]:
    if not has_perm(user, Perm.VIEW_DIRECTORY):
        return Post.objects.none()
    return person.posts.select_related("organisation").order_by("-started_on")


def post_held_on(person: Person, day: datetime.date) -> Post | None:
    """The post a person held on a given day: a delegate's seniority is judged at
    the meeting, not today."""
    return (
        person.posts.filter(started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .select_related("organisation")
        .first()
    )


def locked_users() -> QuerySet[User]:
    return User.objects.filter(locked_until__gt=timezone.now())


def api_tokens(*, user: RequestUser) -> QuerySet[ApiToken]:
    if not has_perm(user, Perm.MANAGE_API_TOKENS):
        return ApiToken.objects.none()
    return ApiToken.objects.select_related("organisation", "created_by", "revoked_by")


def api_tokens_unused_since(since: datetime.datetime) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(revoked_at__isnull=True, created_at__lt=since).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=since)
    )


@dataclass(frozen=True)
class PersonChoice:
    pk: int
    label: str  # "Clare Adams — Head of Safeguarding, Testshire Council"
    organisation_id: int | None


def person_choices(*, on: datetime.date, first: frozenset[int] = frozenset()) -> list[PersonChoice]:
    """Everyone, each labelled with the post held on the day (so two people of one name
    can be told apart), the people in ``first`` at the top: the pickers' lists. Two queries,
    whatever the number of people."""
    held = {
        post.person_id: post
        for post in Post.objects.filter(started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .select_related("organisation")
        .order_by("person_id", "started_on")
    }
    choices = []
    for pk, name in Person.objects.order_by("full_name").values_list("pk", "full_name"):
        post = held.get(pk)
        label = f"{name} — {post.job_title}, {post.organisation.name}" if post else name
        choices.append(PersonChoice(pk, label, post.organisation_id if post else None))
    return sorted(choices, key=lambda c: c.pk not in first)  # stable: names stay in order


def offer_people(
    field: forms.ModelChoiceField[Person], *, on: datetime.date, first: frozenset[int] = frozenset()
) -> None:
    """Fill a person picker (a ModelChoiceField over people) with ``person_choices``:
    the people in ``first`` at the top, each labelled with their post."""
    field.queryset = Person.objects.all()
    field.choices = [("", field.empty_label or "")] + [(c.pk, c.label) for c in person_choices(on=on, first=first)]


# The Users pages (administrators) ---------------------------------------------------------


@dataclass(frozen=True)
class UserFilter:
    search: str = ""  # user name, name or e-mail address
    role: str = ""
    organisation: str = ""  # an organisation's code
    status: str = "active"  # "active", "deactivated", or "" for both
    two_step: str = ""  # "set_up", "not_set_up" or "" for both


def users(*, user: RequestUser, filters: UserFilter = UserFilter()) -> QuerySet[User]:
    """Log-ins with their person, current post and roles: three queries for a page of
    them, however many there are."""
    if not has_perm(user, Perm.MANAGE_USERS):
        return User.objects.none()
    current = Post.objects.filter(ended_on__isnull=True).select_related("organisation")
    result = User.objects.select_related("person").prefetch_related(
        "role_assignments", Prefetch("person__posts", queryset=current, to_attr="current_posts")
    )
    if filters.search:
        term = filters.search.strip()
        result = result.filter(
            Q(username__icontains=term)
            | Q(person__full_name__icontains=term)
            | Q(email__icontains=term)
            | Q(person__email__icontains=term)
        )
    if filters.role:
        result = result.filter(role_assignments__role=filters.role)
    if filters.organisation:
        result = result.filter(
            person__posts__organisation__code=filters.organisation, person__posts__ended_on__isnull=True
        )
    if filters.status == "active":
        result = result.filter(is_active=True)
    elif filters.status == "deactivated":
        result = result.filter(is_active=False)
    set_up = Q(totp_confirmed_at__isnull=False) & ~Q(totp_secret="")
    if filters.two_step == "set_up":
        result = result.filter(set_up)
    elif filters.two_step == "not_set_up":
        result = result.exclude(set_up)
    return result.distinct().order_by("person__full_name", "username")


def people_without_a_log_in() -> QuerySet[Person]:
    return Person.objects.filter(user__isnull=True)
