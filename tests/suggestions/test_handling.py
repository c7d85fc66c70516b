"""Assignment, re-assignment, handling, extension, feedback, re-handling, merge and follow-up."""

from datetime import date

import pytest
import time_machine

from congress.errors import Forbidden, InvalidTransition, RuleViolation
from congress.models import Deadline
from suggestions import services
from suggestions.models import AssignmentStatus, RequestStatus, Status

from . import factories as f

pytestmark = pytest.mark.django_db


def _feedback(user, suggestion, reply, result="satisfied", comment=""):
    return services.give_feedback(actor=user, suggestion_id=suggestion.pk, reply_id=reply.pk, on_result=result,
                                  on_attitude="satisfied", comment=comment)  # fmt: skip


def test_assignment_needs_a_lead_or_separate_units(mandate, staff):
    suggestion = f.accepted(mandate, staff)
    with pytest.raises(RuleViolation):
        services.assign(actor=staff, suggestion_id=suggestion.pk)


def test_units_outside_the_congress_region_cannot_be_assigned(mandate, staff):
    from tests import factories as core

    elsewhere = core.OrganisationFactory(region=core.province("45", "广西壮族自治区"))
    suggestion = f.accepted(mandate, staff)
    with pytest.raises(RuleViolation):
        services.assign(actor=staff, suggestion_id=suggestion.pk, lead_id=elsewhere.pk)


def test_separate_assignment_is_replied_when_every_unit_has_replied(mandate, staff, lead_unit, co_unit):
    suggestion = f.accepted(mandate, staff)
    services.assign(actor=staff, suggestion_id=suggestion.pk, separate_ids=[lead_unit[0].pk, co_unit[0].pk])
    first, second = suggestion.assignments.order_by("id")
    f.reply_to(first, lead_unit[1])
    suggestion.refresh_from_db()
    assert suggestion.status == Status.IN_HANDLING
    f.reply_to(second, co_unit[1])
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REPLIED


def test_receipt_moves_the_suggestion_into_handling(mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=assignment.pk)
    suggestion.refresh_from_db()
    assert suggestion.status == Status.IN_HANDLING


def test_another_unit_cannot_act_on_the_assignment(mandate, staff, lead_unit, co_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    with pytest.raises(Forbidden):
        services.confirm_receipt(actor=co_unit[1], assignment_id=suggestion.assignments.get().pk)


def test_unit_asks_for_reassignment_within_the_window_and_staff_reassign(mandate, staff, lead_unit, co_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    request = services.request_reassignment(actor=lead_unit[1], assignment_id=assignment.pk, reason="不属于本单位职责")
    services.decide_reassignment(actor=staff, request_id=request.pk, approve=True, new_unit_id=co_unit[0].pk)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RELEASED
    new = suggestion.assignments.exclude(pk=assignment.pk).get()
    assert (new.unit, new.role) == (co_unit[0], "lead")
    assert not Deadline.objects.open().filter(object_id=assignment.pk, kind="assignment.reply").exists()
    assert Deadline.objects.open().filter(object_id=new.pk, kind="assignment.reply").exists()


def test_refused_reassignment_returns_the_unit_to_handling(mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=assignment.pk)
    request = services.request_reassignment(actor=lead_unit[1], assignment_id=assignment.pk, reason="不属于本单位")
    services.decide_reassignment(actor=staff, request_id=request.pk, approve=False, note="属于你单位职责")
    assignment.refresh_from_db()
    request.refresh_from_db()
    assert (assignment.status, request.status) == (AssignmentStatus.RECEIVED, RequestStatus.REFUSED)


def test_releasing_the_lead_needs_a_new_lead(mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    request = services.request_reassignment(
        actor=lead_unit[1], assignment_id=suggestion.assignments.get().pk, reason="不属于本单位"
    )
    with pytest.raises(RuleViolation):
        services.decide_reassignment(actor=staff, request_id=request.pk, approve=True)


def test_reassignment_request_after_the_window_is_refused_by_the_system(mandate, staff, lead_unit):
    with time_machine.travel("2026-09-28 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    # Five working days from Monday 28 September run over National Day to Saturday 10 October (adjusted).
    assert services.reassign_window_end(assignment) == date(2026, 10, 10)
    with time_machine.travel("2026-10-10 10:00 +0800", tick=False):
        services.request_reassignment(actor=lead_unit[1], assignment_id=assignment.pk, reason="不属于本单位")
    assignment.reassignment_requests.update(status="refused")
    assignment.status = AssignmentStatus.RECEIVED
    assignment.save()
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False), pytest.raises(RuleViolation) as error:
        services.request_reassignment(actor=lead_unit[1], assignment_id=assignment.pk, reason="不属于本单位")
    assert "2026-10-10" in str(error.value.message)


def test_an_open_reassignment_window_keeps_its_closing_day_when_the_policy_changes(congress, mandate, staff, lead_unit):
    from congress.models import PolicyValue

    PolicyValue.objects.create(congress=congress, key="suggestion.reassign_window", value=5)
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    # Five working days after Monday 2 November 2026 (no holiday that month): Monday 9 November.
    assert services.reassign_window_end(assignment) == date(2026, 11, 9)
    PolicyValue.objects.filter(congress=congress, key="suggestion.reassign_window").update(value=10)
    # Ten days would run to 16 November; the window opened under five still closes on the 9th.
    assert services.reassign_window_end(assignment) == date(2026, 11, 9)
    with time_machine.travel("2026-11-10 10:00 +0800", tick=False), pytest.raises(RuleViolation) as error:
        services.request_reassignment(actor=lead_unit[1], assignment_id=assignment.pk, reason="不属于本单位")
    assert "2026-11-09" in str(error.value.message)


def test_co_handler_sends_its_opinion_and_is_done(mandate, staff, lead_unit, co_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]])
    co = suggestion.assignments.get(unit=co_unit[0])
    services.confirm_receipt(actor=co_unit[1], assignment_id=co.pk)
    services.send_co_opinion(actor=co_unit[1], assignment_id=co.pk, opinion="同意主办单位意见")
    co.refresh_from_db()
    assert co.status == AssignmentStatus.DONE
    assert not Deadline.objects.open().filter(object_id=co.pk, kind="assignment.co_opinion").exists()


def test_co_handler_cannot_reply_to_the_deputy(mandate, staff, lead_unit, co_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]])
    co = suggestion.assignments.get(unit=co_unit[0])
    with pytest.raises(RuleViolation):
        f.reply_to(co, co_unit[1])


