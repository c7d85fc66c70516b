"""The console's forms at a desk, as staff use them: the add form of each model staff keep by hand (stations and
their star-rating checklist, suggestion categories, handling units, sessions, rule values, holidays) filled by its
visible fields, the searchable ones by typing, and saved with Django's Chinese message; and the action that
assigns the ticked suggestions to units through its own form."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import reverse

from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories as f

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def field(page, label: str):
    """A console field by its label, which the console writes with a colon."""
    return page.get_by_label(re.compile(rf"^{label}[:：]?$"))


def search(page, field: str, text: str, pick: str = ""):
    """A searchable select (the console's autocomplete): open it, type, pick the match."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=pick or text).first.click()


@dataclass(frozen=True)
class Case:
    model: str  # app_label.Model
    fill: Callable  # fill(page, world) types the visible fields a person types
    saved: dict  # lookups that find the saved row

    def __str__(self):
        return self.model


def _station(page, world):
    field(page, "名称").fill("天河区石牌街道人大代表联络站")
    field(page, "类型").select_option(index=1)
    field(page, "人民代表大会").select_option(label=world["congress"].name)
    search(page, "region", world["congress"].region.name)
    field(page, "地址").fill("石牌街道石牌东路1号")


def _criterion(page, world):
    field(page, "人民代表大会").select_option(label=world["congress"].name)
    field(page, "评定指标").fill("阵地建设")
    field(page, "权重").fill("30")


def _category(page, world):
    field(page, "人民代表大会").select_option(label=world["congress"].name)
    field(page, "名称").fill("城乡建设")


def _organisation(page, world):
    field(page, "名称").fill("天河区住房和城乡建设局")
    field(page, "类型").select_option(label="承办单位")
    field(page, "单位类别").select_option(index=1)
    search(page, "region", world["congress"].region.name)


def _session(page, world):
    search(page, "term", world["congress"].name, pick=str(world["term"].number))
    field(page, "会次").fill("3")
    field(page, "开始日期").fill("2027-01-10")
    field(page, "结束日期").fill("2027-01-14")


def _document_template(page, world):
    search(page, "congress", world["congress"].name)
    field(page, "公文").select_option(label="交办函")
    field(page, "发文机关").fill("天河区人大常委会")
    field(page, "发文字号前缀").fill("天人常交")


def _policy_value(page, world):
    search(page, "congress", world["congress"].name)
    field(page, "规则参数").select_option(value="station.reception_notice")
    field(page, "数值").fill("5")


def _holiday(page, world):
    field(page, "日期").fill("2027-10-09")
    field(page, "工作日").check()
    field(page, "名称").fill("国庆节调休上班")


CASES = [
    Case("liaison_stations.Station", _station, {"name": "天河区石牌街道人大代表联络站"}),
    Case("liaison_stations.RatingCriterion", _criterion, {"name": "阵地建设", "weight": 30}),
    Case("suggestions.Category", _category, {"name": "城乡建设"}),
    Case("congress.Organisation", _organisation, {"name": "天河区住房和城乡建设局"}),
    Case("congress.Session", _session, {"number": 3}),
    Case("congress.PolicyValue", _policy_value, {"key": "station.reception_notice", "value": 5}),
    Case("congress.DocumentTemplate", _document_template, {"number_prefix": "天人常交", "kind": "assignment_letter"}),
    Case("congress.CalendarDay", _holiday, {"date": "2027-10-09", "is_workday": True}),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_superuser_adds_a_row_on_the_console_form(live_server, desk, case):
    congress = core.CongressFactory(region=core.county())
    world = {"congress": congress, "term": current_term(congress)}
    model = apps.get_model(case.model)

    log_in(desk, live_server, core.UserFactory(is_superuser=True, is_staff=True))
    desk.goto(live_server.url + reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
    case.fill(desk, world)
    press(desk, desk.locator("input[name='_save']"))
    added = desk.locator(".messagelist li.success").inner_text()
    assert "成功添加" in added and not re.search("[A-Za-z]", added), added
    assert model.objects.filter(**case.saved).exists()


@pytest.mark.form_view("admin:suggestions_suggestion_changelist")
def test_staff_assign_ticked_suggestions_through_the_consoles_action_form(live_server, desk):
    congress = core.CongressFactory()
    current_term(congress)
    staff = core.staff_of(congress)
    unit, _officer = f.unit_with_officer(congress, "省教育厅")
    suggestion = f.accepted(f.deputy(congress), staff, title="关于延长课后服务时间的建议")

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("admin:suggestions_suggestion_changelist"))
    desk.locator("input[name='_selected_action']").first.check()
    desk.locator("select[name='action']").select_option(label="将所选建议交办给承办单位")
    press(desk, desk.locator("button[name='index']"))
    desk.get_by_label("主办单位").select_option(label="省教育厅")
    press(desk, desk.get_by_role("button", name="交办"))
    assert suggestion.assignments.get().unit == unit
