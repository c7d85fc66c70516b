import re

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress.abuse import SALT
from liaison_stations.models import CitizenOpinion, OpinionAttachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def form_data(client, url, **overrides):
    page = client.get(url)
    assert page.status_code == 200
    token = re.search(rb'name="challenge" value="([^"]+)"', page.content).group(1).decode()
    data = {
        "citizen_name": "陈女士", "phone": "13912345678", "category": "urban", "content": "路灯坏了。",
        "challenge": token, "answer": signing.loads(token, salt=SALT), "website": "",
        "submission_key": re.search(rb'name="submission_key" value="([^"]+)"', page.content).group(1).decode(),
    }  # fmt: skip
    data.update(overrides)
    return data


def test_citizen_leaves_an_opinion_and_sees_the_tracking_code(client, station):
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    response = client.post(url, form_data(client, url), follow=True)
    opinion = CitizenOpinion.objects.get()
    assert opinion.station == station
    assert opinion.tracking_code in response.content.decode()


def test_wrong_challenge_answer_is_refused(client, station):
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    response = client.post(url, form_data(client, url, answer=99))
    assert response.status_code == 200
    assert not CitizenOpinion.objects.exists()


def test_filled_honeypot_is_refused(client, station):
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    client.post(url, form_data(client, url, website="http://spam.example"))
    assert not CitizenOpinion.objects.exists()


def test_one_phone_is_limited_per_day(client, station, settings):
    settings.PUBLIC_RATE_PER_PHONE = "2/d"
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    statuses = [client.post(url, form_data(client, url, content=f"第{n}条")).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert CitizenOpinion.objects.count() == 2


def test_one_address_is_limited_per_hour(client, station, settings):
    settings.PUBLIC_RATE_PER_IP = "2/h"
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    phones = ["13900000001", "13900000002", "13900000003"]
    statuses = [client.post(url, form_data(client, url, phone=phone)).status_code for phone in phones]
    assert statuses == [302, 302, 429]


def test_double_submit_stores_one_opinion(client, station):
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    data = form_data(client, url)
    client.post(url, data)
    data["challenge"] = form_data(client, url)["challenge"]
    data["answer"] = signing.loads(data["challenge"], salt=SALT)
    client.post(url, data)
    assert CitizenOpinion.objects.count() == 1


def test_photo_is_attached(client, station):
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    data = form_data(client, url, files=SimpleUploadedFile("路灯.png", PNG, content_type="image/png"))
    client.post(url, data)
    assert OpinionAttachment.objects.get().content_type == "image/png"


def test_file_that_is_not_an_image_or_pdf_is_refused(client, station):
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not really a png", content_type="image/png")
    response = client.post(url, form_data(client, url, files=fake))
    assert response.status_code == 200
    assert not CitizenOpinion.objects.exists()


def test_oversized_file_is_refused(client, station):
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (5 * 1024 * 1024), content_type="image/png")
    client.post(url, form_data(client, url, files=big))
    assert not CitizenOpinion.objects.exists()


def test_attachment_is_served_only_to_who_may_see_the_opinion(client, station, manager):
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    client.post(url, form_data(client, url, files=SimpleUploadedFile("a.png", PNG, content_type="image/png")))
    attachment = OpinionAttachment.objects.get()
    link = reverse("liaison_stations:attachment", args=[attachment.pk])
    assert client.get(link).status_code == 302  # anonymous: to the login page
    client.force_login(manager)
    assert client.get(link).status_code == 200


def test_tracking_page_shows_the_status(client, station):
    from liaison_stations import services

    opinion = services.submit_opinion(station=station, phone="13912345678", category="urban", content="路灯坏了。")
    response = client.get(reverse("liaison_stations:track"), {"code": opinion.tracking_code, "phone_tail": "5678"})
    assert opinion.get_status_display() in response.content.decode()
    assert "路灯坏了" not in response.content.decode()


