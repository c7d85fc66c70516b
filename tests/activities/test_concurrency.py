"""Two deputies accepting the last place at once: the activity row lock gives it to one; the other waits in line."""

import threading

import pytest
import time_machine
from django.db import connection

from activities import services
from activities.models import Invitation

from . import factories as f

# serialized_rollback puts back the rows the migrations seeded (the country, the code lists), which the flush
# after a transactional test removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_deputies_racing_for_the_last_place_never_overfill_the_activity(staff, congress):
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        activity = f.activity(staff, congress, capacity=2)
        f.invite_and_accept(staff, activity, f.deputy(congress))
        racers = [f.deputy(congress), f.deputy(congress)]
        invitations = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[m.pk for m in racers]).invited
    barrier = threading.Barrier(2)
    outcomes = []

    def race(invitation):
        try:
            with time_machine.travel("2026-05-11 10:05 +0800", tick=False):
                barrier.wait()
                user = invitation.mandate.person.user
                outcomes.append(services.accept(actor=user, invitation_id=invitation.pk).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(i,)) for i in invitations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "waitlisted"]
    activity.refresh_from_db()
    assert activity.taken == activity.capacity == 2
    assert Invitation.objects.filter(activity=activity, status="accepted").count() == 2
