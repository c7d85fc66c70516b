from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import deadlines
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


class RegionOut(serializers.ModelSerializer):
    division_code = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "division_code", "name", "level", "parent", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {"code": {"validators": []}}


class CongressOut(serializers.ModelSerializer):
    class Meta:
        model = Congress
        fields = ["id", "name", "level", "region", "updated_at"]
        read_only_fields = ["level", "updated_at"]
        extra_kwargs = {"name": {"validators": []}, "region": {"validators": []}}


class TermOut(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "congress", "number", "start_date", "end_date", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []


class SessionOut(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["id", "term", "number", "name", "start_date", "end_date", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []

    def get_name(self, obj) -> str:
        return str(obj)


class OrganisationOut(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "unit_category",
            "region",
            "congress",
            "parent",
            "phone",
            "is_active",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators = []


class PolicyValueOut(serializers.ModelSerializer):
    class Meta:
        model = PolicyValue
        fields = ["id", "congress", "key", "value", "note", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []


class EffectivePolicyOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    default = serializers.DecimalField(max_digits=12, decimal_places=2)
    value = serializers.DecimalField(max_digits=12, decimal_places=2)
    overridden = serializers.BooleanField()


class ChangeOut(serializers.ModelSerializer):
    class Meta:
        model = Tombstone
        fields = ["id", "resource", "object_id", "action", "merged_into", "at"]


class WebhookEndpointOut(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "is_active", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class WebhookEndpointIn(serializers.Serializer):
    url = serializers.CharField(max_length=500)
    events = serializers.ListField(child=serializers.CharField(max_length=60))
    is_active = serializers.BooleanField(default=True)


class WebhookSecretOut(serializers.Serializer):
    """The shared secret, shown this once: sign-checking needs it, and it is not shown again."""

    id = serializers.IntegerField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    secret = serializers.CharField()


class WebhookDeliveryOut(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = ["id", "endpoint", "event_id", "event", "payload", "status", "attempts", "next_attempt_at",
                  "delivered_at", "response_status", "last_error", "created_at"]  # fmt: skip


class WebhookEventOut(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    scope = serializers.CharField()  # what a client needs to subscribe to and receive the event


class DeadlineOut(serializers.Serializer):
    """One deadline of a record, open or closed."""

    kind = serializers.CharField(help_text=_("The deadline's kind, e.g. assignment.reply, reply.feedback."))
    label = serializers.CharField(help_text=_("The kind in words."))
    start_date = serializers.DateField()
    due_date = serializers.DateField()
    state = serializers.CharField(
        help_text=_(
            "open; overdue (open and past its due date); met; cancelled (no longer owed); ended (a window that "
            "passed: nobody is overdue)."
        )
    )
    provisional = serializers.BooleanField(
        help_text=_(
            "The due date was counted over a year whose official holiday schedule is not entered yet: it may still "
            "move when the schedule is entered."
        )
    )


@extend_schema_field(DeadlineOut(many=True))
class DeadlinesField(serializers.Field):
    """The record's deadlines: those a view attached for a whole page (`deadline_list`, one query), else read
    here for the one record."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        rows = instance.get("deadline_list") if isinstance(instance, dict) else getattr(instance, "deadline_list", None)
        if rows is None:
            rows = deadlines.listing({type(instance): [instance.pk]}).get((type(instance), instance.pk), [])
        return DeadlineOut(rows, many=True).data
