from django.db import migrations


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    night, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="Learn the unit recommendation from the assignment history",
        defaults={
            "task": "suggestions.tasks.learn_routing",
            "crontab": night,
            "description": "Each night, every congress's unit recommendation and word frequencies, from its history",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="suggestions.tasks.learn_routing"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0015_routing_model"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
