from django.db import migrations


def add_voter_contact(apps, schema_editor):
    # Voter contacts (联系选民, at least 10 a year by default) are counted from the duty record: staff enter them.
    DutyKind = apps.get_model("deputies", "DutyKind")
    DutyKind.objects.get_or_create(
        code="voter_contact", defaults={"name": "联系选民", "points": 1, "recorded_by_staff": True}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("liaison_stations", "0006_star_rating_may_have_no_star"),
        ("deputies", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(add_voter_contact, migrations.RunPython.noop)]
