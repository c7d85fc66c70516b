"""seed_scale's activities part hangs together: places taken equal the accepted invitations within capacity, a
deputy invited once per activity, the roll only of held activities' accepted deputies, one duty entry per deputy
present (and one deduction per deputy absent without leave), reports to voters within the voters present, and the
dashboard panel and coverage compute on it."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from activities import dashboard, services
from activities.models import Activity, Attendance, Finding, Invitation, VoterReport
from congress.dashboard import View
from congress.models import Congress
from deputies.models import DutyEntry

pytestmark = pytest.mark.django_db

ARGS = ["--province", "62", "--townships-per-county", "1", "--villages-per-township", "1", "--deputies", "600",
        "--stations", "0", "--opinions", "0", "--suggestions", "0", "--training-per-100", "0", "--case-votes", "0",
        "--activities-per-100", "3"]  # fmt: skip


def test_seed_scale_writes_consistent_activities():
    call_command("seed_scale", *ARGS)
    today = timezone.localdate()
    assert Activity.objects.count() > 20
    assert set(Activity.objects.values_list("status", flat=True)) == {"closed", "inviting"}
    for activity in Activity.objects.annotate(accepted=Count("invitations", filter=Q(invitations__status="accepted"))):
        assert activity.taken == activity.accepted <= activity.capacity
        assert activity.sittings.count() == 2
    assert not Invitation.objects.exclude(person_id=F("mandate__person_id")).exists()
    assert not Invitation.objects.exclude(mandate__congress=F("activity__congress")).exists()
    # The roll: both sittings of held activities, accepted deputies only.
    assert not Attendance.objects.exclude(invitation__status="accepted").exists()
    assert not Attendance.objects.filter(sitting__activity__starts_on__gte=today).exists()
    held_accepted = Invitation.objects.filter(status="accepted", activity__starts_on__lt=today)
    assert Attendance.objects.count() == 2 * held_accepted.count() > 0
    # The duty record: once per deputy present, once per deputy absent without leave (never present).
    present = Attendance.objects.filter(invitation=OuterRef("pk"), status="present")
    attended = held_accepted.filter(Exists(present)).exclude(activity__kind__duty_kind=None)
    assert DutyEntry.objects.filter(source__startswith="activities:invitation:").count() == attended.count() > 0
    absent = held_accepted.filter(Exists(Attendance.objects.filter(invitation=OuterRef("pk"), status="absent")))
    assert DutyEntry.objects.filter(source__startswith="activities:absence:").count() == absent.count()
    assert Finding.objects.filter(activity__starts_on__gte=today).count() == 0
    assert Finding.objects.count() > 0
    reports = VoterReport.objects.all()
    assert reports.exists()
    assert not reports.filter(voters__lt=F("satisfied") + F("basically_satisfied") + F("dissatisfied")).exists()
    congress = Congress.objects.get(region__code="62")
    coverage = services.report_coverage(congress, congress.terms.order_by("-number").first())
    assert coverage.deputies > 0
    panel = dashboard.activities_held(View(user=None, congress=congress, congresses=[congress], today=today))
    held = Activity.objects.filter(congress=congress, status="closed", starts_on__gte=date(today.year, 1, 1))
    assert sum(row.values[0] for row in panel.rows) == held.count()


def test_seed_scale_activities_run_again_without_duplicating():
    call_command("seed_scale", *ARGS)
    counts = (Activity.objects.count(), Invitation.objects.count(), Attendance.objects.count())
    call_command("seed_scale", *ARGS)
    assert (Activity.objects.count(), Invitation.objects.count(), Attendance.objects.count()) == counts
