"""Each role's home page: a tile per main task whose to-do count is the length of the very list its link opens, in
as many queries for many to-dos as for one; and the station manager's own deadlines, overdue ones apart."""

from datetime import date, time, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from deputies import services as deputy_services
from liaison_stations import services as station_services
from suggestions import services as suggestion_services
from tests import factories as core
from tests.deputies.factories import current_term
from tests.liaison_stations.factories import managed_station, stationed_deputy
from tests.suggestions import factories as sf
from tests.training import factories as tf

pytestmark = pytest.mark.django_db

TODAY = "2026-06-10 10:00 +0800"


def _length(response, url: str) -> int:
    """How many items the page at url lists: the list each tile counts."""
    name = resolve(urlsplit(url).path).view_name
    context = response.context
    fragment = urlsplit(url).fragment
    if name == "suggestions:mine" and fragment == "feedback":
        return len(context["feedback"])
    if name == "suggestions:mine" and fragment == "cosign":
        return sum(1 for cosigner in context["cosigns"] if cosigner.can_respond)
    if name == "liaison_stations:manage" and fragment == "receptions":
        return len(context["receptions"])
    if name == "training:courses":
        return len(context["courses"])
    if name == "deputies:my_contacts":
        return len(context["pairs"])
    return context["page"].paginator.count


class World:
    """One county: a station and its manager, a deputy stationed there who leads suggestions and is asked to
    co-sign, a handling unit with its officer, staff, a course, a contact pair and citizens' opinions."""

    def __init__(self, items: int = 1):
        self.station, self.manager = managed_station()
        self.congress = self.station.congress
        current_term(self.congress)
        self.staff = core.staff_of(self.congress)
        self.mandate, self.deputy = stationed_deputy(self.station)
        core.RoleMembership.objects.get_or_create(user=self.deputy, role="deputy", congress=self.congress)
        self.unit, self.officer = sf.unit_with_officer(self.congress, "天河区住建局")
        # The staff member is also a standing-committee member (a supervisor) with deputies to keep in touch with.
        core.RoleMembership.objects.create(user=self.staff, role="supervisor", congress=self.congress)
        self.items = 0
        self.add(items)

    def add(self, items: int) -> None:
        for _ in range(items):
            self.items += 1
            sf.submitted(self.mandate, title=f"加装电梯第{self.items}件")
            replied = sf.assigned(self.mandate, self.staff, self.unit, title=f"道路改造第{self.items}件")
            sf.reply_to(replied.assignments.get(), self.officer)
            sf.assigned(self.mandate, self.staff, self.unit, title=f"学校扩建第{self.items}件")
            other = sf.deputy(self.congress)
            draft = sf.draft(other)
            suggestion_services.save_draft(actor=other.person.user, suggestion_id=draft.pk, fields={},
                                           cosigner_ids=[self.mandate.pk])  # fmt: skip
            fields = {"phone": "13912345678", "category": "urban", "content": f"公交站台没有遮雨棚{self.items}。"}
            station_services.submit_opinion(station=self.station, **fields)
            referred = station_services.submit_opinion(station=self.station, **{**fields, "category": "safety"})
            station_services.triage(actor=self.manager, opinion_id=referred.pk, route="referred", unit_id=self.unit.pk)
            station_services.plan_reception(actor=self.manager, station_id=self.station.pk,
                                            day=date(2026, 6, 20) + timedelta(days=self.items), start=time(9),
                                            end=time(11), mandate_ids=[self.mandate.pk])  # fmt: skip
            tf.course(self.staff, self.congress, title=f"第{self.items}期履职学习班",
                      sittings=[("2026-07-01 09:00", "2026-07-01 12:00")])  # fmt: skip
            deputy_services.assign_contacts(actor=self.staff, member=self.staff,
                                            mandates=[sf.deputy(self.congress)])  # fmt: skip

    def users(self):
        return {"deputy": self.deputy, "manager": self.manager, "officer": self.officer, "staff": self.staff}


@pytest.fixture
def world():
    with time_machine.travel(TODAY, tick=False):
        yield World(items=2)


def _tiles(client, user):
    client.force_login(user)
    return client.get("/").context["tiles"]


