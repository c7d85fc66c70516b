from django.db import migrations

from deputies.reference import POINTS_CATALOGUE


def seed(apps, schema_editor):
    """The 23-item default catalogue, then a copy of it for every congress (new congresses get theirs on creation)."""
    DutyKind = apps.get_model("deputies", "DutyKind")
    PointsItem = apps.get_model("deputies", "PointsItem")
    Congress = apps.get_model("congress", "Congress")
    for position, (code, name, points, cap, by_staff) in enumerate(POINTS_CATALOGUE, start=1):
        DutyKind.objects.update_or_create(
            code=code,
            defaults={"name": name, "points": points, "cap": cap, "position": position, "recorded_by_staff": by_staff},
        )
    kinds = list(DutyKind.objects.all())
    PointsItem.objects.bulk_create(
        [
            PointsItem(congress_id=congress_id, kind=kind, points=kind.points, cap=kind.cap)
            for congress_id in Congress.objects.values_list("id", flat=True)
            for kind in kinds
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    apps.get_model("deputies", "PointsItem").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("deputies", "0013_points_catalogue_per_congress")]

    operations = [migrations.RunPython(seed, unseed)]
