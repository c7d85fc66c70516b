"""Bulk sync through the streamed exports (`/api/v1/deputies/export/`, `/api/v1/suggestions/export/`): every row
the list shows, once, NDJSON or CSV, in the list's scope and with its masking, read chunk by chunk, and a position
to follow the changes from afterwards."""

import csv
import io
import json

import pytest
from auditlog.models import LogEntry
from django.db.models.signals import post_init
from rest_framework.test import APIClient

from congress import personal_data
from congress import services as core_services
from congress.api import streaming
from congress.models import Tombstone
from deputies.models import Mandate, Person
from tests import factories as core
from tests.deputies.factories import MandateFactory
from tests.suggestions import factories as suggestions

pytestmark = pytest.mark.django_db


@pytest.fixture
def tianhe():
    return core.CongressFactory(region=core.county("440106", "天河区"))


@pytest.fixture
def nanshan():
    return core.CongressFactory(region=core.county("440305", "南山区"))


def client_of(congress, *scopes) -> APIClient:
    _, token = core_services.create_api_client(actor=None, name=f"镜像{len(scopes)}", congress=congress,
                                               scopes=list(scopes), owner=core.UserFactory())  # fmt: skip
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def lines(response) -> list[dict]:
    return [json.loads(line) for line in body(response).splitlines()]


def listed(api, resource) -> list[dict]:
    rows, url = [], f"/api/v1/{resource}/?cursor=&page_size=3"
    while url:
        page = api.get(url).json()
        rows, url = rows + page["results"], page["next"]
    return sorted(rows, key=lambda row: row["id"])


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(streaming, "CHUNK", 3)


