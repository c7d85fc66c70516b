"""Staff may receive their second factor as a code by text message instead of an authenticator app: a phone is
enrolled by a texted code, then each sign-in asks for one. Codes have 6 digits, last 5 minutes, work once, die
after 5 wrong tries, may be re-sent after a minute and 5 times an hour, and are kept only as keyed hashes."""

import re
from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from congress import twofactor, twofactor_sms
from congress.models import SmsAuthenticator, SmsMessage
from congress.notifications import LocmemSmsBackend
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Renda@2026-ok"
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def required(settings):
    settings.STAFF_TWO_FACTOR = True


@pytest.fixture
def staff(tianhe):
    return factories.staff_of(tianhe, username="linxd", password=PASSWORD)


@pytest.fixture
def texted(django_capture_on_commit_callbacks):
    """POST as a client, then send the texts the request stored (they leave the outbox once it commits)."""

    def run(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return run


def last_code(phone=PHONE) -> str:
    sent_to, text = LocmemSmsBackend.outbox[-1]
    assert sent_to == phone
    return re.search(r"(?<!\d)\d{6}(?!\d)", text).group(0)


def log_in(client, user, password=PASSWORD):
    return client.post("/accounts/login/", {"username": user.username, "password": password}, follow=True)


def enrol(client, texted, phone=PHONE) -> SmsAuthenticator:
    """Name the phone; returns its (unconfirmed) device, whose code is the last text."""
    response = texted(client, reverse("two_factor_sms_setup"), {"phone": phone})
    assert response.status_code == 302, response.content.decode()[:2000]
    return SmsAuthenticator.objects.filter(confirmed=False).latest("pk")


def enrolled_phone(user, phone=PHONE) -> SmsAuthenticator:
    return SmsAuthenticator.objects.create(user=user, name="sms", phone=phone, confirmed=True)


def send_sign_in_code(client, texted):
    return texted(client, reverse("two_factor_sms_verify"), {"send": "1"})


def test_the_enrolment_page_offers_codes_by_text_message(client, staff):
    response = log_in(client, staff)
    assert reverse("two_factor_sms_setup") in response.content.decode()


def test_naming_a_phone_texts_it_a_six_digit_code_and_asks_for_it(client, staff, texted):
    log_in(client, staff)
    response = texted(client, reverse("two_factor_sms_setup"), {"phone": PHONE})
    device = SmsAuthenticator.objects.get(user=staff)
    assert response.url.startswith(reverse("two_factor_sms_confirm", args=[device.pk]))
    assert not device.confirmed
    assert len(LocmemSmsBackend.outbox) == 1
    assert re.fullmatch(r"\d{6}", last_code())


def test_the_right_code_enrols_the_phone_opens_the_pages_and_is_audited(client, staff, texted):
    log_in(client, staff)
    device = enrol(client, texted)
    response = client.post(
        reverse("two_factor_sms_confirm", args=[device.pk]), {"code": last_code(), "next": "/console/"}
    )
    assert response.url == "/console/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/console/").status_code == 200
    entry = LogEntry.objects.get_for_object(staff).get(additional_data__action="two_factor.sms_enrolled")
    assert entry.actor == staff
    assert PHONE not in str(entry.additional_data)  # the audit names the phone masked


def test_a_wrong_code_leaves_the_phone_unconfirmed(client, staff, texted):
    log_in(client, staff)
    device = enrol(client, texted)
    wrong = f"{(int(last_code()) + 1) % 10**6:06d}"
    response = client.post(reverse("two_factor_sms_confirm", args=[device.pk]), {"code": wrong})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("home")).status_code == 302


def test_a_number_that_is_not_a_mainland_mobile_is_refused(client, staff):
    log_in(client, staff)
    response = client.post(reverse("two_factor_sms_setup"), {"phone": "02012345678"})
    assert response.status_code == 200
    assert not SmsAuthenticator.objects.exists()


def test_the_code_is_kept_only_as_a_keyed_hash(client, staff, texted):
    log_in(client, staff)
    device = enrol(client, texted)
    code = last_code()
    device.refresh_from_db()
    assert device.code_hash and code not in device.code_hash
    stored = SmsMessage.objects.get(kind="two_factor_code")
    assert stored.payload == ""  # emptied once sent


def test_the_code_expires_after_five_minutes(client, staff, texted):
    log_in(client, staff)
    device = enrol(client, texted)
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        response = client.post(reverse("two_factor_sms_confirm", args=[device.pk]), {"code": last_code()})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed


