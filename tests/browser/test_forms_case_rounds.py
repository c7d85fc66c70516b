"""The selection rounds' forms as people fill them: staff add and edit a round, open it, close it on a tie, decide
the tie (a refused decision keeps its reason) and fix the result; a deputy casts a ballot on a phone; a judge
scores a case (a refused score keeps what was typed); staff strike a case from an approval round."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Ballot, Decision, Round, RoundKind, Score
from tests import factories as core
from tests.cases import factories as f
from tests.deputies.factories import current_term

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLES = ("五山街道联络站的履职实践", "石牌街道联络站的履职实践")


def local_input(moment) -> str:
    """How a datetime-local input holds a moment, in Beijing time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def world():
    """A campaign closed to submissions, with two submitted cases, ready for its rounds."""
    now = timezone.now()
    congress = core.CongressFactory()
    current_term(congress)
    staff = core.staff_of(congress)
    unit, officer = f.unit_with_officer(congress, "广州市人大常委会")
    opens, closes = (now - timedelta(days=30)).date(), (now - timedelta(days=10)).date()
    with time_machine.travel(now - timedelta(days=20), tick=False):
        campaign = f.campaign(staff, congress, [unit], title="2026年度代表履职优秀案例", opens=opens, closes=closes)
        cases = [f.submission(officer, campaign, title=title, level="provincial", mandates=[f.deputy(congress)])
                 for title in TITLES]  # fmt: skip
        services.close_submissions(actor=staff, campaign_id=campaign.pk)
    return {"congress": congress, "staff": staff, "campaign": campaign, "cases": cases}


def open_round(world, kind, voters=(), criteria=(), **fields):
    now = timezone.now()
    made = services.add_round(
        actor=world["staff"], campaign_id=world["campaign"].pk,
        fields={"kind": kind, "name": "初评", "opens_at": now - timedelta(hours=1),
                "closes_at": now + timedelta(days=2), **fields},
        voters=voters, criteria=criteria,
    )  # fmt: skip
    return services.open_round(actor=world["staff"], round_id=made.pk)


@pytest.mark.form_view("cases:round_new", "cases:round_edit", "cases:round_act", "cases:break_tie")
def test_staff_run_a_ballot_round_and_decide_its_tie(live_server, desk, world):
    voters = f.voters(2)
    now = timezone.now()
    log_in(desk, live_server, world["staff"])
    desk.goto(live_server.url + reverse("cases:campaign", args=[world["campaign"].pk]))
    desk.get_by_role("link", name="增加评选轮次").click()
    desk.get_by_label("评选方式").select_option(label="投票")
    desk.get_by_label("名称").fill("初评投票")
    desk.get_by_label("开始时间").fill(local_input(now - timedelta(hours=1)))
    desk.get_by_label("截止时间").fill(local_input(now + timedelta(days=2)))
    desk.get_by_label("晋级案例数（前N名）").fill("1")
    desk.get_by_label("每人可投数（K）").fill("1")
    desk.get_by_label("投票人或评委").fill("\n".join(v.username for v in voters))
    press(desk, desk.get_by_role("button", name="保存"))
    assert "评选轮次已保存。" in desk.locator("body").inner_text()
    round_ = Round.objects.get()
    assert (round_.kind, round_.advance, round_.voters.count()) == ("ballot", 1, 2)

    desk.get_by_role("row", name="初评投票").get_by_role("link", name="编辑").click()
    desk.get_by_label("名称").fill("初评")
    press(desk, desk.get_by_role("button", name="保存"))
    round_.refresh_from_db()
    assert round_.name == "初评"

    desk.get_by_role("link", name="初评", exact=True).click()
    press(desk, desk.get_by_role("button", name="开始本轮"))
    assert "本轮已开始，已通知投票人。" in desk.locator("body").inner_text()
    first, second = world["cases"]
    services.cast_ballot(actor=voters[0], round_id=round_.pk, submission_ids=[first.pk])
    services.cast_ballot(actor=voters[1], round_id=round_.pk, submission_ids=[second.pk])

    press(desk, desk.get_by_role("button", name="截止并计票"))
    assert "入围线出现并列" in desk.locator("body").inner_text()
    tie = desk.locator("section.warning")
    reason = "主任会议研究决定，五山街道联络站的做法更具示范性。"
    tie.get_by_label("决定理由").fill(reason)
    press(desk, tie.get_by_role("button", name="记录决定"))  # no case ticked: refused, the reason stays
    assert "请选择晋级案例并说明理由" in desk.locator("body").inner_text()
    assert tie.get_by_label("决定理由").input_value() == reason
    assert not Decision.objects.filter(round=round_, kind="tie").exists()
    tie.get_by_label(first.title).check()
    press(desk, tie.get_by_role("button", name="记录决定"))
    assert "对并列的决定已记录。" in desk.locator("body").inner_text()
    decision = Decision.objects.get(round=round_, kind="tie")
    assert decision.submission_ids == [first.pk]

    press(desk, desk.get_by_role("button", name="确定结果"))
    assert "本轮结果已确定。" in desk.locator("body").inner_text()
    round_.refresh_from_db()
    assert round_.status == "decided"
    assert round_.entries.get(submission=first).outcome == "advanced"


