from datetime import date

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from congress.errors import InvalidTransition, RuleViolation
from deputies import services
from deputies.models import Mandate, MandateStatus, Suspension
from tests import factories as core

from .factories import MandateFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def today():
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        yield


@pytest.fixture
def mandate():
    return MandateFactory()


@pytest.fixture
def staff(mandate):
    return core.staff_of(mandate.congress)


def test_one_live_mandate_per_congress_and_term_is_a_database_rule(mandate):
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.create(
            person=mandate.person, congress=mandate.congress, term=mandate.term, start_date=mandate.start_date
        )


def test_a_new_mandate_is_allowed_after_the_old_one_ended(mandate, staff):
    services.end_mandate(actor=staff, mandate_id=mandate.pk, on=date(2024, 1, 1), reason="resigned")
    Mandate.objects.create(
        person=mandate.person, congress=mandate.congress, term=mandate.term, start_date=date(2025, 1, 1)
    )
    assert mandate.person.mandates.count() == 2


def test_person_may_hold_mandates_in_several_congresses(mandate):
    county = core.CongressFactory(region=core.county())
    MandateFactory(person=mandate.person, congress=county)
    assert mandate.person.mandates.count() == 2


def test_ending_records_date_and_reason_and_is_audited(mandate, staff):
    services.end_mandate(actor=staff, mandate_id=mandate.pk, on=date(2026, 3, 1), reason="moved_out")
    mandate.refresh_from_db()
    assert (mandate.status, mandate.end_date, mandate.end_reason) == ("ended", date(2026, 3, 1), "moved_out")
    entry = LogEntry.objects.get_for_object(mandate).filter(additional_data__action="end").get()
    assert entry.actor == staff
    assert entry.changes == {"status": ["active", "ended"]}


def test_ending_needs_a_statutory_reason(mandate, staff):
    with pytest.raises(RuleViolation):
        services.end_mandate(actor=staff, mandate_id=mandate.pk, on=date(2026, 3, 1), reason="bored")


def test_an_ended_mandate_cannot_be_ended_again(mandate, staff):
    services.end_mandate(actor=staff, mandate_id=mandate.pk, on=date(2026, 3, 1), reason="recalled")
    with pytest.raises(InvalidTransition):
        services.end_mandate(actor=staff, mandate_id=mandate.pk, on=date(2026, 3, 2), reason="recalled")


def test_future_dates_are_refused(mandate, staff):
    with pytest.raises(RuleViolation):
        services.suspend_mandate(actor=staff, mandate_id=mandate.pk, on=date(2027, 1, 1), reason="detained")


def test_suspension_and_restoration_keep_history(mandate, staff):
    services.suspend_mandate(actor=staff, mandate_id=mandate.pk, on=date(2025, 5, 1), reason="detained")
    services.restore_mandate(actor=staff, mandate_id=mandate.pk, on=date(2025, 8, 1))
    services.suspend_mandate(actor=staff, mandate_id=mandate.pk, on=date(2026, 2, 1), reason="serving_sentence")
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.SUSPENDED
    assert list(Suspension.objects.filter(mandate=mandate).values_list("start_date", "end_date")) == [
        (date(2026, 2, 1), None),
        (date(2025, 5, 1), date(2025, 8, 1)),
    ]


def test_restoring_an_active_mandate_is_refused(mandate, staff):
    with pytest.raises(InvalidTransition):
        services.restore_mandate(actor=staff, mandate_id=mandate.pk, on=date(2026, 1, 1))


def test_staff_of_another_congress_may_not_end_it(mandate):
    other = core.staff_of(core.CongressFactory(region=core.county("440305", "南山区")))
    from congress.errors import Forbidden

    with pytest.raises(Forbidden):
        services.end_mandate(actor=other, mandate_id=mandate.pk, on=date(2026, 1, 1), reason="resigned")


def test_ended_or_suspended_deputy_cannot_act_as_deputy(mandate, staff):
    user = core.UserFactory()
    services.link_account(actor=staff, person=mandate.person, user=user)
    assert list(services.acting_mandates(user)) == [mandate]
    services.suspend_mandate(actor=staff, mandate_id=mandate.pk, on=date(2026, 1, 1), reason="detained")
    assert not services.acting_mandates(user).exists()


def test_id_number_must_match_birth_date_and_gender():
    person = PersonFactory.build(gender="M")
    person.gender = "F"  # the number still encodes a man
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "gender" in error.value.message_dict


def test_mandate_term_must_belong_to_its_congress(mandate):
    other = core.CongressFactory(region=core.county())
    bad = Mandate(person=PersonFactory(), congress=other, term=mandate.term, start_date=mandate.start_date)
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "term" in error.value.message_dict


def test_status_page_ends_a_mandate(client, mandate, staff):
    client.force_login(staff)
    response = client.post(
        f"/deputies/mandates/{mandate.pk}/status/", {"action": "end", "date": "2026-01-05", "reason": "moved_out"}
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == "ended"


def test_status_page_shows_rule_errors_on_the_form(client, mandate, staff):
    client.force_login(staff)
    response = client.post(f"/deputies/mandates/{mandate.pk}/status/", {"action": "restore", "date": "2026-01-05"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_ending_the_last_mandate_removes_the_deputy_role(mandate, staff):
    from congress.models import RoleMembership

    user = core.UserFactory()
    services.link_account(actor=staff, person=mandate.person, user=user)
    assert RoleMembership.objects.filter(user=user, role="deputy").exists()
    services.end_mandate(actor=staff, mandate_id=mandate.pk, on=date(2026, 3, 1), reason="resigned")
    assert not RoleMembership.objects.filter(user=user, role="deputy").exists()


def test_staff_add_one_deputy_through_the_form(client, staff, mandate):
    from deputies import idnumbers

    client.force_login(staff)
    response = client.post("/deputies/new/", {
        "person-name": "新代表", "person-gender": "F", "person-ethnic_group": "01", "person-birth_date": "1985-06-01",
        "person-id_number": idnumbers.make("440106", date(1985, 6, 1), 20), "person-party": "13",
        "person-education": "college", "person-occupation": "worker_farmer", "seat-congress": mandate.congress_id,
        "seat-term": mandate.term_id, "seat-start_date": str(mandate.term.start_date),
    })  # fmt: skip
    assert response.status_code == 302, response.context["person_form"].errors
    assert Mandate.objects.filter(person__name="新代表", congress=mandate.congress).exists()


def test_the_form_rejects_a_wrong_id_number(client, staff, mandate):
    from deputies import idnumbers

    good = idnumbers.make("440106", date(1985, 6, 1), 20)
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")
    client.force_login(staff)
    response = client.post("/deputies/new/", {
        "person-name": "新代表", "person-gender": "F", "person-ethnic_group": "01", "person-birth_date": "1985-06-01",
        "person-id_number": wrong, "person-party": "13", "person-education": "college",
        "person-occupation": "worker_farmer", "seat-congress": mandate.congress_id, "seat-term": mandate.term_id,
        "seat-start_date": str(mandate.term.start_date),
    })  # fmt: skip
    assert response.status_code == 200
    assert "id_number" in response.context["person_form"].errors
