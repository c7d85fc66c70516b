from django.db import migrations


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="9", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="Unanswered invitation reminders",
        defaults={
            "task": "activities.tasks.remind_unanswered_invitations",
            "crontab": schedule,
            "description": "Remind deputies who have not answered an activity invitation within the policy's days",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0006_experts"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
