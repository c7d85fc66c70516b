"""The yearly duty score on 100 points, from each congress's own catalogue (base, items with caps, deductions).

The expected numbers are written out from the default catalogue (deputies/reference.py POINTS_CATALOGUE) and the
policy defaults, so a change in the rule's numbers or in the code's arithmetic fails here.
"""

from datetime import date
from decimal import Decimal

import pytest

from congress.models import PolicyValue
from deputies import selectors, services
from deputies.models import DutyKind, Mandate, PointsItem
from tests import factories as core

from .factories import MandateFactory

pytestmark = pytest.mark.django_db

# The default catalogue's numbers this file builds on (points per unit, yearly cap).
BASE = 40  # policy duty.points_base
SESSION = 5  # session_attendance, cap 10
VISIT, VISIT_CAP = 2, 8  # station_visit
SUGGESTION = 3  # suggestion, cap 12
TRAINING_HOUR = Decimal("0.5")  # training, per hour, cap 10
REPORT = 5  # report_to_voters, cap 5
UNEXCUSED = -10  # session_absence_unexcused, no cap
HALF_DAY = -1  # session_absence_half_day, no cap


@pytest.fixture
def congress():
    return core.CongressFactory()


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


@pytest.fixture
def mandate(congress):
    return MandateFactory(congress=congress)


