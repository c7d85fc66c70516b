"""A joint activity of two congresses: each congress's staff invite their own deputies, see only their own
deputies' invitations and attendance, and take the roll of their own deputies only."""

import pytest
import time_machine

from activities import services
from activities.models import Activity, Attendance, Invitation
from congress import scope
from congress.errors import Forbidden, RuleViolation

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_deputy(partner):
    return f.deputy(partner)


def test_co_organising_staff_see_the_joint_activity(partner_staff, joint):
    assert scope.visible(partner_staff, Activity).filter(pk=joint.pk).exists()


def test_co_organising_staff_invite_their_own_deputies(partner_staff, joint, partner_deputy):
    invited = services.invite(actor=partner_staff, activity_id=joint.pk, mandate_ids=[partner_deputy.pk]).invited
    assert [i.mandate for i in invited] == [partner_deputy]


def test_co_organising_staff_cannot_invite_the_organisers_deputies(partner_staff, joint, mandate):
    with pytest.raises(RuleViolation) as refused:
        services.invite(actor=partner_staff, activity_id=joint.pk, mandate_ids=[mandate.pk])
    assert list(refused.value.fields) == ["mandates"]
    assert not Invitation.objects.exists()


def test_the_organiser_cannot_invite_the_partners_deputies(staff, joint, partner_deputy):
    with pytest.raises(RuleViolation):
        services.invite(actor=staff, activity_id=joint.pk, mandate_ids=[partner_deputy.pk])


def test_each_congress_sees_only_its_own_deputies_invitations(staff, partner_staff, joint, mandate, partner_deputy):
    ours = f.invite_and_accept(staff, joint, mandate)
    theirs = f.invite_and_accept(partner_staff, joint, partner_deputy)
    assert list(scope.visible(staff, Invitation)) == [ours]
    assert list(scope.visible(partner_staff, Invitation)) == [theirs]


def test_each_congress_takes_the_roll_of_its_own_deputies_only(staff, partner_staff, joint, mandate, partner_deputy):
    ours = f.invite_and_accept(staff, joint, mandate)
    theirs = f.invite_and_accept(partner_staff, joint, partner_deputy)
    sitting = joint.sittings.get()
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        with pytest.raises(Forbidden):
            services.record_attendance(actor=partner_staff, sitting_id=sitting.pk, marks={ours.pk: "absent"})
        services.record_attendance(actor=partner_staff, sitting_id=sitting.pk, marks={theirs.pk: "present"})
    assert list(scope.visible(staff, Attendance)) == []
    assert partner_deputy.duty_entries.get().kind_id == "inspection"


def test_only_the_organiser_moves_the_activity_on(partner_staff, joint):
    with pytest.raises(Forbidden):
        services.start(actor=partner_staff, activity_id=joint.pk)


def test_co_organising_staff_cannot_correct_the_organisers_deputys_attendance(staff, partner_staff, joint, mandate):
    ours = f.invite_and_accept(staff, joint, mandate)
    sitting = joint.sittings.get()
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        services.record_attendance(actor=staff, sitting_id=sitting.pk, marks={ours.pk: "present"})
        services.start(actor=staff, activity_id=joint.pk)
        services.submit_report(actor=staff, activity_id=joint.pk, report="报告")
        services.close(actor=staff, activity_id=joint.pk)
        with pytest.raises(Forbidden):
            services.correct_attendance(actor=partner_staff, sitting_id=sitting.pk, invitation_id=ours.pk,
                                        status="absent", reason="核实未到")  # fmt: skip
    assert Attendance.objects.get().status == "present"
