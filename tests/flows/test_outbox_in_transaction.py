"""Every message a service sends is stored in the transaction of the change it announces.

Each scenario runs one service and stops it dead the moment its transaction commits, as a process killed between
the commit and its next line would be. Whatever the action promises to send (notices, notifications, webhook
deliveries, background work) must already be in the outbox then: a message stored after the commit would be lost
with the process. A reading of the source finds every service that sends (tests/flows/notifying.py), so a new
one without a scenario here fails `test_every_sending_service_has_a_scenario`."""

import functools
import inspect
from contextlib import contextmanager
from datetime import date, time, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import transaction
from django.db.transaction import Atomic
from django.utils import timezone

import activities.experts
import activities.services
import deputies.services
import liaison_stations.services
import tests.activities.factories
import tests.training.factories
import training.services
from activities import services as activity_services
from cases import services as case_services
from cases.models import CampaignKind, RoundKind
from congress import services as congress_services
from congress import twofactor_sms, webhooks
from congress.models import (
    CalendarDay,
    CalendarYear,
    Notification,
    OutboxMessage,
    PolicyValue,
    SmsAuthenticator,
    WebhookDelivery,
    WebhookEndpoint,
)
from deputies.models import ImportJob
from livelihood import appraisal as livelihood_appraisal
from livelihood import carrying as livelihood_carrying
from livelihood import services as livelihood_services
from suggestions import services
from suggestions.models import Assignment, KeySupervision, Kind, RequestStatus, Suggestion
from tests import factories as core
from tests.activities import factories as activity_factories
from tests.cases import factories as case_factories
from tests.deputies.factories import current_term, delegation
from tests.deputies.test_import import upload, xlsx
from tests.deputies.test_import_recovery import TWO_ROWS, claimed_by_a_dead_worker
from tests.liaison_stations.factories import held_reception, managed_station, stationed_deputy
from tests.liaison_stations.test_opinions import submit
from tests.livelihood import factories as livelihood_factories
from tests.suggestions import factories as suggestion_factories

from .notifying import canonical, modules_of, senders

# Where services live; the workflow tables, the notices and the shared helpers are read too, for what they send
# (congress.webhooks is both: its replay is a service, its emit the helper every webhook goes through).
SERVICE_MODULES = [
    "activities.services",
    "activities.experts",
    "suggestions.services",
    "cases.services",
    "liaison_stations.services",
    "training.services",
    "activities.services",
    "deputies.services",
    "congress.services",
    "congress.webhooks",
    "congress.twofactor_sms",
    "livelihood.services",
    "livelihood.appraisal",
    "livelihood.carrying",
]
READ_TOO = [
    "suggestions.workflow",
    "cases.workflow",
    "liaison_stations.workflow",
    "liaison_stations.notices",
    "training.workflow",
    "training.notices",
    "activities.workflow",
    "deputies.workflow",
    "congress.outbox",
    "congress.notifications",
    "congress.deadlines",
    "congress.jobs",
    "congress.sms",
    "congress.messaging",
    "livelihood.workflow",
    "livelihood.events",
]


class Crash(Exception):
    """The process dies right after a transaction commits."""


@contextmanager
def crash_after_commit():
    """Raise Crash as soon as the outermost transaction the code under test opened has committed (in a test, the
    blocks the test case itself holds open do not count)."""
    exit_block = Atomic.__exit__

    def exit_then_crash(self, exc_type, exc_value, traceback):
        result = exit_block(self, exc_type, exc_value, traceback)
        blocks = transaction.get_connection(self.using).atomic_blocks
        if exc_type is None and all(block._from_testcase for block in blocks):
            raise Crash
        return result

    with mock.patch.object(Atomic, "__exit__", exit_then_crash):
        yield


def sent() -> set[str]:
    """The messages stored in the outbox, as `task:event` for notices, `webhook:event` for webhook deliveries,
    `notification` for a notification's delivery and the task's name for other work."""
    labels = set()
    for message in OutboxMessage.objects.all():
        if message.task.endswith(".tell"):
            labels.add(f"{message.task}:{message.args[0]}")
        elif message.task.endswith("deliver_webhook"):
            labels.add(f"webhook:{WebhookDelivery.objects.get(pk=message.args[0]).event}")
        elif message.task.endswith(("deliver_notification", "deliver_notifications")):
            labels.add("notification")
        else:
            labels.add(message.task)
    return labels


class World:
    """A congress with its staff, a deputy, a lead and a co-handling unit with their officers, and an integration
    client subscribed to every webhook event (so state changes are delivered somewhere). `capture` is pytest-django's
    django_capture_on_commit_callbacks, for a preparation that needs the work a commit starts (a roster file checked
    in the background): inside the test's transaction nothing commits otherwise."""

    def __init__(self, capture):
        self.capture = capture
        self.congress = core.CongressFactory()
        current_term(self.congress)
        self.staff = core.staff_of(self.congress)
        self.mandate = suggestion_factories.deputy(self.congress)
        self.deputy = self.mandate.person.user
        self.lead, self.lead_officer = suggestion_factories.unit_with_officer(self.congress, "省教育厅")
        self.co, self.co_officer = suggestion_factories.unit_with_officer(self.congress, "省财政厅")
        self.client, _token = congress_services.create_api_client(
            actor=None, name="省平台", congress=self.congress,
            scopes=["suggestions:read", "deputies:read", "stations:read", "activities:read"],
            owner=core.UserFactory(),
        )  # fmt: skip
        WebhookEndpoint.objects.create(client=self.client, url="https://example.cn/hook",
                                       events=list(webhooks.EVENTS), secret="s" * 32)  # fmt: skip

    # Suggestions brought to a state through the real services

    def draft(self, **fields):
        return suggestion_factories.draft(self.mandate, **fields)

    def submitted(self, **fields):
        return suggestion_factories.submitted(self.mandate, **fields)

    def accepted(self, **fields):
        return suggestion_factories.accepted(self.mandate, self.staff, **fields)

    def assignment(self, co=False):
        suggestion = suggestion_factories.assigned(self.mandate, self.staff, self.lead, co=[self.co] if co else [])
        unit = self.co if co else self.lead
        return Assignment.objects.get(suggestion=suggestion, unit=unit)

    def received(self, co=False):
        assignment = self.assignment(co)
        officer = self.co_officer if co else self.lead_officer
        services.confirm_receipt(actor=officer, assignment_id=assignment.pk)
        return assignment

    def replied(self, result="A"):
        assignment = self.assignment()
        return suggestion_factories.reply_to(assignment, self.lead_officer, result=result)

    def rate(self, answer, satisfied=True):
        value = "satisfied" if satisfied else "dissatisfied"
        services.give_feedback(actor=self.deputy, suggestion_id=answer.assignment.suggestion_id, reply_id=answer.pk,
                               on_result=value, on_attitude=value, comment="" if satisfied else "未解决")  # fmt: skip

    def disputed(self):
        answer = self.replied()
        self.rate(answer, satisfied=False)
        answer = suggestion_factories.reply_to(answer.assignment, self.lead_officer)
        self.rate(answer, satisfied=False)
        return answer.assignment


TELL = "suggestions.tasks.tell"


# Each scenario prepares the world and returns the one call to run.


