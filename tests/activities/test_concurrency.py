"""Two deputies accepting the last place at once: the activity row lock gives it to one; the other waits in line."""

import threading

import pytest
import time_machine
from django.db import connection

from activities import services
from activities.models import Invitation

from . import factories as f

# serialized_rollback puts back the rows the migrations seeded (the country, the code lists), which the flush
# after a transactional test removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_deputies_racing_for_the_last_place_never_overfill_the_activity(staff, congress):
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        activity = f.activity(staff, congress, capacity=2)
        f.invite_and_accept(staff, activity, f.deputy(congress))
        racers = [f.deputy(congress), f.deputy(congress)]
        invitations = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[m.pk for m in racers]).invited
    barrier = threading.Barrier(2)
    outcomes = []

    def race(invitation):
        try:
            with time_machine.travel("2026-05-11 10:05 +0800", tick=False):
                barrier.wait()
                user = invitation.mandate.person.user
                outcomes.append(services.accept(actor=user, invitation_id=invitation.pk).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(i,)) for i in invitations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "waitlisted"]
    activity.refresh_from_db()
    assert activity.taken == activity.capacity == 2
    assert Invitation.objects.filter(activity=activity, status="accepted").count() == 2


def test_two_staff_taking_up_the_same_finding_at_once_leave_it_one_outcome(staff, congress):
    """One turns finding 1 into a draft while a colleague refers it to a unit: the activity row lock orders them,
    and the second is refused by the rule, so the finding has one outcome and no stray draft."""
    from activities.models import FindingOutcome
    from congress.errors import RuleViolation
    from suggestions.models import Suggestion
    from tests import factories as core

    colleague = core.staff_of(congress)
    unit = core.OrganisationFactory(region=congress.region)
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        activity = f.activity(staff, congress, capacity=2)
        lead, other = f.deputy(congress), f.deputy(congress)
        invitations = [f.invite_and_accept(staff, activity, m) for m in (lead, other)]
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        services.record_attendance(actor=staff, sitting_id=activity.sittings.get().pk,
                                   marks={i.pk: "present" for i in invitations})  # fmt: skip
        services.start(actor=staff, activity_id=activity.pk)
        services.submit_report(actor=staff, activity_id=activity.pk, report="调研报告", findings=["课后服务不足"])
    finding = activity.findings.get()
    barrier = threading.Barrier(2)
    outcomes = []

    def race(act):
        try:
            with time_machine.travel("2026-06-03 10:00 +0800", tick=False):
                barrier.wait()
                try:
                    outcomes.append(act().kind)
                except RuleViolation:
                    outcomes.append("refused")
        finally:
            connection.close()

    acts = [
        lambda: services.finding_to_draft(actor=staff, finding_id=finding.pk, lead_id=lead.pk),
        lambda: services.finding_to_unit(actor=colleague, finding_id=finding.pk, unit_id=unit.pk, workdays=5),
    ]
    threads = [threading.Thread(target=race, args=(act,)) for act in acts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "refused" in outcomes and len(outcomes) == 2
    outcome = FindingOutcome.objects.get(finding=finding)
    assert outcome.kind in outcomes
    assert Suggestion.objects.count() == (1 if outcome.kind == "draft" else 0)
