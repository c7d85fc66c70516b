"""The suggestion forms not walked by the journey tests, filled and sent as a person would: the deputy on a phone
drafts with a file, removes it, submits, co-signs, withdraws and objects to publication; staff at a desk return,
decline, merge and assign in bulk, publish over an objection and decide a unit's requests; a unit's officer
records a contact and a plan and asks to be released; a co-handling unit sends its opinion; key supervision
items get a progress note and their closing report."""

import re

import pytest
from django.urls import reverse

from congress.models import PolicyValue
from suggestions import services
from suggestions.models import ExtensionRequest, KeySupervision, Suggestion
from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories as f

from .conftest import log_in, press
from .test_suggestion_journey import panel

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHOTO = {"name": "现场照片.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%photo\n%%EOF\n"}


def banner(page) -> str:
    return page.locator(".messages").inner_text()


@pytest.fixture
def congress():
    congress = core.CongressFactory()
    current_term(congress)
    return congress


def detail(live_server, suggestion) -> str:
    return live_server.url + reverse("suggestions:detail", args=[suggestion.pk])


@pytest.mark.form_view("suggestions:new", "suggestions:edit", "suggestions:remove_attachment")
def test_a_deputy_drafts_with_a_file_removes_it_and_submits(live_server, phone, congress):
    f.CategoryFactory(congress=congress, name="教育")
    mandate = f.deputy(congress)

    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("suggestions:new"))
    phone.get_by_label("标题").fill("关于增设学校周边交通信号灯的建议")
    phone.get_by_label("内容").fill(f.CONTENT)
    phone.get_by_label("类别").select_option(label="教育")
    phone.get_by_label("附件", exact=True).set_input_files(PHOTO)
    press(phone, phone.get_by_role("button", name="保存草稿"))
    assert "草稿已保存" in banner(phone)
    suggestion = Suggestion.objects.get()
    assert (suggestion.status, suggestion.attachments.get().name) == ("draft", "现场照片.pdf")

    press(phone, phone.get_by_role("button", name="删除"))
    assert "附件已删除" in banner(phone)
    assert not suggestion.attachments.exists()

    phone.get_by_label("标题").fill("关于增设学校周边交通信号灯和斑马线的建议")
    press(phone, phone.get_by_role("button", name="提交", exact=True))
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.title) == ("submitted", "关于增设学校周边交通信号灯和斑马线的建议")


@pytest.mark.form_view("suggestions:cosign")
def test_a_deputy_asked_to_co_sign_agrees_from_their_list(live_server, phone, congress):
    lead, cosigner = f.deputy(congress, name="林芳"), f.deputy(congress)
    suggestion = f.draft(lead)
    services.save_draft(actor=lead.person.user, suggestion_id=suggestion.pk, fields={}, cosigner_ids=[cosigner.pk])

    log_in(phone, live_server, cosigner.person.user)
    phone.goto(live_server.url + reverse("suggestions:mine"))
    press(phone, phone.get_by_role("button", name="同意联名", exact=True))
    assert "您已同意联名该建议" in banner(phone)
    assert suggestion.cosigners.get().status == "confirmed"


@pytest.mark.form_view("suggestions:act")
def test_the_deputy_withdraws_a_submitted_suggestion_with_a_reason(live_server, phone, congress):
    mandate = f.deputy(congress)
    suggestion = f.submitted(mandate)

    log_in(phone, live_server, mandate.person.user)
    phone.goto(detail(live_server, suggestion))
    form = panel(phone, "撤回")
    form.get_by_label("撤回原因").fill("已与区教育局当面沟通解决。")
    press(phone, form.get_by_role("button", name="撤回"))
    assert "已撤回" in banner(phone)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.withdraw_reason) == ("withdrawn", "已与区教育局当面沟通解决。")


