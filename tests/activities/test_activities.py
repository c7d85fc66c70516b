"""The activity's own course: planned → invitations sent → under way → report submitted → closed."""

import pytest

from activities import services
from activities.models import Activity, ActivityKind
from congress.errors import InvalidTransition, RuleViolation

from . import factories as f

pytestmark = pytest.mark.django_db


def test_an_activity_goes_from_planned_to_closed_and_each_step_is_audited(staff, congress, may):
    from congress import audit

    activity = f.activity(staff, congress, send=False)
    assert activity.status == "planned"
    services.send_invitations(actor=staff, activity_id=activity.pk)
    services.start(actor=staff, activity_id=activity.pk)
    services.submit_report(actor=staff, activity_id=activity.pk, report="调研报告正文")
    services.close(actor=staff, activity_id=activity.pk)
    activity.refresh_from_db()
    assert (activity.status, activity.report) == ("closed", "调研报告正文")
    actions = [e.additional_data.get("action") for e in audit.entries_for(activity) if e.additional_data]
    assert {"send_invitations", "start", "submit_report", "close"} <= set(actions)


def test_invitations_need_the_sittings_first(staff, congress, may):
    activity = f.activity(staff, congress, sittings=(), send=False)
    with pytest.raises(RuleViolation):
        services.send_invitations(actor=staff, activity_id=activity.pk)


def test_a_step_out_of_order_is_refused_naming_the_state(staff, activity):
    with pytest.raises(InvalidTransition) as refused:
        services.close(actor=staff, activity_id=activity.pk)
    assert "invitations sent" in str(refused.value.message)


def test_a_report_cannot_be_empty(staff, activity):
    services.start(actor=staff, activity_id=activity.pk)
    with pytest.raises(RuleViolation):
        services.submit_report(actor=staff, activity_id=activity.pk, report=" ")


def test_capacity_cannot_drop_below_the_places_taken(staff, activity, mandate, other):
    f.invite_and_accept(staff, activity, mandate)
    f.invite_and_accept(staff, activity, other)
    activity.capacity = 1
    with pytest.raises(RuleViolation) as refused:
        services.save_activity(actor=staff, activity=activity)
    assert list(refused.value.fields) == ["capacity"]


def test_more_places_go_to_the_waiting_list(staff, activity, mandate, other, third):
    for m in (mandate, other):
        f.invite_and_accept(staff, activity, m)
    waiting = f.invite_and_accept(staff, activity, third)
    activity = Activity.objects.get(pk=activity.pk)
    activity.capacity = 3
    services.save_activity(actor=staff, activity=activity)
    waiting.refresh_from_db()
    assert waiting.status == "accepted"


def test_the_kinds_are_a_code_list_with_their_duty_items():
    kinds = dict(ActivityKind.objects.values_list("code", "duty_kind_id"))
    assert kinds["law_enforcement_check"] == "inspection"
    assert kinds["group_activity"] == "group_activity"
