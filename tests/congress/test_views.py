import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default(client):
    body = client.get("/accounts/login/").content.decode()
    assert "登录" in body


def test_english_is_switchable(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Log in" in client.get("/accounts/login/").content.decode()


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_login_with_password_lands_on_home(client):
    user = factories.staff_of(factories.CongressFactory())
    response = client.post("/accounts/login/", {"username": user.username, "password": "Passw0rd!x"})
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize("role", ["staff", "deputy", "unit_officer", "supervisor", "station_manager"])
def test_each_role_has_a_landing_page(client, role):
    congress = factories.CongressFactory()
    user = factories.UserFactory()
    from congress.models import RoleMembership

    if role == "unit_officer":
        RoleMembership.objects.create(user=user, role=role, organisation=factories.OrganisationFactory(name="省教育厅"))
    else:
        RoleMembership.objects.create(user=user, role=role, congress=congress)
    client.force_login(user)
    body = client.get("/").content.decode()
    assert user.name in body
    assert ("省教育厅" if role == "unit_officer" else congress.name) in body


def test_staff_landing_links_to_console(client):
    client.force_login(factories.staff_of(factories.CongressFactory()))
    assert "/console/" in client.get("/").content.decode()
