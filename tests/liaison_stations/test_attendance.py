"""A station manager records deputies present at a held reception day; each deputy confirms (or says they were
not there) on their page, and only a confirmation makes it a visit in the duty record."""

import pytest
from django.urls import reverse

from congress.errors import Forbidden, InvalidTransition, RuleViolation
from congress.models import Notification
from deputies.models import DutyEntry, Mandate
from liaison_stations import selectors, services
from liaison_stations.models import Attendance, ReceptionStatus, Visit
from tests.deputies.factories import MandateFactory

from .factories import held_reception, managed_station, stationed_deputy

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(station):
    return stationed_deputy(station)


@pytest.fixture
def reception(station):
    return held_reception(station)


def mark(manager, reception, *mandates):
    return services.mark_present(actor=manager, reception_id=reception.pk, mandate_ids=[m.pk for m in mandates])


def test_marking_present_creates_a_pending_record_and_no_visit(manager, reception, deputy):
    mandate, _user = deputy
    [attendance] = mark(manager, reception, mandate)
    assert attendance.status == "pending"
    assert not Visit.objects.exists()
    assert not DutyEntry.objects.filter(mandate=mandate).exists()


def test_the_deputy_is_told_to_confirm(manager, reception, deputy, django_capture_on_commit_callbacks):
    mandate, user = deputy
    with django_capture_on_commit_callbacks(execute=True):
        mark(manager, reception, mandate)
    notice = Notification.objects.get(recipient=user)
    assert reception.station.name in notice.title
    assert notice.link.startswith(reverse("liaison_stations:mine"))


def test_a_confirmed_attendance_is_a_visit_in_the_duty_record(manager, reception, deputy):
    mandate, user = deputy
    [attendance] = mark(manager, reception, mandate)
    services.confirm_attendance(actor=user, attendance_id=attendance.pk)
    visit = Visit.objects.get()
    assert (visit.mandate, visit.reception, visit.channel) == (mandate, reception, "manager")
    assert Attendance.objects.get().visit == visit
    assert DutyEntry.objects.filter(mandate=mandate, source=f"visit:{visit.pk}").exists()


def test_a_confirmed_attendance_counts_towards_the_visit_quota(manager, reception, deputy):
    mandate, user = deputy
    [attendance] = mark(manager, reception, mandate)
    [before] = selectors.visit_quota_progress(Mandate.objects.filter(pk=mandate.pk), reception.date.year)
    services.confirm_attendance(actor=user, attendance_id=attendance.pk)
    [after] = selectors.visit_quota_progress(Mandate.objects.filter(pk=mandate.pk), reception.date.year)
    assert after["visits"] == before["visits"] + 1


def test_a_declined_attendance_enters_nothing(manager, reception, deputy):
    mandate, user = deputy
    [attendance] = mark(manager, reception, mandate)
    services.decline_attendance(actor=user, attendance_id=attendance.pk)
    assert Attendance.objects.get().status == "declined"
    assert not Visit.objects.exists()


def test_an_answered_attendance_cannot_be_answered_again(manager, reception, deputy):
    mandate, user = deputy
    [attendance] = mark(manager, reception, mandate)
    services.decline_attendance(actor=user, attendance_id=attendance.pk)
    with pytest.raises(InvalidTransition):
        services.confirm_attendance(actor=user, attendance_id=attendance.pk)


def test_another_deputy_cannot_confirm_someone_elses_attendance(manager, reception, station, deputy):
    mandate, _user = deputy
    _other, other_user = stationed_deputy(station)
    [attendance] = mark(manager, reception, mandate)
    with pytest.raises(Forbidden):
        services.confirm_attendance(actor=other_user, attendance_id=attendance.pk)
    assert Attendance.objects.get().status == "pending"


def test_the_manager_cannot_confirm_for_the_deputy(manager, reception, deputy):
    mandate, _user = deputy
    [attendance] = mark(manager, reception, mandate)
    with pytest.raises(Forbidden):
        services.confirm_attendance(actor=manager, attendance_id=attendance.pk)


def test_only_deputies_stationed_at_the_station_can_be_marked(manager, reception, station):
    not_stationed = MandateFactory(congress=station.congress)
    with pytest.raises(RuleViolation) as refused:
        mark(manager, reception, not_stationed)
    assert "mandates" in refused.value.fields
    assert not Attendance.objects.exists()


