"""Personas: one user per role, named so a failing test reads like a story.

signed_in(client, "mash_practitioner") gives a client signed in as Sam, the MASH
social worker, with two-step verification done where the role needs it.
"""

import importlib

import pytest
from pytest_django.plugin import blocking_manager_key

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


# The audit table refuses DELETE and TRUNCATE (core migration 0003), and pytest-django
# empties every table after a transactional test (transaction=True, transactional_db,
# live_server). Around that flush only, this test process lifts the delete triggers and
# puts them back: on PostgreSQL by disabling them, which only the table's owner may do
# (the application's role cannot: see safeguarding/core/db_roles.py); on SQLite, which
# has no roles, by dropping and re-creating them from the migration's own SQL.
_AUDIT_DELETE_MIGRATION = importlib.import_module("safeguarding.core.migrations.0003_audit_rows_cannot_be_deleted")
_PG_DELETE_TRIGGERS = ("core_auditevent_no_delete", "core_auditevent_no_truncate")


def _flushes_tables(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def _set_audit_delete_triggers(on: bool, databases: dict[str, str]) -> dict[str, str]:
    """Lift or restore the triggers on each connection still open on the same database.

    After the session's last test the test database is gone and the connection points at
    the real one again, which this must never touch.
    """
    from django.db import connections

    for connection in connections.all():
        name = str(connection.settings_dict["NAME"])
        if on and databases.get(connection.alias) != name:
            continue
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for trigger in _PG_DELETE_TRIGGERS:
                    verb = "ENABLE" if on else "DISABLE"
                    cursor.execute(f"ALTER TABLE core_auditevent {verb} TRIGGER {trigger}")
            elif connection.vendor == "sqlite":
                cursor.execute(_AUDIT_DELETE_MIGRATION.SQLITE_DROP)
                if on:
                    cursor.execute(_AUDIT_DELETE_MIGRATION.SQLITE_CREATE)
        databases[connection.alias] = name
    return databases


_SET_UP = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    result = yield  # raises for a test skipped (or failed) in set-up
    item.stash[_SET_UP] = True
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # A test skipped before its database was set up flushes nothing, and its connection
    # may still point at the real database.
    if not _flushes_tables(item) or not item.stash.get(_SET_UP, False):
        return (yield)
    blocker = item.config.stash[blocking_manager_key]
    with blocker.unblock():
        lifted = _set_audit_delete_triggers(on=False, databases={})
    try:
        return (yield)
    finally:
        with blocker.unblock():
            _set_audit_delete_triggers(on=True, databases=lifted)
