"""Personas: one user per role, named so a failing test reads like a story.

signed_in(client, "mash_practitioner") gives a client signed in as Sam, the MASH
social worker, with two-step verification done where the role needs it.
"""

import pytest

from safeguarding.core.permissions import Role
from tests.factories import OrganisationFactory, PostFactory, UserFactory

PERSONAS = {
    Role.BUSINESS_MANAGER: ("bella", "Bella Business-Manager", "local_authority"),
    Role.ANALYST: ("andy", "Andy Analyst", "local_authority"),
    Role.AGENCY_LEAD: ("hana", "Hana Health-Named-Nurse", "icb"),
    Role.BOARD_MEMBER: ("carl", "Carl Chief-Constable", "police"),
    Role.SCRUTINEER: ("ivy", "Ivy Independent-Scrutineer", "other"),
    Role.TRAINING_COORDINATOR: ("tom", "Tom Training-Coordinator", "local_authority"),
    Role.MASH_PRACTITIONER: ("sam", "Sam Social-Worker", "local_authority"),
    Role.SCRUTINY_MEMBER: ("cllr", "Councillor Chris Scrutiny", "local_authority"),
    Role.ADMINISTRATOR: ("ada", "Ada Administrator", "local_authority"),
}

ORGANISATION_FOR_KIND = {
    "local_authority": ("testshire-council", "Testshire Council", "statutory_partner"),
    "police": ("testshire-police", "Testshire Police", "statutory_partner"),
    "icb": ("testshire-icb", "Testshire Integrated Care Board", "statutory_partner"),
    "other": ("independent", "Independent scrutiny", "other"),
}


def make_persona(role: str):
    username, full_name, kind = PERSONAS[role]
    code, name, standing = ORGANISATION_FOR_KIND[kind]
    organisation = OrganisationFactory(code=code, name=name, kind=kind, standing=standing)
    user = UserFactory(username=username, person__full_name=full_name, roles=[role])
    PostFactory(person=user.person, organisation=organisation)
    return user


def sign_in(client, user):
    """Sign in as a finished log-in does, two-step verification included."""
    client.force_login(user)
    session = client.session
    session["two_factor_verified"] = True
    session.save()
    return client


@pytest.fixture
def persona(db):
    return make_persona


@pytest.fixture
def signed_in(db):
    def _signed_in(client, role: str):
        return sign_in(client, make_persona(role))

    return _signed_in