@pytest.mark.form_view("suggestions:act")
def test_staff_return_a_suggestion_for_revision(live_server, desk, congress):
    suggestion = f.submitted(f.deputy(congress))

    log_in(desk, live_server, core.staff_of(congress))
    desk.goto(detail(live_server, suggestion))
    form = panel(desk, "退回修改")
    form.get_by_label("修改意见").fill("请补充课后服务经费测算依据。")
    press(desk, form.get_by_role("button", name="退回代表"))
    assert "已退回代表修改" in banner(desk)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.review_comment) == ("returned", "请补充课后服务经费测算依据。")


@pytest.mark.form_view("suggestions:act")
def test_staff_decline_a_submission_with_a_reason(live_server, desk, congress):
    suggestion = f.submitted(f.deputy(congress))

    log_in(desk, live_server, core.staff_of(congress))
    desk.goto(detail(live_server, suggestion))
    form = panel(desk, "不予受理")
    form.get_by_label("原因").select_option(index=1)
    form.get_by_label("给代表的说明").fill("该事项正在诉讼中。")
    press(desk, form.get_by_role("button", name="不予受理"))
    assert "已不予受理" in banner(desk)
    suggestion.refresh_from_db()
    assert suggestion.status == "declined" and suggestion.decline_reason


@pytest.mark.form_view("suggestions:act")
def test_staff_merge_two_suggestions_on_the_same_topic(live_server, desk, congress):
    staff = core.staff_of(congress)
    primary = f.accepted(f.deputy(congress), staff, title="关于延长课后服务时间的建议")
    other = f.accepted(f.deputy(congress), staff, title="关于课后服务延时的建议")

    log_in(desk, live_server, staff)
    desk.goto(detail(live_server, primary))
    form = panel(desk, "同题建议并案")
    form.get_by_label("并入本建议的建议").select_option(label=f"{other.number_label} {other.title}")
    press(desk, form.get_by_role("button", name="并案"))
    assert "已并案" in banner(desk)
    other.refresh_from_db()
    assert other.merged_into == primary


@pytest.mark.form_view("suggestions:review", "suggestions:bulk_assign")
def test_staff_tick_suggestions_on_the_review_list_and_assign_them_together(live_server, desk, congress):
    staff = core.staff_of(congress)
    unit, _officer = f.unit_with_officer(congress, "省教育厅")
    first = f.accepted(f.deputy(congress), staff, title="关于延长课后服务时间的建议")
    second = f.accepted(f.deputy(congress), staff, title="关于增加校车的建议")

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("suggestions:review"))
    desk.get_by_label(f"勾选“{first.title}”").check()
    desk.get_by_label(f"勾选“{second.title}”").check()
    desk.get_by_label("主办单位").fill("教育")
    desk.get_by_role("button", name=re.compile("^省教育厅")).click()
    press(desk, desk.get_by_role("button", name="交办"))
    assert "2" in banner(desk)
    for suggestion in (first, second):
        assert suggestion.assignments.get().unit == unit


@pytest.mark.form_view("suggestions:review")
def test_staff_filter_the_review_list_by_a_unit_found_by_its_name(live_server, desk, congress):
    staff = core.staff_of(congress)
    tianhe = core.OrganisationFactory(name="教育局", region=core.county("440106", "天河区"))
    core.OrganisationFactory(name="教育局", region=core.county("440104", "越秀区"))
    handled = f.assigned(f.deputy(congress), staff, tianhe, title="关于延长课后服务时间的建议")
    other = f.accepted(f.deputy(congress), staff, title="关于增加校车的建议")

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("suggestions:review"))
    desk.get_by_label("承办单位", exact=True).fill("教育局")
    desk.get_by_role("button", name=re.compile("教育局.*天河区")).click()
    assert desk.get_by_label("承办单位", exact=True).input_value() == "教育局（天河区）"
    with desk.expect_navigation():
        desk.get_by_role("button", name="筛选").click()
    listing = desk.locator("table").first.inner_text()
    assert handled.title in listing and other.title not in listing