def test_a_deputy_is_marked_once_per_reception(manager, reception, deputy):
    mandate, _user = deputy
    mark(manager, reception, mandate)
    with pytest.raises(RuleViolation):
        mark(manager, reception, mandate)


def test_a_deputy_with_a_visit_at_the_reception_cannot_be_marked_again(manager, reception, deputy):
    mandate, user = deputy
    [attendance] = mark(manager, reception, mandate)
    services.confirm_attendance(actor=user, attendance_id=attendance.pk)
    Attendance.objects.all().delete()  # the visit stays: the reception already counts for the deputy
    with pytest.raises(RuleViolation):
        mark(manager, reception, mandate)


def test_attendance_is_recorded_only_at_a_held_reception(manager, station, deputy):
    mandate, _user = deputy
    reception = held_reception(station)
    reception.status = ReceptionStatus.PUBLISHED
    reception.save()
    with pytest.raises(InvalidTransition):
        mark(manager, reception, mandate)


def test_the_manager_of_another_station_cannot_mark(reception, deputy):
    mandate, _user = deputy
    _other_station, other_manager = managed_station()
    with pytest.raises(Forbidden):
        mark(other_manager, reception, mandate)


def test_marking_and_answering_are_audited(manager, reception, deputy):
    from congress import audit

    mandate, user = deputy
    [attendance] = mark(manager, reception, mandate)
    services.confirm_attendance(actor=user, attendance_id=attendance.pk)
    actions = [(e.actor, (e.additional_data or {}).get("action")) for e in audit.entries_for(attendance)]
    assert (manager, "mark_present") in actions
    assert (user, "confirm_attendance") in actions


# Pages


def test_the_deputy_sees_the_pending_attendance_on_their_page(client, manager, reception, deputy):
    mandate, user = deputy
    mark(manager, reception, mandate)
    client.force_login(user)
    page = client.get(reverse("liaison_stations:mine")).content.decode()
    assert reception.station.name in page
    assert "data-attendance" in page


def test_the_deputy_confirms_from_their_page(client, manager, reception, deputy):
    mandate, user = deputy
    [attendance] = mark(manager, reception, mandate)
    client.force_login(user)
    url = reverse("liaison_stations:answer_attendance", args=[attendance.pk])
    assert client.post(url, {"answer": "confirm"}).status_code == 302
    assert Attendance.objects.get().status == "confirmed"


def test_a_deputy_posting_someone_elses_attendance_is_refused(client, manager, reception, station, deputy):
    mandate, _user = deputy
    _other, other_user = stationed_deputy(station)
    [attendance] = mark(manager, reception, mandate)
    client.force_login(other_user)
    url = reverse("liaison_stations:answer_attendance", args=[attendance.pk])
    assert client.post(url, {"answer": "confirm"}).status_code in (403, 404)
    assert Attendance.objects.get().status == "pending"


def test_the_manager_marks_deputies_present_from_the_reception(client, manager, reception, deputy):
    mandate, _user = deputy
    client.force_login(manager)
    url = reverse("liaison_stations:mark_present", args=[reception.pk])
    assert client.post(url, {"mandates": [mandate.pk]}).status_code == 302
    assert Attendance.objects.get().mandate == mandate


def test_the_mark_form_offers_only_deputies_stationed_here(client, manager, reception, station, deputy):
    mandate, _user = deputy
    elsewhere = MandateFactory(congress=station.congress)
    client.force_login(manager)
    url = reverse("liaison_stations:mark_present", args=[reception.pk])
    response = client.post(url, {"mandates": [elsewhere.pk]})
    assert response.status_code == 200
    assert not Attendance.objects.exists()
    offered = client.get(url).context["form"].fields["mandates"].choices
    assert [pk for pk, _label in offered] == [mandate.pk]


def test_a_deputy_cannot_open_the_mark_page(client, reception, deputy):
    _mandate, user = deputy
    client.force_login(user)
    response = client.get(reverse("liaison_stations:mark_present", args=[reception.pk]))
    assert response.status_code in (403, 404)
