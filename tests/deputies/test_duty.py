from datetime import date
from decimal import Decimal

import pytest
import time_machine

from congress.errors import RuleViolation
from congress.models import Notification
from deputies import selectors, services
from deputies.models import ContactAssignment, Mandate, PointsItem
from tests import factories as core

from .factories import MandateFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress():
    return core.CongressFactory()


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


@pytest.fixture
def mandate(congress):
    return MandateFactory(congress=congress)


def test_points_are_computed_from_entries_and_catalogue(mandate, staff):
    for index in range(2):
        services.record_duty(
            mandate=mandate,
            kind_code="suggestion",
            on=date(2026, 3, index + 1),
            title="建议",
            source=f"suggestions:{index}",
        )
    services.record_duty(
        mandate=mandate, kind_code="session_absence_half_day", on=date(2026, 3, 5), title="缺席", actor=staff
    )
    # base 40 (policy), 2 suggestions × 3, one half-day absent −1 (the congress's default catalogue)
    assert selectors.yearly_points(Mandate.objects.filter(pk=mandate.pk), 2026)[mandate.pk] == Decimal(45)
    PointsItem.objects.filter(congress=mandate.congress, kind="suggestion").update(points=4)
    assert selectors.yearly_points(Mandate.objects.filter(pk=mandate.pk), 2026)[mandate.pk] == Decimal(47)


def test_same_source_is_recorded_once(mandate):
    for _ in range(2):
        services.record_duty(
            mandate=mandate, kind_code="suggestion", on=date(2026, 3, 1), title="建议", source="suggestions:9"
        )
    assert mandate.duty_entries.count() == 1


def test_grades_follow_policy_thresholds(congress):
    assert services.grade_for(Decimal(80), congress) == "good"
    assert services.grade_for(Decimal("79.5"), congress) == "fair"
    assert services.grade_for(Decimal(59), congress) == "poor"


def test_publishing_flags_second_poor_year(mandate, staff):
    services.publish_points(actor=staff, term=mandate.term, year=2025)
    table = services.publish_points(actor=staff, term=mandate.term, year=2026)
    row = table.rows.get(mandate=mandate)
    assert (row.grade, row.flagged) == ("poor", True)


def test_a_year_is_published_once(mandate, staff):
    services.publish_points(actor=staff, term=mandate.term, year=2026)
    with pytest.raises(RuleViolation):
        services.publish_points(actor=staff, term=mandate.term, year=2026)


@time_machine.travel("2026-11-23 10:00 +0800")
def test_contact_coverage_lists_pairs_below_quota_and_unassigned_grassroots(congress, staff, mandate):
    member = core.supervisor_of(congress, name="常委甲")
    services.assign_contacts(actor=staff, member=member, mandates=[mandate])
    pair = ContactAssignment.objects.get()
    services.record_contact(actor=member, assignment_id=pair.pk, on=date(2026, 5, 1), mode="visit", topic="调研")
    lonely = MandateFactory(congress=congress, person=PersonFactory(grassroots=True))
    coverage = selectors.contact_coverage(staff, congress, 2026)
    assert [(p.pk, p.contacts) for p in coverage["behind"]] == [(pair.pk, 1)]
    assert list(coverage["unassigned_grassroots"]) == [lonely]


@time_machine.travel("2026-11-23 10:00 +0800")
def test_only_the_member_or_staff_record_contacts(congress, staff, mandate):
    member = core.supervisor_of(congress)
    services.assign_contacts(actor=staff, member=member, mandates=[mandate])
    from congress.errors import Forbidden

    with pytest.raises(Forbidden):
        services.record_contact(
            actor=core.UserFactory(),
            assignment_id=ContactAssignment.objects.get().pk,
            on=date(2026, 5, 1),
            mode="phone",
            topic="x",
        )


