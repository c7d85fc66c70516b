"""A mirror kept through the API stays exact while records change under it: the cursor lists with
`updated_since` plus the changes feed, read while a writer edits, creates and deletes deputies."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from congress import services
from deputies import services as roster
from deputies.models import Mandate, Person
from tests import factories
from tests.deputies.factories import MandateFactory, PersonFactory, current_term


class Mirror:
    """What an integration client keeps: deputies by id, following lists and the changes feed."""

    def __init__(self, client):
        self.client, self.rows, self.since, self.after = client, {}, None, 0

    def _pages(self, url):
        while url:
            page = self.client.get(url).json()
            yield from page["results"]
            url = page["next"]

    def sync(self):
        started = timezone.now()
        url = "/api/v1/deputies/?cursor=&page_size=7"
        if self.since:
            url += f"&updated_since={self.since.isoformat().replace('+', '%2B')}"
        for row in self._pages(url):
            self.rows[row["id"]] = (row["name"], row["updated_at"])
        for change in self._pages(f"/api/v1/changes/?cursor=&after={self.after}&resource=deputies"):
            if change["action"] == "deleted":
                self.rows.pop(change["object_id"], None)
            self.after = max(self.after, change["id"])
        self.since = started


def writer(congress, staff, people, stop, errors):
    """Renames, adds and deletes deputies until told to stop."""
    try:
        serial = 0
        while not stop.is_set():
            serial += 1
            person = people[serial % len(people)]
            if serial % 5 == 0 and Person.objects.filter(pk=person.pk).exists():
                with transaction.atomic():  # a record entered by mistake: its seat, then the person
                    Mandate.objects.filter(person_id=person.pk).delete()
                    Person.objects.filter(pk=person.pk).delete()
            elif serial % 3 == 0:
                MandateFactory(congress=congress, person=PersonFactory(name=f"新代表{serial}"))
            elif Person.objects.filter(pk=person.pk).exists():
                fresh = Person.objects.get(pk=person.pk)
                fresh.name = f"{fresh.name.split('·')[0]}·{serial}"
                roster.save_person(actor=staff, person=fresh)
            time.sleep(0.005)
    except Exception as exc:  # surfaced by the test, not lost in the thread
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mirror_matches_after_concurrent_changes():
    congress = factories.CongressFactory()
    current_term(congress)
    people = [MandateFactory(congress=congress).person for _ in range(40)]
    _client, token = services.create_api_client(actor=None, name="镜像", congress=congress,
                                                scopes=["deputies:read"], rate_per_minute=100_000,
                                                owner=factories.UserFactory())  # fmt: skip
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    mirror = Mirror(api)

    stop, errors = threading.Event(), []
    thread = threading.Thread(target=writer, args=(congress, factories.staff_of(congress), people, stop, errors))
    thread.start()
    try:
        for _ in range(3):
            mirror.sync()
    finally:
        stop.set()
        thread.join()
    assert not errors
    mirror.sync()  # one pass after the last write, as the next scheduled run would

    truth = {row["id"]: (row["name"], row["updated_at"]) for row in Mirror(api)._pages("/api/v1/deputies/?cursor=")}
    assert Person.objects.count() == len(truth)
    assert mirror.rows == truth
