"""Expert pools API: a congress's pools and experts, and the experts' invitations to activities. Reads under
`activities:read` (the congress's staff and clients only), writes under `activities:write` by its staff alone (as
every activities write), through activities.experts.

An expert's phone and e-mail are masked unless the caller is an integration client holding the personal-data
scope; then each unmasked read leaves an access record, as the roster's and the stations' do."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from congress import personal_data, scope
from congress.services import PERSONAL_DATA_SCOPE
from deputies import idnumbers

from .. import experts as service
from ..models import Expert, ExpertAnswer, ExpertPool, Participant
from .views import ListRead


def shows_contact(user) -> bool:
    """Contacts unmasked: integration clients granted the personal-data scope (people see them masked here and
    reveal them on the expert's page, one at a time)."""
    client = scope.api_client(user)
    return client is not None and PERSONAL_DATA_SCOPE in client.scopes


class ExpertPoolOut(serializers.ModelSerializer):
    class Meta:
        model = ExpertPool
        fields = ["id", "congress", "code", "name", "position"]


class ExpertPoolIn(serializers.Serializer):
    congress = serializers.IntegerField(label=_("congress"))
    code = serializers.SlugField(label=_("code"), max_length=40)
    name = serializers.CharField(label=_("name"), max_length=100)
    position = serializers.IntegerField(label=_("position"), min_value=0, max_value=32767, default=0)


class ExpertOut(serializers.ModelSerializer):
    pools = serializers.PrimaryKeyRelatedField(many=True, read_only=True, label=_("expert pools"))
    fields_of_expertise = serializers.ListField(child=serializers.CharField(), read_only=True,
                                                label=_("fields of expertise"))  # fmt: skip
    phone = serializers.CharField(read_only=True, label=_("mobile phone"), help_text=_("Masked unless the client "
                                  "holds the personal-data scope."))  # fmt: skip
    email = serializers.CharField(read_only=True, label=_("e-mail"), help_text=_("Masked likewise."))
    archived = serializers.BooleanField(read_only=True, label=_("archived"))

    class Meta:
        model = Expert
        fields = ["id", "congress", "pools", "name", "fields_of_expertise", "title", "work_unit", "phone", "email",
                  "available", "note", "archived", "archived_at", "updated_at"]  # fmt: skip

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and shows_contact(request.user):
            if instance.phone or instance.email:
                personal_data.seen(request.user, instance, "api")
        else:
            data["phone"] = idnumbers.mask_phone(data["phone"])
            data["email"] = service.mask_email(data["email"])
        return data


class ExpertIn(serializers.Serializer):
    congress = serializers.IntegerField(label=_("congress"))
    pools = serializers.ListField(child=serializers.IntegerField(), label=_("expert pools"), allow_empty=False)
    name = serializers.CharField(label=_("full name"), max_length=50)
    expertise = serializers.CharField(label=_("fields of expertise"), max_length=300)
    title = serializers.CharField(label=_("title or position"), max_length=100, required=False, default="")
    work_unit = serializers.CharField(label=_("work unit"), max_length=200, required=False, default="")
    phone = serializers.CharField(label=_("mobile phone"), max_length=20, required=False, default="", allow_blank=True)
    email = serializers.EmailField(label=_("e-mail"), max_length=254, required=False, default="", allow_blank=True)
    available = serializers.BooleanField(label=_("available for invitations"), required=False, default=True)
    note = serializers.CharField(label=_("note"), max_length=500, required=False, default="", allow_blank=True)


class ExpertChangeIn(ExpertIn):
    congress = None


class ExpertInvitationOut(serializers.ModelSerializer):
    answer = serializers.CharField(read_only=True, label=_("expert's answer"),
                                   help_text=_("One of: invited, accepted, declined"))  # fmt: skip

    class Meta:
        model = Participant
        fields = ["id", "activity", "expert", "name", "affiliation", "answer", "decline_reason", "answered_at",
                  "updated_at"]  # fmt: skip


class ExpertInviteIn(serializers.Serializer):
    activity = serializers.IntegerField(label=_("activity"))
    experts = serializers.ListField(child=serializers.IntegerField(), label=_("experts"), allow_empty=False)


class ExpertAnswerIn(serializers.Serializer):
    answer = serializers.ChoiceField(label=_("expert's answer"), choices=[ExpertAnswer.ACCEPTED, ExpertAnswer.DECLINED])
    reason = serializers.CharField(label=_("reason for declining"), max_length=500, required=False, default="",
                                   allow_blank=True)  # fmt: skip


def _congress_of(user, congress_id: int):
    """The congress named for a new pool or expert, among those the caller keeps experts for."""
    from congress.errors import Forbidden
    from congress.models import Congress

    if congress_id not in scope.congress_ids(user, ("staff",)):
        raise Forbidden(_("Experts are kept by their own congress: choose yours."))
    return Congress.objects.get(pk=congress_id)


class ExpertPoolViewSet(ListRead, mixins.CreateModelMixin):
    """A congress's expert pools (法律专家库 …): its staff and clients read them and add new ones."""

    queryset = ExpertPool.objects.all()
    serializer_class = ExpertPoolOut
    ordering_fields = ["id", "position", "name"]

    def get_queryset(self):
        return scope.visible(self.request.user, ExpertPool).order_by("congress", "position", "name", "pk")

    @extend_schema(request=ExpertPoolIn, responses={201: ExpertPoolOut})
    def create(self, request, *args, **kwargs):
        values = self._input(ExpertPoolIn)
        values["congress"] = _congress_of(request.user, values["congress"])
        pool = service.save_pool(actor=request.user, pool=ExpertPool(**values))
        return Response(ExpertPoolOut(pool).data, status=status.HTTP_201_CREATED)


class ExpertViewSet(ListRead, mixins.CreateModelMixin):
    """A congress's experts with their fields of expertise; contacts masked (see the module). `pool`, `field` and
    `search` filter them; archived ones only with `archived=true`."""

    queryset = Expert.objects.all()
    serializer_class = ExpertOut
    ordering_fields = ["id", "name", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = scope.visible(self.request.user, Expert).prefetch_related("pools").order_by("name", "pk")
        if self.action != "list":
            return queryset
        query = self.request.query_params
        pool = query.get("pool", "")
        return service.search(
            queryset, pool=int(pool) if pool.isdigit() else None, field=query.get("field", "")[:50],
            text=query.get("search", "")[:50], archived=query.get("archived") == "true",
        )  # fmt: skip

    @extend_schema(request=ExpertIn, responses={201: ExpertOut})
    def create(self, request, *args, **kwargs):
        values = self._input(ExpertIn)
        pools = values.pop("pools")
        values["congress"] = _congress_of(request.user, values["congress"])
        expert = service.save_expert(actor=request.user, expert=Expert(**values), pool_ids=pools)
        return Response(self.get_serializer(expert).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExpertChangeIn, responses=ExpertOut)
    def partial_update(self, request, *args, **kwargs):
        expert = self.get_object()
        data = ExpertChangeIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        pools = values.pop("pools", None) or list(expert.pools.values_list("pk", flat=True))
        for name, value in values.items():
            setattr(expert, name, value)
        expert = service.save_expert(actor=request.user, expert=expert, pool_ids=pools)
        return Response(self.get_serializer(expert).data)

    @extend_schema(request=None, responses=ExpertOut)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Take the expert out of the pools (kept, never deleted; no longer invited)."""
        expert = self.get_object()
        service.archive_expert(actor=request.user, expert_id=expert.pk)
        return Response(self.get_serializer(self.get_queryset().get(pk=expert.pk)).data)


class ExpertInvitationViewSet(ListRead, mixins.CreateModelMixin):
    """Experts invited to activities (non-deputy participants linked to the pool): staff invite their own congress's
    experts, once per activity, and record each expert's answer."""

    queryset = Participant.objects.all()
    serializer_class = ExpertInvitationOut
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return Participant.objects.filter(expert__in=scope.visible(self.request.user, Expert)).order_by("-id")

    @extend_schema(request=ExpertInviteIn, responses={201: ExpertInvitationOut(many=True)})
    def create(self, request, *args, **kwargs):
        values = self._input(ExpertInviteIn)
        from ..models import Activity

        activity = get_object_or_404(scope.visible(request.user, Activity), pk=values["activity"])
        invited = service.invite_experts(actor=request.user, activity_id=activity.pk, expert_ids=values["experts"])
        return Response(ExpertInvitationOut(invited, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExpertAnswerIn, responses=ExpertInvitationOut)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Record the expert's answer: accepted, or declined with a reason."""
        values = self._input(ExpertAnswerIn)
        participant = self.get_object()
        service.record_answer(actor=request.user, participant_id=participant.pk, answer=values["answer"],
                              reason=values["reason"])  # fmt: skip
        return Response(self.get_serializer(self.get_queryset().get(pk=participant.pk)).data)


__all__ = ["ExpertInvitationViewSet", "ExpertPoolViewSet", "ExpertViewSet"]