def record(mandate, kind, quantity=1, year=2026, times=1):
    for n in range(times):
        services.record_duty(
            mandate=mandate, kind_code=kind, on=date(year, 1 + n % 12, 1 + n // 12), title=kind, quantity=quantity
        )


def normal_year(mandate, year=2026):
    """Session attended, 4 station visits, 2 suggestions, 16 training hours, one report-back."""
    record(mandate, "session_attendance", year=year)
    record(mandate, "station_visit", year=year, times=4)
    record(mandate, "suggestion", year=year, times=2)
    record(mandate, "training", quantity=16, year=year)
    record(mandate, "report_to_voters", year=year)


def evaluation(mandate, year=2026):
    return selectors.yearly_evaluations(Mandate.objects.filter(pk=mandate.pk), year)[mandate.pk]


def test_a_normally_active_year_is_graded_at_least_fair(mandate):
    normal_year(mandate)
    result = evaluation(mandate)
    assert result.score == BASE + SESSION + 4 * VISIT + 2 * SUGGESTION + 16 * TRAINING_HOUR + REPORT == 72
    assert result.grade == "fair"


def test_a_year_with_nothing_recorded_scores_the_base_and_is_poor(mandate):
    result = evaluation(mandate)
    assert (result.score, result.grade) == (BASE, "poor")


def test_station_visits_count_only_up_to_the_items_cap(mandate):
    record(mandate, "station_visit", times=10)
    result = evaluation(mandate)
    assert result.score == BASE + VISIT_CAP == 48
    (line,) = result.lines
    assert (line.quantity, line.earned, line.counted, line.cap, line.capped) == (10, 10 * VISIT, 8, 8, True)


def test_absence_without_leave_is_deducted(mandate):
    normal_year(mandate)
    record(mandate, "session_absence_unexcused")
    record(mandate, "session_absence_half_day", quantity=2)
    result = evaluation(mandate)
    assert result.deductions == -(UNEXCUSED + 2 * HALF_DAY) == 12
    assert result.score == 72 + UNEXCUSED + 2 * HALF_DAY == 60
    assert result.grade == "fair"


def test_the_score_never_exceeds_100(mandate):
    for kind in ("session_attendance", "inspection", "group_activity", "station_visit", "suggestion", "motion",
                 "training", "award", "case_award", "guest_attendance", "report_to_voters"):  # fmt: skip
        record(mandate, kind, quantity=20)
    result = evaluation(mandate)
    assert result.additions > 60
    assert (result.score, result.grade) == (100, "good")


def test_the_score_never_goes_below_0(mandate):
    record(mandate, "session_absence_unexcused", times=3)
    record(mandate, "discipline_breach", times=2)
    assert evaluation(mandate).score == 0


def test_a_congresss_own_catalogue_changes_its_score_only(congress, mandate):
    other = MandateFactory(congress=core.CongressFactory(region=core.county("440305", "南山区")))
    for deputy in (mandate, other):
        record(deputy, "suggestion", times=5)
    PointsItem.objects.filter(congress=congress, kind="suggestion").update(points=4, cap=None)
    assert evaluation(mandate).score == BASE + 5 * 4 == 60
    assert evaluation(other).score == BASE + 12 == 52  # 5 × 3 = 15, capped at 12


def test_a_congresss_base_score_and_bands_are_its_policies(congress, mandate):
    normal_year(mandate)
    PolicyValue.objects.create(congress=congress, key="duty.points_base", value=50)
    PolicyValue.objects.create(congress=congress, key="duty.points_good", value=85)
    result = evaluation(mandate)
    assert (result.score, result.grade) == (50 + 32, "fair")


def test_every_new_congress_gets_the_23_item_default_catalogue():
    congress = core.CongressFactory(region=core.county("440305", "南山区"))
    items = {item.kind_id: item for item in PointsItem.objects.filter(congress=congress)}
    assert len(items) == DutyKind.objects.count() == 23
    assert (items["station_visit"].points, items["station_visit"].cap) == (2, 8)
    assert (items["session_absence_unexcused"].points, items["session_absence_unexcused"].cap) == (-10, None)


def test_a_kind_missing_from_a_congresss_catalogue_counts_its_default(congress, mandate):
    PointsItem.objects.filter(congress=congress, kind="suggestion").delete()
    record(mandate, "suggestion", times=2)
    assert evaluation(mandate).score == BASE + 2 * SUGGESTION


def test_publishing_freezes_score_breakdown_and_grade(mandate, staff):
    normal_year(mandate)
    row = services.publish_points(actor=staff, term=mandate.term, year=2026).rows.get(mandate=mandate)
    assert (row.points, row.grade, row.flagged) == (72, "fair", False)
    lines = {line["code"]: line for line in row.breakdown["lines"]}
    assert lines["station_visit"] == {"code": "station_visit", "name": "进站履职", "quantity": "4.0", "points": "2.00",
                                      "cap": "8.00", "earned": "8.00", "counted": "8.00", "capped": False}  # fmt: skip
    assert row.breakdown["base"] == f"{BASE}.00"


def test_poor_twice_flags_only_a_deputy_whose_score_is_poor_both_years(congress, mandate, staff):
    idle = MandateFactory(congress=congress, term=mandate.term)
    for year in (2025, 2026):
        normal_year(mandate, year)
    services.publish_points(actor=staff, term=mandate.term, year=2025)
    table = services.publish_points(actor=staff, term=mandate.term, year=2026)
    active, inactive = table.rows.get(mandate=mandate), table.rows.get(mandate=idle)
    assert (active.grade, active.flagged) == ("fair", False)
    assert (inactive.grade, inactive.flagged) == ("poor", True)


def test_grade_bands_apply_to_the_score(congress):
    assert services.grade_for(Decimal(80), congress) == "good"
    assert services.grade_for(Decimal("79.5"), congress) == "fair"
    assert services.grade_for(Decimal(60), congress) == "fair"
    assert services.grade_for(Decimal("59.5"), congress) == "poor"


# What the API, the deputy's page and the console show


def test_api_points_show_score_breakdown_with_caps_and_grade(api_client, mandate, staff):
    normal_year(mandate)
    record(mandate, "station_visit", times=6)  # 10 visits in all
    api_client.force_authenticate(staff)
    body = api_client.get(f"/api/v1/mandates/{mandate.pk}/points/?year=2026").json()
    score = int(BASE + SESSION + VISIT_CAP + 2 * SUGGESTION + 16 * TRAINING_HOUR + REPORT)  # 72: visits stay at 8
    assert (body["score"], body["points"], body["base"]) == (f"{score}.00", f"{score}.00", f"{BASE}.00")
    assert (body["grade"], body["grade_label"], body["good_from"], body["fair_from"]) == ("fair", "较好", 80, 60)
    lines = {line["code"]: line for line in body["lines"]}
    assert lines["station_visit"] == {"code": "station_visit", "name": "进站履职", "quantity": "10.0", "points": "2.00",
                                      "cap": "8.00", "earned": "20.00", "counted": "8.00", "capped": True}  # fmt: skip
    assert set(lines) == {"session_attendance", "station_visit", "suggestion", "training", "report_to_voters"}


def test_api_points_of_another_congresss_deputy_are_refused(api_client, mandate):
    other = core.CongressFactory(region=core.county("440305", "南山区"))
    api_client.force_authenticate(core.staff_of(other))
    assert api_client.get(f"/api/v1/mandates/{mandate.pk}/points/").status_code == 404


def test_duty_entries_in_the_api_are_worth_their_congresss_points(api_client, congress, mandate, staff):
    PointsItem.objects.filter(congress=congress, kind="suggestion").update(points=4)
    record(mandate, "suggestion")
    api_client.force_authenticate(staff)
    (entry,) = api_client.get(f"/api/v1/duty-entries/?mandate={mandate.pk}").json()["results"]
    assert Decimal(entry["points"]) == 4


def test_my_record_shows_score_breakdown_and_grade(client, mandate, staff):
    user = core.UserFactory()
    services.link_account(actor=staff, person=mandate.person, user=user)
    normal_year(mandate)
    record(mandate, "station_visit", times=6)
    client.force_login(user)
    body = client.get("/deputies/my-record/?year=2026").content.decode()
    assert "<strong>72.00</strong> / 100" in body and "较好" in body
    assert "进站履职</td><td>10.0</td><td>2.00</td><td>8.00</td><td>8.00" in body  # 10 visits, capped at 8


def test_points_page_shows_scores_grades_and_the_spread(client, congress, mandate, staff):
    idle = MandateFactory(congress=congress, term=mandate.term)
    normal_year(mandate)
    client.force_login(staff)
    body = client.get(f"/deputies/points/?term={mandate.term_id}&year=2026").content.decode()
    assert "<strong>72.00</strong></td><td>较好" in body
    assert f"{idle.person.name}</td>" in body and "<strong>40.00</strong></td><td>一般" in body
    assert "好 0 · 较好 1 · 一般 1" in body


def test_staff_change_their_own_congresss_catalogue_in_the_console(client, congress, staff):
    item = PointsItem.objects.get(congress=congress, kind="station_visit")
    client.force_login(staff)
    response = client.post(f"/console/deputies/pointsitem/{item.pk}/change/",
                           {"congress": congress.pk, "kind": "station_visit", "points": "3", "cap": "12"})  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.points, item.cap) == (3, 12)


def test_staff_of_another_congress_cannot_change_the_catalogue(client, congress):
    item = PointsItem.objects.get(congress=congress, kind="station_visit")
    other = core.CongressFactory(region=core.county("440305", "南山区"))
    client.force_login(core.staff_of(other))
    client.post(f"/console/deputies/pointsitem/{item.pk}/change/",
                {"congress": congress.pk, "kind": "station_visit", "points": "30", "cap": ""})  # fmt: skip
    item.refresh_from_db()
    assert (item.points, item.cap) == (2, 8)
