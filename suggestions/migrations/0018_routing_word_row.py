"""A learnt word keeps all its units' weights in one row. The rows are derived from the history: they are
dropped here and written again by the next learning (the nightly task, or `routing.rebuild_all()`); until then a
recommendation goes by the category."""

from django.db import migrations, models


def forget(apps, schema_editor):
    apps.get_model("suggestions", "RoutingWord").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0017_unit_name_match"),
    ]

    operations = [
        migrations.RunPython(forget, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="routingword", name="routing_word_once"),
        migrations.RemoveField(model_name="routingword", name="unit"),
        migrations.RemoveField(model_name="routingword", name="weight"),
        migrations.AddField(model_name="routingword", name="units", field=models.TextField(default=""), preserve_default=False),
        migrations.AddConstraint(
            model_name="routingword",
            constraint=models.UniqueConstraint(fields=("congress", "word"), name="routing_word_once"),
        ),
    ]
