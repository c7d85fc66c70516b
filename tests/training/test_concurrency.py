"""Two deputies racing for the last place: the course row lock gives it to one; the other waits in line."""

import threading

import pytest
import time_machine
from django.db import connection

from training import services
from training.models import Enrolment

from . import factories as f

# serialized_rollback puts back the rows the migrations seeded (the country, the code lists), which the flush
# after a transactional test removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_deputies_racing_for_the_last_place_never_overfill_the_course(staff, congress):
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        course = f.course(staff, congress, capacity=2)
        f.sign_up(f.deputy(congress), course)
    racers = [f.deputy(congress), f.deputy(congress)]
    barrier = threading.Barrier(2)
    outcomes = []

    def race(mandate):
        try:
            with time_machine.travel("2026-05-11 10:05 +0800", tick=False):
                barrier.wait()
                outcomes.append(services.sign_up(actor=mandate.person.user, course_id=course.pk,
                                                 mandate_id=mandate.pk).status)  # fmt: skip
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(m,)) for m in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["signed_up", "waitlisted"]
    course.refresh_from_db()
    assert course.taken == course.capacity == 2
    assert Enrolment.objects.filter(course=course, status__in=["signed_up", "nominated", "confirmed"]).count() == 2
