"""Staff create a key supervision item on its form, naming the government leader who personally leads it; the
key-item list then counts it against the yearly target of items led by a government leader (at least 1)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from suggestions.models import KeySupervision
from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories as f

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("suggestions:supervision_new")
def test_staff_name_a_government_leader_and_the_list_counts_the_item(live_server, desk):
    congress = core.CongressFactory()
    current_term(congress)
    staff = core.staff_of(congress, name="李秘书")
    director = core.supervisor_of(congress, name="王主任")
    unit, _officer = f.unit_with_officer(congress, "省教育厅")
    suggestion = f.assigned(f.deputy(congress), staff, unit, title="关于延长课后服务时间的建议")
    year = timezone.localdate().year
    # An item of the year without a government leader: it counts as a key item, not as one a government leader leads.
    KeySupervision.objects.create(congress=congress, year=year, title="养老服务", leader=director)

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("suggestions:supervision"))
    targets = desk.locator("#key-item-targets")
    assert "政府领导领衔督办0项（至少1项）" in targets.inner_text()
    assert "未达标" in targets.inner_text()

    desk.get_by_role("link", name="新增重点督办事项").click()
    desk.get_by_label("标题").fill("课后服务延时")
    desk.get_by_label("督办领导").select_option(label="王主任")
    desk.get_by_label("领衔督办的政府领导").fill("张副省长")
    desk.get_by_label("督办方案").fill("每季度听取省教育厅办理情况汇报。")
    desk.get_by_label("建议", exact=True).select_option(value=str(suggestion.pk))
    press(desk, desk.get_by_role("button", name="保存"))

    item = KeySupervision.objects.get(title="课后服务延时")
    assert (item.congress, item.year, item.leader, item.government_leader) == (congress, year, director, "张副省长")
    assert list(item.suggestions.all()) == [suggestion]

    desk.goto(live_server.url + reverse("suggestions:supervision"))
    targets = desk.locator("#key-item-targets").inner_text()
    assert "重点督办事项2项" in targets
    assert "政府领导领衔督办1项（至少1项）" in targets
    assert "未达标" not in targets
    assert "张副省长" in desk.locator("table").inner_text()
