"""The topics pages, the dashboard's and a station's hot-topics panels and the export, for staff of the topics'
congress only."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congress import audit, dashboard, topics
from congress.models import Topic
from tests import factories as core
from tests.liaison_stations.factories import managed_station

from .topic_data import LIFTS, themes

pytestmark = pytest.mark.django_db


@pytest.fixture
def station():
    station, _manager = managed_station(congress=core.CongressFactory(region=core.county()))
    today = timezone.localdate()
    themes(station, months=((today.year, today.month, 1),))
    topics.recompute(station.congress_id)
    return station


@pytest.fixture
def staff(station):
    return core.staff_of(station.congress)


@pytest.fixture
def lifts(station):
    return next(t for t in Topic.objects.filter(item_count__gt=0) if "电梯" in t.keywords)


@pytest.fixture
def other_staff():
    """Staff of the neighbouring county: same province, none of the topics' congress."""
    return core.staff_of(core.CongressFactory(region=core.county(code="440104", name="越秀区")))


def test_staff_of_another_congress_cannot_open_a_topic_by_its_id(client, other_staff, lifts):
    client.force_login(other_staff)
    assert client.get(reverse("topic", args=[lifts.pk])).status_code == 404


def test_staff_of_another_congress_cannot_rename_a_topic_by_its_id(client, other_staff, lifts):
    client.force_login(other_staff)
    response = client.post(reverse("topic", args=[lifts.pk]), {"form": "rename", "name": "被篡改"})
    assert response.status_code == 404
    lifts.refresh_from_db()
    assert lifts.staff_label == ""


def test_a_merge_into_another_congress_topic_is_refused(client, staff, lifts, other_staff):
    congress = core.CongressFactory(region=core.county(code="440104", name="越秀区"))
    other = Topic.objects.create(congress=congress, region_code="440104", keywords=["停车"], item_count=3)
    client.force_login(staff)
    client.post(reverse("topic", args=[lifts.pk]), {"form": "merge", "into": other.pk, "confirm": "on"})
    lifts.refresh_from_db()
    assert lifts.merged_into_id is None


def test_the_topics_list_of_another_congress_is_not_shown(client, other_staff, lifts):
    client.force_login(other_staff)
    page = client.get(reverse("topics"), {"congress": lifts.congress_id}).content.decode()
    assert "电梯" not in page


def test_a_citizens_manager_cannot_open_the_topics(client, station):
    client.force_login(station.managers.get())
    assert client.get(reverse("topics")).status_code == 403


def test_staff_rename_a_topic_and_the_rename_is_audited(client, staff, lifts):
    client.force_login(staff)
    response = client.post(reverse("topic", args=[lifts.pk]), {"form": "rename", "name": "加装电梯"})
    assert response.status_code == 302
    lifts.refresh_from_db()
    assert lifts.name == "加装电梯"
    [entry] = [e for e in audit.entries_for(lifts) if e.additional_data.get("action") == "rename_topic"]
    assert entry.actor == staff


def test_a_merge_needs_the_confirmation(client, staff, lifts, station):
    parking = Topic.objects.filter(item_count__gt=0).exclude(pk=lifts.pk).get()
    client.force_login(staff)
    client.post(reverse("topic", args=[parking.pk]), {"form": "merge", "into": lifts.pk})
    parking.refresh_from_db()
    assert parking.merged_into_id is None


def test_staff_merge_a_topic_into_another(client, staff, lifts):
    parking = Topic.objects.filter(item_count__gt=0).exclude(pk=lifts.pk).get()
    client.force_login(staff)
    response = client.post(reverse("topic", args=[parking.pk]), {"form": "merge", "into": lifts.pk, "confirm": "on"})
    assert response.headers["Location"] == reverse("topic", args=[lifts.pk])
    lifts.refresh_from_db()
    assert lifts.item_count == 8
    assert any(e.additional_data.get("action") == "merge_topic" for e in audit.entries_for(parking))


def test_the_recompute_button_recomputes_now(client, staff, station, lifts, django_capture_on_commit_callbacks):
    Topic.objects.update(item_count=0)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("topics"), {"congress": station.congress_id})
    lifts.refresh_from_db()
    assert lifts.item_count == 4


def test_the_export_lists_each_topic_with_keywords_counts_and_months(client, staff, lifts):
    client.force_login(staff)
    response = client.get(reverse("topics_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    assert header[:4] == ("话题", "关键词", "合并的话题", "条目数")
    row = next(r for r in rows[2:] if r[0] == lifts.name)
    assert row[1] == "、".join(lifts.keywords)
    assert row[3] == 4
    assert row[header.index("群众意见")] == 4
    assert row[-1] == 4  # all this month
    assert f"{timezone.localdate():%Y-%m}" == header[-1]


def test_the_dashboard_shows_the_hot_topics_with_their_counts(staff, lifts):
    view = dashboard.build(staff)
    panel = next(p for p in view.panels if p.key == "hot-topics")
    row = next(r for r in panel.rows if r.label == lifts.name)
    assert row.values == [4, 4, 0]
    assert row.url == reverse("topic", args=[lifts.pk])
    assert panel.as_of is not None


def test_the_dashboard_panel_says_so_when_there_are_no_topics():
    staff = core.staff_of(core.CongressFactory(region=core.county()))
    panel = next(p for p in dashboard.build(staff).panels if p.key == "hot-topics")
    assert panel.rows == [] and panel.empty


def test_a_stations_page_shows_its_hot_topics(client, station, lifts):
    client.force_login(station.managers.get())
    page = client.get(reverse("liaison_stations:desk", args=[station.pk])).content.decode()
    assert "热点话题" in page and lifts.name in page


def test_the_topics_page_shows_keywords_and_trend(client, staff, lifts):
    client.force_login(staff)
    page = client.get(reverse("topics")).content.decode()
    assert lifts.keywords[0] in page and reverse("topic", args=[lifts.pk]) in page
    assert date.today().strftime("%Y-%m") in page


def test_the_nightly_task_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="congress.tasks.recompute_topics", enabled=True).exists()


def test_the_nightly_task_computes_every_congress(station):
    from congress import tasks

    Topic.objects.update(item_count=0)
    tasks.recompute_topics()
    assert Topic.objects.filter(item_count=4).count() == 2


def test_the_topic_label_comes_from_lifts(lifts):
    assert any(word in lifts.label for word in ("电梯", "加装", "老旧小区")) and LIFTS
