"""Every list and record of the API opens in DRF's browsable API (the HTML a developer sees in a browser), over
the demo data: no route fails to render its page, its filters or its forms."""

import importlib

import pytest
from django.core.management import call_command

from congress.models import User
from tests.domain_apps import DOMAIN_APPS
from tests.domain_apps import ROOT as DOMAIN_ROOT

pytestmark = pytest.mark.django_db

APPS = [app for app in DOMAIN_APPS if (DOMAIN_ROOT / app / "api" / "urls.py").exists()]


def routes():
    return [entry for app in APPS for entry in importlib.import_module(f"{app}.api.urls").router.registry]


def test_every_api_list_and_record_renders_as_html(client):
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    client.force_login(User.objects.get(username="admin"))
    failed, opened = [], 0
    for prefix, viewset, _basename in routes():
        urls = [f"/api/v1/{prefix}/"]
        queryset = getattr(viewset, "queryset", None)  # a few routes list fixed things (webhook event names)
        first = queryset.model._default_manager.order_by("pk").first() if queryset is not None else None
        if first is not None:
            urls.append(f"/api/v1/{prefix}/{first.pk}/")
        for url in urls:
            response = client.get(url, HTTP_ACCEPT="text/html")
            opened += 1
            html = b"<html" in response.content[:500].lower()
            if response.status_code >= 500 or (response.status_code == 200 and not html):
                failed.append((url, response.status_code))
    assert failed == []
    assert opened > len(routes())  # records too, not only lists
    assert client.get("/api/v1/suggestions/", HTTP_ACCEPT="text/html").status_code == 200
