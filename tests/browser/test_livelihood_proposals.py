"""From proposals to the candidate list in a browser: a citizen proposes on a phone and follows the proposal by
its code, a deputy proposes on the portal, the staff close the collection, the government office assesses each
proposal (one it finds not feasible), and the staff confirm the candidate list with a published reason for each."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from livelihood import services
from livelihood.models import Candidate, ProgrammeStatus, Proposal, ProposalStatus, Source
from tests import factories as core
from tests.livelihood import factories as f

from .conftest import log_in, press
from .test_public_vote import answer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def collecting():
    """A programme choosing 1 project from 2 candidates, collecting proposals this month."""
    congress = f.congress()
    staff = core.staff_of(congress)
    office, officer = f.office_of(congress)
    today = timezone.localdate()
    programme = f.programme(staff, congress, office, projects=1, solicit_from=today - timedelta(days=3),
                            solicit_until=today + timedelta(days=20), vote_on=today + timedelta(days=40))  # fmt: skip
    services.open_solicitation(actor=staff, programme_id=programme.pk)
    return staff, officer, programme, f.department(congress), f.deputies(congress, 1)[0]


@pytest.mark.form_view("livelihood:propose", "livelihood:propose_as_deputy", "livelihood:assess", "livelihood:screen")
def test_proposals_to_a_confirmed_candidate_list(live_server, phone, desk, collecting):
    staff, officer, programme, department, deputy = collecting

    # A citizen, on a phone.
    phone.goto(live_server.url + reverse("livelihood:propose", args=[programme.pk]))
    phone.get_by_label("项目名称").fill("老旧小区加装电梯")
    phone.get_by_label("建议内容").fill("石牌街道三个老旧小区没有电梯，老人上下楼困难。")
    phone.get_by_label("实施地点").fill("石牌街道")
    phone.get_by_label("手机号码").fill("13812345678")
    press(phone, phone.get_by_role("button", name="提交"))  # the question left unanswered
    assert phone.locator(".error-summary").is_visible()
    assert phone.get_by_label("项目名称").input_value() == "老旧小区加装电梯"  # nothing typed is lost
    question = phone.locator("label[for='id_answer']").inner_text()
    phone.locator("#id_answer").fill(answer(question))
    press(phone, phone.get_by_role("button", name="提交"))
    code = phone.locator(".code").inner_text().strip()
    citizen = Proposal.objects.get(tracking_code=code)
    assert citizen.source == Source.CITIZEN and citizen.phone_tail == "5678"

    # A deputy, on the portal.
    log_in(desk, live_server, deputy.person.user)
    desk.goto(live_server.url + reverse("livelihood:propose_as_deputy", args=[programme.pk]))
    desk.get_by_label("项目名称").fill("社区长者食堂")
    desk.get_by_label("建议内容").fill("在每个社区开办长者食堂。")
    desk.get_by_label("实施地点").fill("天河区各街道")
    press(desk, desk.get_by_role("button", name="提交"))
    assert "已收到" in desk.content()
    third = f.proposal(programme, 3, title="游泳馆", today=timezone.localdate())

    # The staff close the collection; the office assesses.
    desk.context.clear_cookies()
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("livelihood:programme", args=[programme.pk]))
    press(desk, desk.get_by_role("button", name="结束征集"))
    desk.context.clear_cookies()
    log_in(desk, live_server, officer)
    for proposal in Proposal.objects.filter(programme=programme).order_by("number"):
        desk.goto(live_server.url + reverse("livelihood:assess", args=[proposal.pk]))
        if proposal.pk == third.pk:
            desk.get_by_label("当年不具备实施条件").check()
        else:
            desk.get_by_label("当年可实施").check()
            desk.get_by_label("估算投资（万元）").fill("800")
            desk.get_by_label("责任单位").select_option(label=department.name)
        desk.get_by_label("评估意见").fill("经评估")
        press(desk, desk.get_by_role("button", name="保存评估意见"))
        assert "已保存" in desk.content()

    # The staff confirm the list: the infeasible one cannot be kept, and every decision needs its reason.
    desk.context.clear_cookies()
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("livelihood:screen", args=[programme.pk]))
    for proposal in Proposal.objects.filter(programme=programme).order_by("number"):
        card = desk.locator("section.card", has_text=f"{proposal.number}. {proposal.title}")
        card.get_by_label("列为候选项目", exact=True).check()
        card.get_by_label("理由（公开）").fill("群众呼声高")
    press(desk, desk.get_by_role("button", name="确定候选项目"))
    assert "只有经评估可行的建议才能列为候选项目" in desk.content()
    card = desk.locator("section.card", has_text=f"{third.number}. {third.title}")
    card.get_by_label("不列为候选项目").check()
    card.get_by_label("理由（公开）").fill("")
    press(desk, desk.get_by_role("button", name="确定候选项目"))
    assert "请填写第3项建议列入或不列入的理由" in desk.content()
    card = desk.locator("section.card", has_text=f"{third.number}. {third.title}")
    card.get_by_label("理由（公开）").fill("用地尚未落实")
    press(desk, desk.get_by_role("button", name="确定候选项目"))
    assert "候选项目已确定" in desk.content()
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.CANDIDATES
    assert list(Candidate.objects.filter(programme=programme).values_list("title", flat=True)) == [
        "老旧小区加装电梯", "社区长者食堂"]  # fmt: skip
    assert Proposal.objects.get(pk=third.pk).status == ProposalStatus.DROPPED

    # The citizen follows the proposal by its code.
    phone.goto(live_server.url + reverse("livelihood:track") + f"?code={code}")
    phone.get_by_label("手机号码后四位").fill("5678")
    with phone.expect_navigation():
        phone.get_by_role("button", name="查询").click()
    assert "列为候选项目" in phone.content() and "群众呼声高" in phone.content()
