from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import policies, scope, services
from ..idempotency import IdempotentMixin
from ..models import Congress, Organisation, PolicyValue, Region, Session, Term
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
    @action(detail=True, methods=["get"])
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
