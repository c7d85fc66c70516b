"""Every message a service sends is stored in the transaction of the change it announces.

Each scenario runs one service and stops it dead the moment its transaction commits, as a process killed between
the commit and its next line would be. Whatever the action promises to send (notices, notifications, webhook
deliveries, background work) must already be in the outbox then: a message stored after the commit would be lost
with the process. A reading of the source finds every service that sends (tests/flows/notifying.py), so a new
one without a scenario here fails `test_every_sending_service_has_a_scenario`."""

import inspect
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import transaction
from django.db.transaction import Atomic
from django.utils import timezone

from cases import services as case_services
from cases.models import RoundKind
from congress import services as congress_services
from congress import webhooks
from congress.models import Notification, OutboxMessage, PolicyValue, WebhookDelivery, WebhookEndpoint
from suggestions import services
from suggestions.models import Assignment, KeySupervision, Kind, RequestStatus
from tests import factories as core
from tests.cases import factories as case_factories
from tests.deputies.factories import current_term
from tests.suggestions import factories as suggestion_factories

from .notifying import canonical, modules_of, senders

# Where services live; the workflow tables and the shared helpers are read too, for what they send.
SERVICE_MODULES = [
    "suggestions.services",
    "cases.services",
]
READ_TOO = [
    "suggestions.workflow",
    "cases.workflow",
    "congress.outbox",
    "congress.notifications",
    "congress.webhooks",
    "congress.deadlines",
    "congress.jobs",
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
        elif message.task.endswith("deliver_notification"):
            labels.add("notification")
        else:
            labels.add(message.task)
    return labels


class World:
    """A congress with its staff, a deputy, a lead and a co-handling unit with their officers, and an integration
    client subscribed to every webhook event (so state changes are delivered somewhere)."""

    def __init__(self):
        self.congress = core.CongressFactory()
        current_term(self.congress)
        self.staff = core.staff_of(self.congress)
        self.mandate = suggestion_factories.deputy(self.congress)
        self.deputy = self.mandate.person.user
        self.lead, self.lead_officer = suggestion_factories.unit_with_officer(self.congress, "省教育厅")
        self.co, self.co_officer = suggestion_factories.unit_with_officer(self.congress, "省财政厅")
        client, _token = congress_services.create_api_client(
            actor=None,
            name="省平台",
            congress=self.congress,
            scopes=["suggestions:read", "deputies:read"],
            owner=core.UserFactory(),
        )
        WebhookEndpoint.objects.create(client=client, url="https://example.cn/hook", events=list(webhooks.EVENTS),
                                       secret="s" * 32)  # fmt: skip

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


def _save_draft(w):
    suggestion, other = w.draft(), suggestion_factories.deputy(w.congress)
    return lambda: services.save_draft(actor=w.deputy, suggestion_id=suggestion.pk, fields={}, cosigner_ids=[other.pk])


def _submit(w):
    suggestion = w.draft()
    return lambda: services.submit(actor=w.deputy, suggestion_id=suggestion.pk)


def _intake(w):
    category = suggestion_factories.CategoryFactory(congress=w.congress)
    fields = {"title": "加强课后服务", "content": suggestion_factories.CONTENT, "category": category}
    return lambda: services.intake(actor=w.staff, mandate_id=w.mandate.pk, fields=fields)


def _withdraw(w):
    suggestion = w.submitted()
    return lambda: services.withdraw(actor=w.deputy, suggestion_id=suggestion.pk)


def _accept(w):
    suggestion = w.submitted()
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
# service: (prepare, the messages its call must have stored by the time its transaction commits)
SCENARIOS = {
    services.create_draft: (_create_draft, {f"{TELL}:cosign_invited"}),
    services.save_draft: (_save_draft, {f"{TELL}:cosign_invited"}),
    services.submit: (_submit, {f"{TELL}:submitted", STATE}),
    services.intake: (_intake, {f"{TELL}:submitted", f"{TELL}:entered", STATE}),
    services.withdraw: (_withdraw, {STATE}),
    services.accept: (_accept, {f"{TELL}:accepted", STATE}),
    services.return_for_revision: (_return, {f"{TELL}:returned", STATE}),
    services.decline: (_decline, {f"{TELL}:declined", STATE}),
    services.convert_motion: (_convert_motion, {f"{TELL}:converted"}),
    services.assign: (_assign, {f"{TELL}:assigned", STATE}),
    services.start_bulk_assign: (_start_bulk_assign, {"congress.tasks.run_console_job"}),
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
            self.cases = [case_factories.submission(self.officer, self.campaign, title=label, level="county",
                                                    mandates=[w.mandate])
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

# Services that send only by calling others once per item, each in its own transaction (covered above).
THROUGH_OTHERS = {
    services.bulk_assign: "runs assign once per suggestion",
    services.run_bulk_assign: "the console job of start_bulk_assign: bulk_assign",
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


def test_every_sending_service_has_a_scenario():
    service_modules = modules_of(SERVICE_MODULES)
    sending = senders([*service_modules, *modules_of(READ_TOO)])
    public = _exported([module for module in service_modules if module.__name__ in SERVICE_MODULES])
    covered = {_name(f) for f in SCENARIOS} | {_name(f) for f in THROUGH_OTHERS}
    assert sorted((sending & public) - covered) == []


@pytest.mark.parametrize("service", list(SCENARIOS), ids=_name)
def test_the_messages_of_an_action_are_stored_with_its_change(db, service):
    prepare, expected = SCENARIOS[service]
    world = World()
    run = prepare(world)
    OutboxMessage.objects.all().delete()
    Notification.objects.all().delete()
    with crash_after_commit(), pytest.raises(Crash):
        run()
    assert expected <= sent()
