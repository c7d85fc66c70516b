"""Guards only Postgres can hold: no two overlapping terms of one congress, and an append-only audit log.
SQLite (the zero-setup demo) relies on the model validation alone."""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE congress_term ADD CONSTRAINT term_no_overlap
       EXCLUDE USING gist (congress_id WITH =, daterange(start_date, end_date, '[)') WITH &&)""",
    # Audit entries are never edited or deleted; only the actor link may be cleared when a user is removed.
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
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS auditlog_append_only ON auditlog_logentry",
    "DROP FUNCTION IF EXISTS auditlog_append_only()",
    "ALTER TABLE congress_term DROP CONSTRAINT IF EXISTS term_no_overlap",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
