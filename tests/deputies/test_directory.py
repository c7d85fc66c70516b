import io
from datetime import date

import pytest
import time_machine
from openpyxl import load_workbook

from deputies import selectors
from deputies.models import Mandate, Tag
from tests import factories as core

from .factories import MandateFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress():
    return core.CongressFactory()


@pytest.fixture
def staff_client(client, congress):
    client.force_login(core.staff_of(congress))
    return client


def test_composition_counts_live_mandates_by_category(congress):
    MandateFactory(
        congress=congress, person=PersonFactory(gender="F", ethnic_group_id="03", occupation="worker_farmer")
    )
    MandateFactory(congress=congress, person=PersonFactory(grassroots=True))
    ended = MandateFactory(congress=congress, person=PersonFactory(gender="F"))
    Mandate.objects.filter(pk=ended.pk).update(status="ended", end_date=date(2024, 1, 1), end_reason="resigned")
    result = selectors.composition(Mandate.objects.all())
    assert result["total"] == 2
    assert result["shares"]["women"] == 50.0
    assert result["counts"]["minorities"] == 1
    assert result["occupations"]["worker_farmer"]["count"] == 1


@time_machine.travel("2026-11-23 10:00 +0800")
def test_age_band_filter(staff_client, congress):
    MandateFactory(congress=congress, person=PersonFactory(name="年轻", birth_date=date(1995, 1, 1)))
    MandateFactory(congress=congress, person=PersonFactory(name="年长", birth_date=date(1958, 1, 1)))
    body = staff_client.get("/deputies/directory/", {"age_band": "under35"}).content.decode()
    assert "年轻" in body and "年长" not in body


def test_free_text_matches_name_or_work_unit(staff_client, congress):
    MandateFactory(congress=congress, person=PersonFactory(name="甲", work_unit="天河区人民医院"))
    MandateFactory(congress=congress, person=PersonFactory(name="乙", work_unit="科技公司"))
    body = staff_client.get("/deputies/directory/", {"q": "医院"}).content.decode()
    assert "天河区人民医院" in body and "科技公司" not in body


def test_tag_filter(staff_client, congress):
    tagged = MandateFactory(congress=congress, person=PersonFactory(name="懂教育"))
    tag = Tag.objects.create(kind="expertise", name="教育")
    tagged.person.tags.add(tag)
    MandateFactory(congress=congress, person=PersonFactory(name="不相关"))
    body = staff_client.get("/deputies/directory/", {"tag": tag.pk}).content.decode()
    assert "懂教育" in body and "不相关" not in body


def test_directory_shows_official_statistics_for_comparison(staff_client, congress):
    MandateFactory(congress=congress)
    assert "26.54" in staff_client.get("/deputies/directory/").content.decode()


def test_export_follows_the_filter_and_masks_id_numbers(staff_client, congress):
    MandateFactory(congress=congress, person=PersonFactory(name="女代表", gender="F"))
    MandateFactory(congress=congress, person=PersonFactory(name="男代表", gender="M"))
    response = staff_client.get("/deputies/export.xlsx", {"gender": "F"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["女代表"]
    assert "*" in rows[1][4]


def test_directory_is_staff_only(client, congress):
    client.force_login(core.deputy_of(congress))
    assert client.get("/deputies/directory/").status_code == 403


def test_county_staff_directory_excludes_other_counties(client):
    tianhe = core.CongressFactory(region=core.county("440106", "天河区"))
    nanshan = core.CongressFactory(region=core.county("440305", "南山区"))
    MandateFactory(congress=tianhe, person=PersonFactory(name="天河代表"))
    MandateFactory(congress=nanshan, person=PersonFactory(name="南山代表"))
    client.force_login(core.staff_of(tianhe))
    body = client.get("/deputies/directory/").content.decode()
    assert "天河代表" in body and "南山代表" not in body


def test_directory_query_count_does_not_grow(staff_client, congress):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get("/deputies/directory/").status_code == 200
        return len(captured)

    MandateFactory(congress=congress)
    few = queries()
    for _ in range(30):
        MandateFactory(congress=congress)
    assert queries() == few


def test_directory_query_count_does_not_grow_with_the_congresses_in_scope(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city = core.CongressFactory(region=core.city("4401", "广州市"))
    client.force_login(core.staff_of(city))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/deputies/directory/").status_code == 200
        return len(captured)

    core.TermFactory(congress=core.CongressFactory(region=core.county("440106", "天河区")))
    few = queries()
    for code in ("440103", "440104", "440105", "440111", "440112"):
        core.TermFactory(congress=core.CongressFactory(region=core.county(code, f"区{code}")))
    assert queries() == few