def test_the_code_still_works_just_before_five_minutes(client, staff, texted):
    log_in(client, staff)
    device = enrol(client, texted)
    with time_machine.travel(timezone.now() + timedelta(minutes=4, seconds=50)):
        response = client.post(reverse("two_factor_sms_confirm", args=[device.pk]), {"code": last_code()})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_a_text_still_waiting_after_five_minutes_is_not_sent_late(client, staff, django_capture_on_commit_callbacks):
    log_in(client, staff)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("two_factor_sms_setup"), {"phone": PHONE})
    from congress import sms

    message = SmsMessage.objects.get(kind="two_factor_code")
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        assert sms.deliver(message.pk) == "expired"
    assert LocmemSmsBackend.outbox == []


def test_after_five_wrong_codes_even_the_right_one_is_refused(client, staff, texted):
    log_in(client, staff)
    device = enrol(client, texted)
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        client.post(reverse("two_factor_sms_confirm", args=[device.pk]), {"code": wrong})
    response = client.post(reverse("two_factor_sms_confirm", args=[device.pk]), {"code": code})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed


def test_four_wrong_codes_still_let_the_right_one_through(client, staff, texted):
    log_in(client, staff)
    device = enrol(client, texted)
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        client.post(reverse("two_factor_sms_confirm", args=[device.pk]), {"code": wrong})
    assert client.post(reverse("two_factor_sms_confirm", args=[device.pk]), {"code": code}).status_code == 302


def test_a_new_code_waits_a_minute_after_the_last(client, staff, texted):
    log_in(client, staff)
    device = enrol(client, texted)
    url = reverse("two_factor_sms_confirm", args=[device.pk])
    with time_machine.travel(timezone.now() + timedelta(seconds=50)):
        texted(client, url, {"resend": "1"})
    assert len(LocmemSmsBackend.outbox) == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        texted(client, url, {"resend": "1"})
    assert len(LocmemSmsBackend.outbox) == 2


def test_a_new_code_replaces_the_old_one(client, staff, texted):
    log_in(client, staff)
    device = enrol(client, texted)
    first = last_code()
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        texted(client, reverse("two_factor_sms_confirm", args=[device.pk]), {"resend": "1"})
        second = last_code()
        if first != second:
            response = client.post(reverse("two_factor_sms_confirm", args=[device.pk]), {"code": first})
            assert response.status_code == 200
        assert client.post(reverse("two_factor_sms_confirm", args=[device.pk]), {"code": second}).status_code == 302


