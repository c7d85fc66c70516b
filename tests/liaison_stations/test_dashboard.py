"""The station panels of the staff dashboard: visits against the quota per region, and open opinions by age."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from congress import dashboard, tallies
from liaison_stations import services
from tests import factories as core

from .factories import managed_station, stationed_deputy

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 6, 15)


def _built(user):
    """The dashboard as staff see it once the periodic task has refreshed the aggregate views."""
    tallies.refresh()
    return dashboard.build(user, today=TODAY)


def _panel(view, key):
    return next(p for p in view.panels if p.key == key)


@pytest.fixture
def city():
    """A city congress over two county congresses, each with a station and stationed deputies."""
    city_congress = core.CongressFactory(region=core.city())
    tianhe = core.CongressFactory(region=core.county("440106", "天河区"))
    yuexiu = core.CongressFactory(region=core.county("440104", "越秀区"))
    return city_congress, tianhe, yuexiu


def _visits(mandate, station, user, count):
    for day in range(count):
        services.check_in(actor=user, station_id=station.pk, mandate_id=mandate.pk, activity="reception",
                          visited_at=datetime(2026, 3, 1 + day, 10, tzinfo=SHANGHAI))  # fmt: skip


def test_visit_panel_sums_visits_quota_and_deputies_per_county(city):
    city_congress, tianhe, yuexiu = city
    station_a, _manager = managed_station(congress=tianhe)
    station_b, _manager = managed_station(congress=yuexiu)
    keen, keen_user = stationed_deputy(station_a)
    slow, slow_user = stationed_deputy(station_a)
    stationed_deputy(station_b)
    with time_machine.travel("2026-06-15 10:00 +0800", tick=False):
        _visits(keen, station_a, keen_user, 4)
        _visits(slow, station_a, slow_user, 1)
        view = _built(core.staff_of(city_congress))
    rows = {row.label: row.values for row in _panel(view, "station-visit-quota").rows}
    # visits, quota (4 a year by default), deputies who met it, deputies
    assert rows == {"天河区": [5, 8, 1, 2], "越秀区": [0, 4, 0, 1]}


def test_visit_panel_keeps_the_congress_own_deputies_apart(city):
    city_congress, tianhe, _yuexiu = city
    core.staff_of(city_congress)
    stationed_deputy(managed_station(congress=city_congress)[0])
    stationed_deputy(managed_station(congress=tianhe)[0])
    with translation.override("en"):
        view = _built(core.staff_of(city_congress))
    labels = [row.label for row in _panel(view, "station-visit-quota").rows]
    assert labels == ["广州市 (own deputies)", "天河区"]


def test_visit_row_links_to_the_quota_page_of_those_behind_in_its_region(city, client):
    city_congress, tianhe, yuexiu = city
    behind_here, _user = stationed_deputy(managed_station(congress=tianhe)[0])
    stationed_deputy(managed_station(congress=yuexiu)[0])
    staff = core.staff_of(city_congress)
    row = next(r for r in _panel(_built(staff), "station-visit-quota").rows if r.label == "天河区")
    client.force_login(staff)
    rows = client.get(row.url).context["rows"]
    assert [r["mandate"].pk for r in rows] == [behind_here.pk]


def _opinion(station, days_ago):
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=SHANGHAI) - timedelta(days=days_ago), tick=False):
        return services.submit_opinion(station=station, phone="13912345678", category="urban", content="路灯坏了。")


def test_open_opinions_are_counted_by_age_and_closed_ones_left_out(city):
    _city_congress, tianhe, _yuexiu = city
    station, manager = managed_station(congress=tianhe)
    for days_ago in (0, 7, 8, 30, 31, 200):
        _opinion(station, days_ago)
    closed = _opinion(station, 3)
    services.triage(actor=manager, opinion_id=closed.pk, route="answered", answer="已修复。")
    services.give_feedback(actor=manager, opinion_id=closed.pk, feedback="已电话告知。")
    view = _built(core.staff_of(tianhe))
    assert [row.values for row in _panel(view, "opinions-open-by-age").rows] == [[2], [2], [1], [1]]


def test_opinion_age_row_links_to_the_ledger_of_exactly_those_opinions(city, client):
    _city_congress, tianhe, _yuexiu = city
    station, _manager = managed_station(congress=tianhe)
    young = _opinion(station, 2)
    _opinion(station, 40)
    staff = core.staff_of(tianhe)
    [first, *_rest] = _panel(_built(staff), "opinions-open-by-age").rows
    client.force_login(staff)
    assert [o.pk for o in client.get(first.url).context["page"]] == [young.pk]


def test_a_county_staff_member_sees_only_the_county_deputies_visits(city):
    _city_congress, tianhe, yuexiu = city
    station_a, _manager = managed_station(congress=tianhe)
    keen, keen_user = stationed_deputy(station_a)
    stationed_deputy(managed_station(congress=yuexiu)[0])
    with time_machine.travel("2026-06-15 10:00 +0800", tick=False):
        _visits(keen, station_a, keen_user, 4)
        view = _built(core.staff_of(tianhe))
    panel = _panel(view, "station-visit-quota")
    # Tianhe's one deputy, four visits of a quota of four: Yuexiu's deputy is not Tianhe's to count.
    assert [row.values for row in panel.rows] == [[4, 4, 1, 1]]


def test_a_visit_moves_a_deputy_to_met_at_the_next_refresh_and_the_panel_says_when(city):
    city_congress, tianhe, _yuexiu = city
    station, _manager = managed_station(congress=tianhe)
    deputy, user = stationed_deputy(station)
    staff = core.staff_of(city_congress)
    with time_machine.travel("2026-06-15 09:00 +0800", tick=False):
        _visits(deputy, station, user, 3)
        tallies.refresh()
        services.check_in(actor=user, station_id=station.pk, mandate_id=deputy.pk, activity="reception",
                          visited_at=datetime(2026, 6, 15, 9, tzinfo=SHANGHAI))  # fmt: skip
    panel = _panel(dashboard.build(staff, today=TODAY), "station-visit-quota")
    assert [row.values for row in panel.rows] == [[3, 4, 0, 1]]  # the figures of 09:00, not yet the fourth visit
    assert panel.as_of.astimezone(SHANGHAI).strftime("%H:%M") == "09:00"
    panel = _panel(_built(staff), "station-visit-quota")
    assert [row.values for row in panel.rows] == [[4, 4, 1, 1]]  # four of four: the deputy met the quota