@pytest.mark.form_view("suggestions:act")
def test_the_deputy_objects_to_publication_and_staff_publish_anyway(live_server, phone, desk, congress):
    staff, mandate = core.staff_of(congress), f.deputy(congress)
    unit, officer = f.unit_with_officer(congress, "省教育厅")
    suggestion = f.assigned(mandate, staff, unit)

    log_in(phone, live_server, mandate.person.user)
    phone.goto(detail(live_server, suggestion))
    form = panel(phone, "对公开提出异议")
    form.get_by_label("不宜公开的理由").fill("内容涉及学生个人信息。")
    press(phone, form.get_by_role("button", name="提交异议"))
    suggestion.refresh_from_db()
    assert suggestion.disclosure_objection == "内容涉及学生个人信息。"

    f.reply_to(suggestion.assignments.get(), officer)
    log_in(desk, live_server, staff)
    desk.goto(detail(live_server, suggestion))
    form = panel(desk, "公开")
    form.get_by_label("代表有异议仍予公开").check()
    form.get_by_label("仍予公开的理由").fill("个人信息已删除。")
    press(desk, form.get_by_role("button", name="公开"))
    assert "已公开" in banner(desk)
    suggestion.refresh_from_db()
    assert suggestion.published_at is not None


@pytest.mark.form_view("suggestions:act_on_assignment")
def test_the_unit_records_a_contact_and_its_plan_and_asks_to_be_released(live_server, desk, congress):
    staff, mandate = core.staff_of(congress), f.deputy(congress)
    unit, officer = f.unit_with_officer(congress, "省教育厅")
    other, _officer = f.unit_with_officer(congress, "省交通运输厅")
    suggestion = f.assigned(mandate, staff, unit)
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=officer, assignment_id=assignment.pk)

    log_in(desk, live_server, officer)
    desk.goto(detail(live_server, suggestion))
    form = panel(desk, "登记与代表沟通情况")
    form.get_by_label("方式").select_option(index=1)
    form.get_by_label("沟通内容").fill("电话向代表了解校车线路需求。")
    press(desk, form.get_by_role("button", name="记录"))
    assert "联系情况已登记" in banner(desk)
    assert assignment.contacts.get().summary == "电话向代表了解校车线路需求。"

    form = panel(desk, "办理方案")
    form.get_by_label("办理方案").fill("会同交通部门调研校车线路。")
    press(desk, form.get_by_role("button", name="保存方案"))
    assignment.refresh_from_db()
    assert assignment.handling_plan == "会同交通部门调研校车线路。"

    form = panel(desk, "申请调整")
    form.get_by_label("不属于本单位职责的理由").fill("校车线路属交通运输部门职责。")
    form.get_by_label("建议改由承办的单位").select_option(label="省交通运输厅")
    press(desk, form.get_by_role("button", name="提交申请"))
    assert "申请已提交" in banner(desk)
    request = assignment.reassignment_requests.get()
    assert (request.status, request.suggested_unit) == ("pending", other)


@pytest.mark.form_view("suggestions:act_on_assignment")
def test_staff_release_a_unit_and_hand_the_suggestion_to_another(live_server, desk, congress):
    staff, mandate = core.staff_of(congress), f.deputy(congress)
    unit, officer = f.unit_with_officer(congress, "省教育厅")
    other, _officer = f.unit_with_officer(congress, "省交通运输厅")
    suggestion = f.assigned(mandate, staff, unit)
    assignment = suggestion.assignments.get()
    services.request_reassignment(actor=officer, assignment_id=assignment.pk, reason="属交通部门职责。",
                                  suggested_unit_id=other.pk)  # fmt: skip

    log_in(desk, live_server, staff)
    desk.goto(detail(live_server, suggestion))
    form = panel(desk, "审批交办调整申请")
    form.get_by_label("批准", exact=True).check()
    form.get_by_label("改由承办的单位").select_option(label="省交通运输厅")
    press(desk, form.get_by_role("button", name="审批"))
    assert "已审批" in banner(desk)
    assert suggestion.assignments.filter(unit=other).exists()