def test_reply_needs_a_pdf_letter(mandate, staff, lead_unit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=assignment.pk)
    fake = SimpleUploadedFile("letter.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(RuleViolation) as error:
        services.reply(actor=lead_unit[1], assignment_id=assignment.pk, text="答复", result="A", letter=fake)
    assert "letter" in error.value.fields


def test_b_and_c_replies_state_the_promised_follow_up(mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=assignment.pk)
    with pytest.raises(RuleViolation) as error:
        services.reply(actor=lead_unit[1], assignment_id=assignment.pk, text="答复", result="B", letter=f.pdf())
    assert "follow_up_plan" in error.value.fields


def test_three_category_congress_refuses_category_d(congress, mandate, staff, lead_unit):
    from congress.models import PolicyValue

    PolicyValue.objects.create(congress=congress, key="suggestion.result_categories", value=3)
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    with pytest.raises(RuleViolation):
        f.reply_to(suggestion.assignments.get(), lead_unit[1], result="D")


def test_extension_moves_the_reply_deadline(mandate, staff, lead_unit):
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, lead_unit[0])
        assignment = suggestion.assignments.get()
        assert assignment.reply_due == date(2026, 6, 10)
        services.confirm_receipt(actor=lead_unit[1], assignment_id=assignment.pk)
        request = services.request_extension(actor=lead_unit[1], assignment_id=assignment.pk, months=2,
                                             reason="需要跨部门协调")  # fmt: skip
        services.decide_extension(actor=staff, request_id=request.pk, approve=True)
    assignment.refresh_from_db()
    assert assignment.reply_due == date(2026, 8, 10)
    deadline = Deadline.objects.open().get(object_id=assignment.pk, kind="assignment.reply")
    assert (deadline.due_date, deadline.reminded_stage) == (date(2026, 8, 10), 0)


def test_extensions_never_pass_six_months_in_total(mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=assignment.pk)
    request = services.request_extension(actor=lead_unit[1], assignment_id=assignment.pk, months=2, reason="协调")
    services.decide_extension(actor=staff, request_id=request.pk, approve=True)
    with pytest.raises(RuleViolation) as error:
        services.request_extension(actor=lead_unit[1], assignment_id=assignment.pk, months=2, reason="再协调")
    assert "1" in str(error.value.fields["months"][0])


