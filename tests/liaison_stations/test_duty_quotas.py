"""The other station duty quotas (domain: at least 2 receptions, 10 voter contacts and 1 report to voters a year,
and a group activity at least quarterly): read from the congress's policies, reminded at the end of each quarter
like the visit quota, and shown on the quota pages.

By the end of June a deputy owes half of each yearly quota, rounded down: 1 reception, 5 voter contacts, no report
yet; and one group activity in April to June. By December the whole yearly quota."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from congress import services as core_services
from congress.models import Notification
from deputies.models import DutyEntry
from liaison_stations import services
from liaison_stations.models import Visit

from .factories import stationed_deputy

pytestmark = pytest.mark.django_db


def receive(mandate, station, count, day):
    for n in range(count):
        Visit.objects.create(mandate=mandate, station=station, activity="reception", channel="portal",
                             visited_at=timezone.make_aware(datetime(day.year, day.month, day.day, 9 + n)))  # fmt: skip


def group_at_station(mandate, station, day):
    Visit.objects.create(mandate=mandate, station=station, activity="group_activity", channel="portal",
                         visited_at=timezone.make_aware(datetime(day.year, day.month, day.day, 15)))  # fmt: skip


def enter(mandate, kind, count, day):
    for n in range(count):
        DutyEntry.objects.create(mandate=mandate, kind_id=kind, date=day, title=f"{kind} {n}", source=f"t:{kind}:{n}")


def deputy_with(station, *, receptions=1, contacts=5, reports=0, group_on=date(2026, 4, 20)):
    """A deputy who has done exactly these by mid-June 2026 (enough for the end of June by default)."""
    mandate, user = stationed_deputy(station)
    receive(mandate, station, receptions, date(2026, 2, 3))
    enter(mandate, "voter_contact", contacts, date(2026, 3, 3))
    enter(mandate, "report_to_voters", reports, date(2026, 5, 3))
    if group_on:
        group_at_station(mandate, station, group_on)
    return mandate, user


@pytest.fixture
def june(time_machine):
    time_machine.move_to("2026-06-15 09:00 +0800")


def test_a_deputy_on_schedule_in_june_is_not_reminded(station, june):
    deputy_with(station)
    assert services.remind_duty_quotas() == 0


def test_four_voter_contacts_by_june_are_behind(station, june):
    _mandate, user = deputy_with(station, contacts=4)
    assert services.remind_duty_quotas() == 1
    assert services.remind_duty_quotas() == 0  # once a quarter
    assert Notification.objects.get(key="duty-quota:2026-Q2").recipient == user


def test_no_reception_by_june_is_behind(station, june):
    deputy_with(station, receptions=0)
    assert services.remind_duty_quotas() == 1


def test_a_group_activity_of_the_previous_quarter_does_not_count(station, june):
    deputy_with(station, group_on=date(2026, 3, 20))
    assert services.remind_duty_quotas() == 1


def test_a_group_activity_in_the_duty_record_counts(station, june):
    mandate, _user = deputy_with(station, group_on=None)
    enter(mandate, "group_activity", 1, date(2026, 5, 8))
    assert services.remind_duty_quotas() == 0


def test_the_report_to_voters_is_owed_by_december(station, time_machine):
    time_machine.move_to("2026-12-10 09:00 +0800")
    mandate, _user = deputy_with(station, receptions=2, contacts=10, reports=0, group_on=date(2026, 10, 9))
    assert services.remind_duty_quotas() == 1
    enter(mandate, "report_to_voters", 1, date(2026, 12, 1))
    Notification.objects.all().delete()
    assert services.remind_duty_quotas() == 0


def test_the_reception_quota_follows_the_congress_policy(station, staff, june):
    core_services.set_policy(actor=staff, congress=station.congress, key="station.receptions_per_year", value=4)
    deputy_with(station)
    assert services.remind_duty_quotas() == 1


def test_the_quarterly_group_quota_follows_the_congress_policy(station, staff, june):
    core_services.set_policy(
        actor=staff, congress=station.congress, key="station.group_activities_per_quarter", value=2
    )
    deputy_with(station)
    assert services.remind_duty_quotas() == 1


def test_no_reminder_outside_a_quarters_last_month(station, time_machine):
    time_machine.move_to("2026-05-15 09:00 +0800")
    deputy_with(station, receptions=0, contacts=0)
    assert services.remind_duty_quotas() == 0


def test_quota_page_shows_every_quota_with_its_number(client, station, staff, june):
    deputy_with(station, contacts=4)
    client.force_login(staff)
    [row] = client.get(reverse("liaison_stations:quota")).context["rows"]
    items = {item["name"]: (item["done"], item["quota"], item["behind"]) for item in row["items"]}
    assert items == {
        "visits": (2, 4, True),  # a reception and a group activity at the station are visits too
        "receptions": (1, 2, True),
        "contacts": (4, 10, True),
        "reports": (0, 1, True),
        "groups": (1, 1, False),
    }


def test_deputy_sees_their_own_quotas(client, station, june):
    _mandate, user = deputy_with(station, contacts=7)
    client.force_login(user)
    response = client.get(reverse("liaison_stations:mine"))
    [row] = response.context["progress"]
    assert {item["name"]: item["done"] for item in row["items"]}["contacts"] == 7
    assert 'data-quota="contacts"' in response.content.decode()
