from django.db import migrations


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    evening, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="17", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="9", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="Training sittings tomorrow",
        defaults={
            "task": "training.tasks.remind_sittings",
            "crontab": evening,
            "description": "Remind the deputies holding a place on a sitting the day before",
        },
    )
    PeriodicTask.objects.get_or_create(
        name="New deputies without induction",
        defaults={
            "task": "training.tasks.remind_induction",
            "crontab": morning,
            "description": "As an annual training plan ends, remind new deputies without induction and their staff",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
