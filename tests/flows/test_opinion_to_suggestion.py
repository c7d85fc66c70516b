"""A citizen's opinion taken up by a deputy becomes a suggestion; its reply lets the station close the loop."""

from datetime import date
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

import liaison_stations.tasks
from congress import policies
from congress.errors import InvalidTransition
from congress.models import Deadline, Notification
from congress.notifications import LocmemSmsBackend
from liaison_stations import services as stations
from liaison_stations.models import OpinionStatus
from suggestions import services as suggestions
from suggestions.models import Status, Suggestion
from tests import factories as core
from tests.liaison_stations.factories import managed_station, stationed_deputy
from tests.suggestions.factories import CategoryFactory, pdf

pytestmark = pytest.mark.django_db


def test_opinion_becomes_a_suggestion_whose_reply_closes_the_loop(django_capture_on_commit_callbacks):
    station, manager = managed_station()
    mandate, deputy = stationed_deputy(station)
    staff = core.staff_of(station.congress)
    unit = core.OrganisationFactory(region=station.congress.region)
    officer = core.officer_of(unit)
    opinion = stations.submit_opinion(
        station=station,
        phone="13912345678",
        category="urban",
        content="村口公交站台没有遮雨棚，雨天老人和学生候车十分困难，希望尽快增设候车亭。",
    )
    with django_capture_on_commit_callbacks(execute=True):
        stations.triage(actor=manager, opinion_id=opinion.pk, route="to_suggestion", mandate_id=mandate.pk)
    draft = Suggestion.objects.get(opinion=opinion)
    assert (draft.lead, draft.status) == (mandate, Status.DRAFT)
    assert "13912345678" not in draft.content
    suggestions.save_draft(
        actor=deputy,
        suggestion_id=draft.pk,
        fields={"title": "关于增设公交候车亭的建议", "category": CategoryFactory(congress=station.congress)},
    )
    suggestions.submit(actor=deputy, suggestion_id=draft.pk)
    suggestions.accept(actor=staff, suggestion_id=draft.pk)
    suggestions.assign(actor=staff, suggestion_id=draft.pk, lead_id=unit.pk)
    assignment = draft.assignments.get()
    suggestions.confirm_receipt(actor=officer, assignment_id=assignment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        suggestions.reply(actor=officer, assignment_id=assignment.pk, text="已列入明年候车亭建设计划。", result="B",
                          follow_up_plan="明年六月前建成", letter=pdf())  # fmt: skip
    assert Notification.objects.filter(recipient=manager, key__contains="suggestion_replied").exists()
    closed = stations.give_feedback(actor=manager, opinion_id=opinion.pk, feedback="已电话告知群众答复内容。")
    assert closed.status == OpinionStatus.CLOSED


# The citizen's side of the loop (issue 23): the feedback clock waits for the suggestion's outcome, the opinion
# cannot be closed before it, the tracking page shows the suggestion's progress and its reply, and a citizen who
# asked is texted once.

CONTENT = "村口公交站台没有遮雨棚，雨天老人和学生候车十分困难，希望尽快增设候车亭。"


@pytest.fixture
def loop(db):
    station, manager = managed_station()
    mandate, deputy = stationed_deputy(station)
    unit = core.OrganisationFactory(region=station.congress.region)
    return SimpleNamespace(station=station, manager=manager, mandate=mandate, deputy=deputy,
                           staff=core.staff_of(station.congress), unit=unit, officer=core.officer_of(unit))  # fmt: skip


def leave_and_take_up(loop, **fields) -> tuple:
    """A citizen leaves an opinion at the station, which the manager gives a deputy to take up: (opinion, draft)."""
    opinion = stations.submit_opinion(station=loop.station, phone="13912345678", category="urban", content=CONTENT,
                                      **fields)  # fmt: skip
    stations.triage(actor=loop.manager, opinion_id=opinion.pk, route="to_suggestion", mandate_id=loop.mandate.pk)
    return opinion, Suggestion.objects.get(opinion=opinion)


def submit(loop, draft) -> None:
    suggestions.save_draft(
        actor=loop.deputy,
        suggestion_id=draft.pk,
        fields={"title": "关于增设公交候车亭的建议", "category": CategoryFactory(congress=loop.station.congress)},
    )
    suggestions.submit(actor=loop.deputy, suggestion_id=draft.pk)


def hand_out(loop, draft):
    submit(loop, draft)
    suggestions.accept(actor=loop.staff, suggestion_id=draft.pk)
    suggestions.assign(actor=loop.staff, suggestion_id=draft.pk, lead_id=loop.unit.pk)
    assignment = draft.assignments.get()
    suggestions.confirm_receipt(actor=loop.officer, assignment_id=assignment.pk)
    return assignment


def reply(loop, assignment, text="已列入明年候车亭建设计划。", result="B"):
    return suggestions.reply(actor=loop.officer, assignment_id=assignment.pk, text=text, result=result,
                             follow_up_plan="明年六月前建成" if result in "BC" else "", letter=pdf())  # fmt: skip


def feedback_clocks(opinion):
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(opinion), object_id=opinion.pk, kind=stations.FEEDBACK_DEADLINE
    )


