from django.core.management.base import BaseCommand, CommandError

from congress import services
from congress.errors import RuleViolation
from congress.models import ApiClient, Congress, User

DEFAULT_SCOPES = ["reference:read"]


class Command(BaseCommand):
    help = "Create an integration client and print its bearer token (shown once; only a hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--congress", help="Region division code of the client's congress (default: the province)")
        parser.add_argument("--scope", action="append", dest="scopes", help="Scope such as reference:read (repeatable)")
        parser.add_argument("--rotate", action="store_true", help="Issue a new token for an existing client")
        parser.add_argument(
            "--owner",
            help="Username of the person the token is issued to, who owns the client (required for a new client; "
            "with --rotate it replaces the owner)",
        )

    def handle(self, name, congress=None, scopes=None, rotate=False, owner=None, **options):
        owner_user = self._owner(owner)
        if rotate:
            client = ApiClient.objects.filter(name=name).first()
            if client is None:
                raise CommandError(f"No integration client named {name!r}.")
            if owner_user is None and client.owner_id is None:
                raise CommandError(f"{name!r} has no owner yet: give --owner with the username the token goes to.")
            token = services.rotate_api_token(actor=None, client=client, owner=owner_user)
        else:
            if owner_user is None:
                raise CommandError("Give --owner with the username of the person the token is issued to.")
            congress_obj = self._congress(congress)
            if ApiClient.objects.filter(name=name).exists():
                raise CommandError(f"An integration client named {name!r} exists; use --rotate for a new token.")
            try:
                client, token = services.create_api_client(
                    actor=None, name=name, congress=congress_obj, scopes=scopes or DEFAULT_SCOPES, owner=owner_user
                )
            except RuleViolation as exc:
                raise CommandError(f"{exc.message} {exc.fields or ''}".strip()) from exc
        self.stdout.write(f"Client: {client.name} ({client.congress}) scopes: {', '.join(client.scopes)}")
        self.stdout.write(f"Owner: {client.owner.username}")
        self.stdout.write(f"Token (store it now, it is not shown again): {token}")
        self.stdout.write("Use: Authorization: Bearer <token>")

    def _owner(self, username):
        if username is None:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        return user

    def _congress(self, code):
        from congress import divisions

        queryset = Congress.objects.select_related("region")
        if code is None:
            congress = queryset.filter(level="provincial").order_by("region__code").first()
        else:
            congress = None
            for level in ("province", "city", "county", "township"):
                try:
                    path = divisions.normalise(code, level)
                except ValueError:
                    continue
                congress = queryset.filter(region__code=path).first() or congress
        if congress is None:
            raise CommandError("No such congress: give --congress with the division code of its region.")
        return congress
