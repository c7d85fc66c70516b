"""Two staff members acting on the same suggestion at once: the row lock lets exactly one win."""

import threading

import pytest
from django.db import connection

from congress.errors import InvalidTransition
from suggestions import services
from suggestions.models import Assignment

from . import factories as f

# serialized_rollback puts back the rows the migrations seeded (the country, the code lists), which the flush
# after a transactional test removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_concurrent_assignment_by_two_staff_assigns_once(congress, mandate, lead_unit, co_unit):
    from tests import factories as core

    first, second = core.staff_of(congress), core.staff_of(congress)
    suggestion = f.accepted(mandate, first)
    barrier = threading.Barrier(2)
    outcomes = []

    def assign(actor, unit):
        try:
            barrier.wait()
            services.assign(actor=actor, suggestion_id=suggestion.pk, lead_id=unit.pk)
            outcomes.append("assigned")
        except InvalidTransition as error:
            outcomes.append(str(error.message))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=assign, args=(first, lead_unit[0])),
        threading.Thread(target=assign, args=(second, co_unit[0])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("assigned") == 1
    assert len(outcomes) == 2
    assert Assignment.objects.filter(suggestion=suggestion).count() == 1
