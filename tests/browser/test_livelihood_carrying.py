"""Carrying out a chosen livelihood project in a browser: staff set a milestone and give the project its supervision
group (a committee and a new working group); the responsible department files its quarterly progress report with a
photo (a missing text is told in Chinese, what was typed kept) and marks the milestone done; a deputy of the group
records a site visit on a phone; everyone sees the progress on the public page."""

import pytest
from django.urls import reverse

from deputies import services as deputy_services
from livelihood.models import Milestone, ProgressReport, SiteVisit, SupervisionGroup
from tests import factories as core
from tests.livelihood import factories as f

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PNG = {"name": "施工现场.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100}


@pytest.fixture
def carried():
    """A published programme's chosen project, its department's officer, a committee and two deputies."""
    congress = f.congress()
    staff = core.staff_of(congress)
    _programme, (project, *_rest), _not_chosen = f.carried(staff, congress, projects=1)
    return staff, project, core.officer_of(project.department), f.committee(congress), f.deputies(congress, 2)


@pytest.mark.form_view("livelihood:milestone_new", "livelihood:supervision", "livelihood:progress_report",
                       "livelihood:milestone_done")  # fmt: skip
def test_staff_plan_and_the_department_reports_progress(live_server, desk, carried):
    staff, project, officer, committee, _deputies = carried
    project_url = live_server.url + reverse("livelihood:project", args=[project.pk])

    log_in(desk, live_server, staff)
    desk.goto(project_url)
    desk.get_by_label("节点", exact=True).fill("完成施工招标")
    desk.get_by_label("完成期限（工作日）").fill("20")
    press(desk, desk.get_by_role("button", name="设定节点"))
    assert "节点已设定" in desk.content()
    milestone = Milestone.objects.get(project=project)
    assert milestone.title == "完成施工招标"

    desk.get_by_role("link", name="确定监督组").click()
    desk.wait_for_load_state()
    desk.get_by_label("牵头委员会").select_option(label=committee.name)
    desk.get_by_label("或新建工作小组，名称").fill("长者饭堂项目监督组")
    press(desk, desk.get_by_role("button", name="安排"))
    assert "监督组已确定" in desk.content()
    supervision = SupervisionGroup.objects.get(project=project)
    assert (supervision.committee, supervision.group.name) == (committee, "长者饭堂项目监督组")

    desk.context.clear_cookies()
    log_in(desk, live_server, officer)
    desk.goto(live_server.url + reverse("livelihood:department_projects"))
    desk.get_by_role("link", name="报送进展报告").click()
    desk.wait_for_load_state()
    desk.get_by_label("累计支出（万元）").fill("120.5")
    desk.get_by_label("照片（选填）").set_input_files([PNG])
    press(desk, desk.get_by_role("button", name="报送", exact=True))
    assert "本季度进展" in desk.locator(".error-summary").inner_text()
    assert desk.get_by_label("累计支出（万元）").input_value() == "120.5"  # what was typed stays
    desk.get_by_label("本季度进展").fill("完成选址和设计，已开工")
    desk.get_by_label("照片（选填）").set_input_files([PNG])
    press(desk, desk.get_by_role("button", name="报送", exact=True))
    assert "进展报告已报送" in desk.content()
    report = ProgressReport.objects.get(project=project)
    assert (report.text, str(report.spent), report.photos.count()) == ("完成选址和设计，已开工", "120.50", 1)

    desk.get_by_label("完成情况").fill("已完成招标，施工单位进场")
    press(desk, desk.get_by_role("button", name="标记完成"))
    assert "节点已标记为完成" in desk.content()
    milestone.refresh_from_db()
    assert milestone.is_done

    desk.goto(live_server.url + reverse("livelihood:progress", args=[project.pk]))
    text = desk.content()
    assert "完成施工招标" in text and "完成选址和设计，已开工" in text and "120.50" in text


@pytest.mark.form_view("livelihood:site_visit")
def test_a_deputy_of_the_group_records_a_site_visit_on_a_phone(live_server, phone, carried):
    staff, project, _officer, committee, deputies = carried
    from livelihood import carrying

    supervision = carrying.assign_supervision(actor=staff, project_id=project.pk, committee_id=committee.pk,
                                              group_name="监督组")  # fmt: skip
    deputy_services.add_group_members(actor=staff, group_id=supervision.group_id, mandate_ids=[deputies[0].pk])

    log_in(phone, live_server, deputies[0].person.user)
    phone.goto(live_server.url + reverse("livelihood:my_supervision"))
    phone.get_by_role("link", name="记录实地视察").click()
    phone.wait_for_load_state()
    phone.get_by_label("地点").fill("石牌街道长者饭堂")
    press(phone, phone.get_by_role("button", name="记录视察"))
    assert "视察所见" in phone.locator(".error-summary").inner_text()
    phone.get_by_label("视察所见").fill("主体已封顶，正在内部装修")
    phone.get_by_label("收集的居民意见").fill("居民希望增加助餐窗口")
    press(phone, phone.get_by_role("button", name="记录视察"))
    assert "实地视察已记录" in phone.content()
    visit = SiteVisit.objects.get(project=project)
    assert (visit.place, visit.mandate) == ("石牌街道长者饭堂", deputies[0])

    phone.context.clear_cookies()
    phone.goto(live_server.url + reverse("livelihood:progress", args=[project.pk]))
    text = phone.content()
    assert "居民希望增加助餐窗口" in text and deputies[0].person.name not in text
