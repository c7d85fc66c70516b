from django.db import migrations

from deputies.reference import DUTY_KINDS, ETHNIC_CODES, PARTIES


def seed(apps, schema_editor):
    EthnicGroup = apps.get_model("deputies", "EthnicGroup")
    Party = apps.get_model("deputies", "Party")
    DutyKind = apps.get_model("deputies", "DutyKind")
    EthnicGroup.objects.bulk_create([EthnicGroup(code=c, name=n) for c, n in ETHNIC_CODES.items()], ignore_conflicts=True)
    Party.objects.bulk_create([Party(code=c, name=n) for c, n in PARTIES.items()], ignore_conflicts=True)
    DutyKind.objects.bulk_create(
        [DutyKind(code=c, name=n, points=p, recorded_by_staff=s) for c, n, p, s in DUTY_KINDS], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("deputies", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
