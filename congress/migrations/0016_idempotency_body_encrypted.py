"""Answers kept for Idempotency-Key replays are encrypted like personal data (congress.crypto), and keep which
unmasked personal data they showed so a replay is logged as a read. Stored answers are rewritten in batches."""

from django.db import migrations, models

import congress.crypto


def encrypt_rows(apps, schema_editor):
    congress.crypto.rewrite_columns(
        schema_editor.connection,
        "congress_idempotencyrecord",
        "response_body",
        {"response_body": congress.crypto.encrypt},
    )


def decrypt_rows(apps, schema_editor):
    congress.crypto.rewrite_columns(
        schema_editor.connection, "congress_idempotencyrecord", "response_body", {"response_body": lambda v: v}
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("congress", "0015_api_client_owner"),
    ]

    operations = [
        migrations.AddField(
            model_name="idempotencyrecord",
            name="shown_personal_data",
            field=models.JSONField(blank=True, default=list, verbose_name="personal data shown"),
        ),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="response_body",
            field=congress.crypto.EncryptedCharField(blank=True, verbose_name="response body"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
