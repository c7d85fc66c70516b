"""Triggers keeping `Mandate.region_code` on SQLite (make run's default database), as migration 0011 does on
Postgres. SQLite has no BEFORE trigger that can set NEW, so these update the row after; and SQLite drops a table's
triggers whenever a migration remakes it, so they are (re)created after every migrate rather than once."""

from django.db import connection

TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS deputies_mandate_region_code_insert
       AFTER INSERT ON deputies_mandate FOR EACH ROW BEGIN
        UPDATE deputies_mandate SET region_code = (
            SELECT r.code FROM congress_congress c JOIN congress_region r ON r.id = c.region_id
             WHERE c.id = NEW.congress_id) WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS deputies_mandate_region_code_update
       AFTER UPDATE OF congress_id, region_code ON deputies_mandate
       FOR EACH ROW BEGIN
        UPDATE deputies_mandate SET region_code = (
            SELECT r.code FROM congress_congress c JOIN congress_region r ON r.id = c.region_id
             WHERE c.id = NEW.congress_id) WHERE id = NEW.id AND region_code IS NOT (
            SELECT r.code FROM congress_congress c JOIN congress_region r ON r.id = c.region_id
             WHERE c.id = NEW.congress_id);
    END""",
    """CREATE TRIGGER IF NOT EXISTS deputies_mandate_region_recoded AFTER UPDATE OF code ON congress_region
       FOR EACH ROW WHEN OLD.code IS NOT NEW.code BEGIN
        UPDATE deputies_mandate SET region_code = NEW.code
         WHERE congress_id IN (SELECT id FROM congress_congress WHERE region_id = NEW.id);
    END""",
    """CREATE TRIGGER IF NOT EXISTS deputies_mandate_congress_moved AFTER UPDATE OF region_id ON congress_congress
       FOR EACH ROW WHEN OLD.region_id IS NOT NEW.region_id BEGIN
        UPDATE deputies_mandate SET region_code = (SELECT code FROM congress_region WHERE id = NEW.region_id)
         WHERE congress_id = NEW.id;
    END""",
]


def ensure_triggers(**kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in TRIGGERS:
            cursor.execute(statement)
