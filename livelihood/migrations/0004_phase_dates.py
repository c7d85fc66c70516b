import datetime

from django.db import migrations, models


def fill(apps, schema_editor):
    """Programmes set up before the phases had their own dates: screening ended on the vote's day and the projects
    are carried out by the year's end (the vote's, if later), the defaults a new programme gets."""
    Programme = apps.get_model("livelihood", "Programme")
    for programme in Programme.objects.all():
        programme.screen_until = programme.vote_on
        programme.carry_until = datetime.date(max(programme.year, programme.vote_on.year), 12, 31)
        programme.save(update_fields=["screen_until", "carry_until"])


class Migration(migrations.Migration):
    dependencies = [
        ("livelihood", "0003_appraisal"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="programme", name="programme_dates_ordered"),
        migrations.AddField(
            model_name="programme",
            name="screen_until",
            field=models.DateField(null=True, verbose_name="screening until"),
        ),
        migrations.AddField(
            model_name="programme",
            name="carry_until",
            field=models.DateField(null=True, verbose_name="carried out by"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="programme",
            name="screen_until",
            field=models.DateField(
                blank=True,
                help_text="The day the candidate list is confirmed by; if left empty, the vote's day.",
                verbose_name="screening until",
            ),
        ),
        migrations.AlterField(
            model_name="programme",
            name="carry_until",
            field=models.DateField(
                blank=True,
                help_text="The day the chosen projects are finished by; if left empty, the year's last day.",
                verbose_name="carried out by",
            ),
        ),
        migrations.AlterField(
            model_name="programme",
            name="appraise_from",
            field=models.DateField(blank=True, null=True, verbose_name="appraisal from"),
        ),
        migrations.AlterField(
            model_name="programme",
            name="appraise_until",
            field=models.DateField(blank=True, null=True, verbose_name="appraisal until"),
        ),
        migrations.AddConstraint(
            model_name="programme",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("solicit_until__gte", models.F("solicit_from")),
                    ("screen_until__gte", models.F("solicit_until")),
                    ("vote_on__gte", models.F("screen_until")),
                    ("carry_until__gte", models.F("vote_on")),
                ),
                name="programme_dates_ordered",
                violation_error_message="The phases follow one another: proposals, screening, the vote, carrying out.",
            ),
        ),
    ]
