"""Suggestions keep their content words (congress.text.document) for the unit recommendation and the duplicate
search. On Postgres a GIN index over (congress, words) answers "this congress's suggestions that share these
words"; SQLite (the zero-setup demo) scans, which its size allows. Existing rows keep NULL until the nightly
routing task fills them in (a migration that segments a million texts would hold the deployment for an hour)."""

from django.db import migrations, models

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX suggestion_terms_search ON suggestions_suggestion "
    "USING gin (congress_id, to_tsvector('simple', coalesce(terms, '')))",
]
BACKWARD = ["DROP INDEX IF EXISTS suggestion_terms_search"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0013_overdue_units_digest_beat"),
    ]

    operations = [
        migrations.AddField(
            model_name="suggestion",
            name="terms",
            field=models.TextField(blank=True, editable=False, null=True, verbose_name="content words"),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
