"""Security headers on every kind of page: a Content-Security-Policy without inline code, and the templates
keep it that way (no inline script, event handler or style attribute can come back unnoticed)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from congress.settings import tile_source
from tests import factories
from tests.liaison_stations.factories import StationFactory

ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.fixture
def pages(client):
    station = StationFactory()
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    public = [reverse("liaison_stations:directory"), reverse("liaison_stations:public_opinion", args=[station.slug]),
              reverse("login"), reverse("password_reset")]  # fmt: skip
    signed_in = ["/", "/console/", "/api/docs/", "/api/docs/?script=", "/api/redoc/"]
    responses = {path: client.get(path) for path in public}
    client.force_login(admin)
    responses.update({path: client.get(path) for path in signed_in})
    return responses


@pytest.mark.django_db
def test_main_pages_answer_with_a_policy_without_inline_code(pages):
    for path, response in pages.items():
        assert response.status_code == 200, path
        policy = directives(response)
        header = response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, path
        assert policy["script-src"] == ["'self'"], path
        if path != "/api/redoc/":
            assert policy["style-src"] == ["'self'"], path
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"], path
        assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"], path
        assert policy["base-uri"] == ["'self'"], path


@pytest.mark.django_db
def test_main_pages_send_the_other_security_headers(pages):
    for path, response in pages.items():
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "same-origin", path
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", path
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert "camera=()" in response.headers["Permissions-Policy"], path


@pytest.mark.django_db
def test_the_swagger_start_up_script_is_served_as_a_file(pages):
    assert pages["/api/docs/?script="].headers["Content-Type"].startswith("application/javascript")
    assert 'src="/api/docs/?script="' in pages["/api/docs/"].content.decode()


@pytest.mark.django_db
def test_redoc_alone_lets_in_its_styles_by_nonce_and_hash_and_its_search_worker(pages):
    policy = directives(pages["/api/redoc/"])
    nonce = re.search(r'data-nonce="([^"]+)"', pages["/api/redoc/"].content.decode()).group(1)
    assert policy["style-src"][:2] == ["'self'", f"'nonce-{nonce}'"]
    assert all(source.startswith("'sha256-") for source in policy["style-src"][2:])
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert "nonce-" not in pages["/api/docs/"].headers["Content-Security-Policy"]


def test_the_map_tile_server_is_allowed_for_images():
    assert tile_source("https://{s}.tiles.example.org/{z}/{x}/{y}.png") == ["https://*.tiles.example.org"]
    assert tile_source("http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png") == ["http://10.1.2.3:8080"]
    assert tile_source("") == []


# Inline code the policy would refuse: a <script> with content, an on…= handler, a style attribute or element,
# a javascript: address.
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
FORBIDDEN = [
    (re.compile(r"^<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"^<style\b", re.I), "<style> element"),
    (re.compile(r"javascript:", re.I), "javascript: address"),
]


# E-mail is read in mail clients, never served under the site's Content-Security-Policy, and mail clients take
# styles only inline: its templates may style their elements in place (and nothing else).
EMAIL_TEMPLATES = ROOT / "templates" / "email"


def project_templates() -> list[Path]:
    folders = [Path(folder) for config in settings.TEMPLATES for folder in config["DIRS"]]
    folders += [path for path in ROOT.glob("*/templates") if path.is_dir()]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)


def inline_code(text: str) -> list[str]:
    text = COMMENT.sub("", text)
    return [
        f"{reason}: {tag[:80]}" for tag in TAG.findall(text) for pattern, reason in FORBIDDEN if pattern.search(tag)
    ]


def test_no_template_has_inline_code():
    found = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in project_templates()
        for problem in inline_code(path.read_text())
        if not (path.is_relative_to(EMAIL_TEMPLATES) and problem.startswith("style attribute"))
    ]
    assert found == []


@pytest.mark.parametrize(
    "snippet",
    ['<script>alert(1)</script>', '<select onchange="this.form.submit()">', '<p style="color:red">',
     "<style>p{}</style>", '<a href="javascript:print()">'],
)  # fmt: skip
def test_the_template_scan_finds_inline_code(snippet):
    assert inline_code(snippet)


def test_the_template_scan_allows_external_scripts_data_and_comments():
    assert inline_code('<script src="/static/x.js" defer></script><script id="d" type="application/json">') == []
    assert inline_code("{# not an inline <style> #}") == []


def test_deploy_check_with_production_settings_finds_nothing():
    # Not DJANGO_ALLOW_ASYNC_UNSAFE either, which the browser tests set for themselves.
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="renda.example.org", DEBUG="0",
               REDIS_URL="redis://127.0.0.1:6379/0")  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
