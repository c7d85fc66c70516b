import importlib
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from congress import deadlines, sms
from congress.errors import Forbidden, InvalidTransition, RuleViolation
from congress.models import Deadline, Notification, SmsMessage
from congress.notifications import LocmemSmsBackend
from liaison_stations import notices, services, workflow
from liaison_stations.models import CODE_ALPHABET, CitizenOpinion, OpinionStatus

from .factories import managed_station, stationed_deputy

pytestmark = pytest.mark.django_db


def submit(station, **kwargs):
    fields = {"phone": "13912345678", "category": "urban", "content": "公交站台没有遮雨棚。"}
    fields.update(kwargs)
    return services.submit_opinion(station=station, **fields)


def test_submitted_opinion_gets_a_readable_tracking_code(station):
    opinion = submit(station)
    assert len(opinion.tracking_code) == 10
    assert set(opinion.tracking_code) <= set(CODE_ALPHABET)
    assert opinion.status == OpinionStatus.RECEIVED


def test_tracking_needs_the_code_and_the_phone_tail(station):
    opinion = submit(station)
    assert services.track(opinion.tracking_code, "5678") == opinion
    assert services.track(opinion.tracking_code.lower(), "5678") == opinion
    assert services.track(opinion.tracking_code, "0000") is None
    assert services.track("XXXXXXXXXX", "5678") is None


def test_same_form_submitted_twice_stores_one_opinion(station):
    first = submit(station, submission_key="k1")
    second = submit(station, submission_key="k1")
    assert first.pk == second.pk
    assert CitizenOpinion.objects.count() == 1


def test_opinion_needs_a_mobile_phone_and_content(station):
    with pytest.raises(RuleViolation) as error:
        submit(station, phone="12345", content="  ")
    assert set(error.value.fields) == {"phone", "content"}


def test_manager_answers_on_the_spot_then_feedback_closes(station, manager):
    opinion = submit(station)
    services.triage(actor=manager, opinion_id=opinion.pk, route="answered", answer="已解释政策。")
    closed = services.give_feedback(actor=manager, opinion_id=opinion.pk, feedback="已电话告知。")
    assert closed.status == OpinionStatus.CLOSED
    assert closed.closed_at is not None


def test_answer_route_needs_the_answer(station, manager):
    opinion = submit(station)
    with pytest.raises(RuleViolation):
        services.triage(actor=manager, opinion_id=opinion.pk, route="answered", answer="")


def test_referral_without_a_unit_is_refused(station, manager):
    opinion = submit(station)
    with pytest.raises(RuleViolation) as error:
        services.triage(actor=manager, opinion_id=opinion.pk, route="referred")
    assert "unit" in error.value.fields


def test_referral_opens_a_reply_deadline_for_the_unit(station, manager, unit):
    opinion = submit(station)
    referred = services.triage(actor=manager, opinion_id=opinion.pk, route="referred", unit_id=unit.pk)
    deadline = Deadline.objects.open().get(kind=services.REFERRAL_DEADLINE)
    assert deadline.responsible_org == unit
    assert referred.referral_due == deadline.due_date
    assert not Deadline.objects.open().filter(kind=services.TRIAGE_DEADLINE).exists()


def test_referred_unit_is_told_once(station, manager, unit, officer, django_capture_on_commit_callbacks):
    opinion = submit(station)
    with django_capture_on_commit_callbacks(execute=True):
        services.triage(actor=manager, opinion_id=opinion.pk, route="referred", unit_id=unit.pk)
    assert Notification.objects.filter(recipient=officer).count() == 1


def test_unit_replies_and_the_manager_then_closes(station, manager, unit, officer):
    opinion = submit(station)
    services.triage(actor=manager, opinion_id=opinion.pk, route="referred", unit_id=unit.pk)
    replied = services.unit_reply(actor=officer, opinion_id=opinion.pk, reply="已安排整改。")
    assert replied.status == OpinionStatus.UNIT_REPLIED
    assert not Deadline.objects.open().filter(kind=services.REFERRAL_DEADLINE).exists()
    assert Deadline.objects.open().filter(kind=services.FEEDBACK_DEADLINE).exists()
    services.give_feedback(actor=manager, opinion_id=opinion.pk, feedback="已告知整改安排。")
    assert not Deadline.objects.open().filter(object_id=opinion.pk).exists()