def _create_draft(w):
    other = suggestion_factories.deputy(w.congress)
    fields = {"title": "加强课后服务", "category": suggestion_factories.CategoryFactory(congress=w.congress)}
    return lambda: services.create_draft(
        actor=w.deputy, mandate_id=w.mandate.pk, fields=fields, cosigner_ids=[other.pk]
    )


def _prepare_draft(w):
    """Staff prepare a draft in the deputy's name: the co-signer's invitation commits with it."""
    other = suggestion_factories.deputy(w.congress)
    return lambda: services.prepare_draft(
        actor=w.staff, mandate_id=w.mandate.pk, fields={"title": "加强课后服务"}, cosigner_ids=[other.pk]
    )


def _finding_to_draft(w):
    """An activity's finding becomes the deputy's draft, the other participant invited to co-sign with it."""
    activity = activity_factories.activity(w.staff, w.congress)
    other = suggestion_factories.deputy(w.congress)
    invitations = [activity_factories.invite_and_accept(w.staff, activity, m) for m in (w.mandate, other)]
    activity_services.record_attendance(actor=w.staff, sitting_id=activity.sittings.get().pk,
                                        marks={i.pk: "present" for i in invitations})  # fmt: skip
    activity_services.start(actor=w.staff, activity_id=activity.pk)
    activity_services.submit_report(
        actor=w.staff, activity_id=activity.pk, report="调研报告", findings=["课后服务不足"]
    )
    finding = activity.findings.get()
    return lambda: activity_services.finding_to_draft(actor=w.staff, finding_id=finding.pk, lead_id=w.mandate.pk)


def _save_draft(w):
    suggestion, other = w.draft(), suggestion_factories.deputy(w.congress)
    return lambda: services.save_draft(actor=w.deputy, suggestion_id=suggestion.pk, fields={}, cosigner_ids=[other.pk])


def _submit(w):
    suggestion = w.draft()
    return lambda: services.submit(actor=w.deputy, suggestion_id=suggestion.pk)


def _save_form(w):
    """The deputy's form, new and sent at once: the draft, its co-signer's invitation and the submission commit
    together."""
    category, other = suggestion_factories.CategoryFactory(congress=w.congress), suggestion_factories.deputy(w.congress)
    fields = {"title": "加强课后服务", "content": suggestion_factories.CONTENT, "category": category}
    return lambda: services.save_form(
        actor=w.deputy, mandate_id=w.mandate.pk, suggestion_id=None, fields=fields, cosigner_ids=[other.pk],
        submitting=True,
    )  # fmt: skip


def _intake(w):
    category = suggestion_factories.CategoryFactory(congress=w.congress)
    fields = {"title": "加强课后服务", "content": suggestion_factories.CONTENT, "category": category}
    return lambda: services.intake(actor=w.staff, mandate_id=w.mandate.pk, fields=fields)


def _withdraw(w):
    suggestion = w.submitted()
    return lambda: services.withdraw(actor=w.deputy, suggestion_id=suggestion.pk)


def _withdraw_cosign(w):
    """A confirmed co-signer withdraws and the submitted motion falls below its threshold of two deputies."""
    PolicyValue.objects.create(congress=w.congress, key="motion.cosigner_threshold", value=2)
    other = suggestion_factories.deputy(w.congress)
    motion = w.draft(kind=Kind.MOTION)
    services.save_draft(actor=w.deputy, suggestion_id=motion.pk, fields={}, cosigner_ids=[other.pk])
    cosigner = motion.cosigners.get()
    services.respond_cosign(actor=other.person.user, cosigner_id=cosigner.pk, confirm=True)
    services.submit(actor=w.deputy, suggestion_id=motion.pk)
    return lambda: services.respond_cosign(actor=other.person.user, cosigner_id=cosigner.pk, confirm=False)


def _accept(w):
    suggestion = w.submitted()
    return lambda: services.accept(actor=w.staff, suggestion_id=suggestion.pk)


def _accept_with_unconfirmed(w):
    """Accepted while one co-signer has not confirmed: the co-signer and the lead deputy are told."""
    suggestion, other = w.draft(), suggestion_factories.deputy(w.congress)
    services.save_draft(actor=w.deputy, suggestion_id=suggestion.pk, fields={}, cosigner_ids=[other.pk])
    services.submit(actor=w.deputy, suggestion_id=suggestion.pk)
    return lambda: services.accept(actor=w.staff, suggestion_id=suggestion.pk)


def _return(w):
    suggestion = w.submitted()
    return lambda: services.return_for_revision(actor=w.staff, suggestion_id=suggestion.pk, comment="请补充数据")


def _decline(w):
    suggestion = w.submitted()
    return lambda: services.decline(actor=w.staff, suggestion_id=suggestion.pk, reason="personal")


def _convert_motion(w):
    PolicyValue.objects.create(congress=w.congress, key="motion.cosigner_threshold", value=1)
    motion = w.submitted(kind=Kind.MOTION)
    return lambda: services.convert_motion(actor=w.staff, suggestion_id=motion.pk)


def _assign(w):
    suggestion = w.accepted()
    return lambda: services.assign(actor=w.staff, suggestion_id=suggestion.pk, lead_id=w.lead.pk, co_ids=[w.co.pk])


def _start_bulk_assign(w):
    suggestion = w.accepted()
    return lambda: services.start_bulk_assign(actor=w.staff, suggestion_ids=[suggestion.pk], lead_id=w.lead.pk)


def _start_assignment_letters(w):
    assignment = w.assignment()
    return lambda: services.start_assignment_letters(
        actor=w.staff, congress=w.congress, assigned_on=assignment.assigned_on, session_id=assignment.session_id,
        fmt="docx",
    )  # fmt: skip


def _start_reminder_letters(w):
    # Assigned four months ago: its reply, due after three, is overdue now.
    with time_machine.travel(timezone.now() - timedelta(days=125), tick=False):
        w.assignment()
    return lambda: services.start_reminder_letters(actor=w.staff, congress=w.congress, fmt="docx")


def _session_assignment(w):
    session = suggestion_factories.session_of(current_term(w.congress))
    return suggestion_factories.assigned(w.mandate, w.staff, w.lead, session=session).session_id


def _start_assignment_list(w):
    session_id = _session_assignment(w)
    return lambda: services.start_assignment_list(actor=w.staff, congress=w.congress, session_id=session_id,
                                                  fmt="docx")  # fmt: skip


def _start_suggestion_compilation(w):
    session_id = _session_assignment(w)
    return lambda: services.start_suggestion_compilation(actor=w.staff, congress=w.congress, session_id=session_id,
                                                         fmt="pdf")  # fmt: skip


def _start_reply_compilation(w):
    answer = w.replied()
    suggestion = services.publish(actor=w.staff, suggestion_id=answer.assignment.suggestion_id)
    year = suggestion.published_at.year
    return lambda: services.start_reply_compilation(actor=w.staff, congress=w.congress, year=year, fmt="docx")


def _confirm_receipt(w):
    assignment = w.assignment()
    return lambda: services.confirm_receipt(actor=w.lead_officer, assignment_id=assignment.pk)


def _request_reassignment(w):
    assignment = w.assignment()
    return lambda: services.request_reassignment(
        actor=w.lead_officer, assignment_id=assignment.pk, reason="非本单位职责"
    )