def test_at_most_five_codes_are_sent_in_an_hour(client, staff, texted, django_capture_on_commit_callbacks):
    log_in(client, staff)
    device = enrol(client, texted)
    start = timezone.now()
    for minute in range(2, 14, 2):  # six more asks, two minutes apart: the fifth and sixth in the hour are refused
        with time_machine.travel(start + timedelta(minutes=minute)):
            texted(client, reverse("two_factor_sms_confirm", args=[device.pk]), {"resend": "1"})
    assert len(LocmemSmsBackend.outbox) == 5
    with (
        time_machine.travel(start + timedelta(minutes=60, seconds=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert twofactor_sms.send_code(user=staff, device_id=device.pk) == ""  # the session has idled out by then
    assert len(LocmemSmsBackend.outbox) == 6


def test_with_a_phone_the_sign_in_offers_a_texted_code(client, staff):
    enrolled_phone(staff)
    response = log_in(client, staff)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_verify"))
    page = response.content.decode()
    assert reverse("two_factor_sms_verify") in page
    assert "139****5678" in page and PHONE not in page


def test_a_texted_code_finishes_signing_in(client, staff, texted):
    device = enrolled_phone(staff)
    log_in(client, staff)
    send_sign_in_code(client, texted)
    response = client.post(reverse("two_factor_sms_verify"), {"code": last_code(), "next": "/console/"})
    assert response.url == "/console/"
    assert client.get("/console/").status_code == 200
    device.refresh_from_db()
    assert device.last_used_at is not None


def test_a_texted_code_works_once(client, staff, texted):
    enrolled_phone(staff)
    log_in(client, staff)
    send_sign_in_code(client, texted)
    code = last_code()
    client.post(reverse("two_factor_sms_verify"), {"code": code})
    client.post(reverse("logout"))
    log_in(client, staff)
    response = client.post(reverse("two_factor_sms_verify"), {"code": code})
    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_without_asking_no_code_is_sent_and_none_is_accepted(client, staff):
    enrolled_phone(staff)
    log_in(client, staff)
    assert client.get(reverse("two_factor_sms_verify")).status_code == 200
    assert LocmemSmsBackend.outbox == []
    assert client.post(reverse("two_factor_sms_verify"), {"code": "123456"}).status_code == 200


def test_backup_codes_sign_in_someone_whose_second_factor_is_a_phone(client, staff):
    enrolled_phone(staff)
    codes = twofactor.issue_backup_codes(actor=staff, user=staff)
    log_in(client, staff)
    response = client.post(reverse("two_factor_verify"), {"backup_code": codes[0], "next": "/console/"})
    assert response.url == "/console/"


def test_another_users_enrolment_is_refused(client, staff, tianhe, texted):
    colleague = factories.staff_of(tianhe, username="colleague", password=PASSWORD)
    log_in(client, colleague)
    theirs = texted(client, reverse("two_factor_sms_setup"), {"phone": "13900000000"})
    assert theirs.status_code == 302
    device = SmsAuthenticator.objects.get(user=colleague)
    code = last_code("13900000000")
    client.post(reverse("logout"))
    log_in(client, staff)
    url = reverse("two_factor_sms_confirm", args=[device.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"code": code}).status_code == 404
    assert client.post(url, {"resend": "1"}).status_code == 404
    device.refresh_from_db()
    assert not device.confirmed


def test_another_users_phone_cannot_be_removed(client, staff, tianhe, texted):
    theirs = enrolled_phone(factories.staff_of(tianhe), phone="13900000000")
    enrolled_phone(staff)
    log_in(client, staff)
    send_sign_in_code(client, texted)
    client.post(reverse("two_factor_sms_verify"), {"code": last_code()})
    response = client.post(reverse("two_factor_sms_remove", args=[theirs.pk]))
    assert response.status_code == 404
    assert SmsAuthenticator.objects.filter(pk=theirs.pk).exists()


def test_a_password_alone_cannot_put_a_phone_on_an_account_with_an_authenticator(client, staff, texted):
    TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)
    log_in(client, staff)
    response = texted(client, reverse("two_factor_sms_setup"), {"phone": PHONE})
    assert response.url.startswith(reverse("two_factor_verify"))
    assert not SmsAuthenticator.objects.exists()
    assert LocmemSmsBackend.outbox == []


def test_with_debug_off_and_no_delivering_backend_sms_is_not_offered(client, staff, settings):
    settings.DEBUG = False
    settings.SMS_BACKEND = "congress.notifications.ConsoleSmsBackend"
    response = log_in(client, staff)
    assert reverse("two_factor_sms_setup") not in response.content.decode()
    refused = client.post(reverse("two_factor_sms_setup"), {"phone": PHONE})
    assert refused.url.startswith(reverse("two_factor_verify"))
    assert not SmsAuthenticator.objects.exists()


def test_with_debug_off_and_no_backend_a_phone_is_not_texted_at_sign_in(client, staff, settings):
    enrolled_phone(staff)
    settings.DEBUG = False
    settings.SMS_BACKEND = ""
    response = log_in(client, staff)
    assert reverse("two_factor_sms_verify") not in response.content.decode()
    assert client.post(reverse("two_factor_sms_verify"), {"send": "1"}).status_code == 302
    assert not SmsMessage.objects.exists()


def test_removing_the_phone_is_audited(client, staff, texted):
    device = enrolled_phone(staff)
    StaticDevice.objects.create(user=staff, name="backup codes", confirmed=True)
    log_in(client, staff)
    send_sign_in_code(client, texted)
    client.post(reverse("two_factor_sms_verify"), {"code": last_code()})
    response = client.post(reverse("two_factor_sms_remove", args=[device.pk]))
    assert response.url == reverse("home")
    assert not SmsAuthenticator.objects.filter(user=staff).exists()
    entry = LogEntry.objects.get_for_object(staff).get(additional_data__action="two_factor.sms_removed")
    assert entry.actor == staff


def test_resetting_removes_the_phone_too(staff):
    enrolled_phone(staff)
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    assert twofactor.reset(actor=admin, user=staff) == 1
    assert not SmsAuthenticator.objects.filter(user=staff).exists()


def test_the_text_is_in_chinese(client, staff, texted):
    log_in(client, staff)
    enrol(client, texted)
    assert "验证码" in LocmemSmsBackend.outbox[-1][1]


def signed_in_by_text(client, user, texted):
    enrolled_phone(user, phone=PHONE)
    log_in(client, user)
    send_sign_in_code(client, texted)
    client.post(reverse("two_factor_sms_verify"), {"code": last_code()})


def test_staff_reset_a_colleagues_phone_through_the_console_and_see_it_masked(client, staff, tianhe, texted):
    colleague = factories.staff_of(tianhe)
    theirs = enrolled_phone(colleague, phone="13700001234")
    signed_in_by_text(client, staff, texted)
    page = client.get(reverse("admin:congress_smsauthenticator_changelist")).content.decode()
    assert "137****1234" in page and "13700001234" not in page
    response = client.post(
        reverse("admin:congress_smsauthenticator_changelist"),
        {"action": "reset_two_factor", "_selected_action": [theirs.pk]},
    )
    assert response.status_code == 302
    assert not SmsAuthenticator.objects.filter(user=colleague).exists()
    assert LogEntry.objects.get_for_object(colleague).filter(additional_data__action="two_factor.reset").exists()
