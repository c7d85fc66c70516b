"""The station forms people fill on a phone: a citizen who scanned a deputy's QR code leaves that deputy an
opinion, and a deputy records an opinion heard at their station from their own page."""

import pytest
from django.urls import reverse

from liaison_stations.models import CitizenOpinion, DeputyQrCode
from tests.liaison_stations.factories import StationFactory, stationed_deputy

from .conftest import log_in, press
from .test_public_opinion import answer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("liaison_stations:deputy_page")
def test_a_citizen_leaves_an_opinion_on_a_deputys_qr_page(live_server, phone):
    mandate, _user = stationed_deputy(StationFactory(), person__name="陈晓")
    qr = DeputyQrCode.objects.create(mandate=mandate)

    phone.goto(live_server.url + reverse("liaison_stations:deputy_page", args=[qr.token]))
    assert "陈晓" in phone.locator("main").inner_text()
    phone.get_by_label("手机号码").fill("13912345678")
    phone.get_by_label("类别").select_option(index=2)
    phone.get_by_label("您的意见").fill("小区门口的公交站台太窄，早高峰候车很拥挤。")
    question = phone.locator("label[for='id_answer']").inner_text()
    phone.get_by_label(question).fill(answer(question))
    press(phone, phone.get_by_role("button", name="提交"))

    code = phone.locator("p.code").inner_text().strip()
    opinion = CitizenOpinion.objects.get(tracking_code=code)
    assert (opinion.addressed_to, opinion.phone, opinion.channel) == (mandate, "13912345678", "deputy_page")


@pytest.mark.form_view("liaison_stations:record_opinion")
def test_a_deputy_records_an_opinion_heard_at_their_station_on_a_phone(live_server, phone):
    station = StationFactory(name="天河区五山街道人大代表联络站")
    _mandate, user = stationed_deputy(station)

    log_in(phone, live_server, user)
    phone.goto(live_server.url + reverse("liaison_stations:mine"))
    phone.get_by_role("link", name="记录在此听取的群众意见").click()
    phone.get_by_label("手机号码").fill("13912345678")
    phone.get_by_label("类别").select_option(index=1)
    phone.get_by_label("您的意见").fill("希望在五山街道增设一处长者食堂。")
    press(phone, phone.get_by_role("button", name="记录", exact=True))
    opinion = CitizenOpinion.objects.get()
    assert opinion.tracking_code in phone.locator(".messages").inner_text()
    assert phone.url == live_server.url + reverse("liaison_stations:mine")  # their page, not a station's opinion
    assert (opinion.station, opinion.content) == (station, "希望在五山街道增设一处长者食堂。")


@pytest.mark.form_view("liaison_stations:public_opinion")
def test_a_mistyped_phone_is_refused_beside_it_in_plain_chinese_and_the_opinion_kept(live_server, phone):
    station = StationFactory()
    phone.goto(live_server.url + reverse("liaison_stations:public_opinion", args=[station.slug]))
    assert phone.get_by_label("手机号码").get_attribute("type") == "tel"
    phone.get_by_label("手机号码").fill("1391234")
    phone.get_by_label("类别").select_option(index=1)
    phone.get_by_label("您的意见").fill("公园的健身器材坏了。")
    question = phone.locator("label[for='id_answer']").inner_text()
    phone.get_by_label(question).fill(answer(question))
    press(phone, phone.get_by_role("button", name="提交"))

    error = phone.locator(".errorlist", has_text="手机").first.inner_text()
    assert "该变量" not in error and "11" in error, error
    assert phone.get_by_label("您的意见").input_value() == "公园的健身器材坏了。"
    assert not CitizenOpinion.objects.exists()


def _png() -> bytes:
    """A one-pixel PNG, as a phone's camera would hand over a (much larger) photo."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.mark.form_view("liaison_stations:public_opinion")
def test_a_citizen_attaches_a_photo_to_an_opinion_on_a_phone(live_server, phone):
    station = StationFactory()
    phone.goto(live_server.url + reverse("liaison_stations:public_opinion", args=[station.slug]))
    phone.get_by_label("手机号码").fill("13912345678")
    phone.get_by_label("类别").select_option(index=1)
    phone.get_by_label("您的意见").fill("人行道地砖松动，照片见附件。")
    phone.get_by_label("照片或文件（选填）").set_input_files(
        {"name": "地砖.png", "mimeType": "image/png", "buffer": _png()}
    )
    question = phone.locator("label[for='id_answer']").inner_text()
    phone.get_by_label(question).fill(answer(question))
    press(phone, phone.get_by_role("button", name="提交"))

    code = phone.locator("p.code").inner_text().strip()
    opinion = CitizenOpinion.objects.get(tracking_code=code)
    assert opinion.attachments.get().original_name == "地砖.png"