@pytest.mark.form_view("suggestions:act_on_assignment")
def test_staff_grant_a_units_extension(live_server, desk, congress):
    staff, mandate = core.staff_of(congress), f.deputy(congress)
    unit, officer = f.unit_with_officer(congress, "省教育厅")
    suggestion = f.assigned(mandate, staff, unit)
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=officer, assignment_id=assignment.pk)
    services.request_extension(actor=officer, assignment_id=assignment.pk, months=1, reason="需会同财政部门测算。")

    log_in(desk, live_server, staff)
    desk.goto(detail(live_server, suggestion))
    form = panel(desk, "审批延期申请")
    form.get_by_label("批准", exact=True).check()
    form.get_by_label("备注").fill("同意延期一个月。")
    press(desk, form.get_by_role("button", name="审批"))
    assert "已审批" in banner(desk)
    request = ExtensionRequest.objects.get()
    assert (request.status, request.decision_note) == ("approved", "同意延期一个月。")


@pytest.mark.form_view("suggestions:act_on_assignment")
def test_a_co_handling_unit_sends_its_opinion_to_the_lead(live_server, desk, congress):
    staff, mandate = core.staff_of(congress), f.deputy(congress)
    lead, _officer = f.unit_with_officer(congress, "省教育厅")
    co, co_officer = f.unit_with_officer(congress, "省财政厅")
    suggestion = f.assigned(mandate, staff, lead, co=[co])
    part = suggestion.assignments.get(unit=co)
    services.confirm_receipt(actor=co_officer, assignment_id=part.pk)

    log_in(desk, live_server, co_officer)
    desk.goto(detail(live_server, suggestion))
    form = panel(desk, "向主办单位提出会办意见")
    form.get_by_label("会办意见").fill("财政将安排课后服务专项经费。")
    press(desk, form.get_by_role("button", name="提交意见"))
    assert "会办意见已提交主办单位" in banner(desk)
    part.refresh_from_db()
    assert part.co_opinion == "财政将安排课后服务专项经费。"


@pytest.mark.form_view("suggestions:supervision_detail")
def test_a_key_item_gets_a_progress_note_and_its_closing_report(live_server, desk, congress):
    staff = core.staff_of(congress)
    director = core.supervisor_of(congress, name="王主任")
    item = KeySupervision.objects.create(congress=congress, year=2026, title="课后服务延时", leader=director)

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("suggestions:supervision_detail", args=[item.pk]))
    desk.locator("summary", has_text="添加进展记录或发送督办通知").click()
    desk.get_by_label("备注").fill("听取省教育厅第一季度办理情况汇报。")
    press(desk, desk.get_by_role("button", name="保存", exact=True))
    assert "已保存" in banner(desk)
    assert item.notes.get().text == "听取省教育厅第一季度办理情况汇报。"

    desk.locator("summary", has_text="提交督办报告并办结").click()
    desk.get_by_label("督办报告").fill("课后服务已全面延长至18时。")
    press(desk, desk.get_by_role("button", name="办结"))
    item.refresh_from_db()
    assert item.closed_at is not None


@pytest.mark.form_view("suggestions:autosave")
def test_a_draft_typed_on_a_phone_saves_itself_before_any_button(live_server, phone, congress):
    mandate = f.deputy(congress)

    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("suggestions:new"))
    phone.get_by_label("标题").fill("关于在地铁站增设无障碍电梯的建议")
    phone.get_by_label("内容").fill(f.CONTENT)
    phone.get_by_label("标题").focus()  # leaving a field saves what was typed
    status = phone.locator(".autosave-status")
    status.filter(has_text="保存").wait_for()
    assert "已于" in status.inner_text()
    suggestion = Suggestion.objects.get()
    assert (suggestion.status, suggestion.lead) == ("draft", mandate)
    assert suggestion.title == "关于在地铁站增设无障碍电梯的建议"
    # The autosave script may still be posting: let it finish, then leave the page, so no request holds the tables
    # while the test's database is emptied.
    phone.wait_for_load_state("networkidle")
    phone.goto("about:blank")


