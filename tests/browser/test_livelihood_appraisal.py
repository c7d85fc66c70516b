"""After the vote, in a browser: staff correct a published count on record and the public results say so; staff
open the year-end appraisal, a deputy rates the chosen projects on a phone, staff close it; the department of the
unsatisfactory project reports its correction and staff close it. A station's manager records a proposal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from livelihood.models import Appraisal, AppraisalStatus, Correction, ProgrammeStatus, Rating, Source
from tests import factories as core
from tests.liaison_stations.factories import managed_station
from tests.livelihood import factories as f

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def published():
    congress = f.congress()
    staff = core.staff_of(congress)
    programme, candidates, deputies = f.published(staff, congress, present=1, n_candidates=2, projects=1)
    return staff, programme, candidates, deputies


@pytest.mark.form_view("livelihood:correct")
def test_staff_correct_a_published_result(live_server, desk, published):
    staff, programme, candidates, _deputies = published
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("livelihood:programme", args=[programme.pk]))
    desk.get_by_role("link", name="更正").nth(1).click()
    press(desk, desk.get_by_role("button", name="记录更正"))
    assert "更正理由" in desk.locator(".error-summary").inner_text()
    desk.get_by_label("更正后的票数").fill("1")
    desk.get_by_label("未当选").check()
    desk.get_by_label("更正理由").fill("复核计票发现漏计一票")
    press(desk, desk.get_by_role("button", name="记录更正"))
    assert "更正已记录并公布" in desk.content()
    correction = Correction.objects.get(candidate=candidates[1])
    assert (correction.votes_before, correction.votes_after, correction.corrected_by) == (0, 1, staff)

    desk.goto(live_server.url + reverse("livelihood:results", args=[programme.pk]))
    assert "复核计票发现漏计一票" in desk.content()


@pytest.mark.form_view("livelihood:open_appraisal", "livelihood:rate", "livelihood:close_appraisal",
                       "livelihood:appraisal", "livelihood:close_correction")  # fmt: skip
def test_the_year_end_appraisal_from_rating_to_correction(live_server, desk, phone, published):
    staff, programme, candidates, deputies = published
    today = timezone.localdate()
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("livelihood:programme", args=[programme.pk]))
    desk.get_by_role("link", name="开始年终测评").click()
    desk.get_by_label("测评开始日期").fill((today - timedelta(days=1)).isoformat())
    desk.get_by_label("测评截止日期").fill((today + timedelta(days=20)).isoformat())
    press(desk, desk.get_by_role("button", name="开始测评"))
    assert "年终测评已开始" in desk.content()

    # The deputy, on a phone.
    log_in(phone, live_server, deputies[0].person.user)
    phone.goto(live_server.url + reverse("livelihood:rate", args=[programme.pk]))
    project = phone.get_by_role("group", name=f"1. {candidates[0].title}")
    project.get_by_label("不满意", exact=True).check()
    press(phone, phone.get_by_role("button", name="提交测评"))
    assert "您的测评意见已记录" in phone.content()
    assert Rating.objects.get(mandate=deputies[0]).verdict == "dissatisfied"
    assert "我的测评" in phone.content() and not phone.get_by_role("button", name="提交测评").count()

    desk.goto(live_server.url + reverse("livelihood:programme", args=[programme.pk]))
    press(desk, desk.get_by_role("button", name="结束测评并统计"))
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.APPRAISED
    appraisal = Appraisal.objects.get(candidate=candidates[0])
    assert appraisal.status == AppraisalStatus.CORRECTING

    # The department reports on its portal.
    officer = core.officer_of(candidates[0].department)
    phone.context.clear_cookies()
    log_in(phone, live_server, officer)
    phone.goto(live_server.url + reverse("livelihood:corrections_due"))
    phone.get_by_role("link", name=candidates[0].title).click()
    phone.get_by_label("整改情况").fill("已增设路灯20盏")
    press(phone, phone.get_by_role("button", name="报送"))
    assert "整改情况已报送" in phone.content()

    desk.goto(live_server.url + reverse("livelihood:appraisal", args=[appraisal.pk]))
    desk.get_by_label("办结说明（选填）").fill("经实地核查已整改")
    press(desk, desk.get_by_role("button", name="办结整改"))
    assert "整改已办结" in desk.content()
    appraisal.refresh_from_db()
    assert appraisal.status == AppraisalStatus.CLOSED

    phone.goto(live_server.url + reverse("livelihood:results", args=[programme.pk]))
    assert "不满意1" in phone.content()


@pytest.mark.form_view("livelihood:propose_at_station")
def test_a_station_manager_records_a_proposal(live_server, desk):
    congress = f.congress()
    programme = f.collecting_now(core.staff_of(congress), congress)
    station, manager = managed_station(congress=congress, region=congress.region)

    log_in(desk, live_server, manager)
    desk.goto(live_server.url + reverse("liaison_stations:desk", args=[station.pk]))
    desk.get_by_role("link", name="登记民生实事项目提议").click()
    desk.get_by_label("项目名称").fill("老旧小区加装电梯")
    desk.get_by_label("建议内容").fill("为石牌街道六层以上老旧住宅加装电梯")
    desk.get_by_label("实施地点").fill("石牌街道")
    press(desk, desk.get_by_role("button", name="登记提议"))
    assert "提议人手机号码" in desk.locator(".error-summary").inner_text()
    desk.get_by_label("提议人手机号码").fill("13912345678")
    press(desk, desk.get_by_role("button", name="登记提议"))
    proposal = programme.proposals.get()
    assert proposal.source == Source.STATION and proposal.station == station and proposal.recorded_by == manager
    assert proposal.tracking_code in desk.content()
