"""Who may see which parts of a child's record: one table, read by the view of a child,
the lookup and the tests.

A MASH practitioner sees what the partnership shares in the MASH, shaped by their own
agency: an education officer learns that social care or police are involved, and whom to
call, but not what the involvement is. Every other role sees no child at all.

On top of the table, records follow the information sharing agreements register: where
the register holds agreements, a practitioner sees the details of another agency's
record only when a signed agreement has both agencies as parties. Otherwise the page
says that the agency holds a record and whom to contact (the advice of May 2024: share
what is necessary, record why).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from safeguarding.accounts.models import Organisation
from safeguarding.core.permissions import Role
from safeguarding.governance.selectors import sharing_partner_ids


class Part(StrEnum):
    IDENTITY = "identity"  # names, date of birth, sex, NHS number, as each agency holds them
    ADDRESSES = "addresses"  # the address timeline across agencies
    INVOLVEMENTS = "involvements"  # each involvement: what it is, its dates, which agency
    INVOLVEMENT_EXISTS = "involvement_exists"  # only that an agency of a kind is involved
    CONTACTS = "contacts"  # whom to call at each agency
    HISTORY = "history"  # earlier versions of records, merges and splits of the child's ID
    MOVES = "moves"  # move alerts about the child


PART_LABELS = {
    Part.IDENTITY: "Names, date of birth and NHS number as each agency holds them",
    Part.ADDRESSES: "Addresses and when each began",
    Part.INVOLVEMENTS: "Involvements: what, since when, which agency",
    Part.INVOLVEMENT_EXISTS: "Only that an agency is involved",
    Part.CONTACTS: "Whom to contact at each agency",
    Part.HISTORY: "Earlier versions of records; merges and splits",
    Part.MOVES: "Move alerts",
}

EVERYTHING = frozenset(Part) - {Part.INVOLVEMENT_EXISTS}


class Desk(StrEnum):
    """The agency a MASH practitioner works for, by the kind of organisation."""

    SOCIAL_CARE = "social_care"
    POLICE = "police"
    HEALTH = "health"
    EDUCATION = "education"
    OTHER = "other"


DESK_LABELS = {
    Desk.SOCIAL_CARE: "Social care",
    Desk.POLICE: "Police",
    Desk.HEALTH: "Health",
    Desk.EDUCATION: "Education",
    Desk.OTHER: "Other agencies",
}

DESK_OF_KIND = {
    Organisation.Kind.LOCAL_AUTHORITY: Desk.SOCIAL_CARE,
    Organisation.Kind.POLICE: Desk.POLICE,
    Organisation.Kind.ICB: Desk.HEALTH,
    Organisation.Kind.NHS_TRUST: Desk.HEALTH,
    Organisation.Kind.SCHOOL: Desk.EDUCATION,
}

# The table. A role missing from it sees nothing of any child.
POLICY: dict[tuple[str, Desk], frozenset[Part]] = {
    (Role.MASH_PRACTITIONER, Desk.SOCIAL_CARE): EVERYTHING,
    (Role.MASH_PRACTITIONER, Desk.POLICE): EVERYTHING,
    (Role.MASH_PRACTITIONER, Desk.HEALTH): EVERYTHING,
    (Role.MASH_PRACTITIONER, Desk.EDUCATION): frozenset(
        {Part.IDENTITY, Part.ADDRESSES, Part.INVOLVEMENT_EXISTS, Part.CONTACTS, Part.MOVES}
    ),
    (Role.MASH_PRACTITIONER, Desk.OTHER): frozenset({Part.IDENTITY, Part.INVOLVEMENT_EXISTS, Part.CONTACTS}),
}


def desk_of(organisation: Organisation | None) -> Desk:
    if organisation is None:
        return Desk.OTHER
    return DESK_OF_KIND.get(organisation.kind, Desk.OTHER)


def parts_for(roles: frozenset[str], organisation: Organisation | None) -> frozenset[Part]:
    """Everything any of the user's roles may see from their agency's desk."""
    desk = desk_of(organisation)
    seen: set[Part] = set()
    for role in roles:
        seen |= POLICY.get((role, desk), frozenset())
    if Part.INVOLVEMENTS in seen:
        seen.discard(Part.INVOLVEMENT_EXISTS)
    return frozenset(seen)


def parts_for_token(organisation: Organisation) -> frozenset[Part]:
    """What a partner system's token reads: a token stands for its organisation's MASH
    desk (an emergency department's system reads what the health desk reads). An
    organisation of a kind with no desk of its own gets no part at all: a token has no
    person to answer for what it reads, so it does not inherit the "other" desk."""
    desk = DESK_OF_KIND.get(organisation.kind)
    if desk is None:
        return frozenset()
    return parts_for(frozenset({Role.MASH_PRACTITIONER}), organisation)


def table() -> list[tuple[str, str, list[bool]]]:
    """The policy as rows for the page that shows it: (role, desk, a tick per part)."""
    shown = list(Part)
    rows = []
    for role in Role:
        desks = [desk for desk in Desk if (role, desk) in POLICY] or [None]
        for desk in desks:
            parts = POLICY.get((role, desk), frozenset()) if desk else frozenset()
            rows.append((role.label, DESK_LABELS[desk] if desk else "Any", [part in parts for part in shown]))
    return rows


def sharing_partners(organisation: Organisation | None, today: dt.date) -> frozenset[int] | None:
    """Whose records this organisation reads in detail (see the module docstring); None
    means every organisation's. A reader with no organisation reads nobody's, even while
    the register is empty: there is no agency on whose behalf they read."""
    if organisation is None:
        return frozenset()
    return sharing_partner_ids(organisation, today)


def may_read(partners: frozenset[int] | None, organisation_id: int) -> bool:
    """Whether a record held by ``organisation_id`` is shared with the reader."""
    return partners is None or organisation_id in partners
