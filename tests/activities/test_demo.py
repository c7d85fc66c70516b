"""The demo has a closed inspection with its roll and report, a joint check with a waiting list and an invitation
the demo deputy has to answer, findings to take up and a report to voters; its attendance wrote the duty record once
per participant; seeding again adds nothing."""

import pytest
from django.core.management import call_command

from activities.models import Activity, Attendance, Correction, Finding, FindingOutcome, Invitation, VoterReport
from deputies.models import DutyEntry

pytestmark = pytest.mark.django_db


def test_demo_activities_show_every_state_and_write_the_duty_record_once():
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    assert set(Activity.objects.values_list("status", flat=True)) == {"closed", "inviting", "planned"}
    assert Correction.objects.exists()
    assert Invitation.objects.filter(status="waitlisted").exists()
    assert Invitation.objects.filter(status="invited", mandate__person__user__username="deputy").exists()
    assert Invitation.objects.filter(mandate__congress__region__code="440106").exists()  # Tianhe invites its own
    present = Attendance.objects.filter(status="present").values("invitation").distinct().count()
    assert DutyEntry.objects.filter(source__startswith="activities:invitation:").count() == present
    # What became of the inspection's findings, and a report to voters: the dashboard panel and exports have figures.
    assert Finding.objects.count() == 3
    assert not FindingOutcome.objects.exists()  # left for staff to take up on the page
    assert VoterReport.objects.filter(activity__status="closed").count() == 2
    counts = (Activity.objects.count(), Invitation.objects.count(), Attendance.objects.count())
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    assert (Activity.objects.count(), Invitation.objects.count(), Attendance.objects.count()) == counts


def test_demo_has_a_legal_expert_pool_with_experts_invited_to_the_joint_check():
    from activities.models import Expert, ExpertPool, Participant

    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    law = ExpertPool.objects.get(code="law", congress__region__code="44")
    assert Expert.objects.filter(pools=law).count() >= 3
    assert set(Participant.objects.filter(expert__isnull=False).values_list("answer", flat=True)) == {
        "accepted",
        "invited",
    }
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    assert ExpertPool.objects.count() == 2
