"""Staff sign in with a password and a code from an authenticator app (TOTP, django-otp); nobody else is asked."""

import re
from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from congress import services, twofactor
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Renda@2026-ok"


@pytest.fixture(autouse=True)
def required(settings):
    settings.STAFF_TWO_FACTOR = True


@pytest.fixture
def staff(tianhe):
    return factories.staff_of(tianhe, username="linxd", password=PASSWORD)


def code(device) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def log_in(client, user, password=PASSWORD):
    return client.post("/accounts/login/", {"username": user.username, "password": password}, follow=True)


def test_staff_without_an_authenticator_is_sent_to_enrol_one_after_the_password(client, staff):
    response = log_in(client, staff)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_setup"))
    page = response.content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert twofactor.secret_text(device.bin_key) in page


def test_the_right_code_confirms_the_authenticator_opens_the_pages_and_is_audited(client, staff):
    log_in(client, staff)
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(reverse("two_factor_setup"), {"code": code(device), "next": "/console/"})
    assert response.status_code == 302
    assert response.url == "/console/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/console/").status_code == 200
    assert LogEntry.objects.get_for_object(staff).filter(additional_data__action="two_factor.enrolled").exists()


def test_a_wrong_code_leaves_the_authenticator_unconfirmed(client, staff):
    log_in(client, staff)
    response = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert client.get(reverse("home")).status_code == 302


def test_reloading_the_enrolment_page_keeps_the_key_already_scanned(client, staff):
    log_in(client, staff)
    first = re.search(r'data-testid="totp-secret">([^<]+)<', client.get(reverse("two_factor_setup")).content.decode())
    again = re.search(r'data-testid="totp-secret">([^<]+)<', client.get(reverse("two_factor_setup")).content.decode())
    assert first.group(1) == again.group(1)
    assert TOTPDevice.objects.filter(user=staff).count() == 1


@pytest.mark.parametrize("path", ["/", "/console/", "/notifications/", "/suggestions/review/"])
def test_with_an_authenticator_every_page_waits_for_the_code(client, staff, path):
    enrolled(staff)
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == reverse("two_factor_verify") + "?next=" + path.replace("/", "%2F")


def test_the_current_code_finishes_signing_in_and_returns_to_the_page(client, staff):
    device = enrolled(staff)
    client.force_login(staff)
    response = client.post(reverse("two_factor_verify"), {"code": code(device), "next": "/console/"})
    assert response.url == "/console/"
    assert client.get("/console/").status_code == 200


def test_a_wrong_code_is_refused(client, staff):
    enrolled(staff)
    client.force_login(staff)
    response = client.post(reverse("two_factor_verify"), {"code": "000000", "next": "/console/"})
    assert response.status_code == 200
    assert client.get("/console/").status_code == 302


def test_after_a_wrong_code_even_the_right_one_waits(client, staff):
    device = enrolled(staff)
    client.force_login(staff)
    with time_machine.travel("2026-03-02 09:00:00 +0800", tick=False):
        client.post(reverse("two_factor_verify"), {"code": "000000"})
        refused = client.post(reverse("two_factor_verify"), {"code": code(device)})
        assert refused.status_code == 200
    with time_machine.travel("2026-03-02 09:00:05 +0800", tick=False):
        assert client.post(reverse("two_factor_verify"), {"code": code(device)}).status_code == 302


def test_a_verify_page_next_address_elsewhere_is_not_followed(client, staff):
    device = enrolled(staff)
    client.force_login(staff)
    response = client.post(reverse("two_factor_verify"), {"code": code(device), "next": "https://evil.example/"})
    assert response.url == reverse("home")


