"""Users' phones: encrypted like deputies' (congress.crypto); the console's user pages, open to administrators
only, show them in full, so each look leaves an access record."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.urls import reverse

from congress import personal_data
from tests import factories

pytestmark = pytest.mark.django_db


def _accesses():
    return list(LogEntry.objects.filter(additional_data__action=personal_data.ACTION))


def test_user_phone_column_holds_ciphertext():
    user = factories.UserFactory(phone="13912345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM congress_user WHERE id = %s", [user.pk])
        (stored,) = cursor.fetchone()
    assert "13912345678" not in stored


def test_opening_a_user_with_a_phone_in_the_console_writes_an_access_record(client):
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    user = factories.UserFactory(phone="13912345678")
    client.force_login(admin)
    response = client.get(reverse("admin:congress_user_change", args=[user.pk]))
    assert response.status_code == 200
    (entry,) = _accesses()
    assert entry.actor == admin
    assert (entry.content_type.model, entry.object_pk) == ("user", str(user.pk))
    assert entry.additional_data["channel"] == "console"
