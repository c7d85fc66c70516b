"""An opinion that repeats an open one from the same area is flagged after its intake, never refused: on the
opinion's page for whoever triages it, and in the ledger."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison_stations import repeats, services
from liaison_stations.models import CitizenOpinion

from .factories import StationFactory

pytestmark = pytest.mark.django_db

LAMP = "小区门口的路灯坏了很久，晚上出行很不方便，老人孩子容易摔倒，希望尽快维修路灯。"
LAMP_AGAIN = "我们小区门口路灯一直不亮，晚上出行不方便，老人容易摔倒，请尽快维修路灯。"
NOISE = "附近工地夜间施工噪音太大，影响居民休息，希望加强夜间施工管理。"


def submit(station, content, phone="13912345678"):
    return services.submit_opinion(station=station, phone=phone, category="urban", content=content)


def flagged(opinion) -> CitizenOpinion:
    repeats.flag(opinion.pk)
    return CitizenOpinion.objects.get(pk=opinion.pk)


def test_the_same_matter_again_at_the_same_station_is_flagged(station):
    first = submit(station, LAMP)
    again = flagged(submit(station, LAMP_AGAIN, phone="13812345678"))
    assert again.repeat_of_id == first.pk
    assert repeats.REPEAT_SCORE <= again.repeat_score <= 1


def test_another_matter_is_not_flagged(station):
    submit(station, LAMP)
    assert flagged(submit(station, NOISE)).repeat_of_id is None


def test_the_intake_checks_after_it_commits(station, django_capture_on_commit_callbacks):
    first = submit(station, LAMP)
    with django_capture_on_commit_callbacks(execute=True):
        again = submit(station, LAMP_AGAIN, phone="13812345678")
    again.refresh_from_db()
    assert again.repeat_of_id == first.pk


def test_a_closed_opinion_is_not_repeated(station):
    first = submit(station, LAMP)
    CitizenOpinion.objects.filter(pk=first.pk).update(status="closed", feedback="已修复。", feedback_at=timezone.now())
    assert flagged(submit(station, LAMP_AGAIN)).repeat_of_id is None


def test_another_station_is_another_area(station):
    submit(StationFactory(congress=station.congress), LAMP)
    assert flagged(submit(station, LAMP_AGAIN)).repeat_of_id is None


def test_an_opinion_older_than_the_window_is_not_repeated(station):
    first = submit(station, LAMP)
    CitizenOpinion.objects.filter(pk=first.pk).update(
        received_at=timezone.now() - timedelta(days=repeats.REPEAT_DAYS + 1)
    )
    assert flagged(submit(station, LAMP_AGAIN)).repeat_of_id is None


def test_flagging_twice_gives_the_same_answer(station):
    first = submit(station, LAMP)
    again = submit(station, LAMP_AGAIN)
    repeats.flag(again.pk)
    assert flagged(again).repeat_of_id == first.pk


def test_the_manager_sees_the_flag_on_the_page_and_in_the_ledger(client, station, manager):
    first = submit(station, LAMP)
    again = flagged(submit(station, LAMP_AGAIN, phone="13812345678"))
    client.force_login(manager)
    page = client.get(reverse("liaison_stations:opinion", args=[again.pk])).content.decode()
    assert "重复反映同一地区仍在办理的意见" in page
    assert reverse("liaison_stations:opinion", args=[first.pk]) in page
    ledger = client.get(reverse("liaison_stations:ledger")).content.decode()
    assert "重复" in ledger
