"""Issue 29: each person's notification preference (SMS on by default, e-mail, consent to texts at all), kept in a
row made the first time they save it and read when each message is delivered."""

import pytest
from django.core import mail
from django.urls import reverse

from congress import notifications, services
from congress.models import Delivery, NotificationPreference, SmsMessage
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("notification_settings")


@pytest.fixture
def deputy():
    return factories.deputy_of(factories.CongressFactory(), phone="13912345678")


def notify(user, capture, key="k"):
    with capture(execute=True):
        notifications.send_once(key, [user], "今日到期", channels=("email", "sms"))
    return {d.channel: d.status for d in Delivery.objects.filter(notification__recipient=user, notification__key=key)}


def test_without_a_saved_preference_both_channels_are_on(deputy, django_capture_on_commit_callbacks):
    assert notify(deputy, django_capture_on_commit_callbacks) == {"email": "sent", "sms": "sent"}
    assert SmsMessage.objects.count() == 1
    assert not NotificationPreference.objects.exists()


def test_sms_off_skips_the_text_and_queues_none(deputy, django_capture_on_commit_callbacks):
    services.set_notification_preference(actor=deputy, sms=False, email=True, sms_accepted=True)
    assert notify(deputy, django_capture_on_commit_callbacks) == {"email": "sent", "sms": "skipped"}
    assert not SmsMessage.objects.exists()


def test_email_off_skips_the_email(deputy, django_capture_on_commit_callbacks):
    services.set_notification_preference(actor=deputy, sms=True, email=False, sms_accepted=True)
    assert notify(deputy, django_capture_on_commit_callbacks) == {"email": "skipped", "sms": "sent"}
    assert mail.outbox == []


def test_the_preference_is_read_when_the_message_is_delivered(deputy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notifications.send_once("k", [deputy], "今日到期", channels=("sms",))
    services.set_notification_preference(actor=deputy, sms=False, email=True, sms_accepted=True)
    delivery = Delivery.objects.get()
    assert notifications.deliver(delivery.pk) == Delivery.Status.SKIPPED
    assert not SmsMessage.objects.exists()


def test_a_saved_preference_is_audited_with_its_changes(deputy):
    services.set_notification_preference(actor=deputy, sms=True, email=True, sms_accepted=False)
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(NotificationPreference.objects.get(user=deputy)).get()
    assert entry.changes == {"sms_accepted": ["True", "False"]}
    assert entry.actor == deputy


def test_saving_the_same_choices_again_records_nothing(deputy):
    from auditlog.models import LogEntry

    services.set_notification_preference(actor=deputy, sms=False, email=True, sms_accepted=True)
    services.set_notification_preference(actor=deputy, sms=False, email=True, sms_accepted=True)
    assert LogEntry.objects.filter(additional_data__action="notification_preference").count() == 1


def test_the_page_shows_the_defaults_without_making_a_row(client, deputy):
    client.force_login(deputy)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"].initial == {"sms": True, "email": True, "sms_accepted": True}
    assert not NotificationPreference.objects.exists()


def test_the_page_saves_the_signed_in_persons_own_preference(client, deputy):
    other = factories.deputy_of(factories.CongressFactory(), username="other")
    client.force_login(deputy)
    # Another person's id in the form changes nothing of theirs: the page only ever saves the signed-in person's.
    response = client.post(URL, {"email": "on", "sms_accepted": "on", "user": other.pk, "user_id": other.pk})
    assert response.status_code == 302
    assert NotificationPreference.objects.get().user == deputy
    assert not NotificationPreference.objects.filter(user=other).exists()


def test_the_page_needs_a_signed_in_person(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_unit_officers_and_staff_reach_the_page_from_their_home(client):
    congress = factories.CongressFactory()
    unit = factories.OrganisationFactory(region=congress.region)
    for user in (factories.officer_of(unit), factories.staff_of(congress)):
        client.force_login(user)
        assert URL in client.get(reverse("home")).content.decode()
        assert client.get(URL).status_code == 200
