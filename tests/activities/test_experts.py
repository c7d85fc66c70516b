"""The expert pools (法律专家库 …): a congress's experts with their fields of expertise, their phone and e-mail
stored encrypted and shown masked, invited to activities once each, told by SMS and e-mail in the invitation's
transaction, their answer recorded by the office; nobody of another congress sees or invites them."""

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from activities import experts, services
from activities.models import ActivityStatus, Expert, ExpertPool, Participant, ParticipantKind
from congress.errors import Forbidden, RuleViolation
from congress.models import OutboxMessage, SmsMessage
from congress.notifications import LocmemSmsBackend
from tests import factories as core
from tests.deputies.factories import current_term

from . import factories as f

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture
def other_congress(db):
    made = core.CongressFactory(region=core.province("63", "青海省"))
    current_term(made)
    return made


@pytest.fixture
def other_staff(other_congress):
    return core.staff_of(other_congress)


@pytest.fixture
def lawyer(staff, congress):
    return f.expert(staff, congress, phone=PHONE, email="zhangmy@lzu.edu.cn")


def raw(column: str, expert: Expert) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM activities_expert WHERE id = %s", [expert.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_an_experts_phone_and_email_are_stored_encrypted(lawyer):
    assert PHONE not in raw("phone", lawyer) and raw("phone", lawyer).startswith("gAAAAA")
    assert "lzu.edu.cn" not in raw("email", lawyer)
    assert Expert.objects.get().phone == PHONE


def test_key_rotation_reencrypts_the_experts_contact(settings, lawyer):
    import io

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from congress import crypto

    old = raw("phone", lawyer)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]
    crypto.reset_keys()
    try:
        call_command("reencrypt_personal_data", stdout=io.StringIO())
        settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
        crypto.reset_keys()
        assert raw("phone", lawyer) != old
        assert (Expert.objects.get().phone, Expert.objects.get().email) == (PHONE, "zhangmy@lzu.edu.cn")
    finally:
        crypto.reset_keys()


def test_the_fields_of_expertise_are_kept_as_a_list_whatever_the_separator(staff, congress):
    made = f.expert(staff, congress, expertise="行政法, 环境资源法；立法学")
    assert made.fields_of_expertise == ["行政法", "环境资源法", "立法学"]


def test_a_phone_already_in_the_congresss_pools_is_refused(staff, congress, lawyer):
    with pytest.raises(RuleViolation) as refused:
        f.expert(staff, congress, name="李华", phone=PHONE)
    assert "phone" in refused.value.fields
    assert Expert.objects.count() == 1


def test_an_expert_is_put_only_in_pools_of_their_own_congress(staff, congress, other_staff, other_congress):
    foreign = f.expert_pool(other_staff, other_congress)
    with pytest.raises(RuleViolation) as refused:
        f.expert(staff, congress, pools=[foreign])
    assert "pools" in refused.value.fields
    assert not Expert.objects.exists()


def test_another_congresss_staff_do_not_see_the_experts(lawyer, other_staff):
    from congress import scope

    assert not scope.visible(other_staff, Expert).exists()
    assert not scope.visible(other_staff, ExpertPool).exists()


def test_the_staff_of_the_congress_above_do_not_see_the_experts_either(lawyer, congress):
    from congress import scope

    county = core.CongressFactory(region=core.county("620102", "城关区"))
    county_staff = core.staff_of(county)
    provincial_reader = core.supervisor_of(congress)
    assert not scope.visible(provincial_reader, Expert).exists()
    assert not scope.visible(county_staff, Expert).exists()


def test_another_congresss_staff_may_not_change_an_expert(lawyer, other_staff):
    lawyer.note = "改"
    with pytest.raises(Forbidden):
        experts.save_expert(actor=other_staff, expert=lawyer, pool_ids=[])
    assert Expert.objects.get().note == ""


