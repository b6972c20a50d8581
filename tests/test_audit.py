"""The audit trail: every write says who acted and what changed; reads of child-level
data say why; the database refuses to change a row; administrators search and
export it, and the export is itself recorded."""

import csv
import datetime
import io
import json
import os
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from safeguarding.accounts import services
from safeguarding.accounts.models import Organisation, Post
from safeguarding.core.audit import SystemActor, record_child_read
from safeguarding.core.db_roles import application_role_sql
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Role
from tests.conftest import make_persona, sign_in
from tests.factories import AreaFactory, OrganisationFactory, UserFactory

SYSTEM = SystemActor("test")


def _new_person(actor, organisation, started_on=datetime.date(2020, 1, 1)):
    return services.person_create(
        full_name="Sue Super",
        organisation=organisation,
        job_title="Superintendent",
        seniority="senior_manager",
        started_on=started_on,
        actor=actor,
    )


# Writes ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_an_organisation_records_who_and_everything_stored():
    manager = make_persona(Role.BUSINESS_MANAGER)
    area = AreaFactory(code="E06000001", name="Testshire")
    organisation = services.organisation_create(
        code="fire", name="Testshire Fire", kind="fire_rescue", standing="relevant_agency", areas=[area], actor=manager
    )
    event = AuditEvent.objects.get(object_type="accounts.organisation", object_id=str(organisation.pk))
    assert event.action == "create"
    assert event.actor == manager and event.actor_label == "bella"
    assert event.object_repr == "Testshire Fire"
    assert event.changes["code"] == "fire" and event.changes["kind"] == "fire_rescue"
    assert event.changes["areas"] == ["E06000001"]


@pytest.mark.django_db
def test_organisation_update_records_only_what_changed():
    organisation = services.organisation_create(
        code="x", name="Old name", kind="voluntary", standing="relevant_agency", actor=SYSTEM
    )
    services.organisation_update(organisation=organisation, name="New name", actor=SYSTEM)
    event = AuditEvent.objects.filter(object_type="accounts.organisation").latest("id")
    assert event.action == "update" and event.changes == {"name": ["Old name", "New name"]}
    assert event.actor is None and event.actor_label == "system: test"

    before = AuditEvent.objects.count()
    services.organisation_update(organisation=organisation, name="New name", actor=SYSTEM)
    assert AuditEvent.objects.count() == before, "an update that changes nothing records nothing"


@pytest.mark.django_db
def test_an_update_that_breaks_a_rule_writes_nothing():
    organisation = services.organisation_create(
        code="v", name="Charity", kind="voluntary", standing="relevant_agency", actor=SYSTEM
    )
    before = AuditEvent.objects.count()
    with pytest.raises(Exception, match="statutory"):
        services.organisation_update(organisation=organisation, standing="statutory_partner", actor=SYSTEM)
    assert AuditEvent.objects.count() == before
    assert Organisation.objects.get(pk=organisation.pk).standing == "relevant_agency"


@pytest.mark.django_db
def test_a_new_post_ends_the_old_one_the_day_before_and_both_are_audited():
    manager = make_persona(Role.BUSINESS_MANAGER)
    police = OrganisationFactory(code="tp", kind="police", standing="statutory_partner")
    icb = OrganisationFactory(code="ti", kind="icb", standing="statutory_partner")
    person = _new_person(manager, police)
    services.person_change_post(
        person=person,
        organisation=icb,
        job_title="Director",
        seniority="director",
        started_on=datetime.date(2025, 6, 1),
        actor=manager,
    )
    old, new = person.posts.order_by("started_on")
    assert (old.organisation, old.ended_on) == (police, datetime.date(2025, 5, 31))
    assert (new.organisation, new.ended_on) == (icb, None)
    update = AuditEvent.objects.get(action="update", object_type="accounts.post", object_id=str(old.pk))
    assert update.actor == manager and update.changes == {"ended_on": [None, "2025-05-31"]}
    created = AuditEvent.objects.get(action="create", object_type="accounts.post", object_id=str(new.pk))
    assert created.actor == manager and created.changes["job_title"] == "Director"


@pytest.mark.django_db
def test_a_new_post_may_not_start_before_the_current_one_and_nothing_changes():
    police = OrganisationFactory(code="tp", kind="police", standing="statutory_partner")
    person = _new_person(SYSTEM, police, started_on=datetime.date(2024, 1, 1))
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="must start after"):
        services.person_change_post(
            person=person,
            organisation=police,
            job_title="Chief",
            seniority="director",
            started_on=datetime.date(2024, 1, 1),
            actor=SYSTEM,
        )
    assert AuditEvent.objects.count() == before
    assert Post.objects.get(person=person).ended_on is None


