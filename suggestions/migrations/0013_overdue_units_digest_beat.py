from django.db import migrations


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="Overdue units digest to the offices' messaging groups",
        defaults={
            "task": "suggestions.tasks.overdue_units_digest",
            "crontab": morning,
            "description": "Each morning, the units whose replies are overdue, to the groups in MESSAGING_ROBOTS",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="suggestions.tasks.overdue_units_digest"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0012_reply_contact"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
