"""Suggestion API shapes. Deputies appear by mandate id and name only: never their phone or ID number.

Each action has its own input serializer; choice fields whose name another app already uses for another
choice set (reason, mode, on_result/on_attitude) are plain strings checked by the service, because the
schema generator would otherwise rename or duplicate the enum components other endpoints publish."""

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from congress.api.fastread import CompiledRead
from congress.api.serializers import DeadlinesField

from ..models import (
    Assignment,
    Category,
    ContactMode,
    CoSigner,
    DeclineReason,
    KeySupervision,
    Reply,
    Result,
    Satisfaction,
    Suggestion,
    SupervisionNote,
)


def _one_of(choices):
    """Help text naming the accepted values, translated when the schema is generated."""
    return lazy(lambda: gettext("One of: %(values)s") % {"values": ", ".join(choices.values)}, str)()


class SuggestionLeadOut(CompiledRead, serializers.Serializer):
    mandate = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)


class SuggestionCosignerOut(CompiledRead, serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)  # the deputy's name, read with the row (suggestions.api.views)

    class Meta:
        model = CoSigner
        fields = ["mandate", "name", "status", "responded_at"]
        read_only_fields = fields


class SuggestionReplyOut(CompiledRead, serializers.ModelSerializer):
    class Meta:
        model = Reply
        fields = [
            "id",
            "round",
            "result",
            "replied_on",
            "text",
            "follow_up_plan",
            "contact_person",
            "contact_phone",
            "solved_on",
        ]
        read_only_fields = fields


class AssignmentOut(CompiledRead, serializers.ModelSerializer):
    """One unit's assignment (交办), nested in a suggestion and listed on its own for unit systems."""

    unit_name = serializers.CharField(read_only=True)  # read with the row (suggestions.api.views)
    replies = SuggestionReplyOut(many=True, read_only=True, source="reply_list")
    # The unit's clocks (receipt, re-assignment window, co-handling opinion, reply, re-handling) and the feedback
    # clock of each of its replies.
    deadlines = DeadlinesField()

    class Meta:
        model = Assignment
        fields = [
            "id", "suggestion", "unit", "unit_name", "role", "status", "assigned_on", "received_at", "reply_due",
            "extension_months", "replied_on", "replied_on_time", "co_opinion_at", "replies", "deadlines",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class SuggestionOut(CompiledRead, serializers.ModelSerializer):
    """A suggestion or motion."""

    lead = SuggestionLeadOut(read_only=True)
    # The views attach these lists (suggestions.selectors.attach_nested).
    cosigners = SuggestionCosignerOut(many=True, read_only=True, source="cosigner_list")
    assignments = AssignmentOut(many=True, read_only=True, source="assignment_list")
    decline_reason = serializers.CharField(read_only=True)
    deadlines = DeadlinesField()  # the suggestion's own (assignment, disclosure); its units' are in assignments

    class Meta:
        model = Suggestion
        fields = [
            "id", "kind", "number_label", "title", "content", "category", "congress", "term", "session", "status",
            "lead", "delegation", "delegation_votes_for", "delegation_members", "cosigners",
            "submitted_at", "accepted_at", "assigned_on", "closed_at",
            "review_comment", "decline_reason", "merged_into", "published_at", "assignments", "deadlines",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class SuggestionDraftIn(serializers.ModelSerializer):
    """A draft's fields: on create (under one of the deputy's mandates), and on PATCH of a draft or of a suggestion
    returned for revision."""

    mandate = serializers.IntegerField(
        required=False, help_text=_("Your mandate the suggestion is written under (on create).")
    )
    cosigner_mandates = serializers.ListField(
        child=serializers.IntegerField(), required=False,
        help_text=_("Mandate ids of the deputies asked to co-sign; replaces the list."),
    )  # fmt: skip

    class Meta:
        model = Suggestion
        fields = ["mandate", "kind", "title", "content", "category", "session", "delegation", "delegation_votes_for",
                  "delegation_members", "cosigner_mandates"]  # fmt: skip
        validators = []


class SuggestionIntakeIn(serializers.ModelSerializer):
    """A deputy's suggestion entered by staff or another system (代录): submitted at once in the deputy's name."""

    mandate = serializers.IntegerField(help_text=_("The deputy's mandate the suggestion is written under."))

    class Meta:
        model = Suggestion
        fields = ["mandate", "kind", "title", "content", "category", "session", "delegation", "delegation_votes_for",
                  "delegation_members"]  # fmt: skip
        validators = []


class SuggestionBatchIn(serializers.Serializer):
    items = SuggestionIntakeIn(many=True, help_text=_("Up to 1,000 suggestions; each is handled on its own."))


# Inputs of the workflow actions (one each, so every schema component has its own name).


class SuggestionWithdrawIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class SuggestionReturnIn(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, help_text=_("What the deputy should revise."))


class SuggestionDeclineIn(serializers.Serializer):
    reason = serializers.CharField(max_length=20, help_text=_one_of(DeclineReason))
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class SuggestionMergeIn(serializers.Serializer):
    others = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, help_text=_("Suggestions merged into this one.")
    )


class SuggestionAssignIn(serializers.Serializer):
    lead = serializers.IntegerField(required=False, allow_null=True, help_text=_("The lead unit (主办)."))
    co_units = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=_("Co-handling units (会办), with a lead unit.")
    )
    separate_units = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=_("Units assigned separately (分办), no lead.")
    )


