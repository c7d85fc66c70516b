"""Every console page opens for the administrator and for county staff."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

MODELS = [
    model for model in admin.site._registry if model._meta.app_label in ("congress", "auditlog", "django_celery_beat")
]


@pytest.fixture
def superuser_client(client):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    return client


def test_every_core_changelist_opens_for_administrator_over_the_demo_data(superuser_client):
    from django.core.management import call_command

    # One demo seed for all the lists: seeding takes seconds and the lists only read it.
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    failing = {}
    for model in MODELS:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        status = superuser_client.get(url).status_code
        if status != 200:
            failing[model._meta.label] = status
    assert failing == {}


@pytest.mark.parametrize("model_name", ["region", "congress", "term", "session", "organisation", "policyvalue"])
def test_add_page_opens_for_county_staff(client, model_name):
    client.force_login(factories.staff_of(factories.CongressFactory(region=factories.county())))
    assert client.get(reverse(f"admin:congress_{model_name}_add")).status_code == 200


def test_county_staff_cannot_open_user_admin(client):
    client.force_login(factories.staff_of(factories.CongressFactory(region=factories.county())))
    assert client.get(reverse("admin:congress_user_changelist")).status_code == 403


def test_change_page_with_history_link_opens(superuser_client):
    congress = factories.CongressFactory()
    assert superuser_client.get(reverse("admin:congress_congress_change", args=[congress.pk])).status_code == 200
    assert superuser_client.get(reverse("admin:congress_congress_auditlog", args=[congress.pk])).status_code == 200


def test_every_console_record_page_opens_for_provincial_staff(client):
    """Read-only records (changed only through their workflow) open in view mode, never with an error."""
    from django.core.management import call_command

    from congress.models import User

    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    client.force_login(User.objects.get(username="gd_staff"))
    failures = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("auth", "django_celery_beat") or model.__name__ == "User":
            continue
        obj = model_admin.get_queryset(type("R", (), {"user": User.objects.get(username="gd_staff")})()).first()
        if obj is None:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        status = client.get(url).status_code
        if status not in (200, 302, 403):
            failures.append((model._meta.label, status))
    assert failures == []
