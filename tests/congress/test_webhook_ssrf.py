"""Webhooks cannot be turned against the server's own network (server-side request forgery).

A client chooses the URL, so every address a host name gives must be public (or in WEBHOOK_ALLOWED_NETWORKS), when
the URL is saved and again at every attempt; the connection goes to the address that was checked; no redirect is
followed and no proxy variable read; a client learns only a coarse category of what went wrong."""

import datetime
import socket
import ssl
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from congress import services, webhooks
from congress.admin import WebhookEndpointForm
from congress.errors import RuleViolation
from congress.models import WebhookDelivery, WebhookEndpoint
from tests import factories

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"
LOOPBACK_ONLY = ["127.0.0.1/32"]

# Every way of naming an address the server must not call. The host names are answered by FakeDns below.
FORBIDDEN = [
    "https://127.0.0.1/hook",
    "https://127.0.0.2/hook",
    "https://localhost/hook",
    "https://2130706433/hook",  # 127.0.0.1 as one decimal number
    "https://0x7f000001/hook",  # ... as one hex number
    "https://127.1/hook",  # ... with the zero parts left out
    "https://0177.0.0.1/hook",  # ... in octal
    "https://0x7f.1/hook",
    "https://0/hook",  # 0.0.0.0
    "https://0.0.0.0/hook",
    "https://10.0.0.1/hook",
    "https://172.16.5.4/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
    "https://100.64.0.1/hook",  # CGNAT
    "https://224.0.0.1/hook",  # multicast
    "https://239.255.255.250/hook",
    "https://240.0.0.1/hook",  # reserved
    "https://255.255.255.255/hook",
    "https://198.18.0.1/hook",  # benchmarking
    "https://192.0.2.1/hook",  # documentation
    "https://[::1]/hook",
    "https://[::]/hook",
    "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped IPv6
    "https://[::ffff:7f00:1]/hook",
    "https://[::ffff:10.0.0.1]/hook",
    "https://[::127.0.0.1]/hook",  # IPv4-compatible (deprecated)
    "https://[64:ff9b::7f00:1]/hook",  # NAT64 of 127.0.0.1
    "https://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
    "https://[fe80::1]/hook",  # link-local
    "https://[fc00::1]/hook",  # unique local
    "https://[fd12:3456::1]/hook",
    "https://[fec0::1]/hook",  # site-local (deprecated)
    "https://[ff02::1]/hook",  # multicast
    "https://private.example.cn/hook",  # resolves to 10.1.2.3
    "https://v6private.example.cn/hook",  # resolves to ::1
    "https://mixed.example.cn/hook",  # resolves to a public and a private address
    "https://mapped.example.cn/hook",  # resolves to ::ffff:192.168.0.1
    f"https://{PUBLIC}@127.0.0.1/hook",  # a user name disguising the real host
    "https://user:secret@hooks.example.cn/hook",
    "ftp://hooks.example.cn/hook",
]
PUBLIC_URLS = [f"https://{PUBLIC}/hook", f"https://[{PUBLIC_V6}]/hook", "https://hooks.example.cn/hook",
               "https://hooks.example.cn:8443/hook?x=1", "https://人大.example.cn/hook"]  # fmt: skip


class FakeDns:
    """Answers chosen names (each call takes the next answer; the last one repeats; None: no such name) and passes
    every other name to the real resolver. `asked` lists the names looked up."""

    real = staticmethod(socket.getaddrinfo)

    def __init__(self):
        self.answers = {
            "hooks.example.cn": [[PUBLIC]],
            "xn--gmqz7w.example.cn": [[PUBLIC]],
            "private.example.cn": [["10.1.2.3"]],
            "v6private.example.cn": [["::1"]],
            "mixed.example.cn": [[PUBLIC, "10.1.2.3"]],
            "mapped.example.cn": [["::ffff:192.168.0.1"]],
        }
        self.asked = []

    def __call__(self, host, port, *args, **kwargs):
        if host not in self.answers:
            return self.real(host, port, *args, **kwargs)
        self.asked.append(host)
        answers = self.answers[host]
        addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        if addresses is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
            if ":" in address
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in addresses
        ]