def test_archiving_keeps_the_expert_with_an_audit_entry(staff, lawyer):
    experts.archive_expert(actor=staff, expert_id=lawyer.pk)
    lawyer.refresh_from_db()
    assert lawyer.archived
    assert LogEntry.objects.filter(object_pk=str(lawyer.pk), additional_data__action="archive").exists()


def test_the_change_log_keeps_the_phone_masked(lawyer):
    entry = LogEntry.objects.get_for_object(lawyer).filter(action=LogEntry.Action.CREATE).get()
    assert PHONE not in str(entry.changes) and "5678" in str(entry.changes)


def test_revealing_the_contact_leaves_an_access_record(staff, lawyer):
    shown = experts.reveal_contact(actor=staff, expert_id=lawyer.pk)
    assert shown.phone == PHONE
    (entry,) = LogEntry.objects.filter(additional_data__action="view_personal_data")
    assert entry.object_pk == str(lawyer.pk) and entry.actor == staff


def test_another_congresss_staff_cannot_reveal_the_contact(lawyer, other_staff):
    with pytest.raises(RuleViolation):
        experts.reveal_contact(actor=other_staff, expert_id=lawyer.pk)
    assert not LogEntry.objects.filter(additional_data__action="view_personal_data").exists()


# Invitations


def test_inviting_an_expert_records_them_as_a_participant_linked_to_the_pool(staff, activity, lawyer):
    (participant,) = experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    participant.refresh_from_db()
    assert (participant.kind, participant.expert, participant.answer) == (ParticipantKind.EXPERT, lawyer, "invited")
    assert participant.name == "张明远" and "兰州大学法学院" in participant.affiliation


def test_an_invited_expert_is_texted_and_emailed_once(staff, activity, lawyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    [(phone, text)] = LocmemSmsBackend.outbox
    assert phone == PHONE and activity.title in text
    (message,) = mail.outbox
    assert message.to == ["zhangmy@lzu.edu.cn"] and activity.title in message.subject
    with django_capture_on_commit_callbacks(execute=True):
        experts.tell_invited_experts(activity)
        experts.email_expert(Participant.objects.get().pk)
    assert len(LocmemSmsBackend.outbox) == 1 and len(mail.outbox) == 1


def test_the_notices_are_stored_in_the_invitations_transaction(staff, activity, lawyer):
    with pytest.raises(RuntimeError), transaction.atomic():
        experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
        assert OutboxMessage.objects.filter(task="activities.tasks.email_expert").exists()
        raise RuntimeError
    assert not SmsMessage.objects.exists() and not OutboxMessage.objects.filter(task__contains="expert").exists()


def test_experts_invited_while_planned_are_told_when_the_invitations_go_out(staff, congress, may, lawyer):
    activity = f.activity(staff, congress, send=False)
    experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    assert not SmsMessage.objects.exists()
    services.send_invitations(actor=staff, activity_id=activity.pk)
    assert SmsMessage.objects.count() == 1


def test_an_expert_is_invited_once_per_activity(staff, activity, lawyer):
    experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    with pytest.raises(RuleViolation) as refused:
        experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    assert "invited once per activity" in str(refused.value.fields["experts"])
    assert Participant.objects.count() == 1


def test_the_database_keeps_an_expert_to_one_participation_per_activity(staff, activity, lawyer):
    experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(activity=activity, kind="expert", name="x", expert=lawyer, answer="invited")


def test_an_archived_expert_is_not_invited(staff, activity, lawyer):
    experts.archive_expert(actor=staff, expert_id=lawyer.pk)
    with pytest.raises(RuleViolation) as refused:
        experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    assert "archived" in str(refused.value.fields["experts"])
    assert not Participant.objects.exists()


def test_no_expert_is_invited_to_a_closed_activity(staff, activity, lawyer):
    for step in ("start",):
        getattr(services, step)(actor=staff, activity_id=activity.pk)
    services.submit_report(actor=staff, activity_id=activity.pk, report="报告")
    services.close(actor=staff, activity_id=activity.pk)
    with pytest.raises(RuleViolation) as refused:
        experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    assert str(ActivityStatus.CLOSED.label) in str(refused.value.message)
    assert not Participant.objects.exists()


def test_another_congresss_expert_is_refused_with_nothing_stored(staff, activity, other_staff, other_congress):
    foreign = f.expert(other_staff, other_congress, name="王青")
    with pytest.raises(RuleViolation) as refused:
        experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[foreign.pk])
    assert "experts" in refused.value.fields
    assert not Participant.objects.exists() and not SmsMessage.objects.exists()