def test_station_page_shows_published_receptions_only(client, station, manager):
    from datetime import time, timedelta

    from django.utils import timezone

    from liaison_stations import services

    from .factories import stationed_deputy

    mandate, _ = stationed_deputy(station)
    day = timezone.localdate() + timedelta(days=6)
    shown = services.plan_reception(actor=manager, station_id=station.pk, day=day, start=time(9), end=time(12),
                                    topic="老旧小区改造", mandate_ids=[mandate.pk])  # fmt: skip
    services.publish_reception(actor=manager, reception_id=shown.pk)
    services.plan_reception(actor=manager, station_id=station.pk, day=day, start=time(14), end=time(16),
                            topic="尚未公布的主题", mandate_ids=[mandate.pk])  # fmt: skip
    page = client.get(reverse("liaison_stations:public_station", args=[station.slug])).content.decode()
    assert "老旧小区改造" in page
    assert "尚未公布的主题" not in page
    assert mandate.person.name in page


def test_directory_and_qr_code_need_no_login(client, station):
    assert client.get(reverse("liaison_stations:directory")).status_code == 200
    response = client.get(reverse("liaison_stations:qr", args=["station", station.slug]))
    assert response["Content-Type"] == "image/svg+xml"


def test_station_page_shows_its_honours_recorded_once(client, station):
    from datetime import date

    from liaison_stations import services
    from liaison_stations.models import StationHonour

    for _ in range(2):
        services.record_honour(station_id=station.pk, year=2023, title="2023年示范站评选（第3名）",
                               on=date(2023, 11, 6), source="cases:1:7")  # fmt: skip
    assert StationHonour.objects.filter(station=station).count() == 1
    page = client.get(reverse("liaison_stations:public_station", args=[station.slug])).content.decode()
    assert "2023年示范站评选（第3名）" in page


def test_citizen_asks_on_the_form_to_be_texted_about_the_suggestion(client, station):
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    page = client.get(url).content.decode()
    assert 'name="sms_wanted"' in page and "短信通知我" in page
    client.post(url, form_data(client, url, sms_wanted="on"))
    client.post(url, form_data(client, url, phone="13900000001"))
    assert dict(CitizenOpinion.objects.values_list("phone_tail", "sms_wanted")) == {"5678": True, "0001": False}


def test_without_an_sms_backend_the_citizen_is_not_offered_a_text(client, station, settings):
    # Issue 22: a live site without an SMS provider must not promise a text it cannot send.
    settings.SMS_BACKEND = ""
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    assert 'name="sms_wanted"' not in client.get(url).content.decode()
    client.post(url, form_data(client, url, sms_wanted="on"))
    assert list(CitizenOpinion.objects.values_list("sms_wanted", flat=True)) == [False]


# The directory's filter by region name


@pytest.fixture
def two_counties(db):
    from tests import factories
    from tests.liaison_stations.factories import StationFactory

    tianhe = StationFactory(congress=factories.CongressFactory(region=factories.county("440106", "天河区")))
    nanshan = StationFactory(congress=factories.CongressFactory(region=factories.county("440305", "南山区")))
    return tianhe, nanshan


def test_directory_filters_by_the_name_of_a_region(client, two_counties):
    _tianhe, nanshan = two_counties
    page = client.get(reverse("liaison_stations:directory"), {"region": "南山区"}).context["page"]
    assert list(page) == [nanshan]


def test_directory_offers_the_names_of_the_regions_that_hold_stations(client, two_counties):
    body = client.get(reverse("liaison_stations:directory")).content.decode()
    assert '<option value="南山区">' in body and '<option value="天河区">' in body


def test_an_unknown_region_name_is_told_plainly(client, two_counties):
    response = client.get(reverse("liaison_stations:directory"), {"region": "火星区"})
    assert "没有位于“火星区”的联络站" in response.content.decode()


def test_a_division_code_still_filters_the_directory(client, two_counties):
    tianhe, _nanshan = two_counties
    assert list(client.get(reverse("liaison_stations:directory"), {"region": "440106"}).context["page"]) == [tianhe]
