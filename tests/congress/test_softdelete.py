"""Nothing is hard-deleted from the console: delete is never offered, and plain reference records (a term's
delegations, constituencies and deputy groups) are archived and restored instead, with an audit record."""

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from congress import softdelete
from congress.errors import Forbidden
from congress.models import RoleMembership
from deputies.importer import Lookups
from deputies.models import Delegation, DeputyGroup, Mandate
from tests import factories
from tests.deputies.factories import MandateFactory, PersonFactory, current_term
from tests.deputies.factories import delegation as make_delegation

pytestmark = pytest.mark.django_db

OUR_APPS = {"congress", "deputies", "liaison_stations", "suggestions", "training", "activities", "cases"}


@pytest.fixture
def superuser():
    return factories.UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff(tianhe):
    return factories.staff_of(tianhe)


def _archived(congress, name="旧代表团"):
    body = make_delegation(congress, name)
    Delegation.objects.filter(pk=body.pk).update(archived_at="2025-01-01T00:00:00Z")
    body.refresh_from_db()
    return body


def test_no_console_page_offers_delete_even_to_a_superuser(superuser):
    request = RequestFactory().get("/console/")
    request.user = superuser
    ours = [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in OUR_APPS]  # fmt: skip
    assert len(ours) > 30
    offering = [model.__name__ for model, model_admin in ours
                if model_admin.has_delete_permission(request) or "delete_selected" in model_admin.get_actions(request)
                or any(inline.can_delete and inline.has_delete_permission(request, None)
                       for inline in model_admin.get_inline_instances(request)
                       if inline.model is not RoleMembership)]  # fmt: skip
    # Revoking a role removes the grant itself (kept in the audit log), so no forgotten check can honour it.
    assert offering == []


def test_delete_view_is_forbidden(client, superuser, tianhe):
    mandate = MandateFactory(congress=tianhe)
    client.force_login(superuser)
    assert client.get(f"/console/deputies/mandate/{mandate.pk}/delete/").status_code == 403
    assert client.get(f"/console/deputies/person/{mandate.person_id}/delete/").status_code == 403
    assert client.get(f"/console/congress/congress/{tianhe.pk}/delete/").status_code == 403


def test_archive_then_restore_from_the_console_leaves_audit_records(client, staff, tianhe):
    body = make_delegation(tianhe)
    client.force_login(staff)

    client.post("/console/deputies/delegation/", {"action": "archive_selected", "_selected_action": [body.pk]})
    body.refresh_from_db()
    assert body.is_archived

    client.post(
        "/console/deputies/delegation/?archived=yes", {"action": "restore_selected", "_selected_action": [body.pk]}
    )
    body.refresh_from_db()
    assert not body.is_archived
    actions = [
        (entry.additional_data["action"], entry.actor_id)
        for entry in LogEntry.objects.get_for_object(body).filter(additional_data__action__isnull=False)
    ]
    assert sorted(actions) == [("archive", staff.pk), ("restore", staff.pk)]


def test_archived_rows_are_left_out_of_the_default_list(client, staff, tianhe):
    make_delegation(tianhe, "在用代表团")
    _archived(tianhe, "旧代表团")
    client.force_login(staff)

    listed = client.get("/console/deputies/delegation/").content.decode()
    archived = client.get("/console/deputies/delegation/?archived=yes").content.decode()

    assert "在用代表团" in listed and "旧代表团" not in listed
    assert "旧代表团" in archived and "在用代表团" not in archived


def test_staff_of_another_congress_cannot_archive(tianhe, nanshan):
    body = make_delegation(tianhe)
    with pytest.raises(Forbidden):
        softdelete.archive(actor=factories.staff_of(nanshan), obj=body)
    body.refresh_from_db()
    assert not body.is_archived


def test_archiving_twice_changes_nothing(staff, tianhe):
    body = make_delegation(tianhe)
    assert softdelete.archive(actor=staff, obj=body) is True
    assert softdelete.archive(actor=staff, obj=body) is False
    assert LogEntry.objects.get_for_object(body).filter(additional_data__action="archive").count() == 1


def test_an_archived_row_is_read_only_until_restored(client, staff, tianhe):
    body = _archived(tianhe)
    client.force_login(staff)
    client.post(f"/console/deputies/delegation/{body.pk}/change/", {"congress": tianhe.pk, "term": body.term_id,
                                                                     "name": "改名"})  # fmt: skip
    body.refresh_from_db()
    assert body.name == "旧代表团"


def test_no_mandate_is_newly_placed_in_an_archived_body(tianhe):
    term = current_term(tianhe)
    mandate = Mandate(person=PersonFactory(), congress=tianhe, term=term, start_date=term.start_date,
                      delegation=_archived(tianhe))  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        mandate.full_clean(validate_unique=False, validate_constraints=False)
    assert "delegation" in refused.value.message_dict


def test_a_mandate_already_in_a_body_keeps_it_when_the_body_is_archived(staff, tianhe):
    body = make_delegation(tianhe)
    mandate = MandateFactory(congress=tianhe, delegation=body)
    softdelete.archive(actor=staff, obj=body)
    mandate.refresh_from_db()
    mandate.full_clean()  # still valid: history keeps its links


def test_console_choices_offer_rows_in_use_and_keep_the_current_one(rf, staff, tianhe):
    old = _archived(tianhe, "旧代表团")
    other_old = _archived(tianhe, "另一个旧代表团")
    live = make_delegation(tianhe, "在用代表团")
    mandate = MandateFactory(congress=tianhe, delegation=old)
    request = rf.get("/")
    request.user = staff
    model_admin = admin.site._registry[Mandate]

    form = model_admin.get_form(request, mandate, change=True)(instance=mandate)

    offered = set(form.fields["delegation"].queryset)
    assert live in offered and old in offered and other_old not in offered


def test_autocomplete_offers_no_archived_body(client, staff, tianhe):
    make_delegation(tianhe, "在用代表团")
    _archived(tianhe, "旧代表团")
    client.force_login(staff)
    response = client.get(
        "/console/autocomplete/", {"app_label": "deputies", "model_name": "mandate", "field_name": "delegation"}
    )
    assert [row["text"] for row in response.json()["results"]] == ["在用代表团"]


def test_roster_import_does_not_match_an_archived_body(tianhe):
    live = DeputyGroup.objects.create(congress=tianhe, term=current_term(tianhe), name="第一代表小组")
    archived = DeputyGroup.objects.create(congress=tianhe, term=current_term(tianhe), name="第二代表小组")
    DeputyGroup.objects.filter(pk=archived.pk).update(archived_at="2025-01-01T00:00:00Z")

    groups = Lookups.load(None).groups

    assert groups == {(live.term_id, "第一代表小组"): live.pk}