@pytest.mark.django_db
def test_secrets_never_reach_the_audit_trail():
    user = services.user_create(
        username="newbie", password="a long enough password", person=None, roles=["analyst"], actor=SYSTEM
    )
    created = AuditEvent.objects.get(action="create", object_type="accounts.user", object_id=str(user.pk))
    assert "password" not in created.changes and "totp_secret" not in created.changes
    assert created.changes["username"] == "newbie"
    roles = AuditEvent.objects.get(action="update", object_type="accounts.user", object_id=str(user.pk))
    assert roles.changes == {"roles": [[], ["analyst"]]}


# The database's own guarantees --------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_to_change_an_audit_row():
    event = AuditEvent.objects.create(actor_label="someone", action="login")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone else")
    event.actor_label = "someone else"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    event.refresh_from_db()
    assert event.actor_label == "someone"


on_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="PostgreSQL only: TRUNCATE and database roles",
)


@pytest.mark.django_db
def test_the_database_refuses_to_delete_an_audit_row():
    event = AuditEvent.objects.create(actor_label="someone", action="login")
    with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
        event.delete()
    with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
        AuditEvent.objects.all().delete()
    with (
        pytest.raises(DatabaseError, match="cannot be deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@on_postgresql
@pytest.mark.django_db
def test_postgresql_refuses_to_truncate_the_audit_table():
    event = AuditEvent.objects.create(actor_label="someone", action="login")
    with connection.cursor() as cursor:
        # Else PostgreSQL refuses for another reason: the insert's deferred foreign-key checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for statement in ("TRUNCATE core_auditevent", "TRUNCATE core_auditevent CASCADE"):
        with (
            pytest.raises(DatabaseError, match="cannot be deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# The application's database role (docs/running.md) ----------------------------------------


def _role_name() -> str:
    """Roles belong to the whole cluster, so each test run names its own."""
    return f"sg_test_app_{os.getpid()}"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_application_role_can_add_and_read_audit_rows_but_never_change_or_remove_them():
    import psycopg
    from psycopg import errors

    owner = connection.settings_dict
    role, password = _role_name(), "synthetic-test-password"
    # A committed row from the owner (transaction=True: no test transaction to hide it).
    existing = AuditEvent.objects.create(actor_label="owner", action="login")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}' NOSUPERUSER NOCREATEDB NOCREATEROLE")
        for statement in application_role_sql(role, str(owner["NAME"])):
            cursor.execute(statement)
    try:
        with psycopg.connect(
            host=owner["HOST"] or None,
            port=owner["PORT"] or None,
            dbname=owner["NAME"],
            user=role,
            password=password,
            autocommit=True,
        ) as app:
            inserted = app.execute(
                "INSERT INTO core_auditevent (at, actor_label, action, object_type, object_id, object_repr,"
                " changes, purpose) VALUES (now(), 'app', 'login', '', '', '', '{}', '') RETURNING id"
            ).fetchone()[0]
            seen = {row[0] for row in app.execute("SELECT id FROM core_auditevent").fetchall()}
            assert {existing.pk, inserted} <= seen

            refused = [
                "UPDATE core_auditevent SET actor_label = 'someone else'",
                "DELETE FROM core_auditevent",
                "TRUNCATE core_auditevent",
                "TRUNCATE core_auditevent CASCADE",
                "DROP TRIGGER core_auditevent_no_delete ON core_auditevent",
                "DROP TRIGGER core_auditevent_no_truncate ON core_auditevent",
                "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_delete",
                "ALTER TABLE core_auditevent DISABLE TRIGGER ALL",
                "DROP FUNCTION core_auditevent_refuse_delete()",
                "DROP TABLE core_auditevent",
            ]
            for statement in refused:
                with pytest.raises(errors.InsufficientPrivilege, match="permission denied|must be owner"):
                    app.execute(statement)

            # Everything else the application does still works: an ordinary table.
            organisation_id = app.execute(
                "INSERT INTO accounts_organisation (code, name, kind, standing, email_domains, is_active)"
                " VALUES ('role-test', 'Role test', 'other', 'other', '', true) RETURNING id"
            ).fetchone()[0]
            app.execute("UPDATE accounts_organisation SET name = 'Role test 2' WHERE id = %s", [organisation_id])
            assert Organisation.objects.get(pk=organisation_id).name == "Role test 2"
            app.execute("DELETE FROM accounts_organisation WHERE id = %s", [organisation_id])
            assert not Organisation.objects.filter(pk=organisation_id).exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
    assert AuditEvent.objects.filter(pk=existing.pk, actor_label="owner").exists()
    assert AuditEvent.objects.filter(pk=inserted, actor_label="app").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass")
        triggers = dict(cursor.fetchall())
    assert {name: triggers.get(name) for name in ("core_auditevent_no_delete", "core_auditevent_no_truncate")} == {
        "core_auditevent_no_delete": "O",
        "core_auditevent_no_truncate": "O",
    }


@on_postgresql
def test_db_role_sql_prints_the_grants_for_the_configured_database():
    out = io.StringIO()
    call_command("db_role_sql", "safeguarding_app", stdout=out)
    statements = out.getvalue().splitlines()
    database = str(settings.DATABASES["default"]["NAME"])
    assert statements == application_role_sql("safeguarding_app", database)
    assert statements[-2:] == [
        'REVOKE ALL ON "public"."core_auditevent" FROM "safeguarding_app";',
        'GRANT SELECT, INSERT ON "public"."core_auditevent" TO "safeguarding_app";',
    ]


def test_db_role_sql_prints_the_grants_for_a_named_database_and_schema():
    out = io.StringIO()
    call_command("db_role_sql", "app", "--database", "sg", "--schema", "audit", stdout=out)
    assert 'GRANT CONNECT ON DATABASE "sg" TO "app";' in out.getvalue()
    assert 'GRANT SELECT, INSERT ON "audit"."core_auditevent" TO "app";' in out.getvalue()


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql", reason="SQLite only: no roles"
)
def test_db_role_sql_on_sqlite_says_to_name_a_postgresql_database():
    with pytest.raises(CommandError, match="not PostgreSQL"):
        call_command("db_role_sql", "app", stdout=io.StringIO())


@pytest.mark.parametrize("name", ["Safeguarding", "app; DROP TABLE core_auditevent", 'a"b', "", "1app"])
def test_db_role_sql_refuses_a_name_that_is_not_plain(name):
    with pytest.raises(CommandError, match="not a plain PostgreSQL name"):
        call_command("db_role_sql", name, "--database", "sg", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_read_of_child_data_needs_a_purpose():
    organisation = OrganisationFactory()
    for purpose in ("", "  "):
        with pytest.raises(ValueError):
            record_child_read(actor=SYSTEM, instance=organisation, purpose=purpose)
    assert not AuditEvent.objects.filter(action="read").exists()
    event = record_child_read(actor=SYSTEM, instance=organisation, purpose="  Section 47 enquiry ")
    assert event.action == "read" and event.purpose == "Section 47 enquiry"


@pytest.mark.django_db
def test_the_database_refuses_a_read_row_without_a_purpose():
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(actor_label="someone", action="read", object_type="children.child", purpose="")
    assert not AuditEvent.objects.filter(action="read").exists()


# The audit page and its export ------------------------------------------------------------


@pytest.fixture
def audited(db):
    """An administrator, one organisation created by them, and a sign-in by someone else."""
    admin = make_persona(Role.ADMINISTRATOR)
    visitor = UserFactory(username="viv", roles=[Role.ANALYST])
    services.organisation_create(
        code="y", name="Audited Org", kind="voluntary", standing="relevant_agency", actor=admin
    )
    services.login_succeeded(user=visitor, ip_address="192.0.2.7")
    return admin


def _shown(response) -> tuple[int, str]:
    """How many events the page says it found, and the page's text."""
    assert response.status_code == 200
    text = response.content.decode()
    return int(re.search(r"([\d,]+) events?<", text).group(1).replace(",", "")), text


def test_the_audit_page_filters_by_action(client, audited):
    sign_in(client, audited)
    everything, text = _shown(client.get("/audit/"))
    assert everything == AuditEvent.objects.count() and "Audited Org" in text
    creates, text = _shown(client.get("/audit/?action=create&object_type=accounts.organisation"))
    assert creates == 1 and "Audited Org" in text
    logins, text = _shown(client.get("/audit/?action=login"))
    assert logins == 1 and "Audited Org" not in text


def test_the_audit_page_filters_by_who_acted(client, audited):
    sign_in(client, audited)
    shown, text = _shown(client.get("/audit/?actor=viv"))
    assert shown == 1 and "Audited Org" not in text


def test_a_backwards_date_range_is_an_error_not_an_empty_page(client, audited):
    sign_in(client, audited)
    response = client.get("/audit/?date_from=2026-02-01&date_to=2026-01-01")
    assert response.status_code == 200
    assert "The end date must be on or after the start date" in response.content.decode()


def _csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_has_the_filtered_rows_and_is_itself_audited(client, audited):
    sign_in(client, audited)
    rows = _csv_rows(client.get("/audit/export.csv?action=create&object_type=accounts.organisation"))
    assert [row["object_repr"] for row in rows] == ["Audited Org"]
    assert list(rows[0]) == [
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "purpose",
        "changes",
        "ip_address",
    ]
    assert rows[0]["actor_label"] == "ada" and rows[0]["action"] == "create"
    assert json.loads(rows[0]["changes"])["name"] == "Audited Org"
    export = AuditEvent.objects.get(action="export", actor=audited)
    assert export.changes["filters"] == {"action": "create", "object_type": "accounts.organisation"}


def test_the_export_keeps_the_ip_address(client, audited):
    sign_in(client, audited)
    rows = _csv_rows(client.get("/audit/export.csv?action=login"))
    assert [(row["actor_label"], row["ip_address"]) for row in rows] == [("viv", "192.0.2.7")]


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.ADMINISTRATOR}))
def test_only_administrators_open_the_audit_trail(client, audited, role):
    sign_in(client, make_persona(role))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()
