from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from congress import params, scope
from congress.api import batch, examples, streaming
from congress.api.auth import ClientScopePermission
from congress.api.pagination import SyncReadsOnReplica
from congress.errors import RuleViolation
from congress.idempotency import IdempotentMixin

from .. import selectors, services
from ..filters import DirectoryFilter
from ..models import ContactAssignment, ContactRecord, DeputyGroup, DutyEntry, GroupMembership, Mandate, Person
from . import serializers

EXPORT_DESCRIPTION = (
    "Every deputy the list shows (same scope, filters and masking) in one streamed response, for a mirror's first "
    "or full sync; then follow the list from `X-Sync-Updated-Since` and the changes feed from `X-Sync-Changes-After`."
)


class DirectoryBackend(DjangoFilterBackend):
    """Filters deputies by the directory's mandate filters (a deputy matches when one of their mandates does)."""

    def get_filterset_class(self, view, queryset=None):
        return DirectoryFilter

    def filter_queryset(self, request, queryset, view):
        if not any(name in request.query_params for name in DirectoryFilter.base_filters):
            # No directory filter asked for (a mirror paging through everything): the view's own scope is the
            # answer, and a second pass over every visible mandate would double the cost of each page.
            return queryset
        filterset = DirectoryFilter(
            request.query_params, queryset=scope.visible(request.user, Mandate), request=request
        )
        if not filterset.is_valid():
            raise filter_utils.translate_validation(filterset.errors)
        if queryset.model is Mandate:
            return queryset.filter(pk__in=filterset.qs.values("pk"))
        view.directory_mandates = filterset.qs
        return queryset.filter(pk__in=filterset.qs.values("person_id"))


class RosterViewSet(IdempotentMixin, viewsets.GenericViewSet):
    api_scope = "deputies"
    permission_classes = [permissions.IsAuthenticated, ClientScopePermission]


class PersonViewSet(SyncReadsOnReplica, streaming.ExportMixin, RosterViewSet, mixins.ListModelMixin,
                    mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin):  # fmt: skip
    """Deputies with their mandates, filterable as the resource directory."""

    serializer_class = serializers.PersonOut
    filter_backends = [DirectoryBackend]
    queryset = Person.objects.all()
    directory_mandates = None  # the filtered mandates, when the request asks for directory filters

    def get_queryset(self):
        mandates = (
            scope.visible(self.request.user, Mandate)
            .select_related("congress", "term")
            .prefetch_related("memberships__group")
        )
        return (
            scope.visible(self.request.user, Person)
            .select_related("ethnic_group", "party")
            .prefetch_related("tags", Prefetch("mandates", queryset=mandates, to_attr="visible_mandates"))
            .order_by("id")
        )

    def cursor_keys(self):
        """Where a sync (`?cursor=`) reads each page's deputies: the person ids of the filtered mandates, else
        of every visible mandate (and the deputy's own record), one index range of `mandate_person_region` per
        page; see congress.api.pagination.Cursor."""
        if self.directory_mandates is not None:
            return [(self.directory_mandates, "person_id")]
        return scope.key_sources(self.request.user, Person)

    @extend_schema(**streaming.schema(serializers.PersonOut, EXPORT_DESCRIPTION))
    @action(detail=False, methods=["get"], renderer_classes=streaming.RENDERERS, pagination_class=None)
    def export(self, request):
        """All deputies with their mandates, streamed: NDJSON or CSV; then follow `X-Sync-*`."""
        # The list's scope and filters; its nested rows come per chunk as plain rows, not through prefetches.
        persons = self.filter_queryset(self.get_queryset()).select_related(None).prefetch_related(None)
        return self.stream_export(
            request, queryset=persons.only(*serializers.PERSON_EXPORT_COLUMNS), filename="deputies",
            serializer=serializers.PersonExportOut(context=self.get_serializer_context()),
            prepare=lambda chunk: selectors.attach_export_rows(request.user, chunk),
        )  # fmt: skip

    def perform_create(self, serializer):
        # Read back through the queryset so the answer carries the new mandate (prefetched as the caller sees it).
        serializer.instance = self.get_queryset().get(pk=self._register(serializer.validated_data).pk)

    def _register(self, validated) -> Person:
        data = dict(validated)
        seat = data.pop("mandate", None)
        tags = data.pop("tags", None)
        if seat is None:
            raise RuleViolation(fields={"mandate": [_("A new deputy needs their first mandate.")]})
        groups = list(seat.pop("groups", None) or [])
        legacy = seat.pop("legacy_group_id", None)
        if legacy is not None and legacy not in [g.pk for g in groups]:
            groups.append(legacy)
        return services.register_deputy(actor=self.request.user, person=Person(**data), mandate=Mandate(**seat),
                                        tags=tags, groups=groups)  # fmt: skip

    def _register_item(self, item: dict) -> Person:
        data = self.get_serializer(data=item)
        data.is_valid(raise_exception=True)
        return self._register(data.validated_data)

    @extend_schema(request=serializers.PersonBatchIn, responses=batch.BatchOut, examples=examples.DEPUTIES_BATCH)
    @action(detail=False, methods=["post"])
    def batch(self, request):
        """Register up to 1,000 deputies at once (each with their first mandate), with a result per item."""
        return Response(batch.run(request.data, self._register_item))

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("mandate", None)
        tags = data.pop("tags", None)
        person = serializer.instance
        for field, value in data.items():
            setattr(person, field, value)
        services.save_person(actor=self.request.user, person=person, tags=tags)


