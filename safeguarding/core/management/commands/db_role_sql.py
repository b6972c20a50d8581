from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.db_roles import application_role_sql


class Command(BaseCommand):
    help = (
        "Print the GRANT and REVOKE statements that give the application's PostgreSQL role "
        "what it needs and only INSERT and SELECT on the audit table. Run them as the owner "
        "after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the application connects as, e.g. safeguarding_app")
        parser.add_argument("--database", help="the database name (default: the configured one)")
        parser.add_argument("--schema", default="public")

    def handle(self, *args, role, database, schema, **options):
        configured = settings.DATABASES["default"]
        if database is None:
            if configured["ENGINE"] != "django.db.backends.postgresql":
                raise CommandError(
                    "The configured database is not PostgreSQL (SQLite has no roles): "
                    "set DATABASE_URL or pass --database NAME."
                )
            database = str(configured["NAME"])
        try:
            statements = application_role_sql(role, database, schema)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("\n".join(statements))
