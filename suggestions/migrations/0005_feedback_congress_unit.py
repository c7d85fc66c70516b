import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE suggestions_feedback AS f SET congress_id = a.congress_id, unit_id = a.unit_id
FROM suggestions_reply AS r JOIN suggestions_assignment AS a ON a.id = r.assignment_id
WHERE r.id = f.reply_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0007_idempotency_record"),
        ("suggestions", "0004_assignment_met_face_to_face"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="congress",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="congress.congress",
            ),
        ),
        migrations.AddField(
            model_name="feedback",
            name="unit",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="congress.organisation",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="feedback",
            name="congress",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="congress.congress"
            ),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="unit",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="congress.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(fields=["congress", "unit"], name="feedback_congress_unit"),
        ),
    ]
