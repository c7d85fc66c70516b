from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congress import personal_data, scope
from congress.api.fastread import CompiledRead

from .. import idnumbers
from ..models import (
    ContactAssignment,
    ContactRecord,
    DeputyGroup,
    DutyEntry,
    EndReason,
    GroupKind,
    GroupMembership,
    GroupRole,
    Mandate,
    Person,
    Suspension,
    SuspensionReason,
    Tag,
)


class TagOut(CompiledRead, serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "kind", "name"]


class SuspensionOut(serializers.ModelSerializer):
    class Meta:
        model = Suspension
        fields = ["id", "reason", "start_date", "end_date", "note"]


class MandateGroupOut(CompiledRead, serializers.Serializer):
    """One of a mandate's deputy groups, with the deputy's role in it."""

    id = serializers.IntegerField(source="group.id", read_only=True)
    name = serializers.CharField(source="group.name", read_only=True)
    kind = serializers.ChoiceField(source="group.kind", choices=GroupKind.choices, read_only=True)
    role = serializers.ChoiceField(choices=GroupRole.choices, read_only=True)


LEGACY_GROUP_HELP = _(
    "Deprecated: a mandate now belongs to several groups, listed in `groups`. Read, the first regional group (else "
    "the first group); written, the mandate joins that group as a member (nothing else changes)."
)


def legacy_group_field():
    return serializers.IntegerField(
        source="legacy_group_id", label=_("deputy group"), allow_null=True, required=False, help_text=LEGACY_GROUP_HELP
    )