@pytest.fixture
def dns(monkeypatch):
    fake = FakeDns()
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


class Receiver:
    """A local HTTP(S) endpoint: records requests (method, path, headers, body) and answers `status` (and
    `location`); with `tls` (an ssl server context) it speaks HTTPS and records the SNI name it was asked for."""

    def __init__(self, tls=None):
        self.requests, self.status, self.location, self.server_names = [], 200, None, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                receiver.requests.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_GET = do_PUT = _record

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        if tls is not None:
            tls.sni_callback = lambda sslobj, name, context: self.server_names.append(name)
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Listener:
    """A TCP port that accepts connections, counts them and never answers."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _address = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def platform():
    congress = factories.CongressFactory()
    api_client, _token = services.create_api_client(
        actor=None, name="省平台", congress=congress, scopes=["suggestions:read"], owner=factories.UserFactory()
    )
    return api_client


def stored_endpoint(platform, url):
    """An endpoint written straight to the table, as if saved before the rules (or its DNS) changed."""
    return WebhookEndpoint.objects.create(client=platform, url=url, events=["suggestion.published"], secret="s" * 64)


def attempt(endpoint) -> WebhookDelivery:
    webhooks.emit("suggestion.published", {"suggestion": 1}, region_code="44")  # sent on commit: not in a test
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    webhooks.deliver(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        return sock.getsockname()[1]


# Saving: the services (API) and the console form refuse every forbidden form


@pytest.mark.parametrize("url", FORBIDDEN)
def test_the_service_refuses_every_forbidden_address(platform, dns, url):
    with pytest.raises(RuleViolation) as error:
        webhooks.add_endpoint(actor=None, client=platform, url=url, events=["suggestion.published"])
    assert set(error.value.fields) == {"url"}
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("url", FORBIDDEN)
def test_the_api_refuses_every_forbidden_address(api_client, platform, dns, url):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {services.rotate_api_token(actor=None, client=platform)}")
    response = api_client.post("/api/v1/webhooks/", {"url": url, "events": ["suggestion.published"]}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"url"}
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("url", FORBIDDEN)
def test_the_console_form_refuses_every_forbidden_address(platform, dns, url):
    form = WebhookEndpointForm(data={"client": platform.pk, "url": url, "events": ["suggestion.published"],
                                     "is_active": "on"})  # fmt: skip
    assert not form.is_valid()
    assert set(form.errors) == {"url"}


def test_the_console_refuses_a_private_address_and_stores_nothing(client, platform, dns):
    client.force_login(factories.staff_of(platform.congress))
    response = client.post("/console/congress/webhookendpoint/add/", {
        "client": platform.pk, "url": "https://169.254.169.254/latest/", "events": ["suggestion.published"],
        "is_active": "on",
    })  # fmt: skip
    assert response.status_code == 200  # the form again, with the error
    assert set(response.context["adminform"].form.errors) == {"url"}
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_https_addresses_are_accepted(platform, dns, url):
    endpoint, _secret = webhooks.add_endpoint(actor=None, client=platform, url=url, events=["suggestion.published"])
    assert endpoint.url == url


def test_a_host_name_that_does_not_resolve_yet_is_accepted_and_checked_at_every_attempt(platform, dns):
    dns.answers["new.example.cn"] = [None, ["10.1.2.3"]]
    endpoint, _secret = webhooks.add_endpoint(actor=None, client=platform, url="https://new.example.cn/hook",
                                              events=["suggestion.published"])  # fmt: skip
    assert attempt(endpoint).last_error == "address refused"


def test_changing_an_endpoint_to_a_forbidden_address_is_refused(platform, dns):
    endpoint, _secret = webhooks.add_endpoint(actor=None, client=platform, url="https://hooks.example.cn/hook",
                                              events=["suggestion.published"])  # fmt: skip
    with pytest.raises(RuleViolation):
        webhooks.change_endpoint(actor=None, endpoint_id=endpoint.pk, url="https://0x7f000001/hook",
                                 events=["suggestion.published"], is_active=True)  # fmt: skip
    endpoint.refresh_from_db()
    assert endpoint.url == "https://hooks.example.cn/hook"


# https, and the allow-list for intranet receivers


def test_plain_http_is_refused_when_debug_is_off(platform, dns, settings):
    settings.DEBUG = False
    with pytest.raises(RuleViolation) as error:
        webhooks.add_endpoint(actor=None, client=platform, url="http://hooks.example.cn/hook",
                              events=["suggestion.published"])  # fmt: skip
    assert "https://" in str(error.value.fields["url"][0])


def test_plain_http_to_a_public_address_is_accepted_in_development(platform, dns, settings):
    settings.DEBUG = True
    webhooks.add_endpoint(actor=None, client=platform, url="http://hooks.example.cn/hook",
                          events=["suggestion.published"])  # fmt: skip
    assert WebhookEndpoint.objects.count() == 1


def test_debug_does_not_open_private_addresses(platform, dns, settings):
    settings.DEBUG = True
    with pytest.raises(RuleViolation):
        webhooks.add_endpoint(actor=None, client=platform, url="http://10.0.0.1/hook", events=["suggestion.published"])


def test_an_allowed_intranet_network_may_be_private_and_plain_http(platform, dns, settings):
    settings.DEBUG = False
    dns.answers["oa.intranet.gov.cn"] = [["10.20.1.5"]]
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    webhooks.add_endpoint(actor=None, client=platform, url="http://oa.intranet.gov.cn/hook",
                          events=["suggestion.published"])  # fmt: skip
    # Only the networks listed: the rest of 10/8 stays closed.
    with pytest.raises(RuleViolation):
        webhooks.add_endpoint(actor=None, client=platform, url="http://10.21.0.1/hook", events=["suggestion.published"])
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.30.0.0/16"]
    with pytest.raises(RuleViolation):
        webhooks.add_endpoint(actor=None, client=platform, url="http://oa.intranet.gov.cn/hook",
                              events=["suggestion.published"])  # fmt: skip


def test_an_allowed_intranet_receiver_gets_its_deliveries(platform, receiver, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK_ONLY
    endpoint, _secret = webhooks.add_endpoint(actor=None, client=platform, url=receiver.url,
                                              events=["suggestion.published"])  # fmt: skip
    assert attempt(endpoint).status == "delivered"
    assert [request[0] for request in receiver.requests] == ["POST"]


def test_plain_http_stored_earlier_is_not_sent_when_debug_is_off(platform, listener, settings):
    settings.DEBUG = False
    delivery = attempt(stored_endpoint(platform, f"http://{PUBLIC}:{listener.port}/hook"))
    assert (delivery.status, delivery.last_error) == ("pending", "https required")


# Sending: checked again, connected to the checked address


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "0x7f000001", "127.1", "0177.0.0.1", "[::ffff:127.0.0.1]"])
def test_a_forbidden_address_stored_earlier_is_not_called(platform, listener, host):
    delivery = attempt(stored_endpoint(platform, f"https://{host}:{listener.port}/hook"))
    assert (delivery.status, delivery.last_error) == ("pending", "address refused")
    assert listener.accepted == []


def test_a_host_name_resolving_to_a_private_address_at_send_time_is_not_called(platform, dns, listener):
    dns.answers["hooks.example.cn"] = [[PUBLIC], ["127.0.0.1"]]  # public when saved, loopback when sent
    url = f"https://hooks.example.cn:{listener.port}/hook"
    endpoint, _secret = webhooks.add_endpoint(actor=None, client=platform, url=url, events=["suggestion.published"])
    delivery = attempt(endpoint)
    assert (delivery.status, delivery.last_error) == ("pending", "address refused")
    assert listener.accepted == []


def test_dns_rebinding_cannot_move_the_connection_to_a_private_address(platform, dns, listener, monkeypatch,
                                                                      settings):  # fmt: skip
    """The send-time check sees a public address; a second lookup would get loopback. There is no second lookup:
    the connection goes to the address that was checked."""
    endpoint = stored_endpoint(platform, f"http://hooks.example.cn:{listener.port}/hook")
    dns.answers["hooks.example.cn"] = [[PUBLIC], ["127.0.0.1"]]
    connected = []

    def connect(sock, address):
        connected.append(address[0])
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(socket.socket, "connect", connect)
    settings.DEBUG = True  # plain http to a public address
    delivery = attempt(endpoint)
    assert connected == [PUBLIC]
    assert dns.asked == ["hooks.example.cn"]
    assert listener.accepted == []
    assert delivery.last_error == "connection refused"


def test_rebinding_after_an_allowed_intranet_address_reaches_only_the_checked_one(platform, dns, receiver, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK_ONLY
    endpoint = stored_endpoint(platform, f"http://hooks.example.cn:{receiver.port}/hook")
    dns.answers["hooks.example.cn"] = [["127.0.0.1"], ["10.9.9.9"]]
    assert attempt(endpoint).status == "delivered"
    method, _path, headers, _body = receiver.requests[0]
    assert (method, headers["Host"]) == ("POST", f"hooks.example.cn:{receiver.port}")
    assert dns.asked == ["hooks.example.cn"]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_not_followed_and_counts_as_a_failed_delivery(platform, settings, status):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK_ONLY
    first, inside = Receiver(), Receiver()
    try:
        first.status, first.location = status, inside.url
        delivery = attempt(stored_endpoint(platform, first.url))
        assert (delivery.status, delivery.response_status) == ("pending", status)
        assert delivery.last_error == f"redirect refused (HTTP {status})"
        assert len(first.requests) == 1 and inside.requests == []
    finally:
        first.close()
        inside.close()


def test_proxy_variables_are_ignored(platform, receiver, settings, monkeypatch):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK_ONLY
    proxy = Receiver()
    try:
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
        for name in ("no_proxy", "NO_PROXY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setattr(urllib.request, "_opener", None)  # urllib reads the variables when it builds its opener
        assert attempt(stored_endpoint(platform, receiver.url)).status == "delivered"
        assert len(receiver.requests) == 1 and proxy.requests == []
    finally:
        proxy.close()


# What the client is told: a category, never the exception


LEAKS = ("Errno", "Exception", "Traceback", "ssl", "SSL", "CERTIFICATE", "socket", "[", "<", "'")


def assert_coarse(api_client, platform, delivery, category):
    assert delivery.last_error == category
    assert not any(leak in delivery.last_error for leak in LEAKS)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {services.rotate_api_token(actor=None, client=platform)}")
    shown = api_client.get(f"/api/v1/webhook-deliveries/{delivery.pk}/").json()
    assert shown["last_error"] == category


def test_a_refused_connection_is_reported_as_refused(api_client, platform, settings, caplog):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK_ONLY
    delivery = attempt(stored_endpoint(platform, f"http://127.0.0.1:{closed_port()}/hook"))
    assert_coarse(api_client, platform, delivery, "connection refused")
    assert "ConnectionRefusedError" in caplog.text  # the details stay in the server log


def test_a_silent_receiver_is_reported_as_a_timeout(api_client, platform, listener, settings, monkeypatch):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK_ONLY
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 0.3)
    delivery = attempt(stored_endpoint(platform, f"http://127.0.0.1:{listener.port}/hook"))
    assert_coarse(api_client, platform, delivery, "timeout")


def test_a_name_that_does_not_resolve_is_reported_as_dns(api_client, platform, dns):
    dns.answers["gone.example.cn"] = [None]
    delivery = attempt(stored_endpoint(platform, "https://gone.example.cn/hook"))
    assert_coarse(api_client, platform, delivery, "DNS lookup failed")


def test_an_untrusted_certificate_is_reported_as_tls(api_client, platform, settings, caplog):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK_ONLY
    authority = Authority()
    server = Receiver(tls=authority.server_context("hooks.example.cn"))  # a CA the system does not trust
    try:
        delivery = attempt(stored_endpoint(platform, server.url))
    finally:
        server.close()
    assert_coarse(api_client, platform, delivery, "TLS error")
    assert "CERTIFICATE_VERIFY_FAILED" in caplog.text
    assert server.requests == []


def test_an_http_error_is_reported_by_its_status(api_client, platform, receiver, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK_ONLY
    receiver.status = 503
    delivery = attempt(stored_endpoint(platform, receiver.url))
    assert_coarse(api_client, platform, delivery, "HTTP 503")
    assert delivery.response_status == 503


def test_a_forbidden_address_is_reported_as_refused_address(api_client, platform):
    delivery = attempt(stored_endpoint(platform, "https://169.254.169.254/latest/meta-data/"))
    assert_coarse(api_client, platform, delivery, "address refused")


# TLS to the checked address still checks the certificate against the host name


class Authority:
    """A certificate authority made for the test, and certificates it signs for a host name."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test authority")])
        now = datetime.datetime.now(datetime.UTC)
        self.certificate = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(self.key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )  # fmt: skip

    def pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    def server_context(self, host: str) -> ssl.SSLContext:
        import tempfile

        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(self.certificate.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .sign(self.key, hashes.SHA256())
        )  # fmt: skip
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.NamedTemporaryFile("wb", suffix=".pem") as chain:
            chain.write(certificate.public_bytes(serialization.Encoding.PEM))
            chain.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))  # fmt: skip
            chain.flush()
            context.load_cert_chain(chain.name)
        return context


