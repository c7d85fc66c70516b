"""The congress's division code copied onto each mandate (scope without joins, a sync's keyset in one index),
filled for the mandates already stored and kept by triggers: on every insert or change of a mandate's congress
(any write path, COPY included), and when a congress moves to another region or a region is recoded."""

import django.db.models.deletion
from django.db import migrations, models

TRIGGERS = [
    """CREATE OR REPLACE FUNCTION deputies_mandate_region_code() RETURNS trigger AS $$
    BEGIN
        SELECT r.code INTO NEW.region_code
          FROM congress_congress c JOIN congress_region r ON r.id = c.region_id
         WHERE c.id = NEW.congress_id;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER deputies_mandate_region_code BEFORE INSERT OR UPDATE OF congress_id, region_code
       ON deputies_mandate FOR EACH ROW EXECUTE FUNCTION deputies_mandate_region_code()""",
    """CREATE OR REPLACE FUNCTION deputies_mandate_follow_congress() RETURNS trigger AS $$
    BEGIN
        IF TG_TABLE_NAME = 'congress_region' THEN
            UPDATE deputies_mandate SET region_code = NEW.code
             WHERE congress_id IN (SELECT id FROM congress_congress WHERE region_id = NEW.id);
        ELSE
            UPDATE deputies_mandate SET region_code = (SELECT code FROM congress_region WHERE id = NEW.region_id)
             WHERE congress_id = NEW.id;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER deputies_mandate_region_recoded AFTER UPDATE OF code ON congress_region
       FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code) EXECUTE FUNCTION deputies_mandate_follow_congress()""",
    """CREATE TRIGGER deputies_mandate_congress_moved AFTER UPDATE OF region_id ON congress_congress
       FOR EACH ROW WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id)
       EXECUTE FUNCTION deputies_mandate_follow_congress()""",
]
BACKFILL = """UPDATE deputies_mandate m SET region_code = r.code
  FROM congress_congress c JOIN congress_region r ON r.id = c.region_id WHERE c.id = m.congress_id"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "UPDATE deputies_mandate SET region_code = (SELECT r.code FROM congress_congress c"
            " JOIN congress_region r ON r.id = c.region_id WHERE c.id = deputies_mandate.congress_id)",
            params=None,
        )
        return  # the triggers: deputies.sqlite, after every migrate
    if vendor != "postgresql":
        return
    schema_editor.execute(BACKFILL, params=None)
    for statement in TRIGGERS:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS deputies_mandate_region_code ON deputies_mandate", params=None)
    schema_editor.execute("DROP TRIGGER IF EXISTS deputies_mandate_region_recoded ON congress_region", params=None)
    schema_editor.execute("DROP TRIGGER IF EXISTS deputies_mandate_congress_moved ON congress_congress", params=None)
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS deputies_mandate_region_code(); DROP FUNCTION IF EXISTS deputies_mandate_follow_congress()",
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [("deputies", "0010_text_limits")]

    operations = [
        migrations.AddField(
            model_name="mandate",
            name="region_code",
            field=models.CharField(default="", editable=False, max_length=12, verbose_name="division code"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="mandate",
            name="person",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mandates",
                to="deputies.person",
                verbose_name="deputy",
            ),
        ),
        migrations.AddIndex(
            model_name="mandate",
            index=models.Index(fields=["person", "region_code"], name="mandate_person_region"),
        ),
        migrations.AddIndex(
            model_name="mandate",
            index=models.Index(fields=["region_code"], name="mandate_region_prefix", opclasses=["varchar_pattern_ops"]),
        ),
        migrations.RunPython(forwards, backwards),
    ]
