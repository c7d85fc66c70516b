"""A person opens a notification from the inbox on a phone: it is marked read on the way to the page it names."""

import pytest

from congress import notifications
from congress.models import Notification
from tests import factories

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("mark_read")
def test_opening_a_notification_marks_it_read(live_server, phone):
    deputy = factories.UserFactory(password="Passw0rd!x")
    notifications.send_once("browser-open", [deputy], "您的建议已答复", link="/notifications/?opened=1")

    log_in(phone, live_server, deputy)
    phone.goto(live_server.url + "/notifications/")
    press(phone, phone.get_by_role("button", name="您的建议已答复"))

    assert phone.url.endswith("/notifications/?opened=1")
    assert Notification.objects.get(recipient=deputy).read_at is not None
    # The header no longer counts it as unread.
    assert phone.locator(".topbar .badge").count() == 0
