"""The roster console: mandates filtered by region, and exported in the import template's columns."""

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from openpyxl import load_workbook

from congress.models import ConsoleJob
from deputies.exporter import HEADER
from tests import factories as core

from .factories import MandateFactory

pytestmark = pytest.mark.django_db

MANDATES = "/console/deputies/mandate/"


@pytest.fixture
def staff():
    return core.staff_of(core.CongressFactory())


def test_mandate_list_filters_by_region_and_below(client, staff):
    guangzhou = MandateFactory(congress=core.CongressFactory(region=core.county()))
    MandateFactory(congress=core.CongressFactory(region=core.county("440305", "南山区")))
    client.force_login(staff)
    response = client.get(MANDATES, {"region": "4401"})
    assert list(response.context["cl"].result_list) == [guangzhou]


def test_export_writes_the_roster_columns_with_id_numbers_masked(
    client, staff, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    mandate = MandateFactory(congress=core.CongressFactory())
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(MANDATES, {"action": "export_selected", "index": 0, ACTION_CHECKBOX_NAME: [mandate.pk]})
    with ConsoleJob.objects.get().file.open("rb") as handle:
        header, row = load_workbook(io.BytesIO(handle.read())).active.iter_rows(values_only=True)
    assert list(header) == HEADER
    assert row[0] == mandate.person.name
    assert row[4] != mandate.person.id_number


# The directory's export: a long one is written in the background, with its progress page


def test_a_long_directory_export_goes_to_a_background_job(client, staff, monkeypatch, settings, tmp_path):
    from congress import exports

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "INLINE_ROWS", 1)
    congress = staff.memberships.get().congress
    mandates = [MandateFactory(congress=congress), MandateFactory(congress=congress)]
    client.force_login(staff)
    response = client.get("/deputies/export.xlsx")
    job = ConsoleJob.objects.get()
    assert response.url == f"/console/congress/consolejob/{job.pk}/change/"
    assert sorted(job.params["ids"]) == sorted(m.pk for m in mandates)


def test_a_short_directory_export_is_the_file_itself(client, staff):
    MandateFactory(congress=staff.memberships.get().congress)
    client.force_login(staff)
    response = client.get("/deputies/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ConsoleJob.objects.exists()
