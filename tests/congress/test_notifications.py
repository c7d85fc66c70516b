from unittest import mock

import pytest
from django.core import mail

from congress import notifications, tasks
from congress.models import Delivery, Notification
from congress.notifications import LocmemSmsBackend
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return factories.UserFactory(phone="13800138000")


def test_send_once_stores_and_emails(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_once("k1", [user], "标题", "内容") == 1
    assert Notification.objects.get(recipient=user).title == "标题"
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_same_key_is_stored_and_sent_once(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_once("reminder:1", [user], "t")
        assert notifications.send_once("reminder:1", [user], "t") == 0
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_retried_task_does_not_duplicate(user, django_capture_on_commit_callbacks):
    # A reminder task that crashed after notifying and is retried by Celery.
    def task_body():
        notifications.send_once("deadline:7:2026-12-01:1", [user], "到期提醒", channels=("email", "sms"))

    with django_capture_on_commit_callbacks(execute=True):
        task_body()
    with django_capture_on_commit_callbacks(execute=True):
        task_body()
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 2
    assert len(mail.outbox) == 1
    assert len(LocmemSmsBackend.outbox) == 1


def test_failed_delivery_is_retried_and_sent_once(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notifications.send_once("k2", [user], "t")
    delivery = Delivery.objects.get()
    failing = {"email": mock.Mock(side_effect=ConnectionError("smtp down"))}
    with mock.patch.dict(notifications.CHANNELS, failing), pytest.raises(ConnectionError):
        notifications.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert notifications.deliver(delivery.pk) == Delivery.Status.SENT
    assert notifications.deliver(delivery.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_delivery_task_retries_network_errors_with_backoff():
    task = tasks.deliver_notification
    assert ConnectionError in task.autoretry_for
    assert task.retry_backoff is True


def test_delivery_gives_up_after_max_attempts(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notifications.send_once("k8", [user], "t")
    Delivery.objects.update(attempts=notifications.MAX_ATTEMPTS - 1)
    with mock.patch.dict(notifications.CHANNELS, {"email": mock.Mock(side_effect=OSError("down"))}):
        assert notifications.deliver(Delivery.objects.get().pk) == "failed"
    assert Delivery.objects.get().status == Delivery.Status.FAILED


def test_delivery_already_sent_is_not_sent_again(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_once("k3", [user], "t")
    delivery = Delivery.objects.get()
    assert notifications.deliver(delivery.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_user_without_address_is_skipped(django_capture_on_commit_callbacks):
    user = factories.UserFactory(email="", phone="")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_once("k4", [user], "t", channels=("email", "sms"))
    assert set(Delivery.objects.values_list("status", flat=True)) == {"skipped"}
    assert Notification.objects.filter(recipient=user).exists()


def test_lost_delivery_is_requeued(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notifications.send_once("k5", [user], "t")
    Notification.objects.update(created_at="2020-01-01T00:00:00Z")
    assert notifications.requeue_stuck() == 1
    assert Delivery.objects.get().status == "sent"


def test_unread_count_shows_in_page_header(client, user):
    notifications.send_once("k6", [user], "新提醒")
    client.force_login(user)
    response = client.get("/")
    assert response.context["unread_count"] == 1
    assert '<span class="badge"' in response.content.decode()


def test_inbox_marks_read(client, user):
    notifications.send_once("k7", [user], "新提醒")
    client.force_login(user)
    assert "新提醒" in client.get("/notifications/").content.decode()
    client.post("/notifications/read/")
    assert notifications.unread_count(user) == 0


def test_mark_read_does_not_redirect_off_site(client, user):
    client.force_login(user)
    response = client.post("/notifications/read/", {"next": "https://evil.example.com/"})
    assert response.url == "/notifications/"


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, user):
    notifications.send_once("k8", [user], "请答复建议", link="/suggestions/")
    notification = Notification.objects.get(recipient=user)
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    # The title is the button of a form that marks this one read on its way to the link.
    assert f'name="id" value="{notification.pk}"' in page
    response = client.post("/notifications/read/", {"id": notification.pk, "next": "/suggestions/"})
    assert response.url == "/suggestions/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_marks_only_ones_own_notification(client, user):
    other = factories.UserFactory()
    notifications.send_once("k9", [other], "别人的提醒")
    theirs = Notification.objects.get(recipient=other)
    client.force_login(user)
    client.post("/notifications/read/", {"id": theirs.pk, "next": "/"})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def _stored():
    """What a batch left behind: notifications by (recipient, key, title), deliveries, and the outbox messages."""
    from congress.models import OutboxMessage

    notes = sorted(Notification.objects.values_list("recipient_id", "key", "title"))
    deliveries = sorted(Delivery.objects.values_list("notification__recipient_id", "notification__key", "channel"))
    messages = [(m.task, len(m.args[0])) for m in OutboxMessage.objects.order_by("pk")]
    return notes, deliveries, messages


def _rows(users, key="batch:1"):
    return [(user.pk, key, f"标题{n}", "内容", "/x/") for n, user in enumerate(users)]


def test_a_batch_stores_each_new_notification_once_with_one_outbox_message_for_its_deliveries():
    users = factories.UserFactory.create_batch(3)
    notifications.store(_rows(users[:1]))
    # The first user had it already; the repeated row in the same batch counts once.
    assert notifications.store(_rows(users) + _rows(users[2:]), channels=("email", "sms")) == 2
    notes, deliveries, messages = _stored()
    assert [(user, key) for user, key, _title in notes] == sorted((u.pk, "batch:1") for u in users)
    assert len(deliveries) == 1 + 2 * 2
    assert messages == [("congress.tasks.deliver_notifications", 1), ("congress.tasks.deliver_notifications", 4)]


def test_a_batch_already_stored_adds_nothing():
    users = factories.UserFactory.create_batch(2)
    notifications.store(_rows(users))
    before = _stored()
    assert notifications.store(_rows(users)) == 0
    assert _stored() == before


def test_the_portable_batch_stores_what_the_postgres_statement_stores():
    users = factories.UserFactory.create_batch(3)
    notifications.store(_rows(users[:1]))
    assert notifications.store(_rows(users) + _rows(users[2:]), channels=("email", "sms")) == 2
    on_postgres = _stored()
    Notification.objects.all().delete()
    from congress.models import OutboxMessage

    OutboxMessage.objects.all().delete()
    notifications._store_portable(_rows(users[:1]), ("email",))
    assert notifications._store_portable(_rows(users) + _rows(users[2:]), ("email", "sms")) == 2
    assert _stored() == on_postgres


def test_a_batch_is_delivered_after_commit_and_a_failing_address_does_not_hold_up_the_others(
    django_capture_on_commit_callbacks,
):
    users = factories.UserFactory.create_batch(3)
    broken = users[1].email
    real = notifications.CHANNELS["email"]

    def email(notification):
        if notification.recipient.email == broken:
            raise ConnectionError("mailbox unavailable")
        return real(notification)

    with mock.patch.dict(notifications.CHANNELS, {"email": email}), django_capture_on_commit_callbacks(execute=True):
        notifications.send_each("batch:2", [(u.pk, "t", "b", "") for u in users])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([users[0].email, users[2].email])
    waiting = Delivery.objects.get(notification__recipient=users[1])
    assert (waiting.status, waiting.attempts) == (Delivery.Status.PENDING, 1)
    assert tasks.deliver_notification(waiting.pk) == Delivery.Status.SENT
    assert len(mail.outbox) == 3


def test_a_text_queued_by_a_delivery_that_then_fails_is_not_kept(user, django_capture_on_commit_callbacks):
    """Issue 29: the SMS channel's row in the SMS outbox commits with the delivery's outcome, so a delivery that
    fails after queuing its text and is tried again texts once."""
    from congress import sms
    from congress.models import SmsMessage

    with django_capture_on_commit_callbacks(execute=False):
        notifications.send_once("k-once", [user], "今日到期", channels=("sms",))
    delivery = Delivery.objects.get()
    real_queue = sms.queue

    def queue_then_die(*args, **kwargs):
        real_queue(*args, **kwargs)
        raise ConnectionError("worker lost after queuing")

    with mock.patch.object(sms, "queue", queue_then_die), pytest.raises(ConnectionError):
        notifications.deliver(delivery.pk)
    assert not SmsMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.deliver(delivery.pk) == Delivery.Status.SENT
    assert SmsMessage.objects.count() == 1
    assert LocmemSmsBackend.outbox == [("13800138000", "今日到期")]