def _decide_reassignment(w):
    assignment = w.assignment()
    services.request_reassignment(actor=w.lead_officer, assignment_id=assignment.pk, reason="非本单位职责")
    pending = assignment.reassignment_requests.get(status=RequestStatus.PENDING)
    return lambda: services.decide_reassignment(actor=w.staff, request_id=pending.pk, approve=True,
                                                new_unit_id=w.co.pk)  # fmt: skip


def _send_co_opinion(w):
    assignment = w.received(co=True)
    return lambda: services.send_co_opinion(actor=w.co_officer, assignment_id=assignment.pk, opinion="同意主办单位意见")


def _reply(w):
    assignment = w.received()
    return lambda: services.reply(actor=w.lead_officer, assignment_id=assignment.pk, text="已办理", result="A",
                                  letter=suggestion_factories.pdf())  # fmt: skip


def _request_extension(w):
    assignment = w.received()
    return lambda: services.request_extension(actor=w.lead_officer, assignment_id=assignment.pk, months=1,
                                              reason="需协调")  # fmt: skip


def _decide_extension(w):
    assignment = w.received()
    request = services.request_extension(actor=w.lead_officer, assignment_id=assignment.pk, months=1, reason="需协调")
    return lambda: services.decide_extension(actor=w.staff, request_id=request.pk, approve=True)


def _give_feedback(w):
    answer = w.replied()
    return lambda: w.rate(answer, satisfied=False)


def _lapse_feedback(w):
    w.replied()
    later = timezone.now() + timedelta(days=60)

    def run():
        with time_machine.travel(later):
            services.lapse_feedback()

    return run


def _close(w):
    assignment = w.disputed()
    return lambda: services.close(actor=w.staff, suggestion_id=assignment.suggestion_id, decision="主任会议决定办结")


def _report_solved(w):
    answer = w.replied(result="B")
    w.rate(answer)
    return lambda: services.report_solved(actor=w.lead_officer, assignment_id=answer.assignment_id, note="已解决")


def _publish(w):
    answer = w.replied()
    return lambda: services.publish(actor=w.staff, suggestion_id=answer.assignment.suggestion_id)


def _add_progress(w):
    assignment = w.assignment()
    item = KeySupervision(congress=w.congress, year=timezone.localdate().year, title="课后服务", leader=w.staff)
    item = services.save_key_item(actor=w.staff, item=item, suggestion_ids=[assignment.suggestion_id])
    return lambda: services.add_progress(actor=w.staff, item_id=item.pk, text="请加快办理", unit_id=w.lead.pk)


def _remind(w):
    assignment = w.assignment()
    return lambda: services.remind(actor=w.staff, suggestion_ids=[assignment.suggestion_id])


def _remind_units(w):
    assignment = w.assignment()
    return lambda: services.remind_units(actor=w.staff, assignment_ids=[assignment.pk])


STATE = "webhook:suggestion.status_changed"
# service: (prepare, the messages its call must have stored by the time its transaction commits), or a list of them
# for a service that sends along several paths (one scenario each)
SCENARIOS = {
    services.create_draft: (_create_draft, {f"{TELL}:cosign_invited"}),
    services.prepare_draft: (_prepare_draft, {f"{TELL}:cosign_invited"}),
    activity_services.finding_to_draft: (_finding_to_draft, {f"{TELL}:cosign_invited"}),
    services.save_draft: (_save_draft, {f"{TELL}:cosign_invited"}),
    services.submit: (_submit, {f"{TELL}:submitted", STATE}),
    services.save_form: (_save_form, {f"{TELL}:cosign_invited", f"{TELL}:submitted", STATE}),
    services.intake: (_intake, {f"{TELL}:submitted", f"{TELL}:entered", STATE}),
    services.withdraw: (_withdraw, {STATE}),
    services.respond_cosign: (_withdraw_cosign, {f"{TELL}:fell_short", STATE}),
    services.accept: [
        (_accept, {f"{TELL}:accepted", STATE}),
        (_accept_with_unconfirmed, {f"{TELL}:accepted", f"{TELL}:cosign_lapsed", f"{TELL}:cosigners_lapsed", STATE}),
    ],
    services.return_for_revision: (_return, {f"{TELL}:returned", STATE}),
    services.decline: (_decline, {f"{TELL}:declined", STATE}),
    services.convert_motion: (_convert_motion, {f"{TELL}:converted"}),
    services.assign: (_assign, {f"{TELL}:assigned", STATE}),
    services.start_bulk_assign: (_start_bulk_assign, {"congress.tasks.run_console_job"}),
    services.start_assignment_letters: (_start_assignment_letters, {"congress.tasks.run_console_job"}),
    services.start_reminder_letters: (_start_reminder_letters, {"congress.tasks.run_console_job"}),
    services.start_assignment_list: (_start_assignment_list, {"congress.tasks.run_console_job"}),
    services.start_suggestion_compilation: (_start_suggestion_compilation, {"congress.tasks.run_console_job"}),
    services.start_reply_compilation: (_start_reply_compilation, {"congress.tasks.run_console_job"}),
    services.confirm_receipt: (_confirm_receipt, {STATE}),
    services.request_reassignment: (_request_reassignment, {f"{TELL}:reassignment_requested"}),
    services.decide_reassignment: (_decide_reassignment, {f"{TELL}:reassignment_decided", f"{TELL}:assigned"}),
    services.send_co_opinion: (_send_co_opinion, {f"{TELL}:co_opinion"}),
    services.reply: (_reply, {f"{TELL}:replied", "webhook:suggestion.replied", STATE}),
    services.request_extension: (_request_extension, {f"{TELL}:extension_requested"}),
    services.decide_extension: (_decide_extension, {f"{TELL}:extension_decided"}),
    services.give_feedback: (_give_feedback, {f"{TELL}:rehandling", STATE}),
    services.lapse_feedback: (_lapse_feedback, {STATE}),
    services.close: (_close, {STATE}),
    services.report_solved: (_report_solved, {STATE}),
    services.publish: (_publish, {"webhook:suggestion.published"}),
    services.add_progress: (_add_progress, {f"{TELL}:supervision_notice"}),
    services.remind: (_remind, {"notification"}),
    services.remind_units: (_remind_units, {"notification"}),
}

# Excellent-case selection: a campaign with cases A to E from one unit, and a ballot round of three voters.

CASES = "cases.tasks.tell"


class Selection:
    def __init__(self, w):
        self.w = w
        self.unit, self.officer = case_factories.unit_with_officer(w.congress, "广州市人大常委会")
        with case_factories.travel("2023-09-10 10:00"):
            self.campaign = case_factories.campaign(w.staff, w.congress, [self.unit])
            self.cases = [case_factories.submission(self.officer, self.campaign, title=label,
                                                    level=w.mandate.level, mandates=[w.mandate])
                          for label in "ABCDE"]  # fmt: skip

    def closed_to_submissions(self):
        with case_factories.travel("2023-09-30 18:00"):
            case_services.close_submissions(actor=self.w.staff, campaign_id=self.campaign.pk)
        return self

    def ballot_round(self, *, open_it=True):
        self.voters = case_factories.voters(3)
        with case_factories.travel("2023-10-01 09:00"):
            made = case_factories.round_(
                self.w.staff,
                self.campaign,
                RoundKind.BALLOT,
                voters=[(u, None) for u in self.voters],
                approvals_per_voter=2,
                advance=2,
            )
            return case_services.open_round(actor=self.w.staff, round_id=made.pk) if open_it else made  # fmt: skip

    def vote(self, round_, approvals):
        with case_factories.travel("2023-10-10 10:00"):
            case_factories.cast_all(round_, self.voters, approvals)