def test_dissatisfaction_needs_a_comment(mandate, deputy_user, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    reply = f.reply_to(suggestion.assignments.get(), lead_unit[1])
    with pytest.raises(RuleViolation):
        _feedback(deputy_user, suggestion, reply, "dissatisfied")


def test_second_dissatisfaction_goes_to_staff_who_close_by_decision(mandate, deputy_user, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    _feedback(deputy_user, suggestion, f.reply_to(assignment, lead_unit[1]), "dissatisfied", "不满意")
    assignment.refresh_from_db()
    assert assignment.reply_due is not None
    _feedback(deputy_user, suggestion, f.reply_to(assignment, lead_unit[1]), "dissatisfied", "仍不满意")
    assignment.refresh_from_db()
    suggestion.refresh_from_db()
    assert (assignment.status, suggestion.status) == (AssignmentStatus.DISPUTED, Status.REPLIED)
    closed = services.close(actor=staff, suggestion_id=suggestion.pk, decision="经主任会议研究，予以办结")
    assert closed.status == Status.CLOSED


def test_with_two_rehandling_rounds_a_third_dissatisfaction_goes_to_staff(congress, mandate, deputy_user, staff,
                                                                           lead_unit):  # fmt: skip
    from congress.models import PolicyValue

    PolicyValue.objects.create(congress=congress, key="suggestion.rehandle_rounds", value=2)
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    _feedback(deputy_user, suggestion, f.reply_to(assignment, lead_unit[1]), "dissatisfied", "不满意")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REHANDLING  # round one
    _feedback(deputy_user, suggestion, f.reply_to(assignment, lead_unit[1]), "dissatisfied", "仍不满意")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REHANDLING  # the second round the policy allows
    _feedback(deputy_user, suggestion, f.reply_to(assignment, lead_unit[1]), "dissatisfied", "还是不满意")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DISPUTED  # no third round
    assert Deadline.objects.filter(object_id=assignment.pk, kind="assignment.rehandle").count() == 2
    with pytest.raises(InvalidTransition):
        f.reply_to(assignment, lead_unit[1])


def test_close_by_decision_is_refused_without_a_second_dissatisfaction(mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    with pytest.raises(InvalidTransition):
        services.close(actor=staff, suggestion_id=suggestion.pk, decision="办结")


def test_category_b_stays_open_for_follow_up_until_solved(mandate, deputy_user, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    _feedback(deputy_user, suggestion, f.reply_to(assignment, lead_unit[1], result="B"))
    suggestion.refresh_from_db()
    assert suggestion.status == Status.FOLLOW_UP
    services.report_solved(actor=lead_unit[1], assignment_id=assignment.pk, note="项目已竣工")
    suggestion.refresh_from_db()
    assert suggestion.status == Status.CLOSED


def test_feedback_not_given_in_time_counts_as_accepted(mandate, staff, lead_unit):
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, lead_unit[0])
        reply = f.reply_to(suggestion.assignments.get(), lead_unit[1])
    # Twenty working days from 2 November end on 30 November: the deputy may still rate that day.
    assert services.lapse_feedback(today=date(2026, 11, 30)) == 0
    assert services.lapse_feedback(today=date(2026, 12, 1)) == 1
    assert services.lapse_feedback(today=date(2026, 12, 2)) == 0
    feedback = reply.feedback.get()
    suggestion.refresh_from_db()
    assert (feedback.deemed, suggestion.status) == (True, Status.CLOSED)


def test_merged_suggestions_are_handled_once_and_every_deputy_rates(congress, mandate, deputy_user, staff, lead_unit):
    other = f.deputy(congress)
    primary = f.accepted(mandate, staff)
    secondary = f.accepted(other, staff)
    services.merge(actor=staff, primary_id=primary.pk, other_ids=[secondary.pk])
    with pytest.raises(RuleViolation):
        services.assign(actor=staff, suggestion_id=secondary.pk, lead_id=lead_unit[0].pk)
    services.assign(actor=staff, suggestion_id=primary.pk, lead_id=lead_unit[0].pk)
    secondary.refresh_from_db()
    assert secondary.status == Status.ASSIGNED
    reply = f.reply_to(primary.assignments.get(), lead_unit[1])
    secondary.refresh_from_db()
    assert secondary.status == Status.REPLIED
    _feedback(deputy_user, primary, reply)
    primary.refresh_from_db()
    assert primary.status == Status.REPLIED  # waits for the other deputy
    _feedback(other.person.user, secondary, reply)
    primary.refresh_from_db()
    secondary.refresh_from_db()
    assert (primary.status, secondary.status) == (Status.CLOSED, Status.CLOSED)


def test_only_accepted_suggestions_can_be_merged(mandate, staff):
    primary = f.accepted(mandate, staff)
    pending = f.submitted(mandate)
    with pytest.raises(InvalidTransition):
        services.merge(actor=staff, primary_id=primary.pk, other_ids=[pending.pk])


def test_feedback_on_a_superseded_reply_is_refused(mandate, deputy_user, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    first = f.reply_to(assignment, lead_unit[1])
    _feedback(deputy_user, suggestion, first, "dissatisfied", "不满意")
    assignment.refresh_from_db()
    f.reply_to(assignment, lead_unit[1])
    with pytest.raises(RuleViolation):
        _feedback(deputy_user, suggestion, first)


def test_reply_settles_a_pending_extension_request(mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=assignment.pk)
    request = services.request_extension(actor=lead_unit[1], assignment_id=assignment.pk, months=1, reason="协调")
    f.reply_to(assignment, lead_unit[1])
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED


def test_bulk_assign_reports_each_failure_and_assigns_the_rest(mandate, staff, lead_unit):
    ready = f.accepted(mandate, staff)
    not_yet = f.submitted(mandate)
    done, failures = services.bulk_assign(actor=staff, suggestion_ids=[not_yet.pk, ready.pk], lead_id=lead_unit[0].pk)
    assert done == 1
    assert len(failures) == 1


def test_a_merged_suggestion_cannot_be_withdrawn_on_its_own(congress, mandate, staff):
    other = f.deputy(congress)
    primary = f.accepted(mandate, staff)
    secondary = f.accepted(other, staff)
    services.merge(actor=staff, primary_id=primary.pk, other_ids=[secondary.pk])
    with pytest.raises(RuleViolation):
        services.withdraw(actor=other.person.user, suggestion_id=secondary.pk)
