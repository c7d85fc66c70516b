"""A sync through `/api/v1/deputies/?cursor=` reads each page's deputies from the mandates' (person, division code)
index: the same deputies as the paged list, each once, newest first, filters and scope applied; and the division
code copied onto mandates stays that of their congress's region whatever writes them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress import scope
from congress.models import Congress, Region
from deputies import services
from deputies.models import Mandate, Person
from tests import factories as core

from .factories import MandateFactory, PersonFactory, current_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def guangzhou():
    return core.CongressFactory(region=core.city("4401", "广州市"))


@pytest.fixture
def tianhe():
    return core.CongressFactory(region=core.county("440106", "天河区"))


@pytest.fixture
def staff(guangzhou):
    return core.staff_of(guangzhou)


def walk(api_client, url):
    rows, pages = [], 0
    while url:
        body = api_client.get(url).json()
        rows += body["results"]
        url, pages = body["next"], pages + 1
    return rows, pages


def test_cursor_lists_every_visible_deputy_once_newest_first(api_client, staff, guangzhou, tianhe):
    both = MandateFactory(congress=guangzhou).person
    MandateFactory(congress=tianhe, person=both)  # seated in the city and in a county below it
    only_county = [MandateFactory(congress=tianhe).person for _ in range(4)]
    elsewhere = MandateFactory(congress=core.CongressFactory(region=core.city("4403", "深圳市"))).person
    api_client.force_authenticate(staff)
    rows, pages = walk(api_client, "/api/v1/deputies/?cursor=&page_size=2")
    ids = [row["id"] for row in rows]
    assert ids == sorted([both.pk, *(p.pk for p in only_county)], reverse=True)
    assert elsewhere.pk not in ids
    assert pages == 3


def test_cursor_lists_what_the_paged_list_lists(api_client, staff, guangzhou, tianhe):
    for congress in (guangzhou, tianhe, guangzhou):
        MandateFactory(congress=congress)
    api_client.force_authenticate(staff)
    paged = api_client.get("/api/v1/deputies/?page_size=100").json()["results"]
    rows, _ = walk(api_client, "/api/v1/deputies/?cursor=&page_size=2")
    assert sorted(rows, key=lambda row: row["id"]) == sorted(paged, key=lambda row: row["id"])


def test_previous_link_returns_the_page_before(api_client, staff, guangzhou):
    for _ in range(5):
        MandateFactory(congress=guangzhou)
    api_client.force_authenticate(staff)
    first = api_client.get("/api/v1/deputies/?cursor=&page_size=2").json()
    second = api_client.get(first["next"]).json()
    back = api_client.get(second["previous"]).json()
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]
    assert back["previous"] is None
    assert [row["id"] for row in api_client.get(back["next"]).json()["results"]] == [
        row["id"] for row in second["results"]
    ]


def test_cursor_with_updated_since_lists_only_the_changed(api_client, staff, guangzhou):
    people = [MandateFactory(congress=guangzhou).person for _ in range(5)]
    since = timezone.now()
    changed = Person.objects.get(pk=people[2].pk)
    changed.name = "改名"
    services.save_person(actor=staff, person=changed)
    api_client.force_authenticate(staff)
    stamp = since.isoformat().replace("+", "%2B")
    rows, pages = walk(api_client, f"/api/v1/deputies/?cursor=&page_size=2&updated_since={stamp}")
    assert [row["id"] for row in rows] == [changed.pk]
    assert pages == 1


def test_cursor_applies_directory_filters(api_client, staff, guangzhou):
    women = [MandateFactory(congress=guangzhou, person__gender="F").person for _ in range(3)]
    MandateFactory(congress=guangzhou, person__gender="M")
    api_client.force_authenticate(staff)
    rows, _ = walk(api_client, "/api/v1/deputies/?cursor=&page_size=2&gender=F")
    assert [row["id"] for row in rows] == sorted((p.pk for p in women), reverse=True)


def test_a_deputy_who_left_scope_mid_sync_is_left_out_and_the_rest_still_come(api_client, staff, guangzhou):
    people = [MandateFactory(congress=guangzhou).person for _ in range(5)]
    api_client.force_authenticate(staff)
    first = api_client.get("/api/v1/deputies/?cursor=&page_size=2").json()
    leaving = people[2]  # on the second page
    Mandate.objects.filter(person=leaving).update(congress=core.CongressFactory(region=core.city("4403", "深圳市")))
    rows, _ = walk(api_client, first["next"])
    assert [row["id"] for row in rows] == [people[1].pk, people[0].pk]


def test_deputy_without_a_seat_still_finds_their_own_record(api_client, guangzhou):
    person = MandateFactory(congress=guangzhou).person
    user = core.UserFactory()
    services.link_account(actor=core.staff_of(guangzhou), person=person, user=user)
    Mandate.objects.filter(person=person).delete()
    api_client.force_authenticate(user)
    rows, _ = walk(api_client, "/api/v1/deputies/?cursor=")
    assert [row["id"] for row in rows] == [person.pk]


def test_cursor_page_queries_do_not_grow_with_page_size(api_client, staff, guangzhou, tianhe):
    for congress in [guangzhou, tianhe] * 10:
        MandateFactory(congress=congress)
    api_client.force_authenticate(staff)

    def count(size):
        with CaptureQueriesContext(connection) as captured:
            assert len(api_client.get(f"/api/v1/deputies/?cursor=&page_size={size}").json()["results"]) == size
        return len(captured)

    count(1)  # the user's roles, loaded once
    assert count(1) == count(15)


@pytest.mark.parametrize("who", ["staff", "deputy", "superuser"])
def test_key_sources_hold_every_visible_person(who, guangzhou, tianhe):
    seated = [MandateFactory(congress=congress).person for congress in (guangzhou, tianhe)]
    MandateFactory(congress=core.CongressFactory(region=core.city("4403", "深圳市")))
    user = {
        "staff": lambda: core.staff_of(tianhe),
        "deputy": lambda: core.deputy_of(guangzhou),
        "superuser": lambda: core.UserFactory(is_superuser=True),
    }[who]()
    if who == "deputy":
        Person.objects.filter(pk=seated[0].pk).update(user=user)
    keys = set()
    for source, column in scope.key_sources(user, Person):
        keys.update(source.values_list(column, flat=True))
    assert set(scope.visible(user, Person).values_list("pk", flat=True)) <= keys


def test_bulk_inserted_mandates_get_their_congress_division_code(tianhe):
    person = PersonFactory()
    Mandate.objects.bulk_create(
        [Mandate(person=person, congress=tianhe, term=current_term(tianhe), level="county", start_date="2023-02-01")]
    )
    assert Mandate.objects.get(person=person).region_code == "440106"


def test_recoding_a_region_recodes_its_mandates(tianhe):
    mandate = MandateFactory(congress=tianhe)
    Region.objects.filter(pk=tianhe.region_id).update(code="440199")
    mandate.refresh_from_db()
    assert mandate.region_code == "440199"


def test_moving_a_congress_to_another_region_moves_its_mandates(tianhe):
    mandate = MandateFactory(congress=tianhe)
    Congress.objects.filter(pk=tianhe.pk).update(region=core.county("440305", "南山区"))
    mandate.refresh_from_db()
    assert mandate.region_code == "440305"
