"""Units named by search on the review list (issue 25): the filter and the bulk assignment no longer list every
handling unit in reach (26,239 options at a province); a JSON search offers the units of the staff's regions as
they type, and without script the typed name is found when the form is sent."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from congress.models import Role, RoleMembership
from suggestions.models import Assignment
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db


def search(client, text):
    return client.get(reverse("suggestions:unit_search"), {"q": text}).json()["results"]


@pytest.fixture
def bureaus(congress):
    """Two county education bureaus of the province, told apart only by their region."""
    tianhe = core.OrganisationFactory(name="教育局", region=core.county("440106", "天河区"))
    yuexiu = core.OrganisationFactory(name="教育局", region=core.county("440104", "越秀区"))
    return tianhe, yuexiu


@pytest.fixture
def elsewhere():
    """A unit of another province, outside the staff's reach."""
    other = core.CongressFactory(region=core.province("45", "广西壮族自治区"))
    return core.OrganisationFactory(name="教育厅", region=other.region)


def test_the_search_offers_the_units_of_the_staffs_regions_with_their_region(client, staff, bureaus):
    client.force_login(staff)
    found = search(client, "教育")
    assert [(u["name"], u["region"], u["label"]) for u in found] == [
        ("教育局", "越秀区", "教育局（越秀区）"),
        ("教育局", "天河区", "教育局（天河区）"),
    ]


def test_the_search_never_offers_a_unit_out_of_reach(client, staff, elsewhere):
    client.force_login(staff)
    assert search(client, "教育厅") == []


def test_the_search_is_refused_to_a_deputy(client, deputy_user, lead_unit):
    client.force_login(deputy_user)
    assert client.get(reverse("suggestions:unit_search"), {"q": "教育"}).status_code == 403


def test_the_review_list_carries_no_list_of_every_unit(client, staff, bureaus, lead_unit):
    client.force_login(staff)
    body = client.get(reverse("suggestions:review")).content.decode()
    assert "教育局（天河区）" not in body
    assert lead_unit[0].name not in body


def test_a_typed_name_naming_one_unit_filters_the_list(client, mandate, staff, lead_unit, co_unit):
    mine = f.assigned(mandate, staff, lead_unit[0], title="课后服务")
    f.assigned(mandate, staff, co_unit[0], title="财政补贴")
    client.force_login(staff)
    response = client.get(reverse("suggestions:review"), {"unit_q": "教育厅"})
    assert [s.pk for s in response.context["page"]] == [mine.pk]


def test_a_typed_name_naming_several_units_offers_them_to_choose(client, staff, bureaus):
    client.force_login(staff)
    response = client.get(reverse("suggestions:review"), {"unit_q": "教育局"})
    form = response.context["form"]
    assert "unit" in form.errors
    assert [label for _, label in form.fields["unit"].choices][1:] == ["教育局（越秀区）", "教育局（天河区）"]


def test_the_unit_chosen_from_the_offer_filters_the_list(client, mandate, staff, bureaus):
    tianhe, _yuexiu = bureaus
    mine = f.assigned(mandate, staff, tianhe, title="课后服务")
    client.force_login(staff)
    response = client.get(reverse("suggestions:review"), {"unit_q": "教育局", "unit": tianhe.pk})
    assert [s.pk for s in response.context["page"]] == [mine.pk]


def test_a_unit_out_of_reach_named_by_id_is_refused(client, mandate, staff, elsewhere):
    f.assigned(mandate, staff, core.OrganisationFactory(name="省教育厅"))
    client.force_login(staff)
    response = client.get(reverse("suggestions:review"), {"unit": elsewhere.pk})
    assert "unit" in response.context["form"].errors


def test_bulk_assignment_finds_the_typed_lead_and_co_handling_units(client, mandate, staff, lead_unit, co_unit):
    third = core.OrganisationFactory(name="省卫生健康委")
    ready = f.accepted(mandate, staff)
    client.force_login(staff)
    client.post(reverse("suggestions:bulk_assign"), {"ids": [ready.pk], "lead_q": "省教育厅",
                                                     "co_units_q": "省财政厅、卫生健康"})  # fmt: skip
    roles = dict(Assignment.objects.filter(suggestion=ready).values_list("unit_id", "role"))
    assert roles == {lead_unit[0].pk: "lead", co_unit[0].pk: "co", third.pk: "co"}


def test_bulk_assignment_with_a_name_of_several_units_names_them_and_assigns_nothing(client, mandate, staff, bureaus):
    ready = f.accepted(mandate, staff)
    client.force_login(staff)
    response = client.post(reverse("suggestions:bulk_assign"), {"ids": [ready.pk], "lead_q": "教育局"})
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "教育局（天河区）" in message and "教育局（越秀区）" in message
    assert not Assignment.objects.exists()


def test_bulk_assignment_takes_a_full_label_as_one_unit(client, mandate, staff, bureaus):
    tianhe, _yuexiu = bureaus
    ready = f.accepted(mandate, staff)
    client.force_login(staff)
    client.post(reverse("suggestions:bulk_assign"), {"ids": [ready.pk], "lead_q": "教育局（天河区）"})
    assert Assignment.objects.get().unit == tianhe


def test_an_officer_finds_only_their_own_units(client, lead_unit, co_unit):
    client.force_login(lead_unit[1])
    assert [u["name"] for u in search(client, "省")] == ["省教育厅"]


def test_an_officer_of_two_units_keeps_the_portal_to_one_by_its_name(client, mandate, staff, lead_unit, co_unit):
    unit, officer = lead_unit
    RoleMembership.objects.create(user=officer, role=Role.UNIT_OFFICER, organisation=co_unit[0])
    mine = f.assigned(mandate, staff, unit, title="课后服务")
    f.assigned(mandate, staff, co_unit[0], title="财政补贴")
    client.force_login(officer)
    assert len(client.get(reverse("suggestions:unit")).context["page"]) == 2
    response = client.get(reverse("suggestions:unit"), {"unit_q": "教育"})
    assert [a.suggestion_id for a in response.context["page"]] == [mine.pk]


def test_an_officer_naming_another_units_id_is_refused(client, mandate, staff, lead_unit, co_unit):
    f.assigned(mandate, staff, co_unit[0])
    client.force_login(lead_unit[1])
    response = client.get(reverse("suggestions:unit"), {"unit": co_unit[0].pk})
    assert "unit" in response.context["form"].errors
    assert len(response.context["page"]) == 0