def _announce(w):
    unit, _officer = case_factories.unit_with_officer(w.congress)
    campaign = case_factories.campaign(w.staff, w.congress, [unit], announce=False)
    return lambda: case_services.announce(actor=w.staff, campaign_id=campaign.pk)


def _return_submission(w):
    case = Selection(w).cases[0]
    return lambda: case_services.return_submission(actor=w.staff, submission_id=case.pk, reason="材料不全")


def _reject_submission(w):
    case = Selection(w).cases[0]
    return lambda: case_services.reject_submission(actor=w.staff, submission_id=case.pk, reason="不符合条件")


def _open_round(w):
    round_ = Selection(w).closed_to_submissions().ballot_round(open_it=False)

    def run():
        with case_factories.travel("2023-10-01 10:00"):
            case_services.open_round(actor=w.staff, round_id=round_.pk)

    return run


def _close_round_with_a_tie(w):
    selection = Selection(w).closed_to_submissions()
    round_ = selection.ballot_round()
    a, b, c, d, _e = (case.pk for case in selection.cases)
    selection.vote(round_, [[a, b], [a, c], [a, d]])  # A goes on, B, C and D tie for the last place

    def run():
        with case_factories.travel("2023-10-10 11:00"):
            case_services.close_round(actor=w.staff, round_id=round_.pk)

    return run


def _finish(w):
    selection = Selection(w).closed_to_submissions()
    round_ = selection.ballot_round()
    a, b, c, _d, _e = (case.pk for case in selection.cases)
    selection.vote(round_, [[a, b], [a, b], [a, c]])
    with case_factories.travel("2023-10-10 11:00"):
        case_services.close_round(actor=w.staff, round_id=round_.pk)
        case_services.decide_round(actor=w.staff, round_id=round_.pk)
    return lambda: case_services.finish(actor=w.staff, campaign_id=selection.campaign.pk)


SCENARIOS.update({
    case_services.announce: (_announce, {f"{CASES}:announced"}),
    case_services.return_submission: (_return_submission, {f"{CASES}:return"}),
    case_services.reject_submission: (_reject_submission, {f"{CASES}:reject"}),
    case_services.open_round: (_open_round, {f"{CASES}:round_opened"}),
    case_services.close_round: (_close_round_with_a_tie, {f"{CASES}:tie"}),
    case_services.finish: (_finish, {f"{CASES}:finished", "cases.tasks.record_awards"}),
})  # fmt: skip

# Liaison stations: a station of the world's congress with its manager and a deputy stationed there.

STATIONS = "liaison_stations.tasks.tell"


class Stations:
    def __init__(self, w):
        self.station, self.manager = managed_station(congress=w.congress)
        self.mandate, self.deputy = stationed_deputy(self.station)

    def opinion(self, **fields):
        # Long enough to serve as the content of the suggestion a deputy may make of it.
        return submit(self.station, content="村口公交站台没有遮雨棚，雨天老人和学生候车十分困难，希望尽快增设候车亭。",
                      **fields)  # fmt: skip

    def triaged(self, route, **fields):
        opinion = self.opinion()
        return liaison_stations.services.triage(actor=self.manager, opinion_id=opinion.pk, route=route, **fields)

    def reception(self, *, publish=False):
        reception = liaison_stations.services.plan_reception(
            actor=self.manager, station_id=self.station.pk, day=timezone.localdate() + timedelta(days=5),
            start=time(9), end=time(12), mandate_ids=[self.mandate.pk],
        )  # fmt: skip
        if publish:
            liaison_stations.services.publish_reception(actor=self.manager, reception_id=reception.pk)
        return reception


def _submit_opinion(w):
    return Stations(w).opinion


def _record_opinion(w):
    stations = Stations(w)
    fields = {"phone": "13912345678", "category": "urban", "content": "公交站台没有遮雨棚。"}
    return lambda: liaison_stations.services.record_opinion(actor=stations.deputy, station_id=stations.station.pk,
                                                            **fields)  # fmt: skip


def _refer(w):
    stations = Stations(w)
    opinion = stations.opinion()
    return lambda: liaison_stations.services.triage(actor=stations.manager, opinion_id=opinion.pk, route="referred",
                                                    unit_id=w.lead.pk)  # fmt: skip


def _take_up_as_a_suggestion(w):
    stations = Stations(w)
    opinion = stations.opinion()
    return lambda: liaison_stations.services.triage(actor=stations.manager, opinion_id=opinion.pk,
                                                    route="to_suggestion", mandate_id=stations.mandate.pk)  # fmt: skip


def _answer_with_sms(w):
    stations = Stations(w)
    opinion = stations.opinion(sms_wanted=True)
    return lambda: liaison_stations.services.triage(actor=stations.manager, opinion_id=opinion.pk, route="answered",
                                                    answer="已当场解释政策。")  # fmt: skip


def _unit_reply_with_sms(w):
    stations = Stations(w)
    opinion = stations.opinion(sms_wanted=True)
    liaison_stations.services.triage(actor=stations.manager, opinion_id=opinion.pk, route="referred",
                                     unit_id=w.lead.pk)  # fmt: skip
    return lambda: liaison_stations.services.unit_reply(actor=w.lead_officer, opinion_id=opinion.pk,
                                                        reply="已安排维修。")  # fmt: skip


def _give_opinion_feedback(w):
    stations = Stations(w)
    opinion = stations.triaged("answered", answer="已解释政策。")
    return lambda: liaison_stations.services.give_feedback(actor=stations.manager, opinion_id=opinion.pk,
                                                           feedback="已电话告知。")  # fmt: skip


def _remind_handlers(w):
    stations = Stations(w)
    opinion = stations.opinion()  # its triage is owed by the station's manager
    return lambda: liaison_stations.services.remind_handlers(actor=stations.manager, opinion_ids=[opinion.pk])


def _suggestion_from_an_opinion(w, stations, *, sms_wanted=False):
    """The suggestion a deputy made of a citizen's opinion, submitted."""
    opinion = stations.opinion(sms_wanted=sms_wanted)
    liaison_stations.services.triage(actor=stations.manager, opinion_id=opinion.pk, route="to_suggestion",
                                     mandate_id=stations.mandate.pk)  # fmt: skip
    suggestion = Suggestion.objects.get(opinion=opinion)
    category = suggestion_factories.CategoryFactory(congress=w.congress)
    services.save_draft(actor=stations.deputy, suggestion_id=suggestion.pk, fields={"category": category})
    services.submit(actor=stations.deputy, suggestion_id=suggestion.pk)
    return suggestion


def _reply_to_a_suggestion_from_an_opinion(w, *, sms_wanted=False):
    """The reply to a suggestion a citizen's opinion became tells the station (a receiver of the reply's signal)."""
    stations = Stations(w)
    suggestion = _suggestion_from_an_opinion(w, stations, sms_wanted=sms_wanted)
    services.accept(actor=w.staff, suggestion_id=suggestion.pk)
    services.assign(actor=w.staff, suggestion_id=suggestion.pk, lead_id=w.lead.pk)
    assignment = Assignment.objects.get(suggestion=suggestion)
    services.confirm_receipt(actor=w.lead_officer, assignment_id=assignment.pk)
    return lambda: services.reply(actor=w.lead_officer, assignment_id=assignment.pk, text="已列入明年建设计划。",
                                  result="A", letter=suggestion_factories.pdf())  # fmt: skip


