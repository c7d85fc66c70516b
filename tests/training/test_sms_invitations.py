"""Issue 29: a nomination is an invitation the deputy answers by a deadline, so it is texted too (their preference
permitting); a sign-up's receipt is not."""

import pytest

from congress import services as core_services
from congress.models import SmsMessage, User
from congress.sms import limits
from training import services

from . import factories as f

pytestmark = pytest.mark.django_db
PHONE = "13912340003"


def with_phone(mandate):
    User.objects.filter(pk=mandate.person.user_id).update(phone=PHONE)
    return User.objects.get(pk=mandate.person.user_id)


def texts():
    return SmsMessage.objects.filter(phone_hash=limits.phone_key(PHONE))


def test_a_nominated_deputy_is_texted(staff, mandate, course, django_capture_on_commit_callbacks):
    with_phone(mandate)
    with django_capture_on_commit_callbacks(execute=True):
        services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk])
    assert texts().count() == 1


def test_a_nominated_deputy_with_sms_off_is_not_texted(staff, mandate, course, django_capture_on_commit_callbacks):
    user = with_phone(mandate)
    core_services.set_notification_preference(actor=user, sms=False, email=True, sms_accepted=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk])
    assert not texts().exists()


def test_a_sign_up_receipt_is_not_texted(congress, course, django_capture_on_commit_callbacks):
    deputy = f.deputy(congress)
    with_phone(deputy)
    with django_capture_on_commit_callbacks(execute=True):
        f.sign_up(deputy, course)
    assert not texts().exists()
