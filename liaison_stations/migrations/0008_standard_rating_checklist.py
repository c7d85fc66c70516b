from django.db import migrations

from liaison_stations.reference import CHECKLIST


def seed(apps, schema_editor):
    # Every congress without a star-rating checklist gets the standard one; new congresses get it when created.
    Congress = apps.get_model("congress", "Congress")
    RatingCriterion = apps.get_model("liaison_stations", "RatingCriterion")
    having = set(RatingCriterion.objects.values_list("congress_id", flat=True).distinct())
    RatingCriterion.objects.bulk_create(
        [
            RatingCriterion(congress_id=pk, name=name, weight=weight, position=position)
            for pk in Congress.objects.exclude(pk__in=having).values_list("pk", flat=True)
            for position, (name, weight) in enumerate(CHECKLIST)
        ],
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [("liaison_stations", "0007_voter_contact_duty_item")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
