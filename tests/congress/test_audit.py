import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction
from django.db.utils import DatabaseError

from congress import audit, services
from congress.models import Region, Term, Tombstone
from tests import factories

pytestmark = pytest.mark.django_db


def test_service_save_records_who_and_what():
    staff = factories.staff_of(factories.CongressFactory(region=factories.county()))
    region = Region(code="440106009", name="新街道", level="township", parent=Region.objects.get(code="440106"))
    services.save_reference(actor=staff, obj=region)
    entry = LogEntry.objects.get_for_object(region).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == staff
    assert entry.changes_dict["name"] == ["None", "新街道"]


def test_change_records_old_and_new_values():
    congress = factories.CongressFactory()
    staff = factories.staff_of(congress)
    term = factories.TermFactory(congress=congress)
    term.number = 15
    services.save_reference(actor=staff, obj=term)
    entry = LogEntry.objects.get_for_object(term).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["number"] == ["14", "15"]


def test_named_transition_is_recorded():
    congress = factories.CongressFactory()
    entry = audit.record(None, congress, "close_term", {"state": ("open", "closed")}, reason="届满")
    assert entry.additional_data == {"action": "close_term", "reason": "届满"}
    assert entry.changes == {"state": ["open", "closed"]}


def test_audit_entries_cannot_be_edited():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only guard is a Postgres trigger")
    entry = audit.record(None, factories.CongressFactory(), "x")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()


def test_audit_entry_actor_cannot_be_cleared():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only guard is a Postgres trigger")
    user = factories.UserFactory()
    entry = audit.record(user, factories.CongressFactory(), "x")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(actor=None)


def test_a_user_who_acted_cannot_be_deleted():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only guard is a Postgres trigger")
    user = factories.UserFactory()
    entry = audit.record(user, factories.CongressFactory(), "x")
    with pytest.raises(DatabaseError), transaction.atomic():
        user.delete()
    entry.refresh_from_db()
    assert entry.actor == user


def test_console_offers_no_user_delete(client):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    user = factories.UserFactory()
    client.force_login(admin)
    assert client.get(f"/console/congress/user/{user.pk}/delete/").status_code == 403
    changelist = client.get("/console/congress/user/")
    assert changelist.status_code == 200
    assert b'value="delete_selected"' not in changelist.content


def test_tombstones_cannot_be_edited_or_deleted():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only guard is a Postgres trigger")
    stone = Tombstone.objects.create(resource="deputies", object_id=1, action="deleted", region_code="44")
    with pytest.raises(DatabaseError), transaction.atomic():
        Tombstone.objects.filter(pk=stone.pk).update(region_code="")
    with pytest.raises(DatabaseError), transaction.atomic():
        Tombstone.objects.filter(pk=stone.pk).delete()


def test_audit_entries_and_tombstones_are_still_written():
    congress = factories.CongressFactory()
    audit.record(None, congress, "x")
    Tombstone.objects.create(resource="deputies", object_id=2, action="deleted", region_code="44")
    assert LogEntry.objects.get_for_object(congress).filter(additional_data__action="x").exists()
    assert Tombstone.objects.filter(object_id=2).exists()


def test_overlapping_terms_are_refused_by_the_database():
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint is Postgres-only")
    from datetime import date

    from django.db import IntegrityError

    congress = factories.CongressFactory()
    Term.objects.create(congress=congress, number=1, start_date=date(2020, 1, 1), end_date=date(2024, 12, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(congress=congress, number=2, start_date=date(2024, 6, 1), end_date=date(2029, 5, 31))
