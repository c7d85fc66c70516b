"""An activity's report and its findings as staff handle them on the activity's page: the report submitted with
its findings, one finding turned into a suggestion draft of a participating deputy (the other participant
invited to co-sign), another referred to a handling unit whose answer is then recorded."""

import pytest
from django.urls import reverse

from activities import services
from activities.models import FindingOutcome
from suggestions.models import Suggestion
from tests import factories as core
from tests.activities import factories as f
from tests.deputies.factories import current_term

from .conftest import log_in, press
from .test_forms_activities import activity_now

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def congress():
    made = core.CongressFactory(region=core.province("62", "甘肃省"))
    current_term(made)
    return made


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


@pytest.mark.form_view(
    "activities:activity_action", "activities:finding_draft", "activities:finding_refer", "activities:finding_answer"
)
def test_staff_submit_a_report_with_findings_and_turn_one_into_a_draft(live_server, desk, congress, staff):
    activity = activity_now(staff, congress, title="农村饮水安全专题调研", capacity=3)
    lead, cosigner = f.deputy(congress, name="马建国"), f.deputy(congress, name="丁秀兰")
    invitations = [f.invite_and_accept(staff, activity, m) for m in (lead, cosigner)]
    services.record_attendance(actor=staff, sitting_id=activity.sittings.get().pk,
                               marks={i.pk: "present" for i in invitations})  # fmt: skip
    services.start(actor=staff, activity_id=activity.pk)
    unit = core.OrganisationFactory(region=congress.region, name="省水利厅")

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("activities:activity", args=[activity.pk]))
    desk.get_by_label("活动报告").fill("调研发现农村饮水工程管护存在薄弱环节。")
    desk.get_by_label("发现的问题").fill("农村饮水工程管护责任不落实\n部分水厂水质检测不达标")
    press(desk, desk.get_by_role("button", name="提交报告"))
    assert "报告已提交" in desk.locator("body").inner_text()

    first = desk.locator("#finding-1")
    first.get_by_label("领衔代表").select_option(label="马建国")
    press(desk, first.get_by_role("button", name="转为建议草稿"))
    assert "第1条问题已转为建议草稿" in desk.locator("body").inner_text()
    suggestion = Suggestion.objects.get()
    assert (suggestion.lead, suggestion.content) == (lead, "农村饮水工程管护责任不落实")
    assert list(suggestion.cosigners.values_list("mandate", flat=True)) == [cosigner.pk]
    assert suggestion.title in desk.locator("#finding-1").inner_text()

    second = desk.locator("#finding-2")
    second.get_by_label("承办单位").select_option(label="省水利厅")
    second.get_by_label("答复期限（工作日）").fill("10")
    press(desk, second.get_by_role("button", name="转交单位"))
    assert "已转交省水利厅" in desk.locator("#finding-2").inner_text()
    desk.locator("#finding-2").get_by_label("单位答复").fill("已督促各县落实管护责任。")
    press(desk, desk.locator("#finding-2").get_by_role("button", name="登记答复"))
    outcome = FindingOutcome.objects.get(kind="referral")
    assert (outcome.unit, outcome.answer) == (unit, "已督促各县落实管护责任。")
    assert "已答复" in desk.locator("#finding-2").inner_text()
