"""docker-compose.yml read as compose reads it (Docker does not run here): the web service's health check, run
against the app with the settings compose gives it, passes; every setting of the README's table can be passed
through the env file; and the database password has no default."""

import re
import subprocess
import sys
import threading
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import yaml
from django.core.wsgi import get_wsgi_application
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
VARIABLE = re.compile(r"\$\{(\w+)(?::([?-])([^}]*))?\}")
# What an operator fills into the required blanks of .env.example.
FILLED = {"SECRET_KEY": "k" * 50, "FIELD_ENCRYPTION_KEYS": "a" * 43 + "=", "FIELD_HASH_KEY": "h" * 50,
          "POSTGRES_PASSWORD": "s3cret"}  # fmt: skip


def env_example() -> dict:
    """The settings .env.example sets (uncommented lines); commented ones are listed under the same names."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _sep, value = line.partition("=")
            values[name] = value
    return values


def env_example_names() -> set:
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))


def interpolate(value: str, env: dict) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}."""

    def one(match):
        name, kind, rest = match.groups()
        if env.get(name):
            return env[name]
        if kind == "?":
            raise LookupError(f"{name}: {rest}")
        return rest if kind == "-" else ""

    return VARIABLE.sub(one, value)


def service_environment(service: str, env: dict) -> dict:
    """The environment compose gives a service: its env_file, then its `environment`, interpolated."""
    spec = COMPOSE["services"][service]
    result = dict(env) if spec.get("env_file") else {}
    for name, value in (spec.get("environment") or {}).items():
        result[name] = interpolate(str(value), env)
    return result


def readme_settings() -> set:
    text = (ROOT / "README.md").read_text()
    table = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def app_server():
    """The app served over HTTP in a thread: the health check is a real request with a real Host header."""
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("hosts", [None, "localhost", "renda.example.gov.cn,www.renda.example.gov.cn",
                                   ".example.gov.cn", "*"])  # fmt: skip
def test_the_web_health_check_passes_with_the_settings_compose_gives_web(app_server, hosts):
    env = {**env_example(), **FILLED}
    if hosts:
        env["ALLOWED_HOSTS"] = hosts
    web = service_environment("web", env)
    check = COMPOSE["services"]["web"]["healthcheck"]["test"]
    assert check[:3] == ["CMD", "python", "-c"]
    code = check[3]
    assert "http://127.0.0.1:8000/healthz" in code
    allowed = [host.strip() for host in web["ALLOWED_HOSTS"].split(",") if host.strip()]
    with override_settings(DEBUG=False, ALLOWED_HOSTS=allowed, SECURE_SSL_REDIRECT=True):
        result = subprocess.run([sys.executable, "-c", code.replace("http://127.0.0.1:8000", app_server)],
                                env={"ALLOWED_HOSTS": web["ALLOWED_HOSTS"]}, capture_output=True, text=True,
                                timeout=30)  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_health_check_would_fail_on_a_host_the_settings_refuse(app_server):
    """The test above can fail: the same check against settings that refuse its host name exits non-zero."""
    code = COMPOSE["services"]["web"]["healthcheck"]["test"][3]
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["elsewhere.example"]):
        result = subprocess.run([sys.executable, "-c", code.replace("http://127.0.0.1:8000", app_server)],
                                env={"ALLOWED_HOSTS": "renda.example.gov.cn"}, capture_output=True, text=True,
                                timeout=30)  # fmt: skip
    assert result.returncode != 0


def test_every_app_service_reads_the_env_file():
    app_services = [name for name, spec in COMPOSE["services"].items() if "build" in spec]
    assert {"migrate", "web", "worker", "beat"} <= set(app_services)
    assert all(COMPOSE["services"][name].get("env_file") == ".env" for name in app_services)


def test_every_setting_in_the_readme_table_is_in_the_env_example():
    listed = readme_settings()
    assert {"RATELIMIT_IP_META_KEY", "EMAIL_HOST", "SMS_BACKEND", "MAP_TILES_URL", "LOG_LEVEL"} <= listed
    missing = sorted(listed - env_example_names() - {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"})
    assert not missing, f"settings of the README's table missing from .env.example: {missing}"


def test_every_variable_the_settings_read_is_in_the_readme_table():
    source = (ROOT / "congress" / "settings.py").read_text()
    read = set(re.findall(r"(?:environ\.get|env_bool|env_list)\(\s*\"([A-Z][A-Z0-9_]+)\"", source))
    assert {"SECRET_KEY", "LOG_LEVEL", "EMAIL_BACKEND"} <= read
    missing = sorted(read - readme_settings())
    assert not missing, f"settings read from the environment but not in the README's table: {missing}"


def test_the_env_example_sets_only_known_settings():
    unknown = sorted(set(env_example()) - readme_settings() - {"POSTGRES_PASSWORD"})
    assert not unknown, f".env.example sets variables nothing reads: {unknown}"


def test_the_database_password_has_no_default():
    env = {**env_example(), **FILLED}
    del env["POSTGRES_PASSWORD"]
    for service in ("postgres", "migrate", "web", "worker", "beat"):
        with pytest.raises(LookupError, match="POSTGRES_PASSWORD"):
            service_environment(service, env)
    uses = re.findall(r"\$\{POSTGRES_PASSWORD[^}]*\}", (ROOT / "docker-compose.yml").read_text())
    assert uses and all(use.startswith("${POSTGRES_PASSWORD:?") for use in uses)


def test_the_app_and_the_database_share_the_password():
    env = {**env_example(), **FILLED}
    database = service_environment("postgres", env)["POSTGRES_PASSWORD"]
    assert f"congress:{database}@postgres" in service_environment("web", env)["DATABASE_URL"]
