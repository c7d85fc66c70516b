"""ID numbers and phones encrypted at rest (congress.crypto), with a keyed hash of the ID number for lookups
and uniqueness. Three steps: the columns, the rows (batched), then the unique constraint on the hash."""

from django.db import migrations

import congress.crypto
import deputies.validators


def encrypt_rows(apps, schema_editor):
    congress.crypto.rewrite_columns(
        schema_editor.connection,
        "deputies_person",
        "id_number",
        {"id_number": congress.crypto.encrypt, "id_number_hash": congress.crypto.id_number_index},
    )
    congress.crypto.rewrite_columns(
        schema_editor.connection, "deputies_person", "phone", {"phone": congress.crypto.encrypt}
    )


def decrypt_rows(apps, schema_editor):
    congress.crypto.rewrite_columns(
        schema_editor.connection,
        "deputies_person",
        "id_number",
        {"id_number": lambda value: value},
    )
    congress.crypto.rewrite_columns(schema_editor.connection, "deputies_person", "phone", {"phone": lambda v: v})


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("deputies", "0007_term_bodies_archived_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="id_number_hash",
            field=congress.crypto.DerivedCharField(
                max_length=64, source="id_number", derive=congress.crypto.id_number_index, default=""
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=congress.crypto.EncryptedCharField(max_length=18, verbose_name="ID number"),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=congress.crypto.EncryptedCharField(
                blank=True,
                max_length=20,
                validators=[deputies.validators.validate_mobile],
                verbose_name="mobile phone",
            ),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.AlterField(
            model_name="person",
            name="id_number_hash",
            field=congress.crypto.DerivedCharField(
                max_length=64, source="id_number", derive=congress.crypto.id_number_index, unique=True
            ),
        ),
    ]