def _reply_to_a_suggestion_from_an_opinion_whose_citizen_asked_for_an_sms(w):
    """The citizen asked to be texted: the SMS is stored with the reply too."""
    return _reply_to_a_suggestion_from_an_opinion(w, sms_wanted=True)


def _decline_a_suggestion_from_an_opinion(w):
    """Declined, the suggestion has its outcome as well: the station is told."""
    suggestion = _suggestion_from_an_opinion(w, Stations(w))
    return lambda: services.decline(actor=w.staff, suggestion_id=suggestion.pk, reason="personal")


def _withdraw_a_suggestion_from_an_opinion(w):
    """Withdrawn by the deputy, likewise; the citizen who asked is texted."""
    stations = Stations(w)
    suggestion = _suggestion_from_an_opinion(w, stations, sms_wanted=True)
    return lambda: services.withdraw(actor=stations.deputy, suggestion_id=suggestion.pk, reason="已另行反映")


def _publish_reception(w):
    stations = Stations(w)
    reception = stations.reception()
    return lambda: liaison_stations.services.publish_reception(actor=stations.manager, reception_id=reception.pk)


def _cancel_published_reception(w):
    stations = Stations(w)
    reception = stations.reception(publish=True)
    return lambda: liaison_stations.services.cancel_reception(actor=stations.manager, reception_id=reception.pk,
                                                              reason="台风")  # fmt: skip


def _mark_present(w):
    stations = Stations(w)
    reception = held_reception(stations.station)
    return lambda: liaison_stations.services.mark_present(actor=stations.manager, reception_id=reception.pk,
                                                          mandate_ids=[stations.mandate.pk])  # fmt: skip


def _remind_visit_quota(w):
    Stations(w)  # its deputy, like the world's, has made no station visit by the last month of the quarter

    def run():
        with time_machine.travel("2026-06-01 09:00 +0800", tick=False):
            liaison_stations.services.remind_visit_quota()

    return run


def _remind_duty_quotas(w):
    Stations(w)  # its deputy has had no reception, voter contact or group activity by the quarter's last month

    def run():
        with time_machine.travel("2026-06-01 09:00 +0800", tick=False):
            liaison_stations.services.remind_duty_quotas()

    return run


SCENARIOS.update({
    liaison_stations.services.mark_present: (_mark_present, {f"{STATIONS}:attendance_marked"}),
    liaison_stations.services.submit_opinion: (_submit_opinion, {f"{STATIONS}:opinion_received"}),
    liaison_stations.services.record_opinion: (_record_opinion, {f"{STATIONS}:opinion_received"}),
    # Answered on the spot or declined, an opinion tells nobody until its feedback.
    liaison_stations.services.triage: [
        (_refer, {f"{STATIONS}:opinion_referred"}),
        (_take_up_as_a_suggestion, {f"{STATIONS}:opinion_taken_up"}),
        (_answer_with_sms, {"liaison_stations.tasks.text_citizen"}),
    ],
    liaison_stations.services.unit_reply: (_unit_reply_with_sms, {"liaison_stations.tasks.text_citizen"}),
    liaison_stations.services.give_feedback: (_give_opinion_feedback, {"webhook:opinion.closed"}),
    liaison_stations.services.remind_handlers: (_remind_handlers, {"notification"}),
    liaison_stations.services.note_suggestion_outcome: [
        (_reply_to_a_suggestion_from_an_opinion, {f"{STATIONS}:suggestion_settled"}),
        (_reply_to_a_suggestion_from_an_opinion_whose_citizen_asked_for_an_sms,
         {f"{STATIONS}:suggestion_settled", "liaison_stations.tasks.text_citizen"}),
        (_decline_a_suggestion_from_an_opinion, {f"{STATIONS}:suggestion_settled"}),
        (_withdraw_a_suggestion_from_an_opinion,
         {f"{STATIONS}:suggestion_settled", "liaison_stations.tasks.text_citizen"}),
    ],
    liaison_stations.services.publish_reception: (_publish_reception, {f"{STATIONS}:reception_published"}),
    liaison_stations.services.cancel_reception: (_cancel_published_reception, {f"{STATIONS}:reception_cancelled"}),
    liaison_stations.services.remind_visit_quota: (_remind_visit_quota, {"notification"}),
    liaison_stations.services.remind_duty_quotas: (_remind_duty_quotas, {"notification"}),
})  # fmt: skip

# Training: courses of two places sitting in June 2026, as tests/training builds them, so the enrolment scenarios
# are prepared and run on 11 May 2026 (the day of its `may` fixture).

TRAINING = "training.tasks.tell"
MAY = "2026-05-11 10:00 +0800"


def in_may(prepare):
    """Prepare the scenario and run its call on 11 May 2026, before the courses sit."""

    @functools.wraps(prepare)
    def prepared(w):
        with time_machine.travel(MAY, tick=False):
            call = prepare(w)

        def run():
            with time_machine.travel(MAY, tick=False):
                call()

        return run

    return prepared


def _course(w, **fields):
    return tests.training.factories.course(w.staff, w.congress, **fields)


def _deputies(w, count):
    return [tests.training.factories.deputy(w.congress) for _ in range(count)]


def _signed_up(w, course, count):
    """Enrolments of new deputies signed up for the course, in order: past its places, onto the waiting list."""
    return [tests.training.factories.sign_up(mandate, course) for mandate in _deputies(w, count)]


@in_may
def _raise_capacity(w):
    course = _course(w)
    _signed_up(w, course, 3)  # the third waits for a place
    course.capacity = 3
    return lambda: training.services.save_course(actor=w.staff, course=course)


@in_may
def _cancel_course(w):
    course = _course(w)
    _signed_up(w, course, 1)
    return lambda: training.services.cancel_course(actor=w.staff, course_id=course.pk, reason="因故延期")


@in_may
def _nominate(w):
    course = _course(w)
    ids = [mandate.pk for mandate in _deputies(w, 3)]  # two places: the third goes onto the waiting list
    return lambda: training.services.nominate(actor=w.staff, course_id=course.pk, mandate_ids=ids)


@in_may
def _nominate_new_deputies(w):
    course = _course(w, kind="induction", capacity=10)  # the world's deputy serves a first term
    return lambda: training.services.nominate_new_deputies(actor=w.staff, course_id=course.pk)


@in_may
def _sign_up(w):
    course = _course(w)
    return lambda: tests.training.factories.sign_up(w.mandate, course)


def _nominated(w, course, count):
    result = training.services.nominate(actor=w.staff, course_id=course.pk,
                                        mandate_ids=[mandate.pk for mandate in _deputies(w, count)])  # fmt: skip
    return result.nominated


@in_may
def _confirm_by_phone(w):
    """A deputy confirming their own place tells nobody; confirmed by the office (an answer given by phone), the
    deputy gets the confirmation."""
    [enrolment] = _nominated(w, _course(w), 1)
    return lambda: training.services.confirm(actor=w.staff, enrolment_id=enrolment.pk)


@in_may
def _decline(w):
    declining, _other = _nominated(w, _course(w), 3)  # the third waits for a place
    deputy = declining.mandate.person.user
    return lambda: training.services.decline(actor=deputy, enrolment_id=declining.pk, note="出差")