def test_another_unit_cannot_reply(station, manager, unit):
    from tests import factories

    other = factories.officer_of(factories.OrganisationFactory())
    opinion = submit(station)
    services.triage(actor=manager, opinion_id=opinion.pk, route="referred", unit_id=unit.pk)
    with pytest.raises(Forbidden):
        services.unit_reply(actor=other, opinion_id=opinion.pk, reply="不归我们。")


def test_feedback_before_the_unit_replies_is_refused(station, manager, unit):
    opinion = submit(station)
    services.triage(actor=manager, opinion_id=opinion.pk, route="referred", unit_id=unit.pk)
    with pytest.raises(InvalidTransition):
        services.give_feedback(actor=manager, opinion_id=opinion.pk, feedback="已反馈。")


def test_untriaged_opinion_cannot_be_closed(station, manager):
    opinion = submit(station)
    with pytest.raises(InvalidTransition):
        services.give_feedback(actor=manager, opinion_id=opinion.pk, feedback="已反馈。")


def test_empty_feedback_does_not_close(station, manager):
    opinion = submit(station)
    services.triage(actor=manager, opinion_id=opinion.pk, route="declined", decline_reason="litigation")
    with pytest.raises(RuleViolation):
        services.give_feedback(actor=manager, opinion_id=opinion.pk, feedback=" ")


def test_database_refuses_a_closed_opinion_without_feedback(station):
    opinion = submit(station)
    with pytest.raises(IntegrityError):
        CitizenOpinion.objects.filter(pk=opinion.pk).update(status="closed", closed_at=timezone.now())


def test_decline_needs_one_of_the_reasons(station, manager):
    opinion = submit(station)
    with pytest.raises(RuleViolation):
        services.triage(actor=manager, opinion_id=opinion.pk, route="declined", decline_reason="")
    declined = services.triage(actor=manager, opinion_id=opinion.pk, route="declined", decline_reason="arbitration")
    assert declined.status == OpinionStatus.DECLINED


def test_taken_up_by_a_deputy_tells_the_deputy(station, manager, django_capture_on_commit_callbacks):
    mandate, user = stationed_deputy(station)
    opinion = submit(station)
    with django_capture_on_commit_callbacks(execute=True):
        taken = services.triage(actor=manager, opinion_id=opinion.pk, route="to_suggestion", mandate_id=mandate.pk)
    assert taken.taken_up_by == mandate
    assert Notification.objects.filter(recipient=user, key__endswith="taken_up").exists()


def test_manager_of_another_station_cannot_triage(station):
    _other, stranger = managed_station()
    opinion = submit(station)
    with pytest.raises(Forbidden):
        services.triage(actor=stranger, opinion_id=opinion.pk, route="answered", answer="好的")


def test_opinion_left_on_a_deputys_page_goes_to_their_station(station):
    mandate, user = stationed_deputy(station)
    qr = services.qr_code_for(actor=user, mandate=mandate)
    opinion = services.submit_opinion(qr=qr, phone="13912345678", category="health", content="看病难。")
    assert opinion.station == station
    assert opinion.addressed_to == mandate
    assert opinion.channel == CitizenOpinion.Channel.DEPUTY_PAGE


def test_untriaged_opinion_reminds_the_manager_once(station, manager, time_machine):
    time_machine.move_to("2026-03-02 09:00 +0800")
    submit(station)
    time_machine.move_to("2026-03-20 09:00 +0800")
    assert deadlines.sweep() == 1
    assert deadlines.sweep() == 0
    assert Notification.objects.filter(recipient=manager, key__startswith="deadline:").count() == 1


def test_overdue_referral_reminds_the_unit(station, manager, unit, officer, time_machine):
    time_machine.move_to("2026-03-02 09:00 +0800")
    opinion = submit(station)
    services.triage(actor=manager, opinion_id=opinion.pk, route="referred", unit_id=unit.pk)
    time_machine.move_to("2026-04-30 09:00 +0800")
    deadlines.sweep()
    assert Notification.objects.filter(recipient=officer, key__startswith="deadline:").exists()


