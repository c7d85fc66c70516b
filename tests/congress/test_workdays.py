from datetime import date

import pytest

from congress import workdays
from congress.models import CalendarDay, CalendarYear
from congress.workdays import Calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def cal():
    return Calendar.load()


def test_calendar_is_filled_from_the_package_by_migration():
    assert CalendarYear.objects.filter(year=2026, complete=True).exists()
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).is_workday is False
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).is_workday is True


def test_first_day_is_not_counted(cal):
    assert cal.add_workdays(date(2026, 11, 23), 1).date == date(2026, 11, 24)


def test_workdays_skip_national_day(cal):
    assert cal.add_workdays(date(2026, 9, 30), 1) == workdays.Due(date(2026, 10, 8), False)


def test_adjusted_saturday_after_national_day_counts_as_working_day(cal):
    assert cal.add_workdays(date(2026, 9, 30), 3).date == date(2026, 10, 10)


def test_adjusted_sunday_before_national_day_counts(cal):
    assert cal.add_workdays(date(2026, 9, 18), 1).date == date(2026, 9, 20)


def test_workdays_across_spring_festival(cal):
    # 14 Feb 2026 is an adjusted working Saturday; 15-23 Feb are the holiday.
    assert cal.add_workdays(date(2026, 2, 13), 1).date == date(2026, 2, 14)
    assert cal.add_workdays(date(2026, 2, 13), 2).date == date(2026, 2, 24)


def test_five_workdays_across_2025_national_day(cal):
    assert cal.add_workdays(date(2025, 9, 30), 5).date == date(2025, 10, 14)


def test_month_period_ends_on_same_day_of_month(cal):
    assert cal.add_months(date(2026, 3, 10), 3) == workdays.Due(date(2026, 6, 10), False)


def test_month_period_without_corresponding_day_ends_on_month_end(cal):
    # 28 Feb 2026 is an adjusted working Saturday, so the period really ends that day.
    assert cal.add_months(date(2026, 1, 31), 1).date == date(2026, 2, 28)


def test_month_period_ending_on_holiday_moves_to_next_working_day(cal):
    assert cal.add_months(date(2026, 7, 7), 3).date == date(2026, 10, 8)


def test_month_period_ending_on_weekend_moves_to_monday(cal):
    assert cal.add_months(date(2026, 4, 21), 1).date == date(2026, 5, 21)
    assert cal.add_months(date(2026, 5, 23), 1).date == date(2026, 6, 23)
    assert cal.add_months(date(2026, 6, 27), 1).date == date(2026, 7, 27)


def test_period_into_unknown_year_is_provisional_weekends_only(cal):
    due = cal.add_months(date(2026, 11, 23), 3)
    assert due == workdays.Due(date(2027, 2, 23), True)


def test_workdays_into_unknown_year_count_weekdays_and_are_provisional(cal):
    # 2027 has no official schedule yet: 1 January counts as an ordinary Friday.
    assert cal.add_workdays(date(2026, 12, 30), 2) == workdays.Due(date(2027, 1, 1), True)


def test_staff_entered_day_counts_in_an_unknown_year():
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    due = Calendar.load().add_workdays(date(2026, 12, 30), 2)
    assert due == workdays.Due(date(2027, 1, 4), True)


def test_year_marked_complete_is_no_longer_provisional():
    CalendarYear.objects.create(year=2027, complete=True, source="staff")
    assert Calendar.load().add_months(date(2026, 11, 23), 3).provisional is False


def test_workdays_between_counts_after_start_up_to_end(cal):
    assert cal.workdays_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert cal.workdays_between(date(2026, 10, 10), date(2026, 9, 30)) == -3


def test_missing_next_year_warns_only_from_october():
    assert workdays.missing_next_year(date(2026, 9, 30)) is None
    assert workdays.missing_next_year(date(2026, 10, 1)) == 2027
    CalendarYear.objects.create(year=2027, complete=True)
    assert workdays.missing_next_year(date(2026, 12, 1)) is None
