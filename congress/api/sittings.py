"""What the APIs of apps with sittings share (training's courses, activities): the app's base viewset, choice
fields named in the help text, the material and sitting shapes, the sitting filter, and the roll and check-in
actions on a sitting. Each app subclasses them with its own names (its schema components keep their names) and
its own services, which hold the rules; nothing here decides anything."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from congress import scope
from congress.api.auth import ClientScopePermission
from congress.idempotency import IdempotentMixin

from .filters import IsoDateTimeFilter, SyncFilterSet

# Viewsets


class AppViewSet(IdempotentMixin, viewsets.GenericViewSet):
    """An app's API base: a token client needs `<api_scope>:read` or `:write`; POSTs honour Idempotency-Key."""

    api_scope = ""
    lookup_value_regex = r"[0-9]+"  # an id is a number: anything else is a 404, never a server error
    permission_classes = [permissions.IsAuthenticated, ClientScopePermission]

    def _input(self, serializer_class, **kwargs) -> dict:
        data = serializer_class(data=self.request.data, **kwargs)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def _run(self, pk, service, key: str, **kwargs) -> Response:
        """Call `service(actor=…, <key>=id)` on a record of this view's list (404 outside it); answer with it again."""
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        service(actor=self.request.user, **{key: obj.pk}, **kwargs)
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)


class ListRead(mixins.ListModelMixin, mixins.RetrieveModelMixin):
    pass


class SittingActions:
    """The roll (`attendance`) and `check-in` of a sitting, for a viewset over the app's sittings. The subclass
    declares the actions (their routes and schema) and calls these with its services and shapes."""

    services = None  # the app's services module: record_attendance(actor, sitting_id, marks), check_in(actor, code)
    mark_key = ""  # the key of the place marked in a roll row: enrolment, invitation
    attendance_out = None

    def take_roll(self, request, pk, roll_in) -> Response:
        values = self._input(roll_in)
        sitting = get_object_or_404(self.get_queryset(), pk=pk)
        marks = {mark[self.mark_key]: mark["status"] for mark in values["marks"]}
        changed = self.services.record_attendance(actor=request.user, sitting_id=sitting.pk, marks=marks)
        return Response({"changed": changed})

    def check_in_with_code(self, request, check_in_in, channel) -> Response:
        values = self._input(check_in_in)
        attendance = self.services.check_in(actor=request.user, code=values["code"], channel=channel)
        return Response(self.attendance_out(attendance).data, status=status.HTTP_201_CREATED)


# Shapes


def one_of(choices):
    """The help text naming a choice field's values."""
    return lazy(lambda: gettext("One of: %(values)s") % {"values": ", ".join(choices.values)}, str)()


def choice(choices, **kwargs):
    """A read-only choice as a plain string: other apps already publish enums for fields called status and kind,
    and the schema generator would rename or merge them."""
    return serializers.CharField(read_only=True, help_text=one_of(choices), **kwargs)


# A material: its file's address is the app's page that checks access (`file_route`). (Comments, not docstrings,
# on the shapes: a docstring would become each subclass's description in the schema.)
class MaterialOut(serializers.ModelSerializer):
    file_route = ""
    file = serializers.SerializerMethodField(label=_("file"))

    class Meta:
        fields = ["id", "title", "file", "url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file(self, obj):
        # The page that checks access before handing the file out: stored files have no public address.
        if not obj.file:
            return None
        path = reverse(self.file_route, args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


# A sitting; its check-in code only for the parent's congress's people in `checkin_roles` (None: any role).
class SittingOut(serializers.ModelSerializer):
    parent_field = ""  # the sitting's course or activity field
    checkin_roles = None
    checkin_code = serializers.SerializerMethodField()

    class Meta:
        fields = ["id", "number", "topic", "starts_at", "ends_at", "place", "checkin_code", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_checkin_code(self, obj):
        request = self.context.get("request")
        if request is None:
            return None
        if request.user.is_superuser:
            return obj.checkin_code
        congresses = self.context.get("checkin_congresses")
        if congresses is None:
            roles = () if self.checkin_roles is None else (self.checkin_roles,)
            congresses = self.context["checkin_congresses"] = scope.congress_ids(request.user, *roles)
        return obj.checkin_code if getattr(obj, self.parent_field).congress_id in congresses else None


class RollOut(serializers.Serializer):
    changed = serializers.IntegerField()


class CheckInIn(serializers.Serializer):
    code = serializers.CharField(max_length=12)


class SittingFilter(SyncFilterSet):
    starts_after = IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = IsoDateTimeFilter(field_name="starts_at", lookup_expr="lte")