def test_feedback_clock_starts_when_the_suggestion_is_replied_to_not_at_triage(loop):
    """Taken up on Tuesday 2026-09-15; the unit replies on Tuesday 2026-09-29, ten working days later (16-18, the
    adjusted Sunday 20, 21-24, 28 and 29 September; 25-27 September are the Mid-autumn holiday). The citizen is owed
    feedback 5 working days after the reply: 30 September, 8, 9, 10 (an adjusted Saturday) and 12 October, so on
    2026-10-12 -- not 5 working days after the triage (2026-09-21)."""
    assert policies.policy(loop.station.congress, "opinion.feedback_period") == 5
    with time_machine.travel("2026-09-15 10:00 +0800", tick=False):
        opinion, draft = leave_and_take_up(loop)
    assert not feedback_clocks(opinion).exists()
    with time_machine.travel("2026-09-16 10:00 +0800", tick=False):
        assignment = hand_out(loop, draft)
    assert not feedback_clocks(opinion).exists()
    with time_machine.travel("2026-09-29 15:00 +0800", tick=False):
        reply(loop, assignment)
    clock = feedback_clocks(opinion).get()
    assert (clock.start_date, clock.due_date, clock.met_at) == (date(2026, 9, 29), date(2026, 10, 12), None)
    opinion.refresh_from_db()
    assert timezone.localdate(opinion.suggestion_settled_at) == date(2026, 9, 29)


def test_a_declined_suggestion_starts_the_feedback_clock(loop):
    """Declined on Wednesday 2026-04-29: 30 April, then 6, 7, 8 and 9 May (1-5 May are the Labour Day holiday, 9 May
    an adjusted Saturday), so the citizen's feedback is due 2026-05-09."""
    with time_machine.travel("2026-04-27 10:00 +0800", tick=False):
        opinion, draft = leave_and_take_up(loop)
        submit(loop, draft)
    with time_machine.travel("2026-04-29 10:00 +0800", tick=False):
        suggestions.decline(actor=loop.staff, suggestion_id=draft.pk, reason="personal")
    assert feedback_clocks(opinion).get().due_date == date(2026, 5, 9)


def test_a_withdrawn_suggestion_starts_the_feedback_clock(loop):
    """Withdrawn on Monday 2026-06-08: 9, 10, 11, 12 and 15 June, so due 2026-06-15."""
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        opinion, draft = leave_and_take_up(loop)
        submit(loop, draft)
    with time_machine.travel("2026-06-08 10:00 +0800", tick=False):
        suggestions.withdraw(actor=loop.deputy, suggestion_id=draft.pk, reason="已通过其他渠道反映")
    assert feedback_clocks(opinion).get().due_date == date(2026, 6, 15)
    closed = stations.give_feedback(actor=loop.manager, opinion_id=opinion.pk, feedback="已告知群众建议已撤回及原因。")
    assert closed.status == OpinionStatus.CLOSED


