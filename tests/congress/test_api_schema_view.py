"""The published schema at /api/schema/ answers requests that arrive together: drf-spectacular's generator keeps
state while it runs, so two generations at once broke each other (a 500 for one of them)."""

import threading

import pytest
from django.test import Client

from congress.api import schema

THREADS = 6


def test_overlapping_schema_requests_all_get_the_same_schema():
    # No database: the schema is the same for everyone (no login), and each thread would need its own connection.
    schema.forget_schemas()
    start = threading.Barrier(THREADS)
    answers = [None] * THREADS

    def fetch(index):
        client = Client(raise_request_exception=False)
        start.wait()
        response = client.get("/api/schema/", {"format": "json"})
        answers[index] = (response.status_code, response.content)

    threads = [threading.Thread(target=fetch, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _body in answers] == [200] * THREADS
    assert len({body for _status, body in answers}) == 1


@pytest.mark.django_db
def test_the_schema_follows_the_requested_language(client):
    chinese = client.get("/api/schema/", {"format": "json", "lang": "zh-hans"}).json()
    english = client.get("/api/schema/", {"format": "json", "lang": "en"}).json()
    assert chinese["paths"].keys() == english["paths"].keys()
    assert client.get("/api/schema/", {"format": "json", "lang": "xx" * 40}).status_code == 200