class SuggestionUnitIn(serializers.Serializer):
    """Which of the caller's units acts, when they belong to several units on the suggestion."""

    unit = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Needed only when you act for several units.")
    )


class SuggestionReassignmentRequestIn(SuggestionUnitIn):
    reason = serializers.CharField(max_length=3000)
    suggested_unit = serializers.IntegerField(required=False, allow_null=True)


class SuggestionReassignmentDecisionIn(serializers.Serializer):
    unit = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("The unit whose request is decided, when several wait.")
    )
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    new_unit = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("On approval, the unit that handles instead.")
    )


class SuggestionContactIn(SuggestionUnitIn):
    date = serializers.DateField()
    mode = serializers.CharField(max_length=15, help_text=_one_of(ContactMode))
    summary = serializers.CharField(max_length=5000)


class SuggestionCoOpinionIn(SuggestionUnitIn):
    opinion = serializers.CharField(max_length=10000)


class SuggestionPlanIn(SuggestionUnitIn):
    plan = serializers.CharField(max_length=5000, allow_blank=True)


class SuggestionReplyIn(SuggestionUnitIn):
    text = serializers.CharField(max_length=30000)
    result = serializers.ChoiceField(choices=Result.choices)
    follow_up_plan = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, help_text=_("Required for results B and C.")
    )
    letter = serializers.FileField(help_text=_("The signed reply letter (PDF)."))
    contact_person = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)


class SuggestionExtensionRequestIn(SuggestionUnitIn):
    months = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=3000)


class SuggestionExtensionDecisionIn(serializers.Serializer):
    unit = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("The unit whose request is decided, when several wait.")
    )
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class SuggestionFeedbackIn(serializers.Serializer):
    reply = serializers.IntegerField(help_text=_("The reply rated (its id in the suggestion's assignments)."))
    on_result = serializers.CharField(max_length=20, help_text=_one_of(Satisfaction))
    on_attitude = serializers.CharField(max_length=20, help_text=_one_of(Satisfaction))
    comment = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, help_text=_("Required when dissatisfied.")
    )


class SuggestionCloseIn(serializers.Serializer):
    decision = serializers.CharField(max_length=2000)


class SuggestionSolvedIn(SuggestionUnitIn):
    note = serializers.CharField(max_length=5000)


class SuggestionObjectionIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class SuggestionPublishIn(serializers.Serializer):
    override_objection = serializers.BooleanField(default=False)
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text=_("Why it is published despite an objection.")
    )


class SuggestionCosignIn(serializers.Serializer):
    confirm = serializers.BooleanField(help_text=_("True to co-sign, false to decline."))


# Categories and key supervision


class SuggestionCategoryOut(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "congress", "name", "parent", "position", "is_active", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []  # the service's full_clean reports a duplicate name as a field error


class KeySupervisionOut(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader.name", read_only=True, default="")
    suggestion_ids = serializers.ListField(
        child=serializers.IntegerField(), write_only=True, required=False,
        help_text=_("The suggestions the item covers (of the same congress)."),
    )  # fmt: skip
    total = serializers.IntegerField(read_only=True, help_text=_("Suggestions covered."))
    overdue = serializers.IntegerField(read_only=True, help_text=_("Their assignments overdue today."))

    class Meta:
        model = KeySupervision
        fields = [
            "id", "congress", "year", "title", "leader", "leader_name", "committee", "government_leader", "plan",
            "suggestions",
            "suggestion_ids", "total", "overdue", "closed_at", "report", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["suggestions", "closed_at", "report", "updated_at"]
        validators = []


class SupervisionNoteIn(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    unit = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Send the note as a supervision notice to this unit.")
    )


class SupervisionNoteOut(serializers.ModelSerializer):
    class Meta:
        model = SupervisionNote
        fields = ["id", "item", "text", "unit", "written_by", "created_at"]
        read_only_fields = fields


class KeySupervisionCloseIn(serializers.Serializer):
    report = serializers.CharField(max_length=20000)


class SimilarSuggestionOut(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(source="number_label", read_only=True)
    title = serializers.CharField(read_only=True)
    similarity = serializers.FloatField(read_only=True, help_text=_("Cosine of the two texts' words, 0 to 1."))


class RecommendedUnitOut(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    share = serializers.FloatField(read_only=True, help_text=_("How clearly this unit fits, among the ranked ones."))
    category_suggestions = serializers.FloatField(
        source="category_documents", read_only=True,
        help_text=_("Past suggestions of the category answered by this unit (one re-assigned to it counts double)."),
    )  # fmt: skip
    name_matches_category = serializers.BooleanField(source="name_matches", read_only=True)
    keywords = serializers.ListField(child=serializers.CharField(), read_only=True)
    similar = SimilarSuggestionOut(many=True, read_only=True)
    similar_hidden = serializers.IntegerField(
        read_only=True, help_text=_("Alike suggestions this unit answered that the caller may not see.")
    )


class RecommendationOut(serializers.Serializer):
    basis = serializers.ChoiceField(choices=["history", "category", "none"], read_only=True)
    note = serializers.CharField(read_only=True)
    category = serializers.IntegerField(source="category.pk", read_only=True, allow_null=True, default=None)
    category_suggestions = serializers.FloatField(source="category_documents", read_only=True)
    learnt_at = serializers.DateTimeField(read_only=True, allow_null=True)
    learnt_from = serializers.IntegerField(read_only=True)
    units = RecommendedUnitOut(many=True, read_only=True)
