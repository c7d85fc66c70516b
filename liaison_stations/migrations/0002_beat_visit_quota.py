from django.db import migrations


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="9", day_of_week="*", day_of_month="1", month_of_year="3,6,9,12", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="Station visit quota reminders",
        defaults={
            "task": "liaison_stations.tasks.remind_visit_quota",
            "crontab": schedule,
            "description": "Remind deputies behind their yearly station-visit quota (last month of each quarter)",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("liaison_stations", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
