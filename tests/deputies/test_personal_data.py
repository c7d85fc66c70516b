"""Deputies' ID numbers and phones: encrypted at rest, found by their keyed hash, masked without the
permission, kept out of logs and error reports, and every unmasked view leaves an access record."""

import io
import logging
import sys

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.views.debug import get_exception_reporter_class

from congress import crypto, personal_data, redaction
from deputies.models import Person
from tests import factories as core
from tests.sheets import xlsx_text

from .factories import MandateFactory, PersonFactory

pytestmark = pytest.mark.django_db

ID_NUMBER = "440106198503150021"


@pytest.fixture
def tianhe():
    return core.CongressFactory(region=core.county("440106", "天河区"))


@pytest.fixture
def mine(tianhe):
    return MandateFactory(congress=tianhe, person__name="林晓东", person__phone="13912345678")


@pytest.fixture
def staff(tianhe):
    return core.staff_of(tianhe)


@pytest.fixture
def permitted(staff):
    staff.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    return type(staff).objects.get(pk=staff.pk)


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return cursor.fetchone()[0]


def _accesses():
    return LogEntry.objects.filter(additional_data__action=personal_data.ACTION)


def test_id_number_column_holds_ciphertext_that_decrypts_back(mine):
    stored = _raw("deputies_person", "id_number", mine.person_id)
    assert stored != mine.person.id_number
    assert crypto.decrypt(stored) == mine.person.id_number


def test_phone_column_holds_ciphertext(mine):
    stored = _raw("deputies_person", "phone", mine.person_id)
    assert "13912345678" not in stored
    assert crypto.decrypt(stored) == "13912345678"


def test_person_read_back_has_the_plain_values(mine):
    person = Person.objects.get(pk=mine.person_id)
    assert (person.id_number, person.phone) == (mine.person.id_number, "13912345678")


def test_a_person_is_found_by_the_hash_of_the_id_number(mine):
    found = Person.objects.get(id_number_hash=crypto.id_number_index(mine.person.id_number.lower()))
    assert found.pk == mine.person_id


def test_the_database_refuses_a_second_person_with_the_same_id_number(mine):
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(id_number=mine.person.id_number)


def test_validation_names_a_duplicate_id_number(mine):
    twin = PersonFactory.build(id_number=mine.person.id_number, birth_date=mine.person.birth_date)
    with pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert "id_number" in caught.value.message_dict


def test_copy_writer_encrypts_and_hashes(tianhe):
    from congress import bulk

    template = PersonFactory.build()
    fields = ["name", "gender", "ethnic_group_id", "birth_date", "id_number", "party_id", "education",
              "occupation", "phone"]  # fmt: skip
    bulk.copy_insert(Person, fields, [tuple(getattr(template, f) for f in fields)])
    person = Person.objects.get(id_number_hash=crypto.id_number_index(template.id_number))
    assert _raw("deputies_person", "id_number", person.pk) != template.id_number
    assert person.id_number == template.id_number


def test_masked_api_shows_no_full_value(api_client, staff, mine):
    api_client.force_authenticate(staff)
    body = api_client.get("/api/v1/deputies/").content.decode()
    assert mine.person.id_number not in body
    assert "13912345678" not in body


def test_masked_view_writes_no_access_record(api_client, staff, mine):
    api_client.force_authenticate(staff)
    api_client.get(f"/api/v1/deputies/{mine.person_id}/")
    assert not _accesses().exists()


def test_unmasked_api_list_writes_one_access_record_naming_every_deputy(api_client, permitted, tianhe, mine):
    other = MandateFactory(congress=tianhe)
    api_client.force_authenticate(permitted)
    api_client.get("/api/v1/deputies/")
    (entry,) = _accesses()
    assert entry.actor == permitted
    assert entry.additional_data["ids"] == sorted([mine.person_id, other.person_id])
    assert entry.additional_data["channel"] == "api"


def test_unmasked_single_deputy_is_recorded_on_the_deputy(api_client, permitted, mine):
    api_client.force_authenticate(permitted)
    api_client.get(f"/api/v1/deputies/{mine.person_id}/")
    (entry,) = _accesses()
    assert (entry.content_type.model, entry.object_pk) == ("person", str(mine.person_id))


def _sheet_text(content: bytes) -> str:
    return xlsx_text(content)


def test_masked_roster_export_shows_no_full_value(client, staff, mine):
    client.force_login(staff)
    text = _sheet_text(client.get(reverse("deputies:export")).content)
    assert mine.person.id_number not in text
    assert mine.person.id_number[-4:] in text


def test_unmasked_roster_export_writes_an_access_record(client, permitted, mine):
    client.force_login(permitted)
    text = _sheet_text(client.get(reverse("deputies:export")).content)
    assert mine.person.id_number in text
    (entry,) = _accesses()
    assert entry.additional_data["ids"] == [mine.person_id]
    assert entry.additional_data["channel"] == "export"


def test_change_log_keeps_no_plain_id_number_or_phone(mine):
    changes = " ".join(str(entry.changes) for entry in LogEntry.objects.get_for_object(mine.person))
    assert mine.person.id_number not in changes
    assert "13912345678" not in changes


def test_error_report_masks_id_numbers_and_phones():
    request = RequestFactory().post("/x/", {"id_number": ID_NUMBER, "phone": "13800138000"})
    holder = ID_NUMBER  # a local variable of the failing frame
    try:
        raise ValueError(f"bad row {holder} 13800138000")
    except ValueError:
        reporter = get_exception_reporter_class(request)(request, *sys.exc_info())
        text = reporter.get_traceback_text() + reporter.get_traceback_html()
    assert ID_NUMBER not in text
    assert "13800138000" not in text
    assert "440106********0021" in text


def test_log_lines_mask_id_numbers_and_phones():
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, redaction.PersonalDataFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("deputies.importer").warning("row for %s, phone %s", ID_NUMBER, "13800138000")
    finally:
        handler.setStream(previous)
    assert ID_NUMBER not in stream.getvalue()
    assert "13800138000" not in stream.getvalue()
    assert "138****8000" in stream.getvalue()


def test_key_rotation_reencrypts_under_the_new_key(settings, mine):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old = _raw("deputies_person", "id_number", mine.person_id)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]
    crypto.reset_keys()
    try:
        call_command("reencrypt_personal_data", stdout=io.StringIO())
        settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
        crypto.reset_keys()
        assert _raw("deputies_person", "id_number", mine.person_id) != old
        assert Person.objects.get(pk=mine.person_id).id_number == mine.person.id_number
    finally:
        crypto.reset_keys()
