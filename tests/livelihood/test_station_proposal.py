"""A station's manager records a proposal received in person, on a page reached from the station's desk; only for a
station they manage in the programme's region, and with the proposer's phone."""

import pytest
from django.urls import reverse

from congress.errors import Forbidden, RuleViolation
from livelihood import services
from livelihood.models import Source
from tests.liaison_stations.factories import managed_station

from . import factories as f

pytestmark = pytest.mark.django_db

core = f.core


@pytest.fixture
def collecting(staff, congress):
    programme = f.collecting_now(staff, congress)
    station, manager = managed_station(congress=congress, region=congress.region)
    return programme, station, manager


def form(programme, **values):
    return {"programme": programme.pk, "title": "加装电梯", "description": "老旧小区加装电梯", "area": "石牌街道",
            "phone": "13912345678", **values}  # fmt: skip


def test_the_manager_records_a_proposal_for_the_station(collecting, client):
    programme, station, manager = collecting
    client.force_login(manager)
    response = client.post(reverse("livelihood:propose_at_station", args=[station.pk]), form(programme))
    assert response.status_code == 302
    proposal = programme.proposals.get()
    assert (proposal.source, proposal.station, proposal.recorded_by) == (Source.STATION, station, manager)


def test_the_phone_is_required(collecting):
    programme, station, manager = collecting
    with pytest.raises(RuleViolation) as refused:
        services.submit_proposal(programme_id=programme.pk, source=Source.STATION, title="加装电梯",
                                 description="说明", area="石牌街道", actor=manager, station_id=station.pk)  # fmt: skip
    assert "phone" in refused.value.fields


def test_the_manager_of_another_station_cannot_use_the_page(collecting, client):
    programme, station, _manager = collecting
    _other, stranger = managed_station(congress=programme.congress, region=programme.congress.region)
    client.force_login(stranger)
    response = client.post(reverse("livelihood:propose_at_station", args=[station.pk]), form(programme))
    assert response.status_code == 404
    assert not programme.proposals.exists()


def test_a_station_outside_the_region_is_refused(collecting):
    programme, _station, _manager = collecting
    elsewhere = core.CongressFactory(region=core.county("440105", "海珠区"))
    station, manager = managed_station(congress=elsewhere, region=elsewhere.region)
    with pytest.raises(Forbidden):
        services.submit_proposal(programme_id=programme.pk, source=Source.STATION, title="加装电梯",
                                 description="说明", area="石牌街道", phone="13912345678", actor=manager,
                                 station_id=station.pk)  # fmt: skip


def test_the_station_desk_links_to_the_page(collecting, client):
    _programme, station, manager = collecting
    client.force_login(manager)
    page = client.get(reverse("liaison_stations:desk", args=[station.pk])).content.decode()
    assert reverse("livelihood:propose_at_station", args=[station.pk]) in page