def test_the_opinion_cannot_be_closed_while_its_suggestion_is_open(loop, api_client):
    opinion, draft = leave_and_take_up(loop)
    submit(loop, draft)
    with pytest.raises(InvalidTransition):
        stations.give_feedback(actor=loop.manager, opinion_id=opinion.pk, feedback="已告知。")
    api_client.force_authenticate(loop.manager)
    response = api_client.post(f"/api/v1/opinions/{opinion.pk}/feedback/", {"feedback": "已告知。"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert "已提交" in error["message"]  # the suggestion's state, and what the opinion waits for
    assert "答复、不予受理或撤回" in error["message"]
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.TO_SUGGESTION


def test_the_opinion_page_offers_feedback_only_once_the_suggestion_is_replied_to(loop, client):
    opinion, draft = leave_and_take_up(loop)
    assignment = hand_out(loop, draft)
    client.force_login(loop.manager)
    url = reverse("liaison_stations:opinion", args=[opinion.pk])
    assert 'value="feedback"' not in client.get(url).content.decode()
    reply(loop, assignment)
    assert 'value="feedback"' in client.get(url).content.decode()


def track(client, opinion) -> str:
    response = client.get(reverse("liaison_stations:track"), {"code": opinion.tracking_code, "phone_tail": "5678"})
    assert response.status_code == 200
    return response.content.decode()


def test_the_tracking_page_follows_the_suggestion_to_its_reply(loop, client):
    opinion, draft = leave_and_take_up(loop)
    page = track(client, opinion)
    assert "已转为代表建议" in page
    assert "草稿" in page  # the suggestion's state: the deputy is drafting it
    submit(loop, draft)
    suggestions.accept(actor=loop.staff, suggestion_id=draft.pk)
    draft.refresh_from_db()
    page = track(client, opinion)
    assert f"代表建议</b> {draft.number_label} · 已受理" in page
    suggestions.assign(actor=loop.staff, suggestion_id=draft.pk, lead_id=loop.unit.pk)
    assignment = draft.assignments.get()
    suggestions.confirm_receipt(actor=loop.officer, assignment_id=assignment.pk)
    reply(loop, assignment, text="已列入明年候车亭建设计划，具体可咨询经办人，电话 138-0013-8000。", result="B")
    page = track(client, opinion)
    assert "已答复" in page
    assert "B：正在解决或列入计划解决" in page
    assert "已列入明年候车亭建设计划" in page
    assert "[已删除]" in page
    assert "138-0013-8000" not in page and "13800138000" not in page


def test_a_reply_the_deputy_objected_to_publishing_shows_its_category_without_its_text(loop, client):
    opinion, draft = leave_and_take_up(loop)
    assignment = hand_out(loop, draft)
    suggestions.object_to_disclosure(actor=loop.deputy, suggestion_id=draft.pk, reason="涉及个人隐私")
    reply(loop, assignment, text="已列入明年候车亭建设计划。", result="B")
    page = track(client, opinion)
    assert "B：正在解决或列入计划解决" in page
    assert "已列入明年候车亭建设计划" not in page
    assert "答复全文不予公开" in page


def test_a_citizen_who_asked_is_texted_once_when_the_suggestion_is_replied_to(loop, django_capture_on_commit_callbacks):
    opinion, draft = leave_and_take_up(loop, sms_wanted=True)
    assignment = hand_out(loop, draft)
    assert LocmemSmsBackend.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        reply(loop, assignment, result="B")
    [(phone, text)] = LocmemSmsBackend.outbox
    assert phone == "13912345678"
    assert opinion.tracking_code in text and "B：正在解决或列入计划解决" in text
    # The outbox may hand the task over twice (its publisher died before marking it sent): nothing more goes out.
    assert liaison_stations.tasks.text_citizen(opinion.pk) == 0
    assert len(LocmemSmsBackend.outbox) == 1
    opinion.refresh_from_db()
    assert opinion.sms_sent_at is not None


def test_a_new_reply_after_re_handling_neither_texts_again_nor_restarts_the_clock(
    loop, django_capture_on_commit_callbacks
):
    opinion, draft = leave_and_take_up(loop, sms_wanted=True)
    assignment = hand_out(loop, draft)
    with django_capture_on_commit_callbacks(execute=True):
        first = reply(loop, assignment)
    suggestions.give_feedback(actor=loop.deputy, suggestion_id=draft.pk, reply_id=first.pk, on_result="dissatisfied",
                              on_attitude="satisfied", comment="候车亭选址不合理")  # fmt: skip
    draft.refresh_from_db()
    assert draft.status == Status.REHANDLING
    with django_capture_on_commit_callbacks(execute=True):
        reply(loop, assignment, text="已调整选址，本月内动工。", result="A")
    draft.refresh_from_db()
    assert draft.status == Status.REPLIED
    assert feedback_clocks(opinion).count() == 1
    assert len(LocmemSmsBackend.outbox) == 1


def test_a_citizen_who_did_not_ask_gets_no_sms(loop, django_capture_on_commit_callbacks):
    opinion, draft = leave_and_take_up(loop)
    assignment = hand_out(loop, draft)
    with django_capture_on_commit_callbacks(execute=True):
        reply(loop, assignment)
    assert LocmemSmsBackend.outbox == []
    assert feedback_clocks(opinion).exists()
