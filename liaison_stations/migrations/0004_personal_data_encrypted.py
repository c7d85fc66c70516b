"""Citizens' phones encrypted at rest (congress.crypto): a keyed hash finds a resubmitted form, the last four
digits stay in clear for the tracking page. Rows are rewritten in batches."""

from django.db import migrations, models
from django.db.models import Q

import congress.crypto


def encrypt_rows(apps, schema_editor):
    congress.crypto.rewrite_columns(
        schema_editor.connection,
        "liaison_stations_citizenopinion",
        "phone",
        {
            "phone": congress.crypto.encrypt,
            "phone_hash": congress.crypto.phone_index,
            "phone_tail": congress.crypto.last_four,
        },
    )


def decrypt_rows(apps, schema_editor):
    congress.crypto.rewrite_columns(
        schema_editor.connection, "liaison_stations_citizenopinion", "phone", {"phone": lambda value: value}
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("liaison_stations", "0003_station_honour"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="citizenopinion", name="opinion_submitted_once"),
        migrations.AddField(
            model_name="citizenopinion",
            name="phone_hash",
            field=congress.crypto.DerivedCharField(
                max_length=64, source="phone", derive=congress.crypto.phone_index, default=""
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="citizenopinion",
            name="phone_tail",
            field=congress.crypto.DerivedCharField(
                max_length=4, source="phone", derive=congress.crypto.last_four, default=""
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="citizenopinion",
            name="phone",
            field=congress.crypto.EncryptedCharField(max_length=11, verbose_name="mobile phone"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.AddConstraint(
            model_name="citizenopinion",
            constraint=models.UniqueConstraint(
                condition=~Q(submission_key=""), fields=("phone_hash", "submission_key"), name="opinion_submitted_once"
            ),
        ),
    ]
