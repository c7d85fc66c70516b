"""Users' phones encrypted at rest (congress.crypto); rows rewritten in batches."""

from django.db import migrations

import congress.crypto


def encrypt_rows(apps, schema_editor):
    congress.crypto.rewrite_columns(
        schema_editor.connection, "congress_user", "phone", {"phone": congress.crypto.encrypt}
    )


def decrypt_rows(apps, schema_editor):
    congress.crypto.rewrite_columns(schema_editor.connection, "congress_user", "phone", {"phone": lambda v: v})


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("congress", "0011_console_job"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=congress.crypto.EncryptedCharField(blank=True, max_length=20, verbose_name="mobile phone"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
