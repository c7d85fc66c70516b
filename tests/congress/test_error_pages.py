"""With DEBUG off, every error answers with a page in the visitor's language (Chinese by default) that says what
happened and links back, never Django's bare English page or an empty body."""

import re

import pytest
from django.test import Client, override_settings

CJK = re.compile(r"[\u4e00-\u9fff]")
DJANGO_BARE = ("Bad Request (400)", "403 Forbidden", "Not Found", "Server Error (500)", "CSRF verification failed")
TITLES = {400: "无法处理此请求", 403: "无权打开此页面", 404: "找不到页面", 500: "系统出错了"}

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.congress.error_urls")]


def assert_chinese_page_with_a_way_home(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert len(CJK.findall(body)) > 20, body
    assert 'href="/"' in body and "返回首页" in body
    assert not any(bare in body for bare in DJANGO_BARE), body


@override_settings(DEBUG=False)
@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_each_error_status_is_a_chinese_page_with_a_link_home(status):
    response = Client(raise_request_exception=False).get(f"/boom/{status}/")
    assert_chinese_page_with_a_way_home(response, status)
    assert TITLES[status] in response.content.decode()


@override_settings(DEBUG=False)
def test_an_unknown_address_is_the_chinese_404_page(client):
    assert_chinese_page_with_a_way_home(client.get("/no/such/page/"), 404)


@override_settings(DEBUG=False)
def test_the_page_links_back_to_the_page_the_visitor_came_from():
    response = Client(raise_request_exception=False).get("/boom/400/", HTTP_REFERER="http://testserver/stations/")
    assert 'href="http://testserver/stations/"' in response.content.decode()
    assert "返回上一页" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_way_back_goes_only_to_this_site():
    response = Client(raise_request_exception=False).get("/boom/404/", HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in response.content.decode()


@override_settings(DEBUG=False, ALLOWED_HOSTS=["renda.example.gov.cn"])
def test_a_host_the_site_does_not_answer_is_the_chinese_400_page():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="other.example")
    assert_chinese_page_with_a_way_home(response, 400)


@override_settings(DEBUG=False)
def test_a_form_sent_without_its_csrf_token_is_the_chinese_page():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a", "password": "b"})
    assert_chinese_page_with_a_way_home(response, 403)
    assert "表单已过期" in response.content.decode()