class MandateViewSet(SyncReadsOnReplica, RosterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.UpdateModelMixin):  # fmt: skip
    """Mandates (代表资格); end, suspend and restore are actions with a date and reason."""

    serializer_class = serializers.MandateOut
    filter_backends = [DirectoryBackend]
    queryset = Mandate.objects.all()

    def get_queryset(self):
        return (
            scope.visible(self.request.user, Mandate)
            .select_related("congress", "term")
            .prefetch_related("memberships__group")
            .order_by("id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        legacy = data.pop("legacy_group_id", None)
        with transaction.atomic():
            mandate = services.save_mandate(actor=self.request.user, mandate=Mandate(**data))
            self._join_legacy_group(mandate, legacy)
        serializer.instance = self.get_queryset().get(pk=mandate.pk)

    def perform_update(self, serializer):
        mandate = serializer.instance
        data = dict(serializer.validated_data)
        legacy = data.pop("legacy_group_id", None)
        for field, value in data.items():
            setattr(mandate, field, value)
        with transaction.atomic():
            services.save_mandate(actor=self.request.user, mandate=mandate)
            self._join_legacy_group(mandate, legacy)
        serializer.instance = self.get_queryset().get(pk=mandate.pk)

    def _join_legacy_group(self, mandate, group_id):
        """The deprecated `group`: the mandate joins that group (of its congress and term) as a member."""
        if group_id is None:
            return
        same_term = DeputyGroup.objects.filter(congress_id=mandate.congress_id, term_id=mandate.term_id)
        group = scope.referenced(same_term, group_id, field="group",
                                 message=_("Choose a group of the mandate's congress and term."))  # fmt: skip
        services.add_group_members(actor=self.request.user, group_id=group.pk, mandate_ids=[mandate.pk])

    def _act(self, request, pk, service, **extra):
        mandate = get_object_or_404(self.get_queryset(), pk=pk)
        data = serializers.MandateActionIn(data=request.data)
        data.is_valid(raise_exception=True)
        kwargs = {"actor": request.user, "mandate_id": mandate.pk, "on": data.validated_data["date"],
                  "note": data.validated_data.get("note", "")}  # fmt: skip
        if service is not services.restore_mandate:
            kwargs["reason"] = data.validated_data.get("reason", "")
        return Response(serializers.MandateOut(service(**kwargs)).data)

    @extend_schema(request=serializers.MandateActionIn, responses=serializers.MandateOut)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the mandate (资格终止) with one of the seven statutory reasons."""
        return self._act(request, pk, services.end_mandate)

    @extend_schema(request=serializers.MandateActionIn, responses=serializers.MandateOut)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        """Suspend the deputy's duties (暂停执行代表职务)."""
        return self._act(request, pk, services.suspend_mandate)

    @extend_schema(request=serializers.MandateActionIn, responses=serializers.MandateOut)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Restore a suspended mandate."""
        return self._act(request, pk, services.restore_mandate)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="Calendar year (default: this year)")],
        responses=serializers.YearlyPointsOut,
    )
    @action(detail=True, methods=["get"])
    def points(self, request, pk=None):
        """The year's duty score on 100, its per-item breakdown with caps, and the grade, from the duty record
        and the congress's points catalogue."""
        mandate = get_object_or_404(self.get_queryset(), pk=pk)
        year = params.year(request.query_params, default=timezone.localdate().year)
        result = selectors.points_report(Mandate.objects.filter(pk=mandate.pk), year)[mandate.pk]
        return Response(serializers.YearlyPointsOut(result).data)


class DeputyGroupViewSet(RosterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Deputy groups: regional (代表小组), professional (代表专业小组) and working groups, each with the members
    (and their roles) the caller may see. Staff add members, set roles and take members out."""

    serializer_class = serializers.DeputyGroupOut
    queryset = DeputyGroup.objects.all()
    filterset_fields = ["congress", "term", "kind"]

    def get_queryset(self):
        members = (
            scope.visible(self.request.user, GroupMembership)
            .select_related("mandate__person")
            .order_by("mandate__person__name", "id")
        )
        return (
            scope.visible(self.request.user, DeputyGroup)
            .prefetch_related(Prefetch("memberships", queryset=members, to_attr="visible_memberships"))
            .order_by("id")
        )

    def _answer(self, pk):
        return Response(serializers.DeputyGroupOut(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=serializers.GroupMembersIn, responses=serializers.DeputyGroupOut)
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        """Add deputies of the group's congress and term as members (those already in it stay as they are)."""
        group = self.get_object()
        data = serializers.GroupMembersIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.add_group_members(actor=request.user, group_id=group.pk, mandate_ids=data.validated_data["mandates"])
        return self._answer(group.pk)

    def _membership(self, group, pk):
        return scope.referenced(group.memberships.all(), pk, field="membership",
                                message=_("Choose a member of this group."))  # fmt: skip

    @extend_schema(request=serializers.GroupRoleIn, responses=serializers.DeputyGroupOut)
    @action(detail=True, methods=["post"], url_path="set-role")
    def set_role(self, request, pk=None):
        """Make a member the group's leader (one per group), a deputy leader or a member."""
        group = self.get_object()
        data = serializers.GroupRoleIn(data=request.data)
        data.is_valid(raise_exception=True)
        membership = self._membership(group, data.validated_data["membership"])
        services.set_group_role(actor=request.user, membership_id=membership.pk, role=data.validated_data["role"])
        return self._answer(group.pk)

    @extend_schema(request=serializers.GroupRemoveIn, responses=serializers.DeputyGroupOut)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        """Take a member out of the group."""
        group = self.get_object()
        data = serializers.GroupRemoveIn(data=request.data)
        data.is_valid(raise_exception=True)
        membership = self._membership(group, data.validated_data["membership"])
        services.remove_group_member(actor=request.user, membership_id=membership.pk)
        return self._answer(group.pk)


class ContactAssignmentViewSet(RosterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = serializers.ContactAssignmentOut
    queryset = ContactAssignment.objects.all()
    filterset_fields = ["member", "mandate", "congress", "active"]

    def get_queryset(self):
        return scope.visible(self.request.user, ContactAssignment).order_by("id")


class ContactRecordViewSet(RosterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    serializer_class = serializers.ContactRecordOut
    queryset = ContactRecord.objects.all()
    filterset_fields = ["assignment", "date"]

    def get_queryset(self):
        return scope.visible(self.request.user, ContactRecord).order_by("id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.record_contact(
            actor=self.request.user, assignment_id=data["assignment"].pk, on=data["date"], mode=data["mode"],
            topic=data["topic"], raised=data.get("raised", ""),
        )  # fmt: skip


class DutyEntryViewSet(RosterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    serializer_class = serializers.DutyEntryOut
    queryset = DutyEntry.objects.all()
    filterset_fields = ["mandate", "kind", "year"]

    def get_queryset(self):
        return selectors.with_unit_points(scope.visible(self.request.user, DutyEntry).select_related("kind")).order_by(
            "id"
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.record_duty(
            mandate=data["mandate"], kind_code=data["kind"].pk, on=data["date"], title=data["title"],
            quantity=data.get("quantity", 1), actor=self.request.user,
        )  # fmt: skip
