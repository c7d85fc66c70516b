import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison_stations import services
from liaison_stations.models import CitizenOpinion, Visit

from .factories import stationed_deputy

pytestmark = pytest.mark.django_db


def opinion_for(station, phone="13912345678"):
    return services.submit_opinion(station=station, phone=phone, category="urban", content="路灯坏了。")


def test_deputy_checks_in_from_the_station_qr_code(client, station):
    mandate, user = stationed_deputy(station)
    client.force_login(user)
    url = reverse("liaison_stations:check_in", args=[station.slug])
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"mandate": mandate.pk, "station": station.pk, "activity": "reception",
                                 "visited_at": when, "citizens_received": 3, "topics": "养老",
                                 "submission_key": "k"})  # fmt: skip
    assert response.status_code == 302
    assert Visit.objects.get().channel == "qr"


def test_qr_check_in_asks_an_anonymous_visitor_to_log_in(client, station):
    response = client.get(reverse("liaison_stations:check_in", args=[station.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_manager_routes_and_closes_an_opinion_on_its_page(client, station, manager):
    opinion = opinion_for(station)
    client.force_login(manager)
    url = reverse("liaison_stations:opinion", args=[opinion.pk])
    client.post(url, {"action": "triage", "route": "answered", "answer": "已解答政策。"})
    client.post(url, {"action": "feedback", "feedback": "已电话告知。"})
    assert CitizenOpinion.objects.get().status == "closed"


def test_closing_too_early_shows_the_reason_on_the_page(client, station, manager):
    opinion = opinion_for(station)
    client.force_login(manager)
    url = reverse("liaison_stations:opinion", args=[opinion.pk])
    response = client.post(url, {"action": "feedback", "feedback": "已告知"})
    assert response.status_code == 200
    assert CitizenOpinion.objects.get().status == "received"


def test_unit_officer_replies_from_the_portal(client, station, manager, unit, officer):
    opinion = opinion_for(station)
    services.triage(actor=manager, opinion_id=opinion.pk, route="referred", unit_id=unit.pk)
    client.force_login(officer)
    assert opinion.tracking_code in client.get(reverse("liaison_stations:referrals")).content.decode()
    client.post(reverse("liaison_stations:opinion", args=[opinion.pk]), {"action": "reply", "reply": "已整改。"})
    assert CitizenOpinion.objects.get().status == "unit_replied"


def test_opinion_page_is_not_found_for_an_outsider(client, station):
    from tests import factories

    opinion = opinion_for(station)
    client.force_login(factories.UserFactory())
    assert client.get(reverse("liaison_stations:opinion", args=[opinion.pk])).status_code == 404


def test_ledger_export_masks_phones_without_the_permission(client, station, staff):
    opinion_for(station)
    client.force_login(staff)
    response = client.get(reverse("liaison_stations:ledger_export"), {"status": "received"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][6] == "139****5678"


def test_ledger_filters_by_status(client, station, staff, manager):
    opinion_for(station)
    answered = opinion_for(station, phone="13912340000")
    services.triage(actor=manager, opinion_id=answered.pk, route="answered", answer="好")
    client.force_login(staff)
    page = client.get(reverse("liaison_stations:ledger"), {"status": "answered"}).content.decode()
    assert answered.tracking_code in page
    assert page.count("/stations/opinions/") == 1


def test_manager_plans_a_reception_on_the_desk(client, station, manager):
    mandate, _ = stationed_deputy(station)
    client.force_login(manager)
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(reverse("liaison_stations:desk", args=[station.pk]),
                           {"form": "reception", "date": day, "start_time": "09:00", "end_time": "12:00",
                            "topic": "教育", "deputies": [mandate.pk]})  # fmt: skip
    assert response.status_code == 302
    reception = station.receptions.get()
    client.post(reverse("liaison_stations:reception", args=[reception.pk]), {"action": "publish"})
    reception.refresh_from_db()
    assert reception.status == "published"


def test_deputy_sees_quota_progress_and_their_qr_page(client, station):
    mandate, user = stationed_deputy(station)
    client.force_login(user)
    page = client.get(reverse("liaison_stations:mine")).content.decode()
    assert "0</b> / 4" in page
    from liaison_stations.models import DeputyQrCode

    assert DeputyQrCode.objects.get(mandate=mandate).token in page


def test_coverage_page_stations_a_region(client, station, staff):
    from tests.deputies.factories import MandateFactory

    MandateFactory.create_batch(2, congress=station.congress)
    client.force_login(staff)
    client.post(reverse("liaison_stations:coverage"), {"station": station.pk, "region": station.region_code})
    assert station.stationings.count() == 2


# The public pages link to one another; QR codes are images


def test_station_directory_links_the_other_public_services(client, station):
    body = client.get(reverse("liaison_stations:directory")).content.decode()
    assert f'href="{reverse("suggestions:public")}"' in body
    assert f'href="{reverse("liaison_stations:track")}"' in body


def test_the_current_public_page_is_marked_in_the_links(client, station):
    body = client.get(reverse("liaison_stations:track")).content.decode()
    assert f'href="{reverse("liaison_stations:track")}" aria-current="page"' in body


def test_station_qr_code_is_a_standalone_svg_image(client, station):
    response = client.get(reverse("liaison_stations:qr", args=["station", station.slug]))
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.content


def test_manager_records_the_citizens_choice_of_an_sms(client, station, manager):
    client.force_login(manager)
    url = reverse("liaison_stations:record_opinion", args=[station.pk])
    data = {"citizen_name": "林阿姨", "phone": "13912345678", "category": "urban", "content": "路灯坏了。",
            "sms_wanted": "on", "submission_key": "k-1"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    assert CitizenOpinion.objects.get().sms_wanted


def test_the_tracking_link_from_the_thanks_page_fills_the_code_without_errors(client, station):
    opinion = opinion_for(station)
    page = client.get(reverse("liaison_stations:track"), {"code": opinion.tracking_code}).content.decode()
    assert f'value="{opinion.tracking_code}"' in page
    assert "errorlist" not in page and "必填" not in page


def test_the_thanks_page_shows_the_code_the_form_gave_and_no_session_is_made(client, station):
    from django.conf import settings
    from django.core import signing

    from congress.abuse import SALT

    data = {"citizen_name": "林阿姨", "phone": "13912345678", "category": "urban", "content": "路灯坏了。",
            "challenge": signing.dumps(7, salt=SALT), "answer": "7", "website": "",
            "submission_key": "k-thanks"}  # fmt: skip
    response = client.post(reverse("liaison_stations:public_opinion", args=[station.slug]), data, follow=True)
    code = CitizenOpinion.objects.get().tracking_code
    assert code in response.content.decode()
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_the_thanks_page_does_not_show_a_code_it_did_not_sign(client, station):
    opinion = opinion_for(station)
    client.cookies["opinion_code"] = opinion.tracking_code
    response = client.get(reverse("liaison_stations:thanks"))
    assert response.status_code == 302 and response["Location"] == reverse("liaison_stations:track")
