"""The database's planner statistics for the children tables."""

from django.db import connection

# After a load this large PostgreSQL's statistics are stale until autovacuum catches up,
# and the queries that follow (matching, move detection) get plans made for empty tables.
ANALYZE_AFTER = 5_000


def refresh_statistics() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE children_agencyrecord, children_involvement, children_child")
