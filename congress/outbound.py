"""Outbound HTTP to addresses that clients choose (webhook receivers), without becoming a way into the intranet.

A client that may name a URL could otherwise make the server call its own loopback, the database host or a cloud
metadata service, and read the outcome back as an error message (server-side request forgery). So:
- the host is resolved once, and every address it gives must be public: not loopback, private, link-local,
  CGNAT, multicast, reserved or unspecified, for IPv4 and IPv6, including IPv4 inside IPv6 (mapped, 6to4, NAT64)
  and the old numeric spellings the resolver accepts (`2130706433`, `0x7f000001`, `127.1`, `0177.0.0.1`);
- the connection goes to an address that was checked, never to a second lookup that a rebinding DNS server could
  answer differently; TLS still sends the host name (SNI) and checks the certificate against it;
- https only, unless DEBUG is on or the address is in `WEBHOOK_ALLOWED_NETWORKS` (intranet receivers the operator
  allows, which may then be private and plain http);
- no redirects and no proxies: `http.client` makes exactly the one request asked for and reads no proxy variables;
- a client is told a coarse category (`Refused.category`), never an exception's text; the details go to the
  server log only.

The standard library is enough here (`ipaddress`, `socket`, `ssl`, `http.client`); `requests` or `urllib` would
have to be talked out of redirects and proxy variables, and neither lets the caller fix the address it connects
to while keeping the host name for TLS."""

import http.client
import ipaddress
import logging
import re
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings

log = logging.getLogger(__name__)

# What a client may be told about a refused URL or a failed request (a delivery's `last_error`).
INVALID = "invalid URL"
HTTPS = "https required"
ADDRESS = "address refused"
DNS = "DNS lookup failed"
TIMEOUT = "timeout"
REFUSED = "connection refused"
TLS = "TLS error"
FAILED = "connection failed"
REDIRECT = "redirect refused"

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_HOST_NAME = re.compile(r"[a-z0-9._-]+")
_URL_SAFE = "/%:@!$&'()*+,;=~"  # kept as written in a path or query; anything else is percent-encoded


class Refused(Exception):
    """The request was not made, or it failed; `category` is all a client may be told."""

    def __init__(self, category: str):
        super().__init__(category)
        self.category = category


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # ASCII (IDNA), as sent in Host and SNI
    port: int
    path: str  # path and query
    addresses: tuple  # every address the host resolved to, each checked; connect only to these


def http_status(status: int) -> str:
    """The category of a non-2xx answer: a redirect is refused, never followed."""
    return f"{REDIRECT} (HTTP {status})" if 300 <= status < 400 else f"HTTP {status}"


def check(url: str, *, unresolved_ok: bool = False) -> Target | None:
    """Parse, resolve once and check every address; raises Refused. `unresolved_ok`: a host name that does not
    resolve yet passes (when saving: receivers are often registered before their DNS record) and gives None; it is
    checked again before every request."""
    scheme, host, port, path = _parse(url)
    networks = allowed_networks()
    if scheme == "http" and not settings.DEBUG and not networks:
        raise Refused(HTTPS)
    try:
        addresses = _resolve(host, port)
    except Refused:
        if unresolved_ok and (scheme == "https" or settings.DEBUG):
            return None
        raise
    for address in addresses:
        if not (_listed(address, networks) or is_public(address)):
            log.warning("outbound request to %s refused: %s is not a public address", host, address)
            raise Refused(ADDRESS)
    if scheme == "http" and not settings.DEBUG and not all(_listed(address, networks) for address in addresses):
        raise Refused(HTTPS)
    return Target(scheme, host, port, path, tuple(addresses))


def post(url: str, body: bytes, headers: dict, timeout: float) -> int:
    """POST once to a checked address; returns the response status (a 3xx is not followed). Raises Refused."""
    return exchange(url, body, headers, timeout)[0]


def exchange(url: str, body: bytes, headers: dict, timeout: float, read: int = 0) -> tuple[int, bytes]:
    """post, also returning the first `read` bytes of the answer (robots say in their body whether they took a
    message). Raises Refused."""
    target = check(url)
    try:
        connection = _connect(target, timeout)
    except OSError as exc:
        log.warning("outbound request to %s: could not connect", target.host, exc_info=True)
        raise Refused(_category(exc)) from None
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(read) if read else b""
    except (OSError, http.client.HTTPException, ValueError) as exc:
        log.warning("outbound request to %s failed", target.host, exc_info=True)
        raise Refused(_category(exc)) from None
    finally:
        connection.close()


def is_public(address) -> bool:
    """Reachable on the public internet, and not a special range, judged on the IPv4 address inside an IPv6 one."""
    if address.version == 6:
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in _NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            return is_public(inner)
        if address.is_site_local:
            return False
    elif address in _CGNAT:
        return False
    special = (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
               or address.is_reserved or address.is_unspecified)  # fmt: skip
    return address.is_global and not special


def allowed_networks() -> list:
    return [ipaddress.ip_network(network, strict=False) for network in settings.WEBHOOK_ALLOWED_NETWORKS]


def _listed(address, networks) -> bool:
    candidates = [address]
    if address.version == 6 and address.ipv4_mapped:
        candidates.append(address.ipv4_mapped)
    return any(candidate in network for candidate in candidates for network in networks)


def _parse(url: str) -> tuple[str, str, int, str]:
    if not url or any(ord(char) <= 32 or ord(char) == 127 for char in url):
        raise Refused(INVALID)
    try:
        parts = urlsplit(url)
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        raise Refused(INVALID) from None
    if parts.scheme not in ("http", "https") or not host or parts.username is not None:
        raise Refused(INVALID)  # a user name in the URL is also the classic way to disguise the real host
    if not _HOST_NAME.fullmatch(host) and _literal(host) is None:
        raise Refused(INVALID)
    # A path in Chinese is sent percent-encoded (UTF-8), as a browser would; what is encoded already stays.
    path = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_URL_SAFE + "?")
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path


def _resolve(host: str, port: int) -> list:
    literal = _literal(host)
    if literal is not None:
        return [literal]
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        log.warning("outbound request: %s does not resolve", host, exc_info=True)
        raise Refused(DNS) from None
    addresses = []
    for _family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise Refused(DNS)
    return addresses


def _literal(host: str):
    """An address written as the host: standard forms, and the legacy IPv4 spellings `inet_aton` accepts (one to
    four parts, octal and hex), which resolvers turn into addresses without asking DNS."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _connect(target: Target, timeout: float) -> http.client.HTTPConnection:
    """A connection to the first checked address that answers; no name is looked up again."""
    error = None
    for address in target.addresses:
        if target.scheme == "https":
            connection = PinnedHTTPSConnection(target.host, target.port, address=address, timeout=timeout)
        else:
            connection = PinnedHTTPConnection(target.host, target.port, address=address, timeout=timeout)
        try:
            connection.connect()
            return connection
        except OSError as exc:
            connection.close()
            error = exc
            if isinstance(exc, ssl.SSLError):
                break  # the server answered: another address of the same host would not do better
    raise error


def _socket(address, port: int, timeout: float) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if address.version == 6 else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((str(address), port))
    except BaseException:
        sock.close()
        raise
    return sock


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address; the Host header still names the host."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = _socket(self.address, self.port, self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked address, and checks the certificate against the host name sent as SNI."""

    def __init__(self, host, port, *, address, timeout):
        self.tls = tls_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self):
        sock = _socket(self.address, self.port, self.timeout)
        try:
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, host name checked, TLS 1.2 at least."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _category(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return TIMEOUT
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return TLS
    if isinstance(exc, ConnectionRefusedError):
        return REFUSED
    return FAILED
