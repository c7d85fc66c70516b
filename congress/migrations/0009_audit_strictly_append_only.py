"""Audit records are strictly append-only on Postgres: every UPDATE and DELETE of an audit log entry or a tombstone
is refused, including the actor link 0002 let a user deletion clear (that lost who did what). Users are
deactivated, never deleted, once they have acted. SQLite (the zero-setup demo) has no trigger."""

from django.db import migrations

APPEND_ONLY_TABLES = ["auditlog_logentry", "congress_tombstone"]

FORWARD = [
    """CREATE OR REPLACE FUNCTION auditlog_append_only() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'audit records are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
       END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS auditlog_append_only ON auditlog_logentry",
    *(
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION auditlog_append_only()"""
        for table in APPEND_ONLY_TABLES
    ),
]

# Back to 0002: entries guarded except for the actor link, tombstones unguarded.
BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}" for table in APPEND_ONLY_TABLES),
    """CREATE OR REPLACE FUNCTION auditlog_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
            AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'audit log entries cannot be changed or deleted';
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER auditlog_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
       FOR EACH ROW EXECUTE FUNCTION auditlog_append_only()""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)  # the RAISE format holds a bare %

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0008_webhooks_tombstones_client_limits"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
