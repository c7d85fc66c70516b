from django.db import migrations


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    weekly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="8", day_of_week="1", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="Suggestion feedback that lapsed",
        defaults={
            "task": "suggestions.tasks.lapse_feedback",
            "crontab": daily,
            "description": "Replies not rated within the feedback period count as accepted",
        },
    )
    PeriodicTask.objects.get_or_create(
        name="Key supervision weekly digest",
        defaults={
            "task": "suggestions.tasks.supervision_digest",
            "crontab": weekly,
            "description": "Tell supervising leaders the state of their key items every Monday",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
