"""The database itself refuses to delete an audit row, or (PostgreSQL) to empty the table.

0002 refused UPDATE only, so DELETE and TRUNCATE could still empty the trail.
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS core_auditevent_no_delete;"

# One function for both triggers: TG_OP names what was refused.
POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION core_auditevent_refuse_delete() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION USING MESSAGE = 'audit events cannot be deleted (' || TG_OP || ')'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_delete();
CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse_delete();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
DROP TRIGGER IF EXISTS core_auditevent_no_delete ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_refuse_delete();
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_rows_cannot_change")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
