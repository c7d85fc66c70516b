"""Station network API: thin viewsets over congress.scope and liaison_stations.services."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from congress import deadlines, scope
from congress.api.auth import ClientScopePermission
from congress.errors import RuleViolation
from congress.idempotency import IdempotentMixin

from .. import services
from ..models import CitizenOpinion, Reception, StarRating, Station, Stationing, Visit
from . import filters, serializers


class StationsViewSet(IdempotentMixin, viewsets.GenericViewSet):
    api_scope = "stations"
    permission_classes = [permissions.IsAuthenticated, ClientScopePermission]

    def get_queryset(self):
        return scope.visible(self.request.user, self.queryset.model, self.queryset).order_by("id")

    def _object(self, pk):
        return get_object_or_404(self.get_queryset(), pk=pk)


class StationViewSet(StationsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin):  # fmt: skip
    """Deputy homes, liaison stations and points, and online stations (家站点)."""

    queryset = Station.objects.prefetch_related("managers")
    serializer_class = serializers.StationOut
    filterset_class = filters.StationFilter
    search_fields = ["name", "address"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        managers = data.pop("managers", None)
        serializer.instance = services.save_station(actor=self.request.user, station=Station(**data), managers=managers)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        managers = data.pop("managers", None)
        station = serializer.instance
        for field, value in data.items():
            setattr(station, field, value)
        services.save_station(actor=self.request.user, station=station, managers=managers)


class StationingViewSet(StationsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """Deputies stationed at stations (进驻); ending keeps the record."""

    queryset = Stationing.objects.all()
    serializer_class = serializers.StationingOut
    filterset_class = filters.StationingFilter

    def perform_create(self, serializer):
        data = serializer.validated_data
        services.station_deputies(actor=self.request.user, station_id=data["station"].pk,
                                  mandate_ids=[data["mandate"].pk], on=data["start_date"])  # fmt: skip
        serializer.instance = Stationing.objects.filter(
            station=data["station"], mandate=data["mandate"], end_date__isnull=True
        ).first()

    @extend_schema(request=serializers.StationingEndIn, responses=serializers.StationingOut)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        stationing = self._object(pk)
        data = serializers.StationingEndIn(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.end_stationing(
            actor=request.user, stationing_id=stationing.pk, on=data.validated_data.get("date")
        )
        return Response(serializers.StationingOut(result).data)


class ReceptionViewSet(StationsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """Reception days (接待日): planned, published (public, deputies told), held or cancelled."""

    queryset = Reception.objects.prefetch_related("deputies")
    serializer_class = serializers.ReceptionOut
    filterset_class = filters.ReceptionFilter

    def get_queryset(self):
        return super().get_queryset().distinct()

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.plan_reception(
            actor=self.request.user, station_id=data["station"].pk, day=data["date"], start=data["start_time"],
            end=data["end_time"], topic=data.get("topic", ""), mandate_ids=[m.pk for m in data.get("deputies", [])],
        )  # fmt: skip

    @extend_schema(request=None, responses=serializers.ReceptionOut)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        result = services.publish_reception(actor=request.user, reception_id=self._object(pk).pk)
        return Response(serializers.ReceptionOut(result).data)

    @extend_schema(request=serializers.ReceptionCancelIn, responses=serializers.ReceptionOut)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = serializers.ReceptionCancelIn(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.cancel_reception(actor=request.user, reception_id=self._object(pk).pk,
                                           reason=data.validated_data.get("reason", ""))  # fmt: skip
        return Response(serializers.ReceptionOut(result).data)

    @extend_schema(request=serializers.ReceptionRecordIn, responses=serializers.ReceptionOut)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record the reception as held; each deputy present gets a visit in their duty record."""
        data = serializers.ReceptionRecordIn(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.record_reception(
            actor=request.user, reception_id=self._object(pk).pk, present_ids=data.validated_data["present"],
            citizens_received=data.validated_data["citizens_received"], summary=data.validated_data.get("summary", ""),
        )  # fmt: skip
        return Response(serializers.ReceptionOut(result).data)


class VisitViewSet(StationsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """Deputies' station visits (进站履职); each enters the duty record."""

    queryset = Visit.objects.all()
    serializer_class = serializers.VisitOut
    filterset_class = filters.VisitFilter

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.check_in(
            actor=self.request.user, station_id=data["station"].pk, mandate_id=data["mandate"].pk,
            activity=data["activity"], visited_at=data["visited_at"],
            citizens_received=data.get("citizens_received", 0), topics=data.get("topics", ""),
            channel=Visit.Channel.API, submission_key=data.get("submission_key", ""),
        )  # fmt: skip


class OpinionViewSet(StationsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """Citizens' opinions (群众意见) with their triage, the unit's reply and the feedback that closes them."""

    queryset = CitizenOpinion.objects.all()
    serializer_class = serializers.OpinionOut
    filterset_class = filters.OpinionFilter
    ordering_fields = ["received_at", "updated_at", "id"]

    def get_serializer(self, *args, **kwargs):
        # The opinions shown (a page or one) get their deadlines in one query.
        if args and args[0] is not None and "data" not in kwargs:
            shown = list(args[0]) if kwargs.get("many") else [args[0]]
            found = deadlines.listing({CitizenOpinion: [opinion.pk for opinion in shown]})
            for opinion in shown:
                opinion.deadline_list = found.get((CitizenOpinion, opinion.pk), [])
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.record_opinion(
            actor=self.request.user, station_id=data["station"].pk, phone=data["phone"], category=data["category"],
            content=data["content"], citizen_name=data.get("citizen_name", ""),
            submission_key=data.get("submission_key", ""),
        )  # fmt: skip

    @extend_schema(request=serializers.OpinionTriageIn, responses=serializers.OpinionOut)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        """Route the opinion: answered, referred (with a unit), to_suggestion (with a deputy) or declined."""
        data = serializers.OpinionTriageIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = services.triage(
            actor=request.user, opinion_id=self._object(pk).pk, route=values["route"], answer=values.get("answer", ""),
            unit_id=values.get("unit"), mandate_id=values.get("deputy"),
            decline_reason=values.get("decline_reason", ""), note=values.get("answer", ""),
        )  # fmt: skip
        return Response(self.get_serializer(result).data)

    @extend_schema(request=serializers.OpinionReplyIn, responses=serializers.OpinionOut)
    @action(detail=True, methods=["post"], url_path="unit-reply")
    def unit_reply(self, request, pk=None):
        data = serializers.OpinionReplyIn(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.unit_reply(actor=request.user, opinion_id=self._object(pk).pk,
                                     reply=data.validated_data["reply"])  # fmt: skip
        return Response(self.get_serializer(result).data)

    @extend_schema(request=serializers.OpinionFeedbackIn, responses=serializers.OpinionOut)
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        """Record the feedback given to the citizen; this closes the opinion."""
        data = serializers.OpinionFeedbackIn(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.give_feedback(actor=request.user, opinion_id=self._object(pk).pk,
                                        feedback=data.validated_data["feedback"])  # fmt: skip
        return Response(self.get_serializer(result).data)


class StarRatingViewSet(StationsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """Yearly star ratings (星级评定) of stations; posting scores for a year again replaces that year's rating."""

    queryset = StarRating.objects.all()
    serializer_class = serializers.StarRatingOut
    filterset_class = filters.StarRatingFilter

    def perform_create(self, serializer):
        data = serializer.validated_data
        if not all(str(key).isdigit() for key in data["scores"]):
            raise RuleViolation(fields={"scores": [_("Give scores by criterion id.")]})
        serializer.instance = services.evaluate_station(
            actor=self.request.user, station_id=data["station"].pk, year=data["year"],
            scores={int(key): value for key, value in data["scores"].items()}, note=data.get("note", ""),
        )  # fmt: skip
