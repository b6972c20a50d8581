"""The PostgreSQL role the application runs as: everything it needs, and no way to
change or remove the audit trail.

The triggers (core migrations 0002 and 0003) refuse UPDATE, DELETE and TRUNCATE of
audit rows, but the table's owner can drop a trigger. So the application does not
connect as the owner: migrations run as the owner, the application as a role that
may only INSERT and SELECT on ``core_auditevent``. ``docs/running.md`` prints these
statements and ``tests/test_audit.py`` connects as a role made with them, so the
documented grants are the tested ones.
"""

from __future__ import annotations

import re

AUDIT_TABLE = "core_auditevent"

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_$]{0,62}")


def quote_identifier(name: str) -> str:
    """Refuse anything but a plain lower-case PostgreSQL name, then quote it."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(
            f"{name!r} is not a plain PostgreSQL name: use lower-case letters, digits and _, starting with a letter."
        )
    return f'"{name}"'


def application_role_sql(role: str, database: str, schema: str = "public") -> list[str]:
    """The statements, run as the owner after every ``migrate``, that give ``role`` what
    the application needs: read and write on every table, use of every sequence, and on
    the audit table only INSERT and SELECT.

    Granting on ALL TABLES again after a migration picks up the tables it added; the
    REVOKE after it keeps the audit table insert-only whatever was granted before.
    The role is created separately (``CREATE ROLE ... LOGIN PASSWORD ...``).
    """
    r, db, s, audit = (quote_identifier(n) for n in (role, database, schema, AUDIT_TABLE))
    return [
        f"GRANT CONNECT ON DATABASE {db} TO {r};",
        f"GRANT USAGE ON SCHEMA {s} TO {r};",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r};",
        f"REVOKE ALL ON {s}.{audit} FROM {r};",
        f"GRANT SELECT, INSERT ON {s}.{audit} TO {r};",
    ]
