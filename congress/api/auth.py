from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

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