@in_may
def _approve(w):
    [enrolment] = _signed_up(w, _course(w), 1)
    return lambda: training.services.approve(actor=w.staff, enrolment_id=enrolment.pk)


@in_may
def _refuse(w):
    [enrolment] = _signed_up(w, _course(w), 1)
    return lambda: training.services.refuse(actor=w.staff, enrolment_id=enrolment.pk, note="名额优先安排基层代表")


@in_may
def _give_up_a_place(w):
    course = _course(w)
    giving_up, _other, _waiting = _signed_up(w, course, 3)
    training.services.approve(actor=w.staff, enrolment_id=giving_up.pk)
    deputy = giving_up.mandate.person.user
    return lambda: training.services.cancel(actor=deputy, enrolment_id=giving_up.pk)


@in_may
def _cancel_a_place(w):
    [enrolment] = _signed_up(w, _course(w), 1)
    return lambda: training.services.cancel(actor=w.staff, enrolment_id=enrolment.pk, note="名额调整")


@in_may
def _remind_nominees(w):
    [enrolment] = _nominated(w, _course(w), 1)
    return lambda: training.services.remind_nominees(actor=w.staff, enrolment_ids=[enrolment.pk])


def _remind_sittings(w):
    with time_machine.travel(MAY, tick=False):
        tests.training.factories.confirmed(w.mandate, _course(w), w.staff)

    def run():
        with time_machine.travel("2026-05-31 17:00 +0800", tick=False):  # the day before the first sitting
            training.services.remind_sittings()

    return run


def _remind_induction(w):
    with time_machine.travel(MAY, tick=False):
        plan = tests.training.factories.plan(w.staff, w.congress, kind="annual", year=2026, title="2026年计划")
        tests.training.factories.deputy(w.congress, start_date=date(2026, 3, 1))  # seated in a by-election
        tests.training.factories.goal(w.staff, plan, kind="induction")

    def run():
        with time_machine.travel("2026-12-02 09:00 +0800", tick=False):  # within a month of the plan's end
            training.services.remind_induction()

    return run


SCENARIOS.update({
    training.services.save_course: (_raise_capacity, {f"{TRAINING}:promoted"}),
    training.services.cancel_course: (_cancel_course, {f"{TRAINING}:course_cancelled"}),
    training.services.nominate: (_nominate, {f"{TRAINING}:nominated", f"{TRAINING}:waitlisted"}),
    training.services.nominate_new_deputies: (_nominate_new_deputies, {f"{TRAINING}:nominated"}),
    training.services.sign_up: (_sign_up, {f"{TRAINING}:signed_up"}),
    training.services.confirm: (_confirm_by_phone, {f"{TRAINING}:approve"}),
    training.services.decline: (_decline, {f"{TRAINING}:decline", f"{TRAINING}:promoted"}),
    training.services.approve: (_approve, {f"{TRAINING}:approve"}),
    training.services.refuse: (_refuse, {f"{TRAINING}:refuse"}),
    training.services.cancel: [
        (_give_up_a_place, {f"{TRAINING}:gave_up", f"{TRAINING}:promoted"}),
        (_cancel_a_place, {f"{TRAINING}:cancel"}),
    ],
    training.services.remind_nominees: (_remind_nominees, {"notification"}),
    training.services.remind_sittings: (_remind_sittings, {"notification"}),
    training.services.remind_induction: (_remind_induction, {"notification"}),
})  # fmt: skip

# Activities: an activity sitting in June 2026, as tests/activities builds it, prepared and run on 11 May 2026; each
# change of its state and each deputy's answer to an invitation is announced by webhook.

ACTIVITY_STATE = "webhook:activity.status_changed"
ANSWERED = "webhook:activity.invitation_answered"
# An invited expert (no account) is texted through the SMS outbox and e-mailed by a task of their own.
EXPERT_EMAIL, EXPERT_SMS = "activities.tasks.email_expert", "congress.tasks.send_sms"


def _activity(w, **fields):
    return tests.activities.factories.activity(w.staff, w.congress, **fields)


def _invited(w):
    activity = _activity(w)
    deputy = tests.activities.factories.deputy(w.congress)
    invitation = activities.services.invite(actor=w.staff, activity_id=activity.pk, mandate_ids=[deputy.pk])
    return invitation.invited[0], deputy.person.user


@in_may
def _send_invitations(w):
    activity = _activity(w, send=False)
    deputy = tests.activities.factories.deputy(w.congress)
    activities.services.invite(actor=w.staff, activity_id=activity.pk, mandate_ids=[deputy.pk])
    return lambda: activities.services.send_invitations(actor=w.staff, activity_id=activity.pk)


@in_may
def _send_invitations_with_an_expert(w):
    activity = _activity(w, send=False)
    expert = tests.activities.factories.expert(w.staff, w.congress)
    activities.experts.invite_experts(actor=w.staff, activity_id=activity.pk, expert_ids=[expert.pk])
    return lambda: activities.services.send_invitations(actor=w.staff, activity_id=activity.pk)


@in_may
def _invite_expert(w):
    activity = _activity(w)
    expert = tests.activities.factories.expert(w.staff, w.congress)
    return lambda: activities.experts.invite_experts(actor=w.staff, activity_id=activity.pk, expert_ids=[expert.pk])


@in_may
def _invite_deputy(w):
    activity = _activity(w)
    deputy = tests.activities.factories.deputy(w.congress)
    return lambda: activities.services.invite(actor=w.staff, activity_id=activity.pk, mandate_ids=[deputy.pk])


@in_may
def _start_activity(w):
    activity = _activity(w)
    return lambda: activities.services.start(actor=w.staff, activity_id=activity.pk)


@in_may
def _submit_activity_report(w):
    activity = _activity(w)
    activities.services.start(actor=w.staff, activity_id=activity.pk)
    return lambda: activities.services.submit_report(actor=w.staff, activity_id=activity.pk, report="调研报告")


@in_may
def _close_activity(w):
    activity = _activity(w)
    activities.services.start(actor=w.staff, activity_id=activity.pk)
    activities.services.submit_report(actor=w.staff, activity_id=activity.pk, report="调研报告")
    return lambda: activities.services.close(actor=w.staff, activity_id=activity.pk)


@in_may
def _accept_invitation(w):
    invitation, deputy = _invited(w)
    return lambda: activities.services.accept(actor=deputy, invitation_id=invitation.pk)


@in_may
def _decline_invitation(w):
    invitation, deputy = _invited(w)
    return lambda: activities.services.decline(actor=deputy, invitation_id=invitation.pk, reason="同期出差")


@in_may
def _remind_unanswered_invitations(w):
    _invited(w)
    # Four days after the notice: past the policy's three.
    return lambda: activities.services.remind_unanswered_invitations(now=timezone.now() + timedelta(days=4))


