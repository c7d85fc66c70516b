import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default(client):
    body = client.get("/accounts/login/").content.decode()
    assert "登录" in body


def test_english_is_switchable(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Log in" in client.get("/accounts/login/").content.decode()


def test_anonymous_visitors_get_the_public_front_door_not_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    for address in ("/stations/", "/stations/track/", "/suggestions/public/", "/deputies/public/", "/accounts/login/"):
        assert f'"{address}' in body, address
    assert "Welcome" not in body and "欢迎" not in body


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


def test_landing_page_deadlines_stay_within_scope(client):
    from datetime import date

    import time_machine

    from congress import deadlines

    tianhe = factories.CongressFactory(region=factories.county("440106", "天河区"))
    nanshan = factories.CongressFactory(region=factories.county("440305", "南山区"))
    mine = factories.OrganisationFactory(name="天河区教育局", region=tianhe.region)
    theirs = factories.OrganisationFactory(name="南山区教育局", region=nanshan.region)
    for congress, unit in ((tianhe, mine), (nanshan, theirs)):
        deadlines.open_deadline(
            subject=unit,
            kind="test.assign",
            start=date(2026, 11, 23),
            value=5,
            unit="workdays",
            congress=congress,
            responsible_org=unit,
        )
    client.force_login(factories.staff_of(tianhe))
    with time_machine.travel("2026-11-23 10:00 +0800"):
        body = client.get("/").content.decode()
    assert "天河区教育局" in body
    assert "南山区教育局" not in body


def test_browser_asking_for_english_still_gets_chinese_by_default(client):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in body


def test_every_page_names_its_icon_and_the_icon_is_served(client):
    from django.contrib.staticfiles import finders

    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/congress/favicon.svg"' in page
    assert finders.find("congress/favicon.svg")


def test_the_language_menu_names_each_language_in_itself(client):
    # A reader of English looks for "English", not for 英语.
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">English</option>" in page
    assert ">简体中文</option>" in page
    assert "英语" not in page
