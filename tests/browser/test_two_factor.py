"""A staff member's first sign-in: password, then the authenticator enrolled from the QR page, then the console;
next time the code alone after the password. Pages, QR code and console pass the Content-Security-Policy."""

import base64

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def current_code(secret_text: str) -> str:
    key = base64.b32decode(secret_text.replace(" ", ""))
    return f"{TOTP(key).token():06d}"


def type_code(page, code):
    page.locator("#id_code").fill(code)
    press(page, page.locator("form:has(#id_code) button[type=submit]"))


@pytest.mark.form_view("login", "two_factor_setup", "two_factor_verify", "logout")
def test_staff_enrol_an_authenticator_then_sign_in_with_its_code(live_server, desk, settings):
    settings.STAFF_TWO_FACTOR = True
    staff = factories.staff_of(factories.CongressFactory())

    log_in(desk, live_server, staff)
    assert desk.url.startswith(live_server.url + reverse("two_factor_setup"))
    assert desk.locator("figure.qr img").evaluate("img => img.complete && img.naturalWidth > 0")
    secret = desk.get_by_test_id("totp-secret").inner_text()
    type_code(desk, current_code(secret))
    assert desk.url == live_server.url + reverse("home")
    assert TOTPDevice.objects.get(user=staff).confirmed

    desk.goto(live_server.url + "/console/")
    assert desk.url == live_server.url + "/console/"
    press(desk, desk.locator("#logout-form button, form[action$='/logout/'] button").first)

    TOTPDevice.objects.filter(user=staff).update(last_t=-1)  # the same 30 seconds' code may be typed again
    log_in(desk, live_server, staff)
    assert desk.url.startswith(live_server.url + reverse("two_factor_verify"))
    type_code(desk, current_code(secret))
    assert desk.url == live_server.url + reverse("home")


@pytest.mark.form_view("two_factor_setup", "two_factor_backup", "two_factor_verify", "logout")
def test_a_station_manager_makes_backup_codes_then_signs_in_with_one(live_server, desk, settings):
    from congress.models import Role, RoleMembership

    settings.STAFF_TWO_FACTOR = True
    manager = factories.UserFactory(password="Passw0rd!x")
    RoleMembership.objects.create(user=manager, role=Role.STATION_MANAGER, congress=factories.CongressFactory())

    log_in(desk, live_server, manager)
    secret = desk.get_by_test_id("totp-secret").inner_text()
    type_code(desk, current_code(secret))
    desk.goto(live_server.url + reverse("two_factor_backup"))
    press(desk, desk.locator("main form button[type=submit]").first)
    codes = desk.get_by_test_id("backup-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    press(desk, desk.locator("#logout-form button, form[action$='/logout/'] button").first)

    log_in(desk, live_server, manager)
    assert desk.url.startswith(live_server.url + reverse("two_factor_verify"))
    desk.locator("details summary").click()
    desk.locator("#id_backup_code").fill(codes[0])
    press(desk, desk.locator("form:has(#id_backup_code) button[type=submit]"))
    assert desk.url == live_server.url + reverse("home")