SCENARIOS.update({
    activities.services.remind_unanswered_invitations: (_remind_unanswered_invitations, {"notification"}),
    activities.services.send_invitations: [
        (_send_invitations, {ACTIVITY_STATE, "notification"}),
        (_send_invitations_with_an_expert, {ACTIVITY_STATE, EXPERT_EMAIL, EXPERT_SMS}),
    ],
    activities.experts.invite_experts: (_invite_expert, {EXPERT_EMAIL, EXPERT_SMS}),
    activities.services.invite: (_invite_deputy, {"notification"}),
    activities.services.start: (_start_activity, {ACTIVITY_STATE}),
    activities.services.submit_report: (_submit_activity_report, {ACTIVITY_STATE}),
    activities.services.close: (_close_activity, {ACTIVITY_STATE, "webhook:activity.closed"}),
    activities.services.accept: (_accept_invitation, {ANSWERED}),
    activities.services.decline: (_decline_invitation, {ANSWERED}),
})  # fmt: skip

# The roster: a mandate's changes, the import of a roster file (in the world's congress, with the delegation its
# rows name, as tests/deputies has it) and the committee members' contact duty.

MANDATE_STATE = "webhook:mandate.status_changed"


def _end_mandate(w):
    return lambda: deputies.services.end_mandate(actor=w.staff, mandate_id=w.mandate.pk, on=date(2026, 3, 1),
                                                 reason="moved_out")  # fmt: skip


def _suspend_mandate(w):
    return lambda: deputies.services.suspend_mandate(actor=w.staff, mandate_id=w.mandate.pk, on=date(2025, 5, 1),
                                                     reason="detained")  # fmt: skip


def _restore_mandate(w):
    deputies.services.suspend_mandate(actor=w.staff, mandate_id=w.mandate.pk, on=date(2025, 5, 1), reason="detained")
    return lambda: deputies.services.restore_mandate(actor=w.staff, mandate_id=w.mandate.pk, on=date(2025, 8, 1))


def _start_import(w):
    roster = xlsx(*TWO_ROWS)
    return lambda: deputies.services.start_import(actor=w.staff, upload=roster)


def _confirm_import(w):
    delegation(w.congress, "广州代表团")
    job = upload(w.staff, *TWO_ROWS, capture=w.capture)  # checked without issues
    return lambda: deputies.services.confirm_import(actor=w.staff, job_id=job.pk)


def _resume_stalled_imports(w):
    delegation(w.congress, "广州代表团")
    claimed_by_a_dead_worker(w.staff, ImportJob.Status.CHECKING, w.capture)
    claimed_by_a_dead_worker(w.staff, ImportJob.Status.APPLYING, w.capture)
    return deputies.services.resume_stalled_imports


def _remind_contact_duty(w):
    deputies.services.assign_contacts(actor=w.staff, member=core.supervisor_of(w.congress), mandates=[w.mandate])
    # In the last quarter, with no contact recorded this year.
    return lambda: deputies.services.remind_contact_duty(today=date(2026, 10, 1))


SCENARIOS.update({
    deputies.services.end_mandate: (_end_mandate, {MANDATE_STATE}),
    deputies.services.suspend_mandate: (_suspend_mandate, {MANDATE_STATE}),
    deputies.services.restore_mandate: (_restore_mandate, {MANDATE_STATE}),
    deputies.services.start_import: (_start_import, {"deputies.tasks.check_import"}),
    deputies.services.confirm_import: (_confirm_import, {"deputies.tasks.apply_import"}),
    deputies.services.resume_stalled_imports: (
        _resume_stalled_imports, {"deputies.tasks.check_import", "deputies.tasks.apply_import"}
    ),
    deputies.services.remind_contact_duty: (_remind_contact_duty, {"notification"}),
})  # fmt: skip


def _remind_reports_to_voters(w):
    # In the term's last year (it ends on 2028-01-11), with no report to voters given.
    return lambda: activities.services.remind_reports_to_voters(today=date(2027, 6, 1))


SCENARIOS[activities.services.remind_reports_to_voters] = (_remind_reports_to_voters, {"notification"})

# The working calendar (a change queues the recompute of the deadlines it moves) and a webhook delivery sent again.

RECOMPUTE = "congress.tasks.recompute_deadlines"


def _day_off():
    return CalendarDay(date=date(2026, 11, 16), is_workday=False, name="调整")


def _save_calendar_day(w):
    day = _day_off()
    return lambda: congress_services.save_calendar_day(actor=w.staff, day=day)


def _delete_calendar_day(w):
    day = congress_services.save_calendar_day(actor=w.staff, day=_day_off())
    return lambda: congress_services.delete_calendar_day(actor=w.staff, day=day)


def _save_calendar_year(w):
    year = CalendarYear(year=2027, complete=True, source="国务院办公厅通知")
    return lambda: congress_services.save_calendar_year(actor=w.staff, year=year)


def _import_calendar_years(w):
    return lambda: congress_services.import_calendar_years(actor=w.staff, years=[2026])


def _replay(w):
    deputies.services.suspend_mandate(actor=w.staff, mandate_id=w.mandate.pk, on=date(2025, 5, 1), reason="detained")
    delivery = WebhookDelivery.objects.get(endpoint__client=w.client, event="mandate.status_changed")
    return lambda: webhooks.replay(actor=w.staff, delivery_id=delivery.pk)


SCENARIOS.update({
    congress_services.save_calendar_day: (_save_calendar_day, {RECOMPUTE}),
    congress_services.delete_calendar_day: (_delete_calendar_day, {RECOMPUTE}),
    congress_services.save_calendar_year: (_save_calendar_year, {RECOMPUTE}),
    congress_services.import_calendar_years: (_import_calendar_years, {RECOMPUTE}),
    webhooks.replay: (_replay, {MANDATE_STATE}),
})  # fmt: skip

# Integration clients: creating one, changing it and issuing a token tell the congress's staff.


def _client_of(w):
    client, _token = congress_services.create_api_client(actor=w.staff, name="市平台", congress=w.congress,
                                                         scopes=["reference:read"])  # fmt: skip
    return client


def _create_api_client(w):
    return lambda: congress_services.create_api_client(actor=w.staff, name="市平台", congress=w.congress,
                                                       scopes=["reference:read"])  # fmt: skip


def _change_api_client(w):
    client = _client_of(w)
    return lambda: congress_services.change_api_client(
        actor=w.staff, client_id=client.pk, name=client.name, scopes=["reference:read", "training:read"],
        allowed_ips="", rate_per_minute=600, is_active=True,
    )  # fmt: skip


def _rotate_api_token(w):
    client = _client_of(w)
    return lambda: congress_services.rotate_api_token(actor=w.staff, client=client)


SCENARIOS.update({
    congress_services.create_api_client: (_create_api_client, {"notification"}),
    congress_services.change_api_client: (_change_api_client, {"notification"}),
    congress_services.rotate_api_token: (_rotate_api_token, {"notification"}),
})  # fmt: skip


# Verification codes by text message: the code's text is stored with the code.


def _send_public_vote_code(w):
    from tests.liaison_stations.factories import StationFactory

    unit, officer = case_factories.unit_with_officer(w.congress, "广州市人大常委会")
    with case_factories.travel("2023-09-10 10:00"):
        campaign = case_factories.campaign(w.staff, w.congress, [unit], kind=CampaignKind.STATION, title="示范家站点")
        for n in range(3):
            station = StationFactory(congress=w.congress, region=w.congress.region)
            case_factories.submission(officer, campaign, title=f"站{n}", station=station)
        case_services.close_submissions(actor=w.staff, campaign_id=campaign.pk)
        round_ = case_factories.round_(w.staff, campaign, RoundKind.WEIGHTED, opens="2023-11-01 09:00",
                                       closes="2023-11-04 09:00", advance=2, public_vote=True, online_weight=100,
                                       panel_weight=0)  # fmt: skip
        case_services.open_round(actor=w.staff, round_id=round_.pk)

    def run():
        with case_factories.travel("2023-11-02 10:00"):
            case_services.send_code(campaign=campaign, phone="13812345678")

    return run


