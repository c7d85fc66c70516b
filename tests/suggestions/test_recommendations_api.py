"""GET /api/v1/suggestions/{id}/recommendations/: the units that fit, with reasons, for those who assign; refused
to the deputy and the unit, unseen by another congress; alike suggestions out of the caller's sight counted."""

import pytest

from congress import services as core_services
from suggestions import routing
from tests import factories as core

from . import factories as f
from .test_routing import ELEVATOR, NEW_ELEVATOR

pytestmark = pytest.mark.django_db

URL = "/api/v1/suggestions/{}/recommendations/"


@pytest.fixture
def housing(congress):
    return f.unit_with_officer(congress, "省住房和城乡建设厅")


@pytest.fixture
def building(congress):
    return f.CategoryFactory(congress=congress, name="城乡建设")


@pytest.fixture
def learnt(congress, mandate, staff, housing, building):
    past = [f.assigned(mandate, staff, housing[0], title=t, content=c, category=building) for t, c in ELEVATOR]
    transport = f.unit_with_officer(congress, "省交通运输厅")[0]
    f.assigned(mandate, staff, transport, title="优化公交", content="农村公交班次少，建议增加城乡公交线路和班次。",
               category=building)  # fmt: skip
    routing.rebuild(congress.pk)
    return past


@pytest.fixture
def fresh(mandate, staff, building):
    return f.accepted(mandate, staff, title="老旧住宅加装电梯", content=NEW_ELEVATOR, category=building)


def test_staff_get_the_housing_unit_first_with_its_reasons(as_user, staff, housing, learnt, fresh):
    response = as_user(staff).get(URL.format(fresh.pk))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["basis"] == "history"
    assert body["learnt_from"] == 4
    first = body["units"][0]
    assert (first["unit"], first["unit_name"]) == (housing[0].pk, "省住房和城乡建设厅")
    assert "电梯" in first["keywords"]
    assert first["category_suggestions"] == 3
    assert {row["id"] for row in first["similar"]} <= {s.pk for s in learnt}
    assert first["similar"] and first["similar_hidden"] == 0
    assert 0 < first["share"] <= 1


def test_the_deputy_who_wrote_it_is_refused(as_user, mandate, learnt, fresh):
    assert as_user(mandate.person.user).get(URL.format(fresh.pk)).status_code == 403


def test_the_unit_officer_is_refused(as_user, housing, learnt, fresh):
    past = learnt[0]
    assert as_user(housing[1]).get(URL.format(past.pk)).status_code == 403


def test_staff_of_another_congress_cannot_find_it(as_user, learnt, fresh):
    other = core.CongressFactory(region=core.province("45", "广西壮族自治区"))
    assert as_user(core.staff_of(other)).get(URL.format(fresh.pk)).status_code == 404


def test_an_integration_client_of_the_congress_reads_it(api_client, congress, learnt, fresh):
    _, token = core_services.create_api_client(actor=None, name="省平台", congress=congress,
                                               scopes=["suggestions:read"], owner=core.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api_client.get(URL.format(fresh.pk))
    assert response.status_code == 200
    assert response.json()["units"]


def test_alike_suggestions_the_caller_may_not_see_are_counted(as_user, congress, staff, housing, learnt, fresh):
    # A past suggestion the caller cannot see (put back to draft: staff never see drafts) is counted, not shown.
    hidden = learnt[1]
    type(hidden).objects.filter(pk=hidden.pk).update(status="draft")  # staff never see drafts
    body = as_user(staff).get(URL.format(fresh.pk)).json()
    first = body["units"][0]
    assert hidden.pk not in [row["id"] for row in first["similar"]]
    assert first["similar_hidden"] >= 1


def test_with_no_history_the_category_decides_and_says_so(as_user, staff, housing, fresh):
    body = as_user(staff).get(URL.format(fresh.pk)).json()
    assert body["basis"] == "category"
    assert body["learnt_at"] is None
    assert [row["unit"] for row in body["units"]] == [housing[0].pk]
    assert body["units"][0]["name_matches_category"] is True
    assert body["units"][0]["similar"] == []