@pytest.mark.form_view("suggestions:supervision_detail")
def test_staff_edit_a_key_item_and_send_its_unit_a_supervision_notice(live_server, desk, congress):
    staff = core.staff_of(congress)
    director = core.supervisor_of(congress, name="王主任")
    unit, _officer = f.unit_with_officer(congress, "省教育厅")
    suggestion = f.assigned(f.deputy(congress), staff, unit)
    item = KeySupervision.objects.create(congress=congress, year=2026, title="课后服务", leader=director)
    item.suggestions.set([suggestion])

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("suggestions:supervision_detail", args=[item.pk]))
    edit = desk.locator("details", has=desk.locator("summary", has_text="编辑督办事项"))
    edit.locator("summary").click()
    edit.get_by_label("标题").fill("课后服务延时")
    edit.get_by_label("领衔督办的政府领导").fill("张副省长")
    press(desk, edit.get_by_role("button", name="保存"))
    item.refresh_from_db()
    assert (item.title, item.government_leader) == ("课后服务延时", "张副省长")

    notice = desk.locator("details", has=desk.locator("summary", has_text="添加进展记录或发送督办通知"))
    notice.locator("summary").click()
    notice.get_by_label("备注").fill("请于月底前报送课后服务延时方案。")
    notice.get_by_label("作为督办通知发送给").select_option(label="省教育厅")
    press(desk, notice.get_by_role("button", name="保存"))
    assert "已保存" in banner(desk)
    note = item.notes.get()
    assert (note.unit, note.text) == (unit, "请于月底前报送课后服务延时方案。")


def _rate(mandate, suggestion, answer, verdict):
    services.give_feedback(actor=mandate.person.user, suggestion_id=suggestion.pk, reply_id=answer.pk,
                           on_result=verdict, on_attitude=verdict, comment="试点范围太小。")  # fmt: skip


@pytest.mark.form_view("suggestions:act")
def test_staff_close_a_disputed_suggestion_by_decision(live_server, desk, congress):
    PolicyValue.objects.create(congress=congress, key="suggestion.rehandle_rounds", value=0)
    staff, mandate = core.staff_of(congress), f.deputy(congress)
    unit, officer = f.unit_with_officer(congress, "省教育厅")
    suggestion = f.assigned(mandate, staff, unit)
    _rate(mandate, suggestion, f.reply_to(suggestion.assignments.get(), officer), "dissatisfied")
    assert suggestion.assignments.get().status == "disputed"

    log_in(desk, live_server, staff)
    desk.goto(detail(live_server, suggestion))
    form = panel(desk, "决定办结")
    form.get_by_label("决定").fill("经主任会议研究，答复已依法依规，予以办结。")
    press(desk, form.get_by_role("button", name="办结"))
    assert "已决定办结" in banner(desk)
    assert suggestion.assignments.get().status == "done"


@pytest.mark.form_view("suggestions:act_on_assignment")
def test_the_unit_reports_a_planned_matter_solved(live_server, desk, congress):
    staff, mandate = core.staff_of(congress), f.deputy(congress)
    unit, officer = f.unit_with_officer(congress, "省教育厅")
    suggestion = f.assigned(mandate, staff, unit)
    _rate(mandate, suggestion, f.reply_to(suggestion.assignments.get(), officer, result="B"), "satisfied")
    assert suggestion.assignments.get().status == "follow_up"

    log_in(desk, live_server, officer)
    desk.goto(detail(live_server, suggestion))
    form = panel(desk, "报告问题已解决")
    form.get_by_label("解决情况").fill("课后服务已于九月起延长至18时。")
    press(desk, form.get_by_role("button", name="报告已解决"))
    assert "已报告解决" in banner(desk)
    assert suggestion.assignments.get().status == "done"
