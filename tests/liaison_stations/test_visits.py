from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from congress import services as core_services
from congress.errors import Forbidden, RuleViolation
from congress.models import Notification
from deputies.models import DutyEntry
from liaison_stations import selectors, services
from liaison_stations.models import Visit

from .factories import StationFactory, stationed_deputy

pytestmark = pytest.mark.django_db


def visit(mandate, station, actor, **kwargs):
    fields = {"activity": "reception", "visited_at": timezone.now() - timedelta(hours=1)}
    fields.update(kwargs)
    return services.check_in(actor=actor, station_id=station.pk, mandate_id=mandate.pk, **fields)


def test_visit_enters_the_duty_record(station):
    mandate, user = stationed_deputy(station)
    recorded = visit(mandate, station, user)
    entry = DutyEntry.objects.get(mandate=mandate)
    assert entry.kind_id == "station_visit"
    assert entry.source == f"visit:{recorded.pk}"
    assert not recorded.flagged


def test_visit_in_the_future_is_refused(station):
    mandate, user = stationed_deputy(station)
    with pytest.raises(RuleViolation) as error:
        visit(mandate, station, user, visited_at=timezone.now() + timedelta(days=1))
    assert "visited_at" in error.value.fields


def test_visit_where_not_stationed_is_flagged(station):
    mandate, user = stationed_deputy(station)
    elsewhere = StationFactory(congress=station.congress)
    recorded = visit(mandate, elsewhere, user)
    assert recorded.flagged
    assert recorded.flag_reason


def test_congress_can_refuse_visits_where_not_stationed(station, staff):
    mandate, user = stationed_deputy(station)
    core_services.set_policy(actor=staff, congress=station.congress, key="station.unstationed_visits", value=0)
    with pytest.raises(RuleViolation):
        visit(mandate, StationFactory(congress=station.congress), user)


def test_double_click_records_one_visit(station):
    mandate, user = stationed_deputy(station)
    first = visit(mandate, station, user, submission_key="abc")
    second = visit(mandate, station, user, submission_key="abc")
    assert first.pk == second.pk
    assert Visit.objects.count() == 1
    assert DutyEntry.objects.count() == 1


def test_deputy_cannot_check_in_for_another_deputy(station):
    mandate, _user = stationed_deputy(station)
    _other, other_user = stationed_deputy(station)
    with pytest.raises(Forbidden):
        visit(mandate, station, other_user)


def test_manager_records_a_visit_for_a_deputy(station, manager):
    mandate, _user = stationed_deputy(station)
    assert visit(mandate, station, manager).recorded_by == manager


def test_quota_progress_counts_this_years_visits(station):
    mandate, user = stationed_deputy(station)
    visit(mandate, station, user)
    visit(mandate, station, user, visited_at=timezone.now() - timedelta(days=400))
    [row] = selectors.visit_quota_progress(type(mandate).objects.filter(pk=mandate.pk), timezone.localdate().year)
    assert (row["visits"], row["quota"]) == (1, 4)


def test_quarterly_reminder_goes_to_deputies_behind_once(station, time_machine):
    time_machine.move_to("2026-06-01 09:00 +0800")
    behind, behind_user = stationed_deputy(station)
    on_track, on_track_user = stationed_deputy(station)
    for day in (10, 20):
        visit(on_track, station, on_track_user, visited_at=timezone.make_aware(datetime(2026, 5, day, 10)))
    assert services.remind_visit_quota() == 1
    assert services.remind_visit_quota() == 0
    notice = Notification.objects.get(key="station-quota:2026-Q2")
    assert notice.recipient == behind_user
    assert "0" in notice.body and "4" in notice.body


def test_quota_reminder_waits_for_the_last_month_of_the_quarter(station, time_machine):
    time_machine.move_to("2026-05-15 09:00 +0800")
    stationed_deputy(station)
    assert services.remind_visit_quota() == 0


def test_quota_follows_the_congress_policy(station, staff, time_machine):
    time_machine.move_to("2026-03-01 09:00 +0800")
    core_services.set_policy(actor=staff, congress=station.congress, key="station.visits_per_year", value=0)
    stationed_deputy(station)
    assert services.remind_visit_quota() == 0


def test_held_reception_records_a_visit_for_each_deputy_present(station, manager, time_machine):
    time_machine.move_to("2026-03-02 09:00 +0800")
    present, _ = stationed_deputy(station)
    absent, _ = stationed_deputy(station)
    reception = services.plan_reception(
        actor=manager,
        station_id=station.pk,
        day=timezone.localdate() + timedelta(days=5),
        start=time(9),
        end=time(12),
        mandate_ids=[present.pk, absent.pk],
    )
    services.publish_reception(actor=manager, reception_id=reception.pk)
    time_machine.move_to("2026-03-07 15:00 +0800")
    services.record_reception(actor=manager, reception_id=reception.pk, present_ids=[present.pk], citizens_received=8)
    assert list(Visit.objects.values_list("mandate_id", "citizens_received")) == [(present.pk, 8)]
    assert DutyEntry.objects.filter(mandate=present).count() == 1


def _published_reception(station, manager, present, days_ahead=5):
    reception = services.plan_reception(
        actor=manager, station_id=station.pk, day=timezone.localdate() + timedelta(days=days_ahead),
        start=time(9), end=time(12), mandate_ids=[present.pk],
    )  # fmt: skip
    services.publish_reception(actor=manager, reception_id=reception.pk)
    return reception


def test_a_reception_still_to_come_cannot_be_recorded_as_held(station, manager, time_machine):
    time_machine.move_to("2026-03-02 09:00 +0800")
    present, _ = stationed_deputy(station)
    reception = _published_reception(station, manager, present)
    with pytest.raises(RuleViolation, match="2026-03-07") as refused:
        services.record_reception(actor=manager, reception_id=reception.pk, present_ids=[present.pk],
                                  citizens_received=8)  # fmt: skip
    assert not refused.value.fields  # the whole form is refused, not one of its fields
    reception.refresh_from_db()
    assert (reception.status, Visit.objects.count()) == ("published", 0)


def test_the_reception_page_offers_no_record_as_held_before_the_day(client, station, manager, time_machine):
    time_machine.move_to("2026-03-02 09:00 +0800")
    present, _ = stationed_deputy(station)
    reception = _published_reception(station, manager, present)
    client.force_login(manager)
    page = client.get(reverse("liaison_stations:reception", args=[reception.pk])).content.decode()
    assert 'value="record"' not in page
    assert "2026-03-07" in page