def test_referral_due_follows_a_day_off_entered_later(station, manager, unit, django_capture_on_commit_callbacks):
    """Referred on Monday 2026-11-02 with 15 working days: 3-6, 9-13, 16-20 and 23 November, so due 2026-11-23.
    Staff then mark 2026-11-16 a day off: the 15th working day is 24 November, on the deadline and the opinion."""
    from datetime import date

    import time_machine

    from congress import services as congress_services
    from congress.models import CalendarDay
    from tests import factories as core

    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        opinion = submit(station)
        referred = services.triage(actor=manager, opinion_id=opinion.pk, route="referred", unit_id=unit.pk)
    assert referred.referral_due == date(2026, 11, 23)

    admin = core.UserFactory(is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        congress_services.save_calendar_day(
            actor=admin, day=CalendarDay(date=date(2026, 11, 16), is_workday=False, name="调整")
        )
    referred.refresh_from_db()
    assert Deadline.objects.open().get(kind=services.REFERRAL_DEADLINE).due_date == date(2026, 11, 24)
    assert referred.referral_due == date(2026, 11, 24)


def test_taken_up_as_a_suggestion_the_feedback_clock_waits_for_the_suggestion(station, manager):
    mandate, _user = stationed_deputy(station)
    opinion = submit(station)
    services.triage(actor=manager, opinion_id=opinion.pk, route="to_suggestion", mandate_id=mandate.pk)
    assert not Deadline.objects.filter(kind=services.FEEDBACK_DEADLINE, object_id=opinion.pk).exists()
    assert not Deadline.objects.open().filter(kind=services.TRIAGE_DEADLINE, object_id=opinion.pk).exists()


def test_the_citizens_choice_of_an_sms_is_kept(station):
    assert submit(station, sms_wanted=True).sms_wanted
    assert not submit(station, phone="13900000001").sms_wanted


def taken_up_with_sms(station, manager):
    mandate, _user = stationed_deputy(station)
    opinion = submit(station, sms_wanted=True)
    services.triage(actor=manager, opinion_id=opinion.pk, route="to_suggestion", mandate_id=mandate.pk)
    return opinion


def test_the_citizens_sms_goes_out_once_even_when_retried(station, manager, django_capture_on_commit_callbacks):
    opinion = taken_up_with_sms(station, manager)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.text_citizen(opinion.pk) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.text_citizen(opinion.pk) == 0
    [(phone, text)] = LocmemSmsBackend.outbox
    assert phone == "13912345678"
    assert opinion.tracking_code in text


def test_an_sms_the_backend_failed_to_send_is_sent_on_the_retry(
    station, manager, monkeypatch, django_capture_on_commit_callbacks
):
    opinion = taken_up_with_sms(station, manager)
    send = LocmemSmsBackend.send

    def down(self, phone, text):
        raise ConnectionError("SMS gateway unreachable")

    monkeypatch.setattr(LocmemSmsBackend, "send", down)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.text_citizen(opinion.pk) == 1
    assert SmsMessage.objects.get().status == SmsMessage.Status.PENDING
    monkeypatch.setattr(LocmemSmsBackend, "send", send)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert sms.requeue() == 1
    assert notices.text_citizen(opinion.pk) == 0
    assert len(LocmemSmsBackend.outbox) == 1
    assert SmsMessage.objects.get().status == SmsMessage.Status.SENT


def test_no_sms_for_a_citizen_who_did_not_ask(station, manager):
    mandate, _user = stationed_deputy(station)
    opinion = submit(station)
    services.triage(actor=manager, opinion_id=opinion.pk, route="to_suggestion", mandate_id=mandate.pk)
    assert notices.text_citizen(opinion.pk) == 0
    assert LocmemSmsBackend.outbox == []


def test_opinions_waiting_for_their_suggestion_are_brought_in_line_by_the_migration(station, manager, staff):
    """Before the rule, triage opened the feedback clock at once: the migration cancels it while the suggestion is
    open, and records when a suggestion already replied to got its reply."""
    from django.apps import apps

    import suggestions.services
    from suggestions.models import Suggestion
    from tests import factories
    from tests.suggestions.factories import CategoryFactory, pdf

    migration = importlib.import_module("liaison_stations.migrations.0005_opinion_waits_for_suggestion")
    mandate, deputy = stationed_deputy(station)
    unit = factories.OrganisationFactory(region=station.congress.region)
    officer = factories.officer_of(unit)
    content = "村口公交站台没有遮雨棚，雨天老人和学生候车十分困难，希望尽快增设候车亭。"
    waiting, replied = submit(station, content=content), submit(station, phone="13900000001", content=content)
    for opinion in (waiting, replied):
        services.triage(actor=manager, opinion_id=opinion.pk, route="to_suggestion", mandate_id=mandate.pk)
        with transaction.atomic():
            workflow.OPINION.start_clock(services.FEEDBACK_DEADLINE, opinion)  # as triage did before the rule
    draft = Suggestion.objects.get(opinion=replied)
    fields = {"title": "关于增设候车亭的建议", "category": CategoryFactory(congress=station.congress)}
    suggestions.services.save_draft(actor=deputy, suggestion_id=draft.pk, fields=fields)
    suggestions.services.submit(actor=deputy, suggestion_id=draft.pk)
    suggestions.services.accept(actor=staff, suggestion_id=draft.pk)
    suggestions.services.assign(actor=staff, suggestion_id=draft.pk, lead_id=unit.pk)
    assignment = draft.assignments.get()
    suggestions.services.confirm_receipt(actor=officer, assignment_id=assignment.pk)
    answer = suggestions.services.reply(actor=officer, assignment_id=assignment.pk, text="已列入计划。", result="A",
                                        letter=pdf())  # fmt: skip
    CitizenOpinion.objects.filter(pk=replied.pk).update(suggestion_settled_at=None)  # as before the rule

    migration.wait_for_suggestions(apps, None)
    assert not Deadline.objects.open().filter(kind=services.FEEDBACK_DEADLINE, object_id=waiting.pk).exists()
    assert Deadline.objects.open().filter(kind=services.FEEDBACK_DEADLINE, object_id=replied.pk).exists()
    replied.refresh_from_db()
    assert replied.suggestion_settled_at == answer.created_at
    waiting.refresh_from_db()
    assert waiting.suggestion_settled_at is None


@pytest.mark.parametrize("route", ["answered", "declined"])
def test_a_citizen_who_asked_is_texted_once_when_the_station_gives_the_result(
    station, manager, route, django_capture_on_commit_callbacks
):
    opinion = submit(station, sms_wanted=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.triage(actor=manager, opinion_id=opinion.pk, route=route, answer="已联系市政部门当场答复。",
                        decline_reason="litigation")  # fmt: skip
    assert notices.text_citizen(opinion.pk) == 0  # already sent by the task the triage stored
    [(phone, text)] = LocmemSmsBackend.outbox
    assert phone == "13912345678" and opinion.tracking_code in text


def test_a_citizen_who_asked_is_texted_once_when_the_referred_body_replies(
    station, manager, django_capture_on_commit_callbacks
):
    from tests import factories

    unit = factories.OrganisationFactory(region=station.congress.region)
    opinion = submit(station, sms_wanted=True)
    services.triage(actor=manager, opinion_id=opinion.pk, route="referred", unit_id=unit.pk)
    assert LocmemSmsBackend.outbox == []  # referred is not a result yet
    with django_capture_on_commit_callbacks(execute=True):
        services.unit_reply(actor=factories.officer_of(unit), opinion_id=opinion.pk, reply="已安排维修路灯。")
    [(_phone, text)] = LocmemSmsBackend.outbox
    assert opinion.tracking_code in text
    assert SmsMessage.objects.count() == 1


def test_no_text_when_the_station_answers_a_citizen_who_did_not_ask(
    station, manager, django_capture_on_commit_callbacks
):
    opinion = submit(station)
    with django_capture_on_commit_callbacks(execute=True):
        services.triage(actor=manager, opinion_id=opinion.pk, route="answered", answer="已当场答复。")
    assert LocmemSmsBackend.outbox == [] and not SmsMessage.objects.exists()
