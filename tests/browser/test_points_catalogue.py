"""County staff change an item of their congress's points catalogue in the console (points per unit and yearly cap),
and a deputy's yearly score follows the new numbers: base 40 (policy duty.points_base) + each item's points up to
its cap (docs/statistics.md, "Duty points and grades")."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from deputies import services
from deputies.models import PointsItem
from tests import factories as core
from tests.deputies.factories import MandateFactory

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_county_staff_change_an_items_points_and_cap_and_the_score_follows(live_server, desk, settings):
    settings.STAFF_TWO_FACTOR = False
    congress = core.CongressFactory(region=core.county())
    staff = core.staff_of(congress, name="区人大代表工委")
    mandate = MandateFactory(congress=congress)
    year = timezone.localdate().year
    for n in range(10):
        services.record_duty(mandate=mandate, kind_code="station_visit", on=date(year, 1, 1 + n), title="进站接待选民")
    api = f"{live_server.url}/api/v1/mandates/{mandate.pk}/points/?year={year}"

    log_in(desk, live_server, staff)
    # The default catalogue: 2 points a visit, at most 8 a year: 40 + min(10 × 2, 8) = 48.
    assert Decimal(desk.request.get(api).json()["score"]) == 48

    desk.goto(live_server.url + "/console/deputies/pointsitem/")
    with desk.expect_navigation():
        desk.locator("#result_list").get_by_role("link", name="进站履职", exact=True).click()
    desk.get_by_label("积分").fill("3")
    desk.get_by_label("年度上限").fill("12")
    press(desk, desk.get_by_role("button", name="保存", exact=True))
    item = PointsItem.objects.get(congress=congress, kind="station_visit")
    assert (item.points, item.cap) == (3, 12)

    # 3 points a visit, at most 12 a year: 40 + min(10 × 3, 12) = 52.
    points = desk.request.get(api).json()
    assert Decimal(points["score"]) == 52
    visit = next(line for line in points["lines"] if line["code"] == "station_visit")
    assert [Decimal(visit[key]) for key in ("quantity", "points", "cap", "earned", "counted")] == [10, 3, 12, 30, 12]
    assert visit["capped"] is True