@pytest.fixture
def trusting(monkeypatch):
    """The sending side trusts the test authority (as it trusts the system's)."""
    from congress import outbound

    authority = Authority()
    made = outbound.tls_context

    def context():
        tls = made()
        tls.load_verify_locations(cadata=authority.pem())
        return tls

    monkeypatch.setattr(outbound, "tls_context", context)
    return authority


def test_https_to_the_checked_address_sends_the_host_name_and_checks_the_certificate(platform, dns, settings,
                                                                                     trusting):  # fmt: skip
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK_ONLY
    dns.answers["hooks.example.cn"] = [["127.0.0.1"]]
    server = Receiver(tls=trusting.server_context("hooks.example.cn"))
    try:
        delivery = attempt(stored_endpoint(platform, f"https://hooks.example.cn:{server.port}/hook"))
    finally:
        server.close()
    assert delivery.status == "delivered"
    assert server.server_names == ["hooks.example.cn"]
    assert server.requests[0][2]["Host"] == f"hooks.example.cn:{server.port}"


def test_a_certificate_for_another_host_name_is_refused(api_client, platform, dns, settings, trusting):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK_ONLY
    dns.answers["hooks.example.cn"] = [["127.0.0.1"]]
    server = Receiver(tls=trusting.server_context("other.example.cn"))
    try:
        delivery = attempt(stored_endpoint(platform, f"https://hooks.example.cn:{server.port}/hook"))
    finally:
        server.close()
    assert_coarse(api_client, platform, delivery, "TLS error")
    assert server.requests == []