def test_roster_export_is_every_listed_deputy_once_as_the_list_shows_them(small_chunks, tianhe):
    guangzhou = core.CongressFactory(region=core.city("4401", "广州市"))
    MandateFactory(congress=tianhe, person=MandateFactory(congress=guangzhou).person)  # seated in city and county
    for _ in range(7):
        MandateFactory(congress=tianhe)
    api = client_of(guangzhou, "deputies:read", "personal-data:read")
    response = api.get("/api/v1/deputies/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    rows = lines(response)
    assert len(rows) == len({row["id"] for row in rows}) == 8
    assert sorted(rows, key=lambda row: row["id"]) == listed(api, "deputies")


def test_roster_export_gives_another_regions_client_none_of_its_rows(tianhe, nanshan):
    MandateFactory(congress=tianhe, person__name="林晓东")
    MandateFactory(congress=nanshan, person__name="周敏")
    rows = lines(client_of(nanshan, "deputies:read", "personal-data:read").get("/api/v1/deputies/export/"))
    assert [row["name"] for row in rows] == ["周敏"]


def test_roster_export_masks_personal_data_without_the_unmask_scope(tianhe):
    mine = MandateFactory(congress=tianhe, person__phone="13912345678").person
    row = lines(client_of(tianhe, "deputies:read").get("/api/v1/deputies/export/?format=csv&format=ndjson"))[0]
    assert row["id_number"] == mine.id_number[:4] + "*" * 10 + mine.id_number[-4:]
    assert row["phone"] == "139****5678"
    assert not LogEntry.objects.filter(additional_data__action=personal_data.ACTION).exists()


def test_unmasked_roster_export_leaves_one_access_record_per_chunk(small_chunks, tianhe):
    people = [MandateFactory(congress=tianhe, person__phone="13912345678").person for _ in range(5)]
    rows = lines(client_of(tianhe, "deputies:read", "personal-data:read").get("/api/v1/deputies/export/"))
    assert {row["phone"] for row in rows} == {"13912345678"}
    records = LogEntry.objects.filter(additional_data__action=personal_data.ACTION).order_by("id")
    assert [record.additional_data["ids"] for record in records] == [
        [person.pk for person in people[:3]],
        [person.pk for person in people[3:]],
    ]
    assert {record.additional_data["channel"] for record in records} == {"api"}


@pytest.mark.parametrize("resource", ["deputies", "suggestions"])
def test_a_client_without_the_scope_is_refused_in_json(tianhe, resource):
    response = client_of(tianhe, "reference:read").get(f"/api/v1/{resource}/export/?format=csv")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == 403


@pytest.mark.parametrize("resource", ["deputies", "suggestions"])
def test_a_format_no_export_offers_is_answered_not_found_in_json(tianhe, resource):
    response = client_of(tianhe, f"{resource}:read").get(f"/api/v1/{resource}/export/?format=xlsx")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == 404


def test_roster_csv_opens_with_the_lists_fields_as_header(tianhe):
    person = MandateFactory(congress=tianhe, person__name="林晓东").person
    response = client_of(tianhe, "deputies:read").get("/api/v1/deputies/export/", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = list(csv.reader(io.StringIO(body(response).decode())))
    assert header == [
        "id", "name", "gender", "ethnic_group", "birth_date", "id_number", "party", "education", "occupation",
        "work_unit", "tags", "grassroots", "returned_overseas", "phone", "address", "mandates", "updated_at",
    ]  # fmt: skip
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["id"], row["name"], row["grassroots"]) == (str(person.pk), "林晓东", "false")
    assert [mandate["congress"] for mandate in json.loads(row["mandates"])] == [tianhe.pk]


def test_roster_export_filters_by_updated_since_and_region(tianhe, nanshan):
    province = core.CongressFactory(region=core.province("44", "广东省"))
    old = MandateFactory(congress=tianhe).person
    Person.objects.filter(pk=old.pk).update(updated_at="2020-01-01T00:00:00Z")
    Mandate.objects.filter(person=old).update(updated_at="2020-01-01T00:00:00Z")
    fresh = MandateFactory(congress=tianhe).person
    south = MandateFactory(congress=nanshan).person
    api = client_of(province, "deputies:read")
    since = [row["id"] for row in lines(api.get("/api/v1/deputies/export/?updated_since=2024-01-01T00:00:00Z"))]
    assert sorted(since) == sorted([fresh.pk, south.pk])
    assert [row["id"] for row in lines(api.get("/api/v1/deputies/export/?region=440305"))] == [south.pk]


def test_export_names_where_to_follow_the_changes_from(tianhe):
    Tombstone.objects.create(resource="deputies", object_id=99, action="deleted", region_code="440106")
    last = Tombstone.objects.create(resource="deputies", object_id=98, action="deleted", region_code="440106")
    api = client_of(tianhe, "deputies:read")
    response = api.get("/api/v1/deputies/export/")
    assert response[streaming.CHANGES_AFTER_HEADER] == str(last.pk)
    since = response[streaming.UPDATED_SINCE_HEADER]
    assert api.get("/api/v1/deputies/", {"updated_since": since}).status_code == 200
    assert api.get("/api/v1/changes/", {"after": response[streaming.CHANGES_AFTER_HEADER]}).json()["results"] == []


def test_roster_export_reads_its_rows_a_chunk_at_a_time(small_chunks, tianhe):
    for _ in range(8):
        MandateFactory(congress=tianhe)
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance)

    post_init.connect(count, sender=Person)
    try:
        response = client_of(tianhe, "deputies:read").get("/api/v1/deputies/export/")
        assert built == []  # nothing read before the body is sent
        blocks = iter(response.streaming_content)
        first = next(blocks)
        assert (len(first.splitlines()), len(built)) == (3, 3)
        rest = b"".join(blocks)
        assert (len(rest.splitlines()), len(built)) == (5, 8)
    finally:
        post_init.disconnect(count, sender=Person)


def test_suggestion_export_is_the_list_and_keeps_to_the_clients_region(small_chunks, tianhe, nanshan):
    unit, _officer = suggestions.unit_with_officer(tianhe)
    lead = suggestions.deputy(tianhe)
    mine = [suggestions.submitted(lead) for _ in range(3)]
    mine.append(suggestions.assigned(lead, core.staff_of(tianhe), unit))
    suggestions.submitted(suggestions.deputy(nanshan))
    api = client_of(tianhe, "suggestions:read")
    rows = lines(api.get("/api/v1/suggestions/export/"))
    assert sorted(row["id"] for row in rows) == sorted(suggestion.pk for suggestion in mine)
    assert sorted(rows, key=lambda row: row["id"]) == listed(api, "suggestions")


def test_suggestion_csv_opens_with_the_lists_fields_as_header(tianhe):
    suggestion = suggestions.submitted(suggestions.deputy(tianhe))
    response = client_of(tianhe, "suggestions:read").get("/api/v1/suggestions/export/?format=csv")
    header, *rows = list(csv.reader(io.StringIO(body(response).decode())))
    assert header[:4] == ["id", "kind", "number_label", "title"] and "assignments" in header
    assert [row[0] for row in rows] == [str(suggestion.pk)]
