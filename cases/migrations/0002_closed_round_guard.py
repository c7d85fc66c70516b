"""On Postgres, the database itself refuses a ballot, score or public vote for a round that is not open, and
any change to the cases of a decided round. The round's row is read with a key-share lock, so a vote written
while staff close the round either commits before the close counts (the close waits for it) or fails after
it: the closing tally is final. SQLite (the zero-setup demo) relies on the services' checks alone."""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION cases_round_must_be_open() RETURNS trigger AS $$
DECLARE
    round_status varchar;
    target bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN target := OLD.round_id; ELSE target := NEW.round_id; END IF;
    SELECT status INTO round_status FROM cases_round WHERE id = target FOR KEY SHARE;
    IF round_status IS DISTINCT FROM 'open' THEN
        RAISE EXCEPTION 'cases_round_not_open: round % is %', target, round_status USING ERRCODE = '23514';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION cases_round_not_decided() RETURNS trigger AS $$
DECLARE
    round_status varchar;
    target bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN target := OLD.round_id; ELSE target := NEW.round_id; END IF;
    SELECT status INTO round_status FROM cases_round WHERE id = target FOR KEY SHARE;
    IF round_status = 'decided' THEN
        RAISE EXCEPTION 'cases_round_not_open: round % is decided', target USING ERRCODE = '23514';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

TABLES = ["cases_ballot", "cases_score", "cases_publicvote"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GUARD, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_round_open BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION cases_round_must_be_open()"
        )
    schema_editor.execute(
        "CREATE TRIGGER cases_entry_round_not_decided BEFORE INSERT OR UPDATE OR DELETE ON cases_entry "
        "FOR EACH ROW EXECUTE FUNCTION cases_round_not_decided()"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_round_open ON {table}")
    schema_editor.execute("DROP TRIGGER IF EXISTS cases_entry_round_not_decided ON cases_entry")
    schema_editor.execute("DROP FUNCTION IF EXISTS cases_round_must_be_open(); DROP FUNCTION IF EXISTS cases_round_not_decided();")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
