import ipaddress

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from .. import services


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Integration clients send `Authorization: Bearer <token>`."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as 'Authorization: Bearer <token>'."))
        client = services.authenticate_token(header[1].decode(errors="replace"))
        if client is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if not address_allowed(client.allowed_ips, request.META.get("REMOTE_ADDR", "")):
            raise exceptions.PermissionDenied(_("Requests for this client are not accepted from this address."))
        return client.user, client

    def authenticate_header(self, request):
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "congress.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Token from `manage.py create_api_client`."}


class ClientScopePermission(permissions.BasePermission):
    """A token client needs `<api_scope>:read` to read and `<api_scope>:write` to write; people are
    governed by their roles (congress.scope) alone."""

    message = _("The integration client lacks the scope for this request.")

    def has_permission(self, request, view):
        client = getattr(request, "auth", None)
        if client is None or not hasattr(client, "scopes"):
            return True
        needed = f"{view.api_scope}:{'read' if request.method in permissions.SAFE_METHODS else 'write'}"
        return needed in client.scopes


def address_allowed(allowed: str, address: str) -> bool:
    """An empty allow-list accepts any address; otherwise the address must fall in one of its networks."""
    networks = [line.strip() for line in (allowed or "").splitlines() if line.strip()]
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)


class ClientRateThrottle(throttling.SimpleRateThrottle):
    """Each integration client's own requests-per-minute (set in the console); people are not throttled here."""

    scope = "integration_client"

    def get_rate(self):
        return None  # set per request from the client

    def allow_request(self, request, view):
        client = getattr(request, "auth", None)
        if not hasattr(client, "rate_per_minute"):
            return True
        self.rate = f"{client.rate_per_minute}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return f"throttle:client:{request.auth.pk}"
