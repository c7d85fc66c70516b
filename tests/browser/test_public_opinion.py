"""A citizen, on a phone, leaves an opinion at a station's public page and follows it with the tracking code."""

import re

import pytest
from django.urls import reverse

from liaison_stations.models import CitizenOpinion
from tests.liaison_stations.factories import StationFactory

from .conftest import press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def answer(question: str) -> str:
    a, b = (int(n) for n in re.findall(r"\d+", question)[:2])
    return str(a + b)


@pytest.mark.form_view("liaison_stations:public_opinion")
def test_citizen_leaves_an_opinion_and_follows_it(live_server, phone):
    station = StationFactory(name="天河区五山街道人大代表联络站")
    phone.goto(live_server.url + reverse("liaison_stations:public_station", args=[station.slug]))
    phone.get_by_role("link", name="提出意见").click()

    phone.get_by_label("您的姓名（选填）").fill("陈女士")
    phone.get_by_label("手机号码").fill("13912345678")
    phone.get_by_label("类别").select_option(index=1)
    phone.get_by_label("您的意见").fill("五山路口的路灯坏了一个月，夜里行人看不清路。")
    question = phone.locator("label[for='id_answer']").inner_text()
    phone.get_by_label(question).fill(answer(question))
    press(phone, phone.get_by_role("button", name="提交"))

    code = phone.locator("p.code").inner_text().strip()
    opinion = CitizenOpinion.objects.get(tracking_code=code)
    assert (opinion.station, opinion.phone, opinion.status) == (station, "13912345678", "received")

    phone.get_by_role("link", name="查询办理进展").click()
    phone.get_by_label("手机号码后四位").fill("5678")
    phone.get_by_role("button", name="查询").click()
    assert code in phone.locator("h2").inner_text()
    assert "已接收" in phone.locator("h2").inner_text()
