"""The synthetic partnership "Northshire" and its neighbour Southvale: areas,
organisations, people with their job histories, and one demo log-in per role.

Deterministic: the same seed gives the same partnership. Every name, address and
e-mail domain is invented (domains end in .example).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

import pyotp
from dateutil.relativedelta import relativedelta

from safeguarding.accounts import services
from safeguarding.accounts.models import Organisation, Person, User
from safeguarding.core.permissions import ROLES_REQUIRING_TWO_FACTOR, Role
from safeguarding.demo.names import FIRST_NAMES, LAST_NAMES

K = Organisation.Kind
S = Organisation.Standing

DEMO_PASSWORD = "northshire-demo-2026"
MARKER_ORGANISATION = "northshire-council"

AREAS = [("E06999001", "Northshire"), ("E06999002", "Southvale")]

# code, name, kind, standing, areas served, e-mail domain
ORGANISATIONS = [
    (
        "northshire-council",
        "Northshire Council",
        K.LOCAL_AUTHORITY,
        S.STATUTORY_PARTNER,
        ["E06999001"],
        "northshire.example",
    ),
    (
        "northshire-police",
        "Northshire Police",
        K.POLICE,
        S.STATUTORY_PARTNER,
        ["E06999001", "E06999002"],
        "police.northshire.example",
    ),
    (
        "ns-icb",
        "Northshire and Southvale Integrated Care Board",
        K.ICB,
        S.STATUTORY_PARTNER,
        ["E06999001", "E06999002"],
        "icb.nhs.example",
    ),
    (
        "northshire-hospitals",
        "Northshire Hospitals NHS Foundation Trust",
        K.NHS_TRUST,
        S.RELEVANT_AGENCY,
        ["E06999001"],
        "nhft.nhs.example",
    ),
    (
        "northshire-community-health",
        "Northshire Community Health NHS Trust",
        K.NHS_TRUST,
        S.RELEVANT_AGENCY,
        ["E06999001"],
        "nch.nhs.example",
    ),
    (
        "northshire-fire",
        "Northshire Fire and Rescue Service",
        K.FIRE_RESCUE,
        S.RELEVANT_AGENCY,
        ["E06999001", "E06999002"],
        "fire.northshire.example",
    ),
    (
        "probation-northshire",
        "Probation Service (Northshire)",
        K.PROBATION,
        S.RELEVANT_AGENCY,
        ["E06999001"],
        "probation.example",
    ),
    (
        "northshire-yjs",
        "Northshire Youth Justice Service",
        K.YOUTH_JUSTICE,
        S.RELEVANT_AGENCY,
        ["E06999001"],
        "yjs.northshire.example",
    ),
    (
        "northshire-academies",
        "Northshire Learning Academy Trust",
        K.SCHOOL,
        S.RELEVANT_AGENCY,
        ["E06999001"],
        "nlat.example",
    ),
    ("st-aidans-primary", "St Aidan's Primary School", K.SCHOOL, S.RELEVANT_AGENCY, ["E06999001"], "staidans.example"),
    ("riverside-high", "Riverside High School", K.SCHOOL, S.RELEVANT_AGENCY, ["E06999001"], "riverside.example"),
    ("northshire-homes", "Northshire Homes", K.HOUSING, S.RELEVANT_AGENCY, ["E06999001"], "homes.northshire.example"),
    (
        "northshire-womens-aid",
        "Northshire Women's Aid",
        K.VOLUNTARY,
        S.RELEVANT_AGENCY,
        ["E06999001"],
        "womensaid-northshire.example",
    ),
    (
        "young-peoples-project",
        "Northshire Young People's Project",
        K.VOLUNTARY,
        S.RELEVANT_AGENCY,
        ["E06999001"],
        "nypp.example",
    ),
    ("independent-scrutiny", "Independent scrutiny (commissioned)", K.OTHER, S.OTHER, [], "scrutiny.example"),
    (
        "southvale-scp",
        "Southvale Safeguarding Children Partnership",
        K.PARTNERSHIP,
        S.NEIGHBOURING_PARTNERSHIP,
        ["E06999002"],
        "southvale-scp.example",
    ),
    ("southvale-council", "Southvale Council", K.LOCAL_AUTHORITY, S.OTHER, ["E06999002"], "southvale.example"),
]

# Fixed posts: the people scrutiny asks about. organisation, job title, seniority.
LEADERSHIP = [
    ("northshire-council", "Chief Executive", "lead_partner"),
    ("northshire-police", "Chief Constable", "lead_partner"),
    ("ns-icb", "Chief Executive", "lead_partner"),
    ("northshire-council", "Director of Children's Services", "delegated_partner"),
    ("northshire-police", "Assistant Chief Constable", "delegated_partner"),
    ("ns-icb", "Chief Nursing Officer", "delegated_partner"),
    ("northshire-council", "Partnership Business Manager", "senior_manager"),
    ("northshire-council", "Head of the Multi-Agency Safeguarding Hub", "senior_manager"),
    ("northshire-police", "Detective Superintendent, Public Protection", "senior_manager"),
    ("ns-icb", "Designated Nurse for Safeguarding Children", "senior_manager"),
    ("ns-icb", "Designated Doctor for Safeguarding Children", "senior_manager"),
    ("northshire-hospitals", "Named Nurse for Safeguarding Children", "manager"),
    ("northshire-fire", "Group Manager, Prevention", "manager"),
    ("probation-northshire", "Head of Probation Delivery Unit", "senior_manager"),
    ("northshire-academies", "Director of Safeguarding", "director"),
    ("independent-scrutiny", "Independent Scrutineer", "director"),
]

# Job changes keep history: the Assistant Chief Constable was a Chief Superintendent
# until last year; the ICB's Chief Nursing Officer came from the hospital trust.
# LEADERSHIP index: (organisation, job title, seniority, days ago the change happened)
PREVIOUS_POSTS = {
    4: ("northshire-police", "Chief Superintendent", "senior_manager", 300),
    5: ("northshire-hospitals", "Director of Nursing", "director", 420),
}

PRACTITIONER_TITLES = {
    K.LOCAL_AUTHORITY: ["Social Worker", "Senior Social Worker", "Team Manager", "Early Help Practitioner"],
    K.POLICE: ["Detective Constable", "Police Sergeant", "MASH Police Researcher"],
    K.ICB: ["Safeguarding Nurse Specialist"],
    K.NHS_TRUST: ["Health Visitor", "School Nurse", "Emergency Department Nurse", "Midwife"],
    K.SCHOOL: ["Designated Safeguarding Lead", "Deputy Designated Safeguarding Lead", "Pastoral Lead"],
    K.FIRE_RESCUE: ["Community Safety Advocate"],
    K.PROBATION: ["Probation Officer"],
    K.YOUTH_JUSTICE: ["Youth Justice Officer"],
    K.HOUSING: ["Tenancy Sustainment Officer"],
    K.VOLUNTARY: ["Family Support Worker", "Independent Domestic Violence Adviser", "Youth Worker"],
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    full_name: str
    organisation: str
    totp_secret: str | None


# username, role, index into LEADERSHIP for the person (None: a practitioner)
DEMO_USERS = [
    ("bella", Role.BUSINESS_MANAGER, 6),
    ("andy", Role.ANALYST, None),
    ("hana", Role.AGENCY_LEAD, 11),
    ("leo", Role.BOARD_MEMBER, 0),
    ("ivy", Role.SCRUTINEER, 15),
    ("tom", Role.TRAINING_COORDINATOR, None),
    ("sam", Role.MASH_PRACTITIONER, None),
    ("cllr.chris", Role.SCRUTINY_MEMBER, None),
    ("ada", Role.ADMINISTRATOR, None),
]

# Each demo log-in's person is called by it, so the header after signing in as bella
# says "Bella ..." (issue 14, item 20). The surname still comes from the seeded draw.
DEMO_FIRST_NAMES = {
    "bella": "Bella",
    "andy": "Andy",
    "hana": "Hana",
    "leo": "Leo",
    "ivy": "Ivy",
    "tom": "Tom",
    "sam": "Sam",
    "cllr.chris": "Chris",
    "ada": "Ada",
}


class NameSource:
    """Unique synthetic names drawn from a seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def next(self, first_name: str | None = None) -> str:
        """A new name; `first_name`, when given, replaces the drawn one (the draw still
        happens, so the names after it stay the same)."""
        while True:
            drawn = self.rng.choice(FIRST_NAMES)
            name = f"{first_name or drawn} {self.rng.choice(LAST_NAMES)}"
            if name not in self.used:
                self.used.add(name)
                return name


