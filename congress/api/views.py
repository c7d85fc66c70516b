from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from .. import policies, scope, services, tombstones, webhooks
from ..idempotency import IdempotentMixin
from ..models import (
    Congress,
    Organisation,
    PolicyValue,
    Region,
    Session,
    Term,
    Tombstone,
    WebhookDelivery,
    WebhookEndpoint,
)
from . import filters, serializers
from .auth import ClientScopePermission


class ScopedModelViewSet(IdempotentMixin, viewsets.ModelViewSet):
    """Reads go through congress.scope; writes through congress.services, like the admin."""

    api_scope = "reference"
    permission_classes = [permissions.IsAuthenticated, ClientScopePermission]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def base_queryset(self):
        return self.queryset

    def get_queryset(self):
        return scope.visible(self.request.user, self.queryset.model, self.base_queryset())

    def perform_create(self, serializer):
        serializer.instance = services.save_reference(
            actor=self.request.user, obj=serializer.Meta.model(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        instance = serializer.instance
        for field, value in serializer.validated_data.items():
            setattr(instance, field, value)
        services.save_reference(actor=self.request.user, obj=instance)

    def perform_destroy(self, instance):
        services.delete_reference(actor=self.request.user, obj=instance)


class RegionViewSet(ScopedModelViewSet):
    """Administrative regions; `under=44` gives Guangdong and everything below it."""

    queryset = Region.objects.all()
    serializer_class = serializers.RegionOut
    filterset_class = filters.RegionFilter
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name", "updated_at", "id"]


class CongressViewSet(ScopedModelViewSet):
    queryset = Congress.objects.select_related("region")
    serializer_class = serializers.CongressOut
    filterset_class = filters.CongressFilter
    search_fields = ["name"]
    ordering_fields = ["name", "updated_at", "id"]

    @extend_schema(responses=serializers.EffectivePolicyOut(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # every policy at once: a short, fixed list
    def policies(self, request, pk=None):
        """Every policy with its value for this congress (override or default)."""
        congress = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(serializers.EffectivePolicyOut(policies.effective(congress), many=True).data)


class TermViewSet(ScopedModelViewSet):
    queryset = Term.objects.select_related("congress")
    serializer_class = serializers.TermOut
    filterset_class = filters.TermFilter
    ordering_fields = ["number", "start_date", "updated_at", "id"]


class SessionViewSet(ScopedModelViewSet):
    queryset = Session.objects.select_related("term")
    serializer_class = serializers.SessionOut
    filterset_class = filters.SessionFilter
    ordering_fields = ["number", "start_date", "updated_at", "id"]


class OrganisationViewSet(ScopedModelViewSet):
    queryset = Organisation.objects.all()
    serializer_class = serializers.OrganisationOut
    filterset_class = filters.OrganisationFilter
    search_fields = ["name"]
    ordering_fields = ["name", "updated_at", "id"]


class PolicyValueViewSet(ScopedModelViewSet):
    """Per-congress overrides of policy defaults (see the congress `policies` action for effective values)."""

    queryset = PolicyValue.objects.all()
    serializer_class = serializers.PolicyValueOut
    filterset_class = filters.PolicyValueFilter
    ordering_fields = ["key", "updated_at", "id"]

    def perform_destroy(self, instance):
        services.remove_policy(actor=self.request.user, policy=instance)


class ChangeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Records that left the API: deleted, or merged into another (`merged_into`). A mirror reads each list with
    `updated_since` and this feed with `after=<last change id>`, and applies both."""

    queryset = Tombstone.objects.all()
    serializer_class = serializers.ChangeOut
    filterset_class = filters.ChangeFilter
    permission_classes = [permissions.IsAuthenticated]
    ordering = ["id"]
    ordering_fields = ["id"]
    search_fields = []

    def get_queryset(self):
        queryset = scope.visible(self.request.user, Tombstone).order_by("id")
        client = getattr(self.request, "auth", None)
        if hasattr(client, "scopes"):
            queryset = queryset.filter(resource__in=tombstones.resources_readable(client.scopes))
        return queryset


class ClientOnly(permissions.BasePermission):
    message = _("Only integration clients (bearer tokens) manage webhooks here; staff use the console.")

    def has_permission(self, request, view):
        return hasattr(getattr(request, "auth", None), "scopes")


class WebhookViewSet(IdempotentMixin, viewsets.ModelViewSet):
    """The calling client's webhooks. The secret comes back once, on create and on `rotate-secret`."""

    queryset = WebhookEndpoint.objects.all()
    serializer_class = serializers.WebhookEndpointOut
    permission_classes = [permissions.IsAuthenticated, ClientOnly]
    http_method_names = ["get", "post", "put", "delete", "head", "options"]
    search_fields = []
    ordering_fields = ["id"]

    def get_queryset(self):
        return WebhookEndpoint.objects.filter(client=self.request.auth).order_by("id")

    @extend_schema(request=serializers.WebhookEndpointIn, responses={201: serializers.WebhookSecretOut})
    def create(self, request, *args, **kwargs):
        data = _valid(serializers.WebhookEndpointIn, request.data)
        endpoint, secret = webhooks.add_endpoint(actor=request.user, client=request.auth, url=data["url"],
                                                 events=data["events"])  # fmt: skip
        body = {"id": endpoint.pk, "url": endpoint.url, "events": endpoint.events, "secret": secret}
        return Response(serializers.WebhookSecretOut(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.WebhookEndpointIn, responses=serializers.WebhookEndpointOut)
    def update(self, request, *args, **kwargs):
        endpoint = self.get_object()
        data = _valid(serializers.WebhookEndpointIn, request.data)
        endpoint = webhooks.change_endpoint(actor=request.user, endpoint_id=endpoint.pk, url=data["url"],
                                            events=data["events"], is_active=data["is_active"])  # fmt: skip
        return Response(serializers.WebhookEndpointOut(endpoint).data)

    def perform_destroy(self, instance):
        webhooks.delete_endpoint(actor=self.request.user, endpoint_id=instance.pk)

    @extend_schema(request=None, responses=serializers.WebhookSecretOut)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint = self.get_object()
        secret = webhooks.rotate_secret(actor=request.user, endpoint_id=endpoint.pk)
        body = {"id": endpoint.pk, "url": endpoint.url, "events": endpoint.events, "secret": secret}
        return Response(serializers.WebhookSecretOut(body).data)


class WebhookDeliveryViewSet(IdempotentMixin, viewsets.ReadOnlyModelViewSet):
    """What was sent to the calling client's webhooks, with each outcome; `replay` sends one again."""

    queryset = WebhookDelivery.objects.all()
    serializer_class = serializers.WebhookDeliveryOut
    filterset_class = filters.WebhookDeliveryFilter
    permission_classes = [permissions.IsAuthenticated, ClientOnly]
    search_fields = []
    ordering_fields = ["id"]

    def get_queryset(self):
        # Payloads of events the client may no longer read (its scopes changed) are not shown, nor replayed.
        client = self.request.auth
        return WebhookDelivery.objects.filter(
            endpoint__client=client, event__in=webhooks.readable_events(client.scopes)
        ).order_by("-id")

    @extend_schema(request=None, responses=serializers.WebhookDeliveryOut)
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        delivery = webhooks.replay(actor=request.user, delivery_id=self.get_object().pk)
        return Response(serializers.WebhookDeliveryOut(delivery).data)


class WebhookEventViewSet(viewsets.ViewSet):
    """The events a webhook can subscribe to, each with the scope a client needs to receive it."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=serializers.WebhookEventOut(many=True))
    def list(self, request):
        rows = [{"name": name, "label": str(event.label), "scope": webhooks.needed_scope(name)}
                for name, event in sorted(webhooks.EVENTS.items())]  # fmt: skip
        return Response(serializers.WebhookEventOut(rows, many=True).data)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise exceptions.ValidationError(serializer.errors)
    return serializer.validated_data
