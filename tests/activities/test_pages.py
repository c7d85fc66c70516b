"""The pages read from outside: the deputy's 我的活动 and check-in, the staff's list, desk, invitations and roll."""

import pytest
import time_machine
from django.urls import reverse

from activities import services
from activities.models import Attendance, Correction, Invitation

from . import factories as f

pytestmark = pytest.mark.django_db


def test_the_deputy_sees_and_accepts_an_invitation_on_my_activities(client, staff, activity, mandate):
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk]).invited[0]
    client.force_login(mandate.person.user)
    assert activity.title in client.get(reverse("activities:mine")).content.decode()
    client.post(reverse("activities:answer", args=[invitation.pk, "accept"]))
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_a_decline_without_a_reason_is_refused_on_the_page(client, staff, activity, mandate):
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk]).invited[0]
    client.force_login(mandate.person.user)
    client.post(reverse("activities:answer", args=[invitation.pk, "decline"]), {"reason": ""})
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_another_deputy_cannot_answer_the_invitation(client, staff, activity, mandate, other):
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk]).invited[0]
    client.force_login(other.person.user)
    response = client.post(reverse("activities:answer", args=[invitation.pk, "accept"]))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_the_qr_link_checks_the_deputy_in(client, staff, activity, mandate):
    f.invite_and_accept(staff, activity, mandate)
    sitting = activity.sittings.get()
    with time_machine.travel("2026-06-01 09:10 +0800", tick=False):
        client.force_login(mandate.person.user)  # in the travelled time: the session's clock starts there
        page = client.get(reverse("activities:check_in_link", args=[sitting.checkin_code])).content.decode()
        assert activity.title in page
        client.post(reverse("activities:check_in_link", args=[sitting.checkin_code]))
    assert Attendance.objects.get().channel == "link"


def test_staff_see_the_desk_with_their_invitations(client, staff, activity, mandate):
    f.invite_and_accept(staff, activity, mandate)
    client.force_login(staff)
    page = client.get(reverse("activities:activity", args=[activity.pk])).content.decode()
    assert mandate.person.name in page
    assert activity.title in client.get(reverse("activities:manage")).content.decode()


def test_staff_invite_the_deputies_a_roster_filter_finds(client, staff, activity, mandate, other):
    client.force_login(staff)
    url = reverse("activities:invite", args=[activity.pk])
    assert mandate.person.name in client.get(url, {"q": mandate.person.name}).content.decode()
    client.post(url + f"?q={mandate.person.name}", {"mode": "all"})
    assert list(Invitation.objects.values_list("mandate", flat=True)) == [mandate.pk]


def test_the_roll_then_a_correction_once_closed(client, staff, activity, mandate):
    invitation = f.invite_and_accept(staff, activity, mandate)
    sitting = activity.sittings.get()
    url = reverse("activities:attendance", args=[sitting.pk])
    with time_machine.travel("2026-06-01 12:00 +0800", tick=False):
        client.force_login(staff)  # in the travelled time: the session's clock starts there
        client.post(url, {f"i{invitation.pk}": "present"})
        assert mandate.duty_entries.get().kind_id == "inspection"
        for action in ("start", "submit_report", "close"):
            client.post(reverse("activities:activity_action", args=[activity.pk, action]), {"report": "报告"})
        activity.refresh_from_db()
        assert activity.status == "closed"
        client.post(url, {"invitation": invitation.pk, "status": "absent", "reason": "代签，经核实未到"})
    assert Correction.objects.get().after == "absent"
    assert list(mandate.duty_entries.values_list("kind_id", flat=True)) == ["activity_absence_unexcused"]


def test_the_sitting_qr_code_is_an_svg(client, staff, activity):
    client.force_login(staff)
    response = client.get(reverse("activities:sitting_qr", args=[activity.sittings.get().pk]))
    assert response["Content-Type"] == "image/svg+xml"
