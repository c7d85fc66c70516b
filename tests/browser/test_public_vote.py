"""A citizen votes in a public case vote on a phone, then votes again from a page opened before: the refusal is a
Chinese page saying why, not the browser's bare "HTTP ERROR 409"."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CampaignKind, PublicVote, RoundKind
from congress.notifications import LocmemSmsBackend
from tests import factories as core
from tests.cases import factories as f
from tests.deputies.factories import current_term
from tests.liaison_stations.factories import StationFactory

from .conftest import press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def campaign():
    """A station campaign whose public vote opened an hour ago and runs two more days, on two candidates."""
    now = timezone.now()
    congress = core.CongressFactory()
    current_term(congress)
    staff = core.staff_of(congress)
    unit, officer = f.unit_with_officer(congress, "广州市人大常委会")
    opens, closes = (now - timedelta(days=30)).date(), (now - timedelta(days=10)).date()
    with time_machine.travel(now - timedelta(days=20), tick=False):
        made = f.campaign(staff, congress, [unit], kind=CampaignKind.STATION, title="示范家站点", opens=opens,
                          closes=closes)  # fmt: skip
        for name in ("五山街道联络站", "石牌街道联络站"):
            f.submission(officer, made, title=name, station=StationFactory(congress=congress, region=congress.region))
        services.close_submissions(actor=staff, campaign_id=made.pk)
        round_ = services.add_round(
            actor=staff, campaign_id=made.pk,
            fields={"kind": RoundKind.WEIGHTED, "name": "网络投票", "opens_at": now - timedelta(hours=1),
                    "closes_at": now + timedelta(days=2), "advance": 1, "public_vote": True, "online_weight": 100,
                    "panel_weight": 0, "show_live_totals": True},
        )  # fmt: skip
        services.open_round(actor=staff, round_id=round_.pk)
    return made


def answer(question: str) -> str:
    a, b = (int(n) for n in re.findall(r"\d+", question)[:2])
    return str(a + b)


@pytest.mark.form_view("cases:public_code", "cases:public_verify", "cases:public_cast")
def test_voting_twice_ends_on_a_chinese_page_saying_why(live_server, phone, campaign):
    url = live_server.url + reverse("cases:public", args=[campaign.slug])
    phone.goto(url)
    phone.get_by_label("手机号码").fill("13812345678")
    question = phone.locator("label[for='id_answer']").inner_text()
    phone.get_by_label(question).fill(answer(question))
    press(phone, phone.get_by_role("button", name="获取验证码"))
    # A live site texts the code (the tests' provider stand-in keeps it); it is never on the page.
    code = re.search(r"\d{6}", LocmemSmsBackend.outbox[-1][1]).group()
    phone.get_by_label("短信验证码").fill(code)
    press(phone, phone.get_by_role("button", name="验证"))

    # A second tab, opened while this phone may still vote, keeps its Vote buttons.
    other = phone.context.new_page()
    other.goto(url)
    press(phone, phone.get_by_role("button", name="投票").first)
    assert "投票成功，谢谢参与。" in phone.locator("body").inner_text()
    assert phone.get_by_role("button", name="投票").count() == 0
    assert PublicVote.objects.count() == 1

    with other.expect_response(lambda r: r.request.method == "POST") as answered:
        other.get_by_role("button", name="投票").last.click()
    other.wait_for_load_state()
    assert answered.value.status == 409
    text = other.locator("body").inner_text()
    assert "HTTP ERROR" not in text
    assert "投票机会已用完" in text
    assert "示范家站点" in text
    assert other.get_by_role("button", name="投票").count() == 0
    assert PublicVote.objects.count() == 1