def test_api_calls_with_the_session_are_refused_until_the_code(client, staff):
    enrolled(staff)
    client.force_login(staff)
    response = client.get("/api/v1/regions/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "two_factor_required"


def test_integration_clients_with_a_token_are_not_asked(client, tianhe):
    _client, token = services.create_api_client(
        actor=None, name="省平台", congress=tianhe, scopes=["reference:read"], owner=factories.UserFactory()
    )
    assert client.get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_deputies_and_unit_officers_are_not_asked(client, tianhe):
    deputy = factories.deputy_of(tianhe, password=PASSWORD)
    officer = factories.officer_of(factories.OrganisationFactory(region=tianhe.region), password=PASSWORD)
    for user in (deputy, officer):
        assert log_in(client, user).redirect_chain[-1][0] == reverse("home")
        client.logout()


def test_console_users_without_a_staff_role_are_asked_too(client):
    admin = factories.UserFactory(is_staff=True, is_superuser=True, password=PASSWORD)
    assert log_in(client, admin).redirect_chain[-1][0].startswith(reverse("two_factor_setup"))


def test_logging_out_stays_possible_before_the_code(client, staff):
    enrolled(staff)
    client.force_login(staff)
    assert client.post(reverse("logout")).url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_resetting_removes_the_authenticator_is_audited_and_the_next_visit_enrols_again(client, staff):
    device = enrolled(staff)
    client.force_login(staff)
    client.post(reverse("two_factor_verify"), {"code": code(device)})
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    twofactor.reset(actor=admin, user=staff)
    assert not TOTPDevice.objects.filter(user=staff).exists()
    entry = LogEntry.objects.get_for_object(staff).get(additional_data__action="two_factor.reset")
    assert entry.actor == admin
    assert client.get("/console/").url.startswith(reverse("two_factor_setup"))


def test_staff_reset_a_colleague_through_the_console_action(client, staff, tianhe):
    colleague = factories.staff_of(tianhe)
    device = enrolled(colleague)
    verified_console(client, staff)
    response = client.post(
        reverse("admin:congress_authenticator_changelist"),
        {"action": "reset_two_factor", "_selected_action": [device.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()


def test_staff_reach_only_users_whose_roles_all_lie_in_their_region(tianhe, nanshan):
    province = factories.CongressFactory(region=factories.province())
    county_staff = factories.staff_of(tianhe)
    colleague = factories.staff_of(tianhe)
    other_county = factories.staff_of(nanshan)
    provincial = factories.staff_of(province)
    admin = factories.UserFactory(is_superuser=True)
    assert set(twofactor.resettable_users(county_staff)) == {county_staff, colleague}
    assert set(twofactor.resettable_users(provincial)) == {county_staff, colleague, other_county, provincial}
    assert admin not in set(twofactor.resettable_users(provincial))


def test_the_authenticators_page_shows_no_secret_key(client, staff):
    device = enrolled(staff)
    verified_console(client, staff)
    page = client.get(reverse("admin:congress_authenticator_change", args=[device.pk])).content.decode()
    assert device.key not in page
    assert twofactor.secret_text(device.bin_key) not in page


def test_switched_off_staff_sign_in_with_the_password_alone(client, staff, settings):
    settings.STAFF_TWO_FACTOR = False
    enrolled(staff)
    assert log_in(client, staff).redirect_chain[-1][0] == reverse("home")


def verified_console(client, user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrolled(user)
    client.force_login(user)
    client.post(reverse("two_factor_verify"), {"code": code(device)})


@pytest.mark.parametrize("role", ["station_manager", "supervisor"])
def test_station_managers_and_supervisors_who_see_phones_unmasked_are_asked_too(client, tianhe, role):
    from congress.models import RoleMembership

    user = factories.UserFactory(password=PASSWORD)
    RoleMembership.objects.create(user=user, role=role, congress=tianhe)
    assert log_in(client, user).redirect_chain[-1][0].startswith(reverse("two_factor_setup"))


def test_backup_codes_are_shown_once_and_kept_only_as_keyed_hashes(client, staff):
    from django_otp.plugins.otp_static.models import StaticToken

    verified_console(client, staff)
    page = client.post(reverse("two_factor_backup")).content.decode()
    codes = re.findall(r"<code>([a-z2-7]{4} [a-z2-7]{4})</code>", page)
    assert len(codes) == twofactor.BACKUP_COUNT == len(set(codes))
    stored = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {code.replace(" ", "") for code in codes}
    again = client.get(reverse("two_factor_backup")).content.decode()
    assert not any(code in again for code in codes)
    assert LogEntry.objects.get_for_object(staff).filter(additional_data__action="two_factor.backup_codes_issued")


def test_a_backup_code_signs_in_once(client, staff):
    enrolled(staff)
    [first, second, *_rest] = twofactor.issue_backup_codes(actor=staff, user=staff)
    log_in(client, staff)
    response = client.post(reverse("two_factor_verify"), {"backup_code": first.upper(), "next": "/console/"})
    assert (response.status_code, response.url) == (302, "/console/")
    assert client.get("/console/").status_code == 200
    assert twofactor.backup_codes_left(staff) == 9
    client.logout()
    log_in(client, staff)
    refused = client.post(reverse("two_factor_verify"), {"backup_code": first})
    assert refused.status_code == 200 and refused.context["backup_form"].errors
    assert client.get("/console/").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):  # a wrong code slows the next try down
        assert client.post(reverse("two_factor_verify"), {"backup_code": second}).status_code == 302


def test_wrong_backup_codes_slow_the_next_tries_down(client, staff):
    enrolled(staff)
    [code, *_rest] = twofactor.issue_backup_codes(actor=staff, user=staff)
    log_in(client, staff)
    client.post(reverse("two_factor_verify"), {"backup_code": "aaaa aaaa"})
    waiting = client.post(reverse("two_factor_verify"), {"backup_code": code})
    assert waiting.status_code == 200
    assert "一分钟" in str(waiting.context["backup_form"].errors["backup_code"][0])  # wait a minute


def test_new_backup_codes_replace_the_old_ones(client, staff):
    enrolled(staff)
    old = twofactor.issue_backup_codes(actor=staff, user=staff)
    twofactor.issue_backup_codes(actor=staff, user=staff)
    log_in(client, staff)
    assert client.post(reverse("two_factor_verify"), {"backup_code": old[0]}).status_code == 200
    assert client.get("/console/").status_code == 302


def test_resetting_removes_the_backup_codes_too(staff):
    enrolled(staff)
    twofactor.issue_backup_codes(actor=staff, user=staff)
    twofactor.reset(actor=factories.UserFactory(is_superuser=True), user=staff)
    assert twofactor.backup_codes_left(staff) == 0


def test_the_landing_page_offers_backup_codes_to_those_who_sign_in_with_a_code(client, staff):
    verified_console(client, staff)
    assert reverse("two_factor_backup") in client.get(reverse("home")).content.decode()