def _start_sms_enrolment(w):
    return lambda: twofactor_sms.start_enrolment(user=w.staff, phone="13912345678")


def _send_sign_in_code(w):
    device = SmsAuthenticator.objects.create(user=w.staff, name="sms", phone="13912345678", confirmed=True)
    return lambda: twofactor_sms.send_code(user=w.staff, device_id=device.pk)


SCENARIOS.update({
    case_services.send_code: (_send_public_vote_code, {"congress.tasks.send_sms"}),
    twofactor_sms.start_enrolment: (_start_sms_enrolment, {"congress.tasks.send_sms"}),
    twofactor_sms.send_code: (_send_sign_in_code, {"congress.tasks.send_sms"}),
})  # fmt: skip


# Public sending functions without a scenario of their own, and why: services that send only by calling others once
# per item, each in its own transaction (covered above), and the helper of a service module that stores what the
# services send (the helpers of congress.outbox and congress.notifications are only read, so they need no entry).
THROUGH_OTHERS = {
    activities.experts.tell_invited_experts: "called by invite_experts and send_invitations, in their transaction",
    services.bulk_assign: "runs assign once per suggestion",
    services.run_bulk_assign: "the console job of start_bulk_assign: bulk_assign",
    services.write_assignment_letters: "the console job of start_assignment_letters: numbers letters, sends nothing",
    services.reply_letter_draft: "writes a draft document: the workflow's allow() only checks, nothing is applied",
    services.write_assignment_list: "the console job of start_assignment_list: numbers the list, sends nothing",
    services.write_suggestion_compilation: "the console job of start_suggestion_compilation: sends nothing",
    services.write_reply_compilation: "the console job of start_reply_compilation: sends nothing",
    webhooks.emit: "no user action: the helper storing a change's webhook deliveries in its caller's transaction, "
    "checked through every scenario expecting a webhook: label",
}


def _name(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def _exported(modules) -> set[str]:
    """The public service functions of the modules (a package's are those it exports)."""
    names = set()
    for module in modules:
        public = getattr(module, "__all__", None)
        for name in public if public is not None else dir(module):
            value = getattr(module, name)
            if not name.startswith("_") and inspect.isfunction(value) and value.__module__.startswith(module.__name__):
                names.add(canonical(f"{module.__name__}.{name}"))
    return names


# Livelihood projects: the vote's list, count and results, a progress report and the appraisal's closing, each
# announced to a client of the congress that reads livelihood records (the world's client does not).


def _livelihood_client(w):
    client, _token = congress_services.create_api_client(
        actor=None, name="民生平台", congress=w.congress, scopes=["livelihood:read"], owner=core.UserFactory()
    )
    WebhookEndpoint.objects.create(
        client=client, url="https://example.cn/livelihood", events=list(webhooks.EVENTS), secret="s" * 32
    )


def _screened(w):
    office, officer = livelihood_factories.office_of(w.congress)
    prog = livelihood_factories.programme(w.staff, w.congress, office, projects=1)
    livelihood_services.open_solicitation(actor=w.staff, programme_id=prog.pk)
    proposals = [livelihood_factories.proposal(prog, n) for n in range(2)]
    livelihood_services.close_solicitation(actor=w.staff, programme_id=prog.pk)
    department = livelihood_factories.department(w.congress)
    for proposal in proposals:
        livelihood_factories.assess(officer, proposal, department)
    return prog, proposals


def _confirm_candidates(w):
    _livelihood_client(w)
    prog, proposals = _screened(w)
    kept = {p.pk: "群众呼声高" for p in proposals}
    return lambda: livelihood_services.confirm_candidates(actor=w.staff, programme_id=prog.pk, kept=kept, dropped={})


def _voted(w):
    _livelihood_client(w)
    prog, candidates, voters = livelihood_factories.voting(w.staff, w.congress, present=1, n_candidates=2, projects=1)
    livelihood_services.cast_vote(actor=voters[0].person.user, programme_id=prog.pk, candidate_ids=[candidates[0].pk])
    return prog


def _close_vote(w):
    prog = _voted(w)
    return lambda: livelihood_services.close_vote(actor=w.staff, programme_id=prog.pk)


def _publish(w):
    prog = _voted(w)
    livelihood_services.close_vote(actor=w.staff, programme_id=prog.pk)
    return lambda: livelihood_services.publish(actor=w.staff, programme_id=prog.pk)


def _file_progress_report(w):
    _livelihood_client(w)
    _prog, (project,), _rest = livelihood_factories.carried(w.staff, w.congress, projects=1)
    officer = core.officer_of(project.department)
    report = {"year": 2026, "quarter": 2, "text": "完成主体施工", "spent": 35, "today": date(2026, 5, 20)}
    return lambda: livelihood_carrying.file_progress_report(actor=officer, project_id=project.pk, **report)


def _close_appraisal(w):
    _livelihood_client(w)
    prog, _c, _voters = livelihood_factories.appraising(w.staff, w.congress, present=1, n_candidates=2, projects=1)
    return lambda: livelihood_appraisal.close_appraisal(actor=w.staff, programme_id=prog.pk,
                                                        today=livelihood_factories.APPRAISE_FROM)  # fmt: skip


SCENARIOS.update({
    livelihood_services.confirm_candidates: (_confirm_candidates, {"webhook:livelihood.candidates_confirmed"}),
    livelihood_services.close_vote: (_close_vote, {"webhook:livelihood.vote_closed"}),
    livelihood_services.publish: (_publish, {"webhook:livelihood.published"}),
    livelihood_carrying.file_progress_report: (_file_progress_report, {"webhook:livelihood.progress_reported"}),
    livelihood_appraisal.close_appraisal: (_close_appraisal, {"webhook:livelihood.appraisal_closed"}),
})  # fmt: skip


def test_every_sending_service_has_a_scenario():
    service_modules = modules_of(SERVICE_MODULES)
    sending = senders([*service_modules, *modules_of(READ_TOO)])
    public = _exported([module for module in service_modules if module.__name__ in SERVICE_MODULES])
    covered = {_name(f) for f in SCENARIOS} | {_name(f) for f in THROUGH_OTHERS}
    assert sorted((sending & public) - covered) == []


def _scenarios():
    """A test case per scenario; a service sending along several paths has one per path, named after it."""
    for service, scenarios in SCENARIOS.items():
        if isinstance(scenarios, list):
            for prepare, expected in scenarios:
                yield pytest.param(prepare, expected, id=f"{_name(service)}:{prepare.__name__.lstrip('_')}")
        else:
            yield pytest.param(*scenarios, id=_name(service))


@pytest.mark.parametrize(("prepare", "expected"), list(_scenarios()))
def test_the_messages_of_an_action_are_stored_with_its_change(db, django_capture_on_commit_callbacks, prepare,
                                                               expected):  # fmt: skip
    world = World(django_capture_on_commit_callbacks)
    run = prepare(world)
    OutboxMessage.objects.all().delete()
    Notification.objects.all().delete()
    with crash_after_commit(), pytest.raises(Crash):
        run()
    assert expected <= sent()
