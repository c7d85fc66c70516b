"""Citizens' phones on opinions: encrypted at rest, hashed for resubmission, last four kept for tracking,
masked without the permission, and every unmasked view leaves an access record."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse

from congress import crypto, personal_data
from liaison_stations import services
from liaison_stations.models import CitizenOpinion
from tests.sheets import xlsx_text

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture
def opinion(station):
    return services.submit_opinion(station=station, phone=PHONE, category="urban", content="路灯坏了。")


@pytest.fixture
def permitted(staff):
    staff.user_permissions.add(Permission.objects.get(codename="view_citizen_phone"))
    return type(staff).objects.get(pk=staff.pk)


def _accesses():
    return LogEntry.objects.filter(additional_data__action=personal_data.ACTION)


def _sheet_text(content: bytes) -> str:
    return xlsx_text(content)


def test_phone_column_holds_ciphertext_that_decrypts_back(opinion):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, phone_tail FROM liaison_stations_citizenopinion WHERE id = %s", [opinion.pk])
        stored, tail = cursor.fetchone()
    assert PHONE not in stored
    assert crypto.decrypt(stored) == PHONE
    assert tail == "5678"


def test_opinion_is_found_by_the_hash_of_the_phone(opinion):
    assert CitizenOpinion.objects.get(phone_hash=crypto.phone_index(PHONE)).pk == opinion.pk


def test_masked_opinion_page_shows_no_full_phone(client, opinion, staff):
    client.force_login(staff)
    page = client.get(reverse("liaison_stations:opinion", args=[opinion.pk])).content.decode()
    assert PHONE not in page
    assert not _accesses().exists()


def test_unmasked_opinion_page_writes_an_access_record(client, opinion, manager):
    client.force_login(manager)
    page = client.get(reverse("liaison_stations:opinion", args=[opinion.pk])).content.decode()
    assert PHONE in page
    (entry,) = _accesses()
    assert (entry.actor, entry.object_pk, entry.additional_data["channel"]) == (manager, str(opinion.pk), "page")


def test_masked_ledger_export_shows_no_full_phone(client, opinion, staff):
    client.force_login(staff)
    assert PHONE not in _sheet_text(client.get(reverse("liaison_stations:ledger_export")).content)
    assert not _accesses().exists()


def test_unmasked_ledger_export_records_whose_phones_were_seen(client, opinion, permitted):
    client.force_login(permitted)
    assert PHONE in _sheet_text(client.get(reverse("liaison_stations:ledger_export")).content)
    (entry,) = _accesses()
    assert entry.additional_data["ids"] == [opinion.pk]
    assert entry.additional_data["channel"] == "export"


def test_unmasked_api_read_writes_an_access_record(api_client, opinion, permitted):
    api_client.force_authenticate(permitted)
    assert PHONE in api_client.get(f"/api/v1/opinions/{opinion.pk}/").content.decode()
    (entry,) = _accesses()
    assert entry.additional_data["channel"] == "api"


def test_change_log_keeps_no_plain_phone(opinion):
    changes = " ".join(str(entry.changes) for entry in LogEntry.objects.get_for_object(opinion))
    assert PHONE not in changes