def test_contact_reminder_goes_once_in_the_last_quarter(congress, staff, mandate, django_capture_on_commit_callbacks):
    member = core.supervisor_of(congress)
    services.assign_contacts(actor=staff, member=member, mandates=[mandate])
    assert services.remind_contact_duty(today=date(2026, 9, 30)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_contact_duty(today=date(2026, 10, 1)) == 1
        assert services.remind_contact_duty(today=date(2026, 10, 1)) == 0
    assert Notification.objects.filter(recipient=member).count() == 1


def test_my_record_page_shows_own_points(client, congress, staff, mandate):
    user = core.UserFactory()
    services.link_account(actor=staff, person=mandate.person, user=user)
    services.record_duty(mandate=mandate, kind_code="award", on=date(2026, 4, 1), title="获得表彰", actor=staff)
    client.force_login(user)
    body = client.get("/deputies/my-record/?year=2026").content.decode()
    assert "获得表彰" in body and "5" in body


def test_my_record_is_404_for_non_deputies(client):
    client.force_login(core.UserFactory())
    assert client.get("/deputies/my-record/").status_code == 404


def test_guest_attendance_enters_the_duty_record_once(congress, staff, mandate):
    from deputies.models import GuestInvitation

    invitation = GuestInvitation.objects.create(
        mandate=mandate, meeting="常委会第十次会议", meeting_date=date(2026, 6, 1)
    )
    for _ in range(2):
        services.mark_guest_attendance(actor=staff, invitation_id=invitation.pk, attended=True)
    assert mandate.duty_entries.filter(kind_id="guest_attendance").count() == 1
    services.mark_guest_attendance(actor=staff, invitation_id=invitation.pk, attended=False)
    assert not mandate.duty_entries.exists()


def test_points_page_previews_and_publishes(client, congress, staff, mandate):
    client.force_login(staff)
    services.record_duty(mandate=mandate, kind_code="award", on=date(2026, 4, 1), title="获得表彰", actor=staff)
    body = client.get(f"/deputies/points/?term={mandate.term_id}&year=2026").content.decode()
    assert mandate.person.name in body and "5" in body
    client.post("/deputies/points/", {"term": mandate.term_id, "year": 2026})
    assert mandate.points_rows.get().points == 40 + 5  # base score, one award


def test_bulk_assignment_from_the_console(client, congress, staff, mandate):
    member = core.staff_of(congress)
    client.force_login(staff)
    client.post("/console/deputies/mandate/", {"action": "assign_to_member", "_selected_action": [mandate.pk],
                                                "member": member.pk})  # fmt: skip
    assert ContactAssignment.objects.filter(member=member, mandate=mandate).exists()


def test_landing_page_links_staff_to_the_roster(client, staff):
    client.force_login(staff)
    assert "/deputies/directory/" in client.get("/").content.decode()


def test_landing_page_links_a_deputy_to_their_record(client, staff, mandate):
    user = core.UserFactory()
    services.link_account(actor=staff, person=mandate.person, user=user)
    client.force_login(user)
    assert "/deputies/my-record/" in client.get("/").content.decode()


@time_machine.travel("2026-11-23 10:00 +0800")
def test_member_logs_a_contact_from_their_page(client, congress, staff, mandate):
    member = core.supervisor_of(congress)
    services.assign_contacts(actor=staff, member=member, mandates=[mandate])
    pair = ContactAssignment.objects.get()
    client.force_login(member)
    assert mandate.person.name in client.get("/deputies/contacts/mine/").content.decode()
    response = client.post("/deputies/contacts/mine/", {"assignment": pair.pk, "date": "2026-11-20", "mode": "phone",
                                                         "topic": "听取对教育工作的意见"})  # fmt: skip
    assert response.status_code == 302
    assert pair.records.get().topic == "听取对教育工作的意见"


def test_member_cannot_log_for_someone_elses_pair(client, congress, staff, mandate):
    services.assign_contacts(actor=staff, member=core.supervisor_of(congress), mandates=[mandate])
    intruder = core.supervisor_of(congress)
    services.assign_contacts(actor=staff, member=intruder, mandates=[MandateFactory(congress=congress)])
    client.force_login(intruder)
    other_pair = ContactAssignment.objects.exclude(member=intruder).get()
    client.post("/deputies/contacts/mine/", {"assignment": other_pair.pk, "date": "2026-01-20", "mode": "phone",
                                             "topic": "x"})  # fmt: skip
    assert not other_pair.records.exists()


@pytest.mark.parametrize("kind", ["inspection", "group_activity"])
def test_staff_cannot_type_in_a_duty_item_that_activities_write(congress, staff, mandate, kind):
    with pytest.raises(RuleViolation) as refused:
        services.record_duty(mandate=mandate, kind_code=kind, on=date(2026, 4, 1), title="视察", actor=staff)
    assert list(refused.value.fields) == ["kind"]
    assert not mandate.duty_entries.exists()