class MandateOut(CompiledRead, serializers.ModelSerializer):
    group = legacy_group_field()
    groups = MandateGroupOut(
        many=True, read_only=True, source="memberships",
        help_text=_("The deputy groups (regional, professional, working) the mandate belongs to, with its role."),
    )  # fmt: skip
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    # Empty until the mandate ends: declared so the schema allows the empty value.
    end_reason = serializers.ChoiceField(choices=EndReason.choices, allow_blank=True, read_only=True)
    term_number = serializers.IntegerField(source="term.number", read_only=True)

    class Meta:
        model = Mandate
        fields = [
            "id", "person", "congress", "congress_name", "term", "term_number", "level", "electoral_unit",
            "delegation", "group", "groups", "start_date", "status", "end_date", "end_reason", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["level", "status", "end_date", "end_reason", "updated_at"]
        validators = []


class MandateSeatIn(serializers.ModelSerializer):
    """The first mandate given when a deputy is created."""

    class Meta:
        model = Mandate
        fields = ["congress", "term", "electoral_unit", "delegation", "group", "groups", "start_date"]
        validators = []

    group = legacy_group_field()
    groups = serializers.PrimaryKeyRelatedField(
        queryset=DeputyGroup.objects.all(), many=True, required=False,
        help_text=_("Deputy groups of the mandate's congress and term the deputy joins as a member."),
    )  # fmt: skip


class PersonOut(CompiledRead, serializers.ModelSerializer):
    """A deputy with their mandates; ID number and phone are masked without the personal-data permission."""

    mandates = serializers.SerializerMethodField()
    tags = TagOut(many=True, read_only=True)
    tag_ids = serializers.PrimaryKeyRelatedField(
        source="tags", queryset=Tag.objects.all(), many=True, write_only=True, required=False
    )
    mandate = MandateSeatIn(write_only=True, required=False, help_text=_("Required when creating a deputy."))

    class Meta:
        model = Person
        fields = [
            "id", "name", "gender", "ethnic_group", "birth_date", "id_number", "party", "education", "occupation",
            "work_unit", "tags", "tag_ids", "grassroots", "returned_overseas", "phone", "address", "mandates",
            "mandate", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["updated_at"]
        extra_kwargs = {"id_number": {"validators": []}}

    @cached_property
    def _mandates_out(self):
        # Built once per serializer rather than per row: a ModelSerializer builds its fields on first use, which
        # cost more than the rows themselves in a page of 500.
        return MandateOut(many=True)

    @extend_schema_field(MandateOut(many=True))
    def get_mandates(self, obj):
        # Prefetched by the view with only the mandates the caller may see.
        return self._mandates_out.to_representation(getattr(obj, "visible_mandates", []))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not scope.can(request.user, "deputies.view_personal_data", instance):
            data["id_number"] = idnumbers.mask(data["id_number"])
            data["phone"] = idnumbers.mask_phone(data["phone"])
        else:
            personal_data.seen(request.user, instance, "api")
        return data


class PersonExportOut(PersonOut):
    """PersonOut for the streamed export: the same fields, formats and masking, with the tags read from the rows
    attached to each chunk (`selectors.attach_export_rows`) instead of a related manager per deputy."""

    tags = TagOut(many=True, read_only=True, source="tag_list")


# What PersonOut shows of a person, and reads to decide the masking (`user`: a deputy sees their own).
PERSON_EXPORT_COLUMNS = [
    "id", "name", "gender", "ethnic_group", "birth_date", "id_number", "party", "education", "occupation",
    "work_unit", "grassroots", "returned_overseas", "phone", "address", "updated_at", "user",
]  # fmt: skip


class GroupMemberOut(CompiledRead, serializers.ModelSerializer):
    """A member of a deputy group: the mandate, the deputy's name and role."""

    id = serializers.IntegerField(read_only=True, help_text=_("The membership (for set-role and remove)."))
    person = serializers.IntegerField(source="mandate.person_id", read_only=True)
    name = serializers.CharField(source="mandate.person.name", read_only=True)

    class Meta:
        model = GroupMembership
        fields = ["id", "mandate", "person", "name", "role", "since"]


class DeputyGroupOut(CompiledRead, serializers.ModelSerializer):
    """A deputy group with the members the caller may see."""

    members = GroupMemberOut(many=True, read_only=True, source="visible_memberships")

    class Meta:
        model = DeputyGroup
        fields = ["id", "congress", "term", "name", "kind", "remit", "region", "archived_at", "members", "updated_at"]


class GroupMembersIn(serializers.Serializer):
    mandates = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, max_length=1000,
        help_text=_("Mandates of the group's congress and term to add as members."),
    )  # fmt: skip


class GroupRoleIn(serializers.Serializer):
    membership = serializers.IntegerField(help_text=_("A membership of this group."))
    role = serializers.ChoiceField(choices=GroupRole.choices)


class GroupRemoveIn(serializers.Serializer):
    membership = serializers.IntegerField(help_text=_("A membership of this group."))


class MandateActionIn(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.ChoiceField(
        choices=[*EndReason.choices, *SuspensionReason.choices], required=False, allow_blank=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ContactAssignmentOut(serializers.ModelSerializer):
    class Meta:
        model = ContactAssignment
        fields = ["id", "member", "mandate", "congress", "active", "updated_at"]


class ContactRecordOut(serializers.ModelSerializer):
    class Meta:
        model = ContactRecord
        fields = ["id", "assignment", "date", "mode", "topic", "raised", "recorded_by", "updated_at"]
        read_only_fields = ["recorded_by", "updated_at"]


class DutyEntryOut(serializers.ModelSerializer):
    points = serializers.SerializerMethodField()

    class Meta:
        model = DutyEntry
        fields = ["id", "mandate", "kind", "date", "year", "title", "quantity", "points", "source", "updated_at"]
        read_only_fields = ["year", "source", "updated_at"]

    def get_points(self, obj) -> str:
        # What the entry is worth in its congress's catalogue, before the item's yearly cap.
        return str(obj.quantity * getattr(obj, "unit_points", obj.kind.points))


class PointsLineOut(serializers.Serializer):
    code = serializers.CharField(help_text=_("The duty item (a duty kind code)."))
    name = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=9, decimal_places=1)
    points = serializers.DecimalField(max_digits=9, decimal_places=2, help_text=_("Per unit; negative: a deduction."))
    cap = serializers.DecimalField(
        max_digits=9, decimal_places=2, allow_null=True, help_text=_("Yearly cap of the item; null: none.")
    )
    earned = serializers.DecimalField(max_digits=9, decimal_places=2, help_text=_("Quantity × points."))
    counted = serializers.DecimalField(max_digits=9, decimal_places=2, help_text=_("What enters the score."))
    capped = serializers.BooleanField()


class YearlyPointsOut(serializers.Serializer):
    year = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=9, decimal_places=2, help_text=_("The score (same as `score`)."))
    score = serializers.DecimalField(max_digits=9, decimal_places=2, help_text=_("0–100."))
    base = serializers.DecimalField(max_digits=9, decimal_places=2)
    additions = serializers.DecimalField(max_digits=9, decimal_places=2)
    deductions = serializers.DecimalField(max_digits=9, decimal_places=2, help_text=_("Subtracted from the score."))
    grade = serializers.CharField()
    grade_label = serializers.CharField()
    good_from = serializers.IntegerField(help_text=_("Lowest score graded good."))
    fair_from = serializers.IntegerField(help_text=_("Lowest score graded fair."))
    lines = PointsLineOut(many=True, help_text=_("Each duty item done this year, with its cap."))


class PersonBatchIn(serializers.Serializer):
    items = PersonOut(many=True, help_text=_("Up to 1,000 deputies, each with `mandate`; each handled on its own."))
