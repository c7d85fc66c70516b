"""Integration clients cannot carry more than the people behind them: a scope is granted only by someone who
holds its permissions, every client has an owner against whom its reads of personal data are logged, and
creating a client, changing it and issuing a token are audited and told to the staff of its congress."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from congress import personal_data, services
from congress.errors import Forbidden, RuleViolation
from congress.models import ApiClient, Notification
from tests import factories
from tests.deputies.factories import MandateFactory

pytestmark = pytest.mark.django_db

PERSONAL = "personal-data:read"
ADD = "/console/congress/apiclient/add/"


def _permitted(user, *codenames):
    """user granted the named permissions (both personal-data ones by default), reloaded so has_perm sees them."""
    labels = codenames or ("deputies.view_personal_data", "liaison_stations.view_citizen_phone")
    for label in labels:
        app_label, codename = label.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def th_staff(tianhe):
    """Staff of the county without the personal-data permissions."""
    return factories.staff_of(tianhe, username="th_staff")


@pytest.fixture
def permitted(tianhe):
    return _permitted(factories.staff_of(tianhe, username="th_privacy"))


def _change(client, actor, **fields):
    values = {"name": client.name, "scopes": client.scopes, "allowed_ips": client.allowed_ips,
              "rate_per_minute": client.rate_per_minute, "is_active": client.is_active, **fields}  # fmt: skip
    return services.change_api_client(actor=actor, client_id=client.pk, **values)


def _form_post(client, **fields):
    return {"name": client.name, "scopes": client.scopes, "allowed_ips": "", "rate_per_minute": 600,
            "is_active": "on", "webhooks-TOTAL_FORMS": 0, "webhooks-INITIAL_FORMS": 0, **fields}  # fmt: skip


# A user grants only the scopes whose permissions they hold


def test_staff_without_the_personal_data_permission_cannot_create_a_personal_data_client(tianhe, th_staff):
    with pytest.raises(Forbidden) as refused:
        services.create_api_client(actor=th_staff, name="泄露平台", congress=tianhe,
                                   scopes=["deputies:read", PERSONAL])  # fmt: skip
    assert PERSONAL in str(refused.value.message) and "deputies:read" not in str(refused.value.message)
    assert refused.value.fields["scopes"]
    assert not ApiClient.objects.exists()


def test_staff_without_the_personal_data_permission_cannot_create_one_in_the_console(client, tianhe, th_staff):
    client.force_login(th_staff)
    response = client.post(ADD, {"name": "泄露平台", "congress": tianhe.pk, "scopes": ["deputies:read", PERSONAL],
                                 "allowed_ips": "", "rate_per_minute": 600})  # fmt: skip
    assert response.status_code in (200, 403)
    assert PERSONAL in response.content.decode()  # the refusal names the scope
    assert not ApiClient.objects.exists()


def test_one_of_the_two_personal_data_permissions_is_not_enough(tianhe):
    # A client with the scope unmasks citizens' phones too, which deputies' permission alone does not.
    half = _permitted(factories.staff_of(tianhe), "deputies.view_personal_data")
    with pytest.raises(Forbidden):
        services.create_api_client(actor=half, name="半权限", congress=tianhe, scopes=[PERSONAL])


def test_staff_holding_the_permissions_grant_personal_data_and_own_the_client(tianhe, permitted):
    client, _token = services.create_api_client(actor=permitted, name="省平台", congress=tianhe,
                                                scopes=["deputies:read", PERSONAL])  # fmt: skip
    assert client.scopes == ["deputies:read", PERSONAL]
    assert client.owner == permitted


def test_staff_grant_the_area_scopes_of_their_own_congress_only(tianhe, nanshan, th_staff):
    every_area = [value for value, _label in services.api_scopes() if value != PERSONAL]
    client, _token = services.create_api_client(actor=th_staff, name="区平台", congress=tianhe, scopes=every_area)
    assert client.scopes == sorted(every_area)
    with pytest.raises(Forbidden):
        services.create_api_client(actor=th_staff, name="别区平台", congress=nanshan, scopes=["reference:read"])


def test_a_superuser_grants_every_scope(tianhe):
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    every = [value for value, _label in services.api_scopes()]
    client, _token = services.create_api_client(actor=admin, name="全权", congress=tianhe, scopes=every)
    assert client.scopes == sorted(every) and client.owner == admin


def test_the_system_grants_what_it_is_told_and_names_the_owner(tianhe, th_staff):
    client, _token = services.create_api_client(actor=None, name="命令行", congress=tianhe, scopes=[PERSONAL],
                                                owner=th_staff)  # fmt: skip
    assert client.owner == th_staff
    with pytest.raises(RuleViolation) as refused:
        services.create_api_client(actor=None, name="无主", congress=tianhe, scopes=["reference:read"])
    assert "owner" in refused.value.fields


def test_a_person_cannot_issue_a_new_client_to_someone_else(tianhe, permitted, th_staff):
    with pytest.raises(RuleViolation) as refused:
        services.create_api_client(actor=permitted, name="代他人", congress=tianhe, scopes=["reference:read"],
                                   owner=th_staff)  # fmt: skip
    assert "owner" in refused.value.fields


def test_the_command_asks_for_the_owner(tianhe):
    with pytest.raises(CommandError, match="--owner"):
        call_command("create_api_client", "省级平台", "--congress", "440106")
    assert not ApiClient.objects.exists()


def test_staff_without_the_permission_cannot_add_personal_data_to_a_client(tianhe, th_staff):
    client, _token = services.create_api_client(actor=th_staff, name="区平台", congress=tianhe,
                                                scopes=["deputies:read"])  # fmt: skip
    with pytest.raises(Forbidden) as refused:
        _change(client, th_staff, scopes=["deputies:read", PERSONAL])
    assert PERSONAL in str(refused.value.message)
    client.refresh_from_db()
    assert client.scopes == ["deputies:read"]


def test_staff_without_the_permission_cannot_add_personal_data_in_the_console(client, tianhe, th_staff):
    api, _token = services.create_api_client(actor=th_staff, name="区平台", congress=tianhe, scopes=["deputies:read"])
    client.force_login(th_staff)
    response = client.post(f"/console/congress/apiclient/{api.pk}/change/",
                           _form_post(api, scopes=["deputies:read", PERSONAL]))  # fmt: skip
    assert response.status_code in (200, 403)
    assert PERSONAL in response.content.decode()
    api.refresh_from_db()
    assert api.scopes == ["deputies:read"]


def test_a_scope_the_client_holds_may_be_kept_or_dropped_by_staff_without_its_permission(tianhe, permitted, th_staff):
    client, _token = services.create_api_client(actor=permitted, name="省平台", congress=tianhe,
                                                scopes=["deputies:read", PERSONAL])  # fmt: skip
    _change(client, th_staff, rate_per_minute=60)
    assert _change(client, th_staff, scopes=["deputies:read"]).scopes == ["deputies:read"]


def test_a_scope_the_owner_does_not_hold_is_not_added_to_their_client(tianhe, permitted, th_staff):
    # th_staff holds the token: the client must not gain what th_staff could not see, whoever grants it.
    client, _token = services.create_api_client(actor=th_staff, name="区平台", congress=tianhe,
                                                scopes=["deputies:read"])  # fmt: skip
    with pytest.raises(RuleViolation) as refused:
        _change(client, permitted, scopes=["deputies:read", PERSONAL])
    assert PERSONAL in refused.value.fields["scopes"][0]


def test_a_new_token_goes_only_to_someone_who_could_grant_every_scope_of_the_client(client, tianhe, permitted,
                                                                                    th_staff):  # fmt: skip
    api, token = services.create_api_client(actor=permitted, name="省平台", congress=tianhe, scopes=[PERSONAL])
    with pytest.raises(Forbidden) as refused:
        services.rotate_api_token(actor=th_staff, client=api)
    assert PERSONAL in str(refused.value.message)
    client.force_login(th_staff)
    response = client.post("/console/congress/apiclient/", {"action": "rotate_token", "_selected_action": [api.pk]},
                           follow=True)  # fmt: skip
    assert PERSONAL in " ".join(str(m) for m in response.context["messages"])
    assert services.authenticate_token(token) == api


def test_the_person_a_token_is_issued_to_becomes_the_owner(tianhe, permitted, th_staff):
    client, _token = services.create_api_client(actor=th_staff, name="区平台", congress=tianhe,
                                                scopes=["deputies:read"])  # fmt: skip
    services.rotate_api_token(actor=permitted, client=client)
    client.refresh_from_db()
    assert client.owner == permitted
    entry = LogEntry.objects.get_for_object(client).filter(additional_data__action="rotate_token").get()
    assert entry.actor == permitted and entry.additional_data["owner"] == permitted.pk


# The console


def test_the_console_offers_only_the_scopes_the_user_may_grant(client, tianhe, th_staff, permitted):
    def offered(user, path=ADD):
        client.force_login(user)
        return {value for value, _label in client.get(path).context["adminform"].form.fields["scopes"].choices}

    assert PERSONAL not in offered(th_staff)
    assert "deputies:write" in offered(th_staff)
    assert PERSONAL in offered(permitted)
    # On a client's page its own scopes are offered too, to be kept or dropped.
    api, _token = services.create_api_client(actor=permitted, name="省平台", congress=tianhe, scopes=[PERSONAL])
    assert PERSONAL in offered(th_staff, f"/console/congress/apiclient/{api.pk}/change/")


def test_the_console_sets_the_owner_to_the_creating_user_and_shows_it(client, tianhe, th_staff):
    th_staff.name = "林晓东"
    th_staff.save(update_fields=["name"])
    client.force_login(th_staff)
    client.post(ADD, {"name": "区平台", "congress": tianhe.pk, "scopes": ["reference:read"], "allowed_ips": "",
                      "rate_per_minute": 600})  # fmt: skip
    api = ApiClient.objects.get(name="区平台")
    assert api.owner == th_staff
    assert "林晓东" in client.get(f"/console/congress/apiclient/{api.pk}/change/").content.decode()
    assert "林晓东" in client.get("/console/congress/apiclient/").content.decode()


# Reads of personal data through a client are logged against its owner


def test_a_clients_personal_data_read_is_logged_against_its_owner(api_client, tianhe, permitted):
    mandate = MandateFactory(congress=tianhe, person__phone="13912345678")
    client, token = services.create_api_client(actor=permitted, name="省平台", congress=tianhe,
                                               scopes=["deputies:read", PERSONAL])  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert "13912345678" in api_client.get(f"/api/v1/deputies/{mandate.person_id}/").content.decode()
    (entry,) = LogEntry.objects.filter(additional_data__action=personal_data.ACTION)
    assert entry.actor == client.user
    assert (entry.additional_data["client"], entry.additional_data["owner"]) == (client.pk, permitted.pk)
    assert LogEntry.objects.filter(additional_data__action=personal_data.ACTION,
                                   additional_data__owner=permitted.pk).count() == 1  # fmt: skip


# Creating, changing and issuing a token are audited and told to the congress's staff


def _told(client):
    return sorted(Notification.objects.filter(key__startswith=f"api-client:{client.pk}:").values_list(
        "recipient__username", flat=True))  # fmt: skip


def test_creating_a_client_is_audited_and_told_to_the_congress_staff_once(tianhe, nanshan, th_staff):
    colleague = factories.staff_of(tianhe, username="th_colleague")
    factories.staff_of(nanshan, username="ns_staff")
    factories.deputy_of(tianhe, username="th_deputy")
    client, _token = services.create_api_client(actor=th_staff, name="区平台", congress=tianhe,
                                                scopes=["reference:read"])  # fmt: skip
    assert _told(client) == sorted([th_staff.username, colleague.username])
    notice = Notification.objects.get(recipient=colleague, key__startswith=f"api-client:{client.pk}:")
    assert "区平台" in notice.title and "reference:read" in notice.body
    entry = LogEntry.objects.get_for_object(client).filter(additional_data__action="create").get()
    assert entry.actor == th_staff and entry.additional_data["owner"] == th_staff.pk


def test_changing_a_client_is_audited_and_told_once_however_often_it_is_sent(tianhe, th_staff, permitted):
    client, _token = services.create_api_client(actor=th_staff, name="区平台", congress=tianhe,
                                                scopes=["reference:read"])  # fmt: skip
    Notification.objects.all().delete()
    for _attempt in range(2):  # a repeated request changes nothing the second time
        _change(client, permitted, scopes=["reference:read", "training:read"])
    assert _told(client) == sorted([th_staff.username, permitted.username])
    assert "training:read" in Notification.objects.filter(recipient=th_staff).get().body
    entry = LogEntry.objects.get_for_object(client).filter(additional_data__action="change").get()
    assert entry.actor == permitted and "scopes" in entry.changes_dict


def test_issuing_a_new_token_is_audited_and_told_to_the_congress_staff(tianhe, th_staff, permitted):
    client, _token = services.create_api_client(actor=th_staff, name="区平台", congress=tianhe,
                                                scopes=["reference:read"])  # fmt: skip
    Notification.objects.all().delete()
    services.rotate_api_token(actor=permitted, client=client)
    assert _told(client) == sorted([th_staff.username, permitted.username])
    assert LogEntry.objects.get_for_object(client).filter(additional_data__action="rotate_token").get().actor == (
        permitted
    )


def test_existing_clients_get_the_person_their_latest_token_was_issued_to(tianhe, th_staff, permitted):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("congress.migrations.0015_api_client_owner")
    created, _token = services.create_api_client(actor=th_staff, name="甲", congress=tianhe, scopes=[])
    rotated, _token = services.create_api_client(actor=th_staff, name="乙", congress=tianhe, scopes=[])
    services.rotate_api_token(actor=permitted, client=rotated)
    by_command, _token = services.create_api_client(actor=None, name="丙", congress=tianhe, scopes=[], owner=th_staff)
    rotated_by_command, _token = services.create_api_client(actor=th_staff, name="丁", congress=tianhe, scopes=[])
    services.rotate_api_token(actor=None, client=rotated_by_command)
    ApiClient.objects.update(owner=None)  # as before owners existed
    migration.owners_from_the_audit_log(apps, None)
    owners = dict(ApiClient.objects.values_list("name", "owner"))
    assert owners == {"甲": th_staff.pk, "乙": permitted.pk, "丙": None, "丁": None}
