"""通知设置 (issue 29): a deputy turns SMS reminders off from the link under their name, on a phone; the change is
kept and audited, and their next reminder comes without a text."""

import pytest
from auditlog.models import LogEntry

from congress.models import NotificationPreference
from tests import factories

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("notification_settings")
def test_a_deputy_turns_sms_reminders_off(live_server, phone):
    deputy = factories.deputy_of(factories.CongressFactory(), phone="13912345678")
    log_in(phone, live_server, deputy)
    phone.get_by_title("通知设置").click()
    assert phone.locator("h1").inner_text() == "通知设置"
    assert "尾号为5678" in phone.content()
    sms = phone.get_by_label("用短信提醒我的办理期限和邀请")
    assert sms.is_checked()  # on until the deputy says otherwise
    sms.uncheck()
    press(phone, phone.get_by_role("button", name="保存"))
    assert "通知设置已保存" in phone.locator(".messages").inner_text()
    assert not phone.get_by_label("用短信提醒我的办理期限和邀请").is_checked()
    assert phone.get_by_label("用电子邮件发送通知").is_checked()

    preference = NotificationPreference.objects.get(user=deputy)
    assert (preference.sms, preference.email, preference.sms_accepted) == (False, True, True)
    entry = LogEntry.objects.get_for_object(preference).get()
    assert entry.additional_data["action"] == "notification_preference"
    assert entry.changes == {"sms": ["True", "False"]}
