from django.db import migrations

from activities.reference import ACTIVITY_KINDS, DERIVED_DUTY_KINDS


def seed(apps, schema_editor):
    """The first activity kinds; and the duty items activities now write become derived (not typed by staff)."""
    ActivityKind = apps.get_model("activities", "ActivityKind")
    DutyKind = apps.get_model("deputies", "DutyKind")
    known = set(DutyKind.objects.values_list("code", flat=True))
    for position, (code, name, duty) in enumerate(ACTIVITY_KINDS, start=1):
        ActivityKind.objects.get_or_create(
            code=code, defaults={"name": name, "position": position, "duty_kind_id": duty if duty in known else None}
        )
    DutyKind.objects.filter(code__in=DERIVED_DUTY_KINDS).update(recorded_by_staff=False)


def unseed(apps, schema_editor):
    apps.get_model("deputies", "DutyKind").objects.filter(code__in=DERIVED_DUTY_KINDS).update(recorded_by_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
        ("deputies", "0014_default_points_catalogue"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
