"""Issue 22: with DEBUG off, the SMS backends that only print or keep a text (console, locmem) are refused at
start-up and at send time, and no SMS backend at all is the default, so a live site never 'sends' a code that
reaches the page instead of a phone."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from congress import checks, notifications
from congress.models import Delivery
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT = ["congress.notifications.ConsoleSmsBackend", "congress.notifications.LocmemSmsBackend"]


@pytest.mark.parametrize("backend", DEVELOPMENT)
def test_a_development_sms_backend_is_a_start_up_error_without_debug(backend):
    with override_settings(DEBUG=False, SMS_BACKEND=backend):
        assert [error.id for error in checks.sms_backend_delivers()] == ["congress.E001"]


@pytest.mark.parametrize("backend", DEVELOPMENT)
def test_a_development_sms_backend_passes_under_debug(backend):
    with override_settings(DEBUG=True, SMS_BACKEND=backend):
        assert checks.sms_backend_delivers() == []


def test_no_sms_backend_and_a_delivering_one_pass_without_debug():
    with override_settings(DEBUG=False, SMS_BACKEND=""):
        assert checks.sms_backend_delivers() == []
    with override_settings(DEBUG=False, SMS_BACKEND="tests.sms.DeliveringSmsBackend"):
        assert checks.sms_backend_delivers() == []


def _production(**env):
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SMS_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    base.update(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="renda.example.org", **env)
    return base


def test_production_has_no_sms_backend_unless_one_is_named():
    code = "import django; django.setup(); from django.conf import settings; print(repr(settings.SMS_BACKEND))"
    env = _production(DJANGO_SETTINGS_MODULE="congress.settings")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "''", result.stderr


def test_manage_py_check_fails_with_the_console_backend_in_production():
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT,
                            env=_production(SMS_BACKEND=DEVELOPMENT[0]), capture_output=True, text=True)  # fmt: skip
    assert result.returncode != 0
    assert "congress.E001" in result.stderr


@pytest.mark.parametrize("backend", DEVELOPMENT)
def test_a_development_sms_backend_sends_nothing_without_debug(backend, capsys):
    with override_settings(DEBUG=False, SMS_BACKEND=backend):
        assert notifications.sms_available() is False
        with pytest.raises(notifications.SmsUnavailable):
            notifications.sms_backend().send("13800138000", "验证码 123456")
    assert "13800138000" not in capsys.readouterr().out
    assert notifications.LocmemSmsBackend.outbox == []


@pytest.mark.django_db
def test_an_sms_notification_without_a_backend_is_skipped_not_printed(capsys, django_capture_on_commit_callbacks):
    user = factories.UserFactory(phone="13800138000")
    with override_settings(DEBUG=False, SMS_BACKEND=DEVELOPMENT[0]), django_capture_on_commit_callbacks(execute=True):
        notifications.send_once("k-sms", [user], "到期提醒", channels=("sms",))
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED
    assert "13800138000" not in capsys.readouterr().out


def test_codes_are_shown_only_under_debug_with_a_development_backend():
    with override_settings(DEBUG=True, SMS_BACKEND=DEVELOPMENT[0]):
        assert notifications.shows_codes() is True
    delivering = "tests.sms.DeliveringSmsBackend"
    for debug, backend in [(False, DEVELOPMENT[0]), (False, DEVELOPMENT[1]), (False, ""), (True, delivering),
                           (False, delivering)]:  # fmt: skip
        with override_settings(DEBUG=debug, SMS_BACKEND=backend):
            assert notifications.shows_codes() is False, (debug, backend)


@pytest.mark.django_db
def test_the_console_dashboard_warns_staff_that_no_sms_backend_is_configured(client, settings):
    client.force_login(factories.staff_of(factories.CongressFactory()))
    assert "未配置短信服务" not in client.get("/console/").content.decode()
    settings.SMS_BACKEND = ""
    assert "未配置短信服务" in client.get("/console/").content.decode()
    settings.DEBUG, settings.SMS_BACKEND = False, DEVELOPMENT[0]
    assert "未配置短信服务" in client.get("/console/").content.decode()
