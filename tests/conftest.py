import pytest
from django.conf import settings as django_settings

from congress.celery import app as celery_app
from congress.notifications import LocmemSmsBackend


@pytest.fixture(autouse=True)
def _fast_and_local(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "congress.notifications.LocmemSmsBackend"
    settings.SECURE_SSL_REDIRECT = False
    LocmemSmsBackend.outbox = []
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def pytest_report_header(config):
    return (
        f"database: {django_settings.DATABASES['default']['ENGINE']} {django_settings.DATABASES['default'].get('NAME')}"
    )
