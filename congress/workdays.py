"""Working-day and month arithmetic under the Civil Code (arts. 200-203) on the holiday table.

The first day of a period is not counted; a month period ends on the same day of the month (or the
month's last day); a period ending on a rest day or holiday ends on the next working day. A year with no
official schedule is counted with weekends only (plus any days staff entered) and the answer is marked
provisional.
"""

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from . import refcache

CACHE_NAME = "calendar"  # the holiday table's name in congress.refcache


@dataclass(frozen=True)
class Due:
    date: date
    provisional: bool


class Calendar:
    def __init__(self, exceptions: dict[date, bool], complete_years: set[int]):
        self.exceptions = exceptions
        self.complete_years = complete_years

    @classmethod
    def load(cls) -> "Calendar":
        """The holiday table, from this process's copy while no one changed it (congress.refcache): every deadline
        opened reads it. Callers only read a Calendar."""
        return refcache.get(CACHE_NAME, cls.read)

    @classmethod
    def read(cls) -> "Calendar":
        from .models import CalendarDay, CalendarYear

        exceptions = dict(CalendarDay.objects.values_list("date", "is_workday"))
        complete = set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
        return cls(exceptions, complete)

    def is_workday(self, day: date) -> bool:
        explicit = self.exceptions.get(day)
        if explicit is not None:
            return explicit
        return day.weekday() < 5

    def is_known(self, first: date, last: date) -> bool:
        return all(year in self.complete_years for year in range(first.year, last.year + 1))

    def next_workday(self, day: date) -> date:
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def add_workdays(self, start: date, count: int) -> Due:
        """The count-th working day after start (start itself is not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        if count == 0:
            day = self.next_workday(start)
        return Due(day, not self.is_known(start + timedelta(days=1), day))

    def add_months(self, start: date, months: int) -> Due:
        """Same day of the month `months` later (or that month's last day), moved past rest days."""
        month_index = start.month - 1 + months
        year, month = start.year + month_index // 12, month_index % 12 + 1
        last_day = pycalendar.monthrange(year, month)[1]
        nominal = date(year, month, min(start.day, last_day))
        day = self.next_workday(nominal)
        return Due(day, not self.is_known(nominal, day))

    def add_days(self, start: date, days: int) -> Due:
        nominal = start + timedelta(days=days)
        day = self.next_workday(nominal)
        return Due(day, not self.is_known(nominal, day))

    def add(self, start: date, value: int, unit: str) -> Due:
        if unit == "workdays":
            return self.add_workdays(start, value)
        if unit == "months":
            return self.add_months(start, value)
        if unit == "days":
            return self.add_days(start, value)
        raise ValueError(f"unknown period unit {unit!r}")

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.workdays_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count


def add_workdays(start: date, count: int) -> Due:
    return Calendar.load().add_workdays(start, count)


def add_months(start: date, months: int) -> Due:
    return Calendar.load().add_months(start, months)


def load_from_package(years: list[int] | None = None, *, overwrite: bool = False) -> list[int]:
    """Fill the holiday table from the chinesecalendar package; returns the years loaded.

    Years that staff already marked complete are kept unless overwrite is set."""
    import chinese_calendar
    from chinese_calendar import constants

    from .models import CalendarDay, CalendarYear

    names = {holiday.value: holiday.chinese for holiday in constants.Holiday}
    package_years = sorted({day.year for day in constants.holidays} | {day.year for day in constants.workdays})
    wanted = [year for year in package_years if years is None or year in years]
    if not overwrite:
        done = set(CalendarYear.objects.filter(year__in=wanted, complete=True).values_list("year", flat=True))
        wanted = [year for year in wanted if year not in done]
    if not wanted:
        return []
    rows = [
        CalendarDay(date=day, is_workday=False, name=names.get(name, name))
        for day, name in constants.holidays.items()
        if day.year in wanted
    ] + [
        CalendarDay(date=day, is_workday=True, name=f"{names.get(name, name)}调休")
        for day, name in constants.workdays.items()
        if day.year in wanted and day.weekday() >= 5
    ]
    source = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()
    with transaction.atomic():
        refcache.changed(CACHE_NAME)  # bulk_create sends no signal
        CalendarDay.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["date"], update_fields=["is_workday", "name", "updated_at"]
        )
        for year in wanted:
            CalendarYear.objects.update_or_create(year=year, defaults={"complete": True, "source": source})
    return wanted


def missing_next_year(today: date, congress=None) -> int | None:
    """From the congress's warning month (October by default), the coming year if its official schedule is not
    yet entered."""
    from . import policies
    from .models import CalendarYear

    if today.month < int(policies.policy(congress, "calendar.warn_from_month")):
        return None
    year = today.year + 1
    if CalendarYear.objects.filter(year=year, complete=True).exists():
        return None
    return year
