from django.db import migrations


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="9", day_of_week="*", day_of_month="1", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="Report-to-voters reminders",
        defaults={
            "task": "activities.tasks.remind_reports_to_voters",
            "crontab": schedule,
            "description": "Remind deputies without their report to voters in the term's last stretch (monthly)",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_voter_reports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
