"""Data package files for areas, organisations and people (one row per post, so
job history travels with the package)."""

from safeguarding.accounts.models import Area, Organisation, Person, Post, Seniority
from safeguarding.core.datapackage import STAFF_ONLY, Column, FileSpec, all_of, ends_after_starts, keyed_by, register
from safeguarding.core.datapackage_writer import combined, upsert


def person_key(person: Person) -> str:
    return person.reference or f"person-{person.pk}"


def find_person(key: str) -> Person:
    return Person.objects.get(reference=key)


def person_column(name: str, field: str, *, required: bool = False) -> Column:
    """A column naming a person by their person_key."""
    return Column(name, "ref", required, ref="person", field=field, to_model=find_person, from_model=person_key)


def organisation_column(name: str, field: str = "", *, required: bool = True) -> Column:
    """A column naming an organisation by its code."""
    return Column(name, "ref", required, ref="organisation", field=field, via="code")


def person_is_at(key: str, organisation_code: str) -> bool:
    """Whether the person holds or held a post at the organisation."""
    return Post.objects.filter(person__reference=key, organisation__code=organisation_code).exists()


def existing_person_keys() -> set[str]:
    return set(Person.objects.exclude(reference__isnull=True).values_list("reference", flat=True))


def _same_person_same_details(rows):
    """A person's rows (one per post) agree on their name and e-mail; otherwise each
    import would flip them from one row's value to the other's."""
    first: dict[str, tuple[int, dict]] = {}
    for number, row in rows:
        first_number, first_row = first.setdefault(row["person_key"], (number, row))
        for column in ("full_name", "email"):
            if row[column] != first_row[column]:
                yield (
                    number,
                    column,
                    f"'{row[column] or ''}' differs from row {first_number} ('{first_row[column] or ''}') "
                    f"for the same person_key {row['person_key']}.",
                )


def _load_post(row, actor):
    """A row is a post, and the person who held it: two records."""
    person_result = upsert(
        Person, {"reference": row["person_key"]}, {"full_name": row["full_name"], "email": row["email"] or ""}, actor
    )
    person = Person.objects.get(reference=row["person_key"])
    post_result = upsert(
        Post,
        {
            "person": person,
            "organisation": Organisation.objects.get(code=row["organisation"]),
            "started_on": row["started_on"],
        },
        {"job_title": row["job_title"], "seniority": row["seniority"], "ended_on": row["ended_on"]},
        actor,
    )
    return combined(person_result, post_result)


register(
    FileSpec(
        name="areas.csv",
        partner=STAFF_ONLY,
        provides="area",
        description="Local-authority areas.",
        model=Area,
        lookup=("code",),
        columns=[
            Column("code", required=True, help="e.g. an ONS area code"),
            Column("name", required=True),
        ],
        key=keyed_by("code"),
        existing_keys=lambda: set(Area.objects.values_list("code", flat=True)),
    ),
    FileSpec(
        name="organisations.csv",
        partner=STAFF_ONLY,
        provides="organisation",
        description="Statutory partners, relevant agencies and neighbouring partnerships.",
        model=Organisation,
        lookup=("code",),
        columns=[
            Column("code", required=True),
            Column("name", required=True),
            Column("kind", "choice", True, tuple(Organisation.Kind.values)),
            Column("standing", "choice", True, tuple(Organisation.Standing.values)),
            Column("areas", "refs", ref="area", help="area codes separated by ;", via="code"),
            Column("email_domains", help="work e-mail domains separated by commas"),
        ],
        key=keyed_by("code"),
        existing_keys=lambda: set(Organisation.objects.values_list("code", flat=True)),
    ),
    FileSpec(
        name="people.csv",
        partner=STAFF_ONLY,
        provides="person",
        description="One row per post a person held; a person's rows share a person_key.",
        model=Post,
        columns=[
            Column(
                "person_key",
                required=True,
                help="a stable key for the person, e.g. their staff ID",
                field="person",
                from_model=person_key,
            ),
            Column("full_name", required=True, field="person.full_name"),
            Column("email", field="person.email"),
            organisation_column("organisation"),
            Column("job_title", required=True),
            Column("seniority", "choice", True, tuple(Seniority.values)),
            Column("started_on", "date", True),
            Column("ended_on", "date"),
        ],
        key=keyed_by("person_key", "organisation", "started_on"),
        ref_key=lambda r: r["person_key"],
        check=all_of(ends_after_starts(), _same_person_same_details),
        existing_keys=existing_person_keys,
        load=_load_post,
    ),
)
