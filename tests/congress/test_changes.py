"""The changes feed: deletions and merges leave tombstones a mirror can follow, within the client's scope."""

import pytest
from django.db.models import ProtectedError

from congress import services
from congress.models import Tombstone
from tests import factories
from tests.deputies.factories import current_term
from tests.suggestions import factories as suggestion_factories

pytestmark = pytest.mark.django_db


def client_for(api_client, congress, scopes):
    _client, token = services.create_api_client(actor=None, name=f"c{congress.pk}-{len(scopes)}", congress=congress,
                                                scopes=scopes, owner=factories.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api_client


def test_deleting_a_record_leaves_a_tombstone_with_its_region():
    congress = factories.CongressFactory()
    category = suggestion_factories.CategoryFactory(congress=congress)
    pk = category.pk
    category.delete()
    tombstone = Tombstone.objects.get()
    assert (tombstone.resource, tombstone.object_id, tombstone.action, tombstone.region_code) == (
        "suggestion-categories", pk, "deleted", "44"
    )  # fmt: skip


def test_a_delete_that_fails_leaves_no_tombstone():
    congress = factories.CongressFactory()
    current_term(congress)
    mandate = suggestion_factories.deputy(congress)
    category = suggestion_factories.draft(mandate).category  # in use by the draft: protected
    with pytest.raises(ProtectedError):
        category.delete()
    assert not Tombstone.objects.exists()


def test_merging_leaves_merged_tombstones_pointing_at_the_primary():
    congress = factories.CongressFactory()
    current_term(congress)
    staff = factories.staff_of(congress)
    first = suggestion_factories.accepted(suggestion_factories.deputy(congress), staff)
    second = suggestion_factories.accepted(suggestion_factories.deputy(congress), staff)
    from suggestions import services as suggestion_services

    suggestion_services.merge(actor=staff, primary_id=first.pk, other_ids=[second.pk])
    tombstone = Tombstone.objects.get()
    assert (tombstone.resource, tombstone.object_id, tombstone.action, tombstone.merged_into) == (
        "suggestions", second.pk, "merged", first.pk
    )  # fmt: skip


def test_client_reads_changes_of_its_region_and_scopes_only(api_client):
    province = factories.CongressFactory()
    Tombstone.objects.create(resource="suggestions", object_id=1, action="deleted", region_code="440106")
    Tombstone.objects.create(resource="suggestions", object_id=2, action="deleted", region_code="5101")
    Tombstone.objects.create(resource="stations", object_id=3, action="deleted", region_code="44")
    client = client_for(api_client, province, ["suggestions:read"])
    rows = client.get("/api/v1/changes/").json()["results"]
    assert [(row["resource"], row["object_id"]) for row in rows] == [("suggestions", 1)]


def test_changes_page_after_a_known_change_id(api_client):
    province = factories.CongressFactory()
    first = Tombstone.objects.create(resource="suggestions", object_id=1, action="deleted", region_code="44")
    Tombstone.objects.create(resource="suggestions", object_id=2, action="deleted", region_code="44")
    client = client_for(api_client, province, ["suggestions:read"])
    rows = client.get(f"/api/v1/changes/?after={first.pk}").json()["results"]
    assert [row["object_id"] for row in rows] == [2]


def test_deputy_sees_no_changes(api_client):
    congress = factories.CongressFactory()
    Tombstone.objects.create(resource="suggestions", object_id=1, action="deleted", region_code="44")
    api_client.force_authenticate(factories.deputy_of(congress))
    assert api_client.get("/api/v1/changes/").json()["results"] == []


def test_changes_queries_do_not_grow_with_page_size(api_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    province = factories.CongressFactory()
    Tombstone.objects.bulk_create(
        [Tombstone(resource="suggestions", object_id=n, action="deleted", region_code="44") for n in range(60)]
    )
    client = client_for(api_client, province, ["suggestions:read"])
    counts = []  # after a first call: the client's last-use stamp is written at most once a minute
    for size in (1, 1, 50):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/v1/changes/?page_size={size}").status_code == 200
        counts.append(len(captured))
    assert counts[1] == counts[2]


def _every_tracked_resource():
    from congress import tombstones

    return sorted({(resource, api_scope) for resource, api_scope, _region_of in tombstones._tracked.values()})


def test_a_reference_client_sees_no_change_of_another_area(api_client):
    province = factories.CongressFactory()
    tracked = _every_tracked_resource()
    Tombstone.objects.bulk_create(
        [Tombstone(resource=resource, object_id=n, action="deleted", region_code="44")
         for n, (resource, _scope) in enumerate(tracked)]
    )  # fmt: skip
    client = client_for(api_client, province, ["reference:read"])
    rows = client.get("/api/v1/changes/?page_size=100").json()["results"]
    assert {row["resource"] for row in rows} == {resource for resource, scope in tracked if scope == "reference"}
    assert not {"suggestions", "deputies", "opinions", "cases/submissions"} & {row["resource"] for row in rows}


def test_each_resource_in_the_changes_feed_needs_the_read_scope_of_its_area(api_client):
    province = factories.CongressFactory()
    tracked = _every_tracked_resource()
    reads = [value for value, _label in services.api_scopes() if value.endswith(":read")]
    Tombstone.objects.bulk_create(
        [Tombstone(resource=resource, object_id=n, action="deleted", region_code="")  # region unknown: any reader
         for n, (resource, _scope) in enumerate(tracked)]
    )  # fmt: skip

    def seen_with(name, scopes):
        _client, token = services.create_api_client(
            actor=None, name=name, congress=province, scopes=scopes, owner=factories.UserFactory()
        )
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return {row["resource"] for row in api_client.get("/api/v1/changes/?page_size=100").json()["results"]}

    for area in sorted({scope for _resource, scope in tracked}):
        of_area = {resource for resource, scope in tracked if scope == area}
        assert seen_with(f"only {area}", [f"{area}:read"]) == of_area, area
        assert not seen_with(f"all but {area}", [scope for scope in reads if scope != f"{area}:read"]) & of_area, area


def test_every_tracked_resource_needs_the_scope_of_the_api_that_serves_it():
    """A tombstone's resource names an API list; reading its deletions needs the same scope as reading the list."""
    from django.urls import resolve

    for resource, api_scope in _every_tracked_resource():
        view = resolve(f"/api/v1/{resource}/").func.cls
        assert view.api_scope == api_scope, resource