def _email(full_name: str, domain: str) -> str:
    return f"{full_name.lower().replace(' ', '.').replace(chr(39), '')}@{domain}"


def is_loaded() -> bool:
    return Organisation.objects.filter(code=MARKER_ORGANISATION).exists()


def build(*, rng: random.Random, actor, today: datetime.date) -> list[DemoLogin]:
    areas = {code: services.area_create(code=code, name=name, actor=actor) for code, name in AREAS}
    organisations: dict[str, Organisation] = {}
    domains: dict[str, str] = {}
    for code, name, kind, standing, area_codes, domain in ORGANISATIONS:
        organisations[code] = services.organisation_create(
            code=code,
            name=name,
            kind=kind,
            standing=standing,
            areas=[areas[a] for a in area_codes],
            email_domains=domain,
            actor=actor,
        )
        domains[code] = domain

    names = NameSource(rng)
    two_years_ago = today - relativedelta(years=2)  # safe on 29 February
    leaders: list[Person] = []
    leader_first_names = {i: DEMO_FIRST_NAMES[u] for u, _, i in DEMO_USERS if i is not None}
    for index, (org_code, title, seniority) in enumerate(LEADERSHIP):
        full_name = names.next(leader_first_names.get(index))
        started = two_years_ago - datetime.timedelta(days=rng.randint(30, 2000))
        first_org, first_title, first_seniority, days_ago = PREVIOUS_POSTS.get(
            index, (org_code, title, seniority, None)
        )
        person = services.person_create(
            full_name=full_name,
            email=_email(full_name, domains[org_code]),
            organisation=organisations[first_org],
            job_title=first_title,
            seniority=first_seniority,
            started_on=started,
            actor=actor,
        )
        if days_ago is not None:
            services.person_change_post(
                person=person,
                organisation=organisations[org_code],
                job_title=title,
                seniority=seniority,
                started_on=today - datetime.timedelta(days=days_ago),
                actor=actor,
            )
        leaders.append(person)

    practitioners: dict[str, list[Person]] = {}
    for code, organisation in organisations.items():
        titles = PRACTITIONER_TITLES.get(organisation.kind)
        if not titles or organisation.standing in (S.NEIGHBOURING_PARTNERSHIP, S.OTHER):
            continue
        count = 6 if organisation.is_statutory_partner else 3
        for _ in range(count):
            full_name = names.next()
            practitioners.setdefault(code, []).append(
                services.person_create(
                    full_name=full_name,
                    email=_email(full_name, domains[code]),
                    organisation=organisation,
                    job_title=rng.choice(titles),
                    seniority="practitioner",
                    started_on=today - datetime.timedelta(days=rng.randint(60, 3000)),
                    actor=actor,
                )
            )

    spare = {
        Role.ANALYST: ("northshire-council", "Partnership Data Analyst", "manager"),
        Role.TRAINING_COORDINATOR: ("northshire-council", "Multi-Agency Training Coordinator", "manager"),
        Role.MASH_PRACTITIONER: ("northshire-council", "MASH Social Worker", "practitioner"),
        Role.SCRUTINY_MEMBER: (
            "northshire-council",
            "Councillor, Safeguarding Overview and Scrutiny Committee",
            "practitioner",
        ),
        Role.ADMINISTRATOR: ("northshire-council", "Systems Administrator", "manager"),
    }
    logins = []
    for username, role, leader_index in DEMO_USERS:
        if leader_index is not None:
            person = leaders[leader_index]
        else:
            org_code, title, seniority = spare[role]
            full_name = names.next(DEMO_FIRST_NAMES[username])
            person = services.person_create(
                full_name=full_name,
                email=_email(full_name, domains[org_code]),
                organisation=organisations[org_code],
                job_title=title,
                seniority=seniority,
                started_on=today - datetime.timedelta(days=rng.randint(200, 1500)),
                actor=actor,
            )
        user = services.user_create(
            username=username,
            password=DEMO_PASSWORD,
            person=person,
            roles=[role],
            email=person.email,
            actor=actor,
        )
        secret = None
        if role in ROLES_REQUIRING_TWO_FACTOR:
            secret = _demo_totp_secret(rng)
            User.objects.filter(pk=user.pk).update(
                totp_secret=secret, totp_confirmed_at=datetime.datetime.now(datetime.UTC)
            )
        post = person.posts.get(ended_on__isnull=True)
        logins.append(DemoLogin(username, role, person.full_name, post.organisation.name, secret))
    return logins