def test_the_refusal_names_its_rule_in_chinese(staff, activity, lawyer):
    experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    with translation.override("zh-hans"), pytest.raises(RuleViolation) as refused:
        experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    assert "每位专家对同一活动只邀请一次" in str(refused.value.fields["experts"][0])


def test_the_office_records_a_decline_with_its_reason(staff, activity, lawyer):
    (participant,) = experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    experts.record_answer(actor=staff, participant_id=participant.pk, answer="declined", reason="出差")
    participant.refresh_from_db()
    assert (participant.answer, participant.decline_reason) == ("declined", "出差")
    assert LogEntry.objects.filter(additional_data__action="expert_answer").exists()


def test_a_decline_without_a_reason_is_refused(staff, activity, lawyer):
    (participant,) = experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    with pytest.raises(RuleViolation) as refused:
        experts.record_answer(actor=staff, participant_id=participant.pk, answer="declined")
    assert "reason" in refused.value.fields
    assert Participant.objects.get().answer == "invited"


def test_another_congresss_staff_may_not_record_the_answer(staff, activity, lawyer, other_staff):
    (participant,) = experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    with pytest.raises(Forbidden):
        experts.record_answer(actor=other_staff, participant_id=participant.pk, answer="accepted")
    assert Participant.objects.get().answer == "invited"


# Pages


def test_the_pool_list_masks_the_phone_and_filters_by_field(client, staff, congress, lawyer):
    f.expert(staff, congress, name="陈静", expertise="财税法")
    client.force_login(staff)
    page = client.get(reverse("activities:experts"), {"field": "环境"}).content.decode()
    assert "张明远" in page and "陈静" not in page
    assert PHONE not in page and "139****5678" in page
    assert not LogEntry.objects.filter(additional_data__action="view_personal_data").exists()


def test_the_expert_page_shows_the_contact_only_on_request_and_records_it(client, staff, lawyer):
    client.force_login(staff)
    page = client.get(reverse("activities:expert", args=[lawyer.pk])).content.decode()
    assert PHONE not in page and "zhangmy@lzu.edu.cn" not in page
    shown = client.post(reverse("activities:expert_contact", args=[lawyer.pk])).content.decode()
    assert PHONE in shown and "zhangmy@lzu.edu.cn" in shown
    assert LogEntry.objects.filter(additional_data__action="view_personal_data", object_pk=str(lawyer.pk)).exists()


def test_another_congresss_staff_get_no_expert_page(client, lawyer, other_staff):
    client.force_login(other_staff)
    assert client.get(reverse("activities:expert", args=[lawyer.pk])).status_code == 404


def test_a_second_pool_of_the_same_name_is_refused_on_the_form(client, staff, congress):
    f.expert_pool(staff, congress)
    client.force_login(staff)
    page = client.post(reverse("activities:expert_pools"), {"name": "法律专家库", "code": "law-2", "position": 0})
    assert page.status_code == 200 and "本级人大已有同名专家库" in page.content.decode()
    assert ExpertPool.objects.count() == 1


def test_an_invited_experts_participation_cannot_be_turned_into_a_citizens(staff, activity, lawyer):
    (participant,) = experts.invite_experts(actor=staff, activity_id=activity.pk, expert_ids=[lawyer.pk])
    participant.kind = "citizen"
    with pytest.raises(ValidationError):
        services.save_participant(actor=staff, participant=participant)
