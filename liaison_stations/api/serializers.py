from rest_framework import serializers

from congress import personal_data, scope
from congress.api.serializers import DeadlinesField
from deputies import idnumbers

from ..models import (
    Activity,
    Category,
    CitizenOpinion,
    DeclineReason,
    Reception,
    Route,
    StarRating,
    Station,
    Stationing,
    Visit,
)


class StationOut(serializers.ModelSerializer):
    class Meta:
        model = Station
        fields = [
            "id", "name", "kind", "tier", "congress", "region", "region_code", "parent", "theme", "theme_detail",
            "address", "latitude", "longitude", "opening_hours", "phone", "online_url", "chief", "managers", "stars",
            "is_active", "slug", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["region_code", "stars", "slug", "updated_at"]
        validators = []


class StationingOut(serializers.ModelSerializer):
    class Meta:
        model = Stationing
        fields = ["id", "station", "mandate", "start_date", "end_date", "updated_at"]
        read_only_fields = ["end_date", "updated_at"]
        validators = []


class StationingEndIn(serializers.Serializer):
    date = serializers.DateField(required=False)


class ReceptionOut(serializers.ModelSerializer):
    class Meta:
        model = Reception
        fields = [
            "id", "station", "date", "start_time", "end_time", "topic", "deputies", "status", "published_at",
            "citizens_received", "summary", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["status", "published_at", "citizens_received", "summary", "updated_at"]


class ReceptionCancelIn(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ReceptionRecordIn(serializers.Serializer):
    present = serializers.ListField(child=serializers.IntegerField(), help_text="Mandate ids of deputies present")
    citizens_received = serializers.IntegerField(min_value=0, max_value=100000)
    summary = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class VisitOut(serializers.ModelSerializer):
    activity = serializers.ChoiceField(choices=Activity.choices)
    submission_key = serializers.CharField(
        max_length=64, required=False, allow_blank=True, write_only=True,
        help_text="Repeat the same key to get the first visit back instead of a second one.",
    )  # fmt: skip

    class Meta:
        model = Visit
        fields = [
            "id", "mandate", "station", "reception", "activity", "visited_at", "year", "citizens_received", "topics",
            "channel", "flagged", "flag_reason", "submission_key", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["reception", "year", "channel", "flagged", "flag_reason", "updated_at"]
        validators = []  # a repeated submission key returns the first visit (services.check_in)


class OpinionOut(serializers.ModelSerializer):
    """A citizen opinion; the phone is masked without the personal-data permission."""

    category = serializers.ChoiceField(choices=Category.choices)
    # Empty until triaged (and unless declined): declared so the schema allows the empty value.
    route = serializers.ChoiceField(choices=Route.choices, allow_blank=True, read_only=True)
    decline_reason = serializers.ChoiceField(choices=DeclineReason.choices, allow_blank=True, read_only=True)
    submission_key = serializers.CharField(max_length=64, required=False, allow_blank=True, write_only=True)
    deadlines = DeadlinesField()  # triage, referral, feedback to the citizen

    class Meta:
        model = CitizenOpinion
        fields = [
            "id", "tracking_code", "station", "addressed_to", "congress", "region_code", "reception", "channel",
            "citizen_name", "phone", "category", "content", "received_at", "status", "route", "triaged_at", "answer",
            "referred_unit", "referral_due", "unit_reply", "unit_replied_at", "taken_up_by", "decline_reason",
            "feedback", "feedback_at", "closed_at", "submission_key", "deadlines", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "tracking_code", "addressed_to", "congress", "region_code", "reception", "channel", "received_at",
            "status", "route", "triaged_at", "answer", "referred_unit", "referral_due", "unit_reply",
            "unit_replied_at", "taken_up_by", "decline_reason", "feedback", "feedback_at", "closed_at", "updated_at",
        ]  # fmt: skip
        extra_kwargs = {"station": {"required": True, "allow_null": False}}
        validators = []  # a repeated submission key returns the first opinion (services.submit_opinion)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not scope.can(request.user, "liaison_stations.view_citizen_phone", instance):
            data["phone"] = idnumbers.mask_phone(data["phone"])
        else:
            personal_data.seen(request.user, instance, "api")
        return data


class OpinionTriageIn(serializers.Serializer):
    route = serializers.ChoiceField(choices=Route.choices)
    answer = serializers.CharField(max_length=4000, required=False, allow_blank=True,
                                   help_text="The answer (route answered) or a note")  # fmt: skip
    unit = serializers.IntegerField(required=False, allow_null=True, help_text="Handling unit (route referred)")
    deputy = serializers.IntegerField(required=False, allow_null=True, help_text="Mandate (route to_suggestion)")
    decline_reason = serializers.ChoiceField(choices=DeclineReason.choices, required=False, allow_blank=True)


class OpinionReplyIn(serializers.Serializer):
    reply = serializers.CharField(max_length=4000)


class OpinionFeedbackIn(serializers.Serializer):
    feedback = serializers.CharField(max_length=4000)


class StarRatingOut(serializers.ModelSerializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100), write_only=True,
        help_text="Criterion id → score from 0 to 100, for every active criterion of the station's congress",
    )  # fmt: skip

    class Meta:
        model = StarRating
        fields = ["id", "station", "year", "score", "stars", "note", "evaluated_by", "scores", "updated_at"]
        read_only_fields = ["score", "stars", "evaluated_by", "updated_at"]
        validators = []
