"""A citizen leaves an opinion on a phone asking to be texted; a deputy takes it up as a suggestion, which a unit
answers; the citizen is texted once and, following the opinion by its tracking code, reads the reply's category
and its text without the personal data in it."""

import pytest
from django.urls import reverse

from congress.notifications import LocmemSmsBackend
from liaison_stations import services as stations
from liaison_stations.models import CitizenOpinion
from suggestions import services as suggestions
from suggestions.models import Suggestion
from tests import factories as core
from tests.liaison_stations.factories import managed_station, stationed_deputy
from tests.suggestions.factories import CategoryFactory, pdf

from .conftest import press
from .test_public_opinion import answer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def take_up_and_answer(opinion, station, manager):
    """The station's manager gives the opinion to a deputy, whose suggestion a unit answers in category B."""
    mandate, deputy = stationed_deputy(station)
    staff = core.staff_of(station.congress)
    unit = core.OrganisationFactory(name="区交通运输局", region=station.congress.region)
    officer = core.officer_of(unit)
    stations.triage(actor=manager, opinion_id=opinion.pk, route="to_suggestion", mandate_id=mandate.pk)
    draft = Suggestion.objects.get(opinion=opinion)
    fields = {"title": "关于增设公交候车亭的建议", "category": CategoryFactory(congress=station.congress)}
    suggestions.save_draft(actor=deputy, suggestion_id=draft.pk, fields=fields)
    suggestions.submit(actor=deputy, suggestion_id=draft.pk)
    suggestions.accept(actor=staff, suggestion_id=draft.pk)
    suggestions.assign(actor=staff, suggestion_id=draft.pk, lead_id=unit.pk)
    assignment = draft.assignments.get()
    suggestions.confirm_receipt(actor=officer, assignment_id=assignment.pk)
    suggestions.reply(actor=officer, assignment_id=assignment.pk, result="B", follow_up_plan="明年六月前建成",
                      text="候车亭已列入明年建设计划。经办人电话 13800138000。", letter=pdf())  # fmt: skip


@pytest.mark.form_view("liaison_stations:public_opinion")
def test_citizen_asks_for_an_sms_and_follows_the_suggestion_to_its_reply(live_server, phone):
    station, manager = managed_station(name="天河区五山街道人大代表联络站")
    phone.goto(live_server.url + reverse("liaison_stations:public_station", args=[station.slug]))
    phone.get_by_role("link", name="提出意见").click()
    phone.get_by_label("手机号码").fill("13912345678")
    phone.get_by_label("类别").select_option(index=1)
    phone.get_by_label("您的意见").fill("村口公交站台没有遮雨棚，雨天老人和学生候车十分困难，希望尽快增设候车亭。")
    phone.get_by_label("有处理结果时短信通知我").check()
    question = phone.locator("label[for='id_answer']").inner_text()
    phone.get_by_label(question).fill(answer(question))
    press(phone, phone.get_by_role("button", name="提交"))

    code = phone.locator("p.code").inner_text().strip()
    opinion = CitizenOpinion.objects.get(tracking_code=code)
    assert opinion.sms_wanted

    take_up_and_answer(opinion, station, manager)
    [(number, text)] = LocmemSmsBackend.outbox
    assert number == "13912345678" and code in text

    phone.get_by_role("link", name="查询办理进展").click()
    phone.get_by_label("手机号码后四位").fill("5678")
    phone.get_by_role("button", name="查询").click()
    progress = phone.locator("li.suggestion-progress")
    assert "已答复" in progress.inner_text()
    assert "B：正在解决或列入计划解决" in progress.locator(".result").inner_text()
    reply = progress.locator("blockquote").inner_text()
    assert "候车亭已列入明年建设计划" in reply
    assert "13800138000" not in reply and "[已删除]" in reply
