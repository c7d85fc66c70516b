"""The contact-duty reminder starts in the congress's month (October by default)."""

from datetime import date

import pytest

from congress import services as core_services
from deputies import services
from tests import factories as core

from .factories import MandateFactory

pytestmark = pytest.mark.django_db


def test_contact_reminder_month_follows_the_congress_policy():
    congress = core.CongressFactory()
    staff = core.staff_of(congress)
    member = core.supervisor_of(congress)  # contact pairs go to a member of the deputy's congress
    services.assign_contacts(actor=staff, member=member, mandates=[MandateFactory(congress=congress)])
    core_services.set_policy(actor=staff, congress=congress, key="contact.remind_from_month", value=11)
    assert services.remind_contact_duty(today=date(2026, 10, 31)) == 0
    assert services.remind_contact_duty(today=date(2026, 11, 1)) == 1