def test_the_allow_list_setting_must_name_networks():
    import os
    import subprocess
    import sys

    environment = {**os.environ, "DEBUG": "1", "WEBHOOK_ALLOWED_NETWORKS": "10.20.0.0/16,intranet"}
    started = subprocess.run([sys.executable, "-c", "import congress.settings"], env=environment,
                             capture_output=True, text=True, check=False)  # fmt: skip
    assert started.returncode != 0
    assert "WEBHOOK_ALLOWED_NETWORKS: intranet is not a network" in started.stderr


def test_a_path_in_chinese_is_sent_percent_encoded(platform, receiver, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK_ONLY
    endpoint, _secret = webhooks.add_endpoint(actor=None, client=platform, url=f"{receiver.url}/人大?来源=平台",
                                              events=["suggestion.published"])  # fmt: skip
    assert attempt(endpoint).status == "delivered"
    assert receiver.requests[0][1] == "/hook/%E4%BA%BA%E5%A4%A7?%E6%9D%A5%E6%BA%90=%E5%B9%B3%E5%8F%B0"


def test_an_intranet_name_that_stops_resolving_is_reported_as_dns(api_client, platform, dns, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    dns.answers["oa.intranet.gov.cn"] = [["10.20.1.5"], None]
    endpoint, _secret = webhooks.add_endpoint(actor=None, client=platform, url="http://oa.intranet.gov.cn/hook",
                                              events=["suggestion.published"])  # fmt: skip
    assert_coarse(api_client, platform, attempt(endpoint), "DNS lookup failed")
