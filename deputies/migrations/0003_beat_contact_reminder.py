from django.db import migrations


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="9", day_of_week="*", day_of_month="1", month_of_year="10,11,12", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="Contact duty reminders",
        defaults={
            "task": "deputies.tasks.remind_contact_duty",
            "crontab": schedule,
            "description": "Remind committee members of deputies below the yearly contact quota (last quarter)",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0002_reference_data"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