EXPECTED = {
    "deputy": {"Replies waiting for your feedback", "Requests to co-sign", "Training courses open to me",
               "Record a station visit"},
    "manager": {"Citizen opinions to triage", "Citizen opinions not yet closed", "Coming reception days"},
    "officer": {"Suggestions to reply to", "Citizen opinions to reply to"},
    "staff": {"Suggestions to review", "Suggestions with an overdue reply", "Citizen opinions to triage",
              "Deputies stationed nowhere", "My assigned deputies"},
}  # fmt: skip


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_the_tiles_of_its_main_tasks(client, world, role, settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(TODAY, tick=False):
        titles = {tile.title for tile in _tiles(client, world.users()[role])}
    assert EXPECTED[role] <= titles


@pytest.mark.parametrize("day", [TODAY, "2026-09-30 10:00 +0800"])  # the second when the replies are overdue
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_tile_counts_what_its_list_shows(client, world, role, day):
    with time_machine.travel(day, tick=False):
        counted = [tile for tile in _tiles(client, world.users()[role]) if tile.count is not None]
        assert counted
        for tile in counted:
            assert tile.count == _length(client.get(tile.url), tile.url), tile.title
            if tile.overdue_url:
                assert tile.overdue == _length(client.get(tile.overdue_url), tile.overdue_url), tile.title


def test_the_counts_are_of_real_to_dos(client, world):
    """The world above gives every counted tile something to count, so the comparison is not 0 == 0 (the overdue
    replies once they are late)."""
    with time_machine.travel(TODAY, tick=False):
        for user in world.users().values():
            for tile in _tiles(client, user):
                assert tile.count is None or tile.count > 0 or "overdue" in tile.url, tile.title
    with time_machine.travel("2026-09-30 10:00 +0800", tick=False):
        assert [tile.count for tile in _tiles(client, world.staff) if "overdue" in tile.url] == [2]


def test_a_units_overdue_replies_are_counted_apart(client, world):
    with time_machine.travel("2026-09-30 10:00 +0800", tick=False):
        tile = next(tile for tile in _tiles(client, world.officer) if tile.url.endswith("?status=open"))
        assert tile.overdue == tile.count == 2
        body = client.get("/").content.decode()
    assert 'class="task-overdue"' in body


def test_the_tile_link_names_its_count(client, world):
    with time_machine.travel(TODAY, tick=False):
        client.force_login(world.deputy)
        body = client.get("/").content.decode()
    assert "等待您反馈的答复" in body
    assert '<span class="task-count">2 项待办</span>' in body


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_the_home_page_costs_as_many_queries_for_many_to_dos_as_for_few(client, world, role):
    user = world.users()[role]
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False):
        with CaptureQueriesContext(connection) as few:
            client.get("/")
        world.add(3)
        with CaptureQueriesContext(connection) as many:
            client.get("/")
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


# The station manager's own deadlines


def test_the_managers_home_page_lists_the_triage_of_their_stations_opinions(client, world):
    with time_machine.travel("2026-06-11 10:00 +0800", tick=False):
        client.force_login(world.manager)
        response = client.get("/")
    assert [d.kind for d in response.context["upcoming"]] == ["opinion.triage", "opinion.triage"]
    assert "天后到期" in response.content.decode()


def test_a_managers_overdue_triage_is_listed_apart_and_marked(client, world):
    with time_machine.travel("2026-08-01 10:00 +0800", tick=False):
        client.force_login(world.manager)
        response = client.get("/")
    assert [d.kind for d in response.context["overdue"]] == ["opinion.triage", "opinion.triage"]
    assert all(d.kind != "opinion.triage" for d in response.context["upcoming"])
    body = response.content.decode()
    assert 'class="card overdue-deadlines"' in body and "已逾期" in body


def test_another_stations_deadlines_stay_off_the_managers_home_page(client, world):
    other, _manager = managed_station(congress=world.congress)
    station_services.submit_opinion(station=other, phone="13912345678", category="urban", content="路灯不亮。")
    with time_machine.travel("2026-08-01 10:00 +0800", tick=False):
        client.force_login(world.manager)
        response = client.get("/")
    assert len(response.context["overdue"]) == 2