def _demo_totp_secret(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return "".join(rng.choice(alphabet) for _ in range(32))


def demo_logins() -> list[DemoLogin]:
    """The demo log-ins as loaded (for printing again on a second run)."""
    users = {
        u.username: u for u in User.objects.filter(username__in=[u for u, _, _ in DEMO_USERS]).select_related("person")
    }
    result = []
    for username, role, _ in DEMO_USERS:
        user = users.get(username)
        if user is None:
            continue
        post = user.person.posts.select_related("organisation").filter(ended_on__isnull=True).first()
        result.append(
            DemoLogin(
                username, role, user.person.full_name, post.organisation.name if post else "", user.totp_secret or None
            )
        )
    return result


def current_code(secret: str) -> str:
    return pyotp.TOTP(secret).now()


# The parts of the demo after the partnership itself: each demo module registers its
# loader, a function (rng, actor, today), with ``later_loader``; DemoConfig.ready imports
# them. They run in ``order`` (governance, training, data returns, children, the report).
LATER_LOADERS: list = []
_ORDERED: list[tuple[int, Callable]] = []


def later_loader(order: int) -> Callable[[Callable], Callable]:
    def register(loader: Callable) -> Callable:
        if any(existing is loader for _, existing in _ORDERED):
            return loader
        if any(existing_order == order for existing_order, _ in _ORDERED):
            raise ValueError(f"Two demo loaders have the order {order}.")
        _ORDERED.append((order, loader))
        _ORDERED.sort(key=lambda entry: entry[0])
        LATER_LOADERS[:] = [entry[1] for entry in _ORDERED]
        return loader

    return register
