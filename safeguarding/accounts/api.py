import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from safeguarding.accounts.models import Organisation, Person, Post

router = Router(tags=["Organisations and people"])


class AreaOut(Schema):
    code: str
    name: str


class OrganisationOut(Schema):
    code: str
    name: str
    kind: str
    standing: str
    areas: list[AreaOut]


class PostOut(Schema):
    organisation: str
    job_title: str
    seniority: str
    started_on: datetime.date
    ended_on: datetime.date | None


class PersonOut(Schema):
    id: int
    full_name: str
    posts: list[PostOut]


def _organisation_out(organisation: Organisation) -> dict:
    return {
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind,
        "standing": organisation.standing,
        "areas": [{"code": a.code, "name": a.name} for a in organisation.areas.all()],
    }


def _post_out(post: Post) -> dict:
    return {
        "organisation": post.organisation.code,
        "job_title": post.job_title,
        "seniority": post.seniority,
        "started_on": post.started_on,
        "ended_on": post.ended_on,
    }


@router.get("/organisations", response=list[OrganisationOut], summary="All organisations")
def list_organisations(request):
    return [_organisation_out(o) for o in Organisation.objects.prefetch_related("areas")]


@router.get("/organisations/{code}", response=OrganisationOut, summary="One organisation")
def get_organisation(request, code: str):
    organisation = get_object_or_404(Organisation.objects.prefetch_related("areas"), code=code)
    return _organisation_out(organisation)


@router.get(
    "/people",
    response=list[PersonOut],
    summary="People in the token's own organisation, with their post history",
)
def list_people(request):
    """A partner system sees its own organisation's people, with every post they held."""
    organisation = request.api_token.organisation
    people = (
        Person.objects.filter(posts__organisation=organisation)
        .distinct()
        .prefetch_related("posts__organisation")
        .order_by("full_name")
    )
    return [
        {"id": p.pk, "full_name": p.full_name, "posts": [_post_out(post) for post in p.posts.all()]} for p in people
    ]
