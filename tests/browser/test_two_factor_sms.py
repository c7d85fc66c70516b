"""A staff member without an authenticator app enrols their phone for sign-in codes by text message, then signs in
with a texted code, and later stops the texts. The codes are read where the test SMS backend keeps them."""

import re

import pytest
from django.urls import reverse

from congress.models import SmsAuthenticator
from congress.notifications import LocmemSmsBackend
from tests import factories

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = "13912345678"


def texted_code() -> str:
    phone, text = LocmemSmsBackend.outbox[-1]
    assert phone == PHONE
    return re.search(r"(?<!\d)\d{6}(?!\d)", text).group(0)


def type_code(page, code):
    page.locator("#id_code").fill(code)
    press(page, page.locator("form:has(#id_code) button[type=submit]"))


@pytest.mark.form_view(
    "login", "two_factor_sms_setup", "two_factor_sms_confirm", "two_factor_verify", "two_factor_sms_verify",
    "two_factor_sms_remove", "logout",
)  # fmt: skip
def test_staff_enrol_a_phone_then_sign_in_with_a_texted_code(live_server, desk, settings):
    settings.STAFF_TWO_FACTOR = True
    staff = factories.staff_of(factories.CongressFactory())

    log_in(desk, live_server, staff)
    assert desk.url.startswith(live_server.url + reverse("two_factor_setup"))
    desk.locator(f"main a[href^='{reverse('two_factor_sms_setup')}']").click()
    desk.wait_for_load_state()
    desk.locator("#id_phone").fill(PHONE)
    press(desk, desk.locator("form:has(#id_phone) button[type=submit]"))
    device = SmsAuthenticator.objects.get(user=staff)
    assert desk.url.startswith(live_server.url + reverse("two_factor_sms_confirm", args=[device.pk]))
    assert "139****5678" in desk.locator("main").inner_text()
    type_code(desk, texted_code())
    assert desk.url == live_server.url + reverse("home")
    assert SmsAuthenticator.objects.get(user=staff).confirmed
    press(desk, desk.locator("#logout-form button, form[action$='/logout/'] button").first)

    log_in(desk, live_server, staff)
    assert desk.url.startswith(live_server.url + reverse("two_factor_verify"))
    press(desk, desk.locator(f"form[action='{reverse('two_factor_sms_verify')}'] button[name=send]"))
    assert desk.url.startswith(live_server.url + reverse("two_factor_sms_verify"))
    type_code(desk, texted_code())
    assert desk.url == live_server.url + reverse("home")
    desk.goto(live_server.url + "/console/")
    assert desk.url == live_server.url + "/console/"

    desk.goto(live_server.url + reverse("two_factor_backup"))
    press(desk, desk.get_by_test_id("remove-sms-phone"))
    # Without an authenticator app, the account has no second factor left: it is asked to enrol one at once.
    assert desk.url.startswith(live_server.url + reverse("two_factor_setup"))
    assert not SmsAuthenticator.objects.filter(user=staff).exists()
