"""The country region, the official holiday schedules the chinesecalendar package knows, and the
Celery beat schedule (kept in the database so staff can see and change it in the console)."""

from django.db import migrations

BEAT = [
    # name, task, crontab (minute, hour), description
    ("Deadline reminders", "congress.tasks.sweep_deadlines", ("30", "8"), "Send due and overdue reminders daily"),
    ("Deadline reminders (afternoon)", "congress.tasks.sweep_deadlines", ("30", "14"), "Second daily sweep"),
    ("Requeue stuck deliveries", "congress.tasks.requeue_stuck_deliveries", ("*/10", "*"), "Resend lost messages"),
    ("Holiday schedule check", "congress.tasks.warn_missing_calendar", ("0", "9"), "Warn when next year is missing"),
]


def seed(apps, schema_editor):
    Region = apps.get_model("congress", "Region")
    Region.objects.get_or_create(code="", defaults={"name": "中华人民共和国", "level": "country"})

    from chinese_calendar import constants

    CalendarDay = apps.get_model("congress", "CalendarDay")
    CalendarYear = apps.get_model("congress", "CalendarYear")
    names = {holiday.value: holiday.chinese for holiday in constants.Holiday}
    days = {day: (False, names.get(name, name)) for day, name in constants.holidays.items()}
    days.update(
        {day: (True, f"{names.get(name, name)}调休") for day, name in constants.workdays.items() if day.weekday() >= 5}
    )
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=day, is_workday=work, name=name) for day, (work, name) in sorted(days.items())],
        ignore_conflicts=True,
    )
    years = sorted({day.year for day in days})
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, complete=True, source="chinesecalendar") for year in years], ignore_conflicts=True
    )

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour), description in BEAT:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": schedule, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0002_database_guards"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