@pytest.mark.form_view("cases:ballot")
def test_a_deputy_casts_a_ballot_on_a_phone(live_server, phone, world):
    deputy = f.deputy(world["congress"])
    user = core.deputy_of(world["congress"])
    deputy.person.user = user
    deputy.person.save(update_fields=["user"])
    round_ = open_round(world, RoundKind.BALLOT, voters=[(user, None)], advance=1, approvals_per_voter=1)
    log_in(phone, live_server, user)
    phone.goto(live_server.url + reverse("cases:ballots"))
    phone.get_by_role("link", name="初评").click()
    phone.locator("li.candidate", has_text=TITLES[1]).get_by_label("赞成").check()
    press(phone, phone.get_by_role("button", name="提交投票"))
    assert "您的投票已提交，谢谢。" in phone.locator("body").inner_text()
    ballot = Ballot.objects.get(voter__round=round_)
    assert (ballot.voter.user, ballot.submission) == (user, world["cases"][1])


@pytest.mark.form_view("cases:ballot")
def test_a_ballot_with_too_many_or_no_cases_says_so_and_keeps_the_ticks(live_server, phone, world):
    user = core.deputy_of(world["congress"])
    round_ = open_round(world, RoundKind.BALLOT, voters=[(user, None)], advance=1, approvals_per_voter=1)
    log_in(phone, live_server, user)
    phone.goto(live_server.url + reverse("cases:ballot", args=[round_.pk]))
    press(phone, phone.get_by_role("button", name="提交投票"))
    assert "请至少勾选一个案例后再提交投票。" in phone.locator("main").inner_text()

    boxes = [phone.locator("li.candidate", has_text=title).get_by_label("赞成") for title in TITLES]
    for box in boxes:
        box.check()
    press(phone, phone.get_by_role("button", name="提交投票"))
    assert "最多可投1个案例。" in phone.locator("form").last.inner_text()
    assert all(box.is_checked() for box in boxes)
    assert not Ballot.objects.exists()

    boxes[0].uncheck()
    press(phone, phone.get_by_role("button", name="提交投票"))
    assert Ballot.objects.get(voter__round=round_).submission == world["cases"][1]


@pytest.mark.form_view("cases:ballot")
def test_a_judge_scores_a_case_against_each_criterion(live_server, desk, world):
    judge = core.UserFactory(name="评委刘")
    round_ = open_round(world, RoundKind.WEIGHTED, voters=[(judge, None)], criteria=[("创新性", 50), ("实效性", 50)],
                        advance=1, online_weight=0, panel_weight=100)  # fmt: skip
    log_in(desk, live_server, judge)
    desk.goto(live_server.url + reverse("cases:ballot", args=[round_.pk]))
    sheet = desk.locator("li.candidate", has_text=TITLES[0])
    sheet.get_by_label("创新性").fill("42")
    sheet.get_by_label("实效性").fill("55")  # over the full marks: refused, what was typed stays
    press(desk, sheet.get_by_role("button", name="保存评分"))
    assert "请在满分范围内为每项标准评分。" in desk.locator("body").inner_text()
    assert (sheet.get_by_label("创新性").input_value(), sheet.get_by_label("实效性").input_value()) == ("42", "55")
    assert not Score.objects.exists()

    sheet.get_by_label("实效性").fill("45.5")
    press(desk, sheet.get_by_role("button", name="保存评分"))
    assert "评分已保存。" in desk.locator("body").inner_text()
    assert "87.5" in desk.locator("li.candidate", has_text=TITLES[0]).inner_text()
    scores = {s.criterion.name: s.points for s in Score.objects.filter(submission=world["cases"][0])}
    assert scores == {"创新性": 42, "实效性": 45.5}


@pytest.mark.form_view("cases:strike", "cases:round_act")
def test_staff_strike_a_case_from_an_approval_round_and_fix_the_list(live_server, desk, world):
    round_ = open_round(world, RoundKind.APPROVAL)
    log_in(desk, live_server, world["staff"])
    desk.goto(live_server.url + reverse("cases:round", args=[round_.pk]))
    strike = desk.locator("form", has=desk.get_by_role("button", name="取消", exact=True))
    strike.get_by_label("案例").select_option(label=TITLES[1])
    strike.get_by_label("原因").fill("案例材料与实际不符。")
    press(desk, strike.get_by_role("button", name="取消", exact=True))
    assert "该案例已从名单中取消。" in desk.locator("body").inner_text()
    assert round_.entries.get(submission=world["cases"][1]).outcome == "struck"

    press(desk, desk.get_by_role("button", name="截止并计票"))
    desk.get_by_label("主任会议审定情况").fill("经2026年12月主任会议审定。")
    press(desk, desk.get_by_role("button", name="确定结果"))
    assert "本轮结果已确定。" in desk.locator("body").inner_text()
    round_.refresh_from_db()
    assert round_.status == "decided"
