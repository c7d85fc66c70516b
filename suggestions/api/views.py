"""Suggestion API: thin viewsets over congress.scope, suggestions.selectors and suggestions.services.

Every workflow action is a POST on /suggestions/{id}/<action>/ that parses its input, calls one service and
answers with the suggestion. Unit actions act on the caller's unit's assignment on that suggestion."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from congress import scope
from congress.api import batch, examples, streaming
from congress.api.auth import ClientScopePermission
from congress.api.pagination import SyncReadsOnReplica
from congress.errors import Forbidden, InvalidTransition, RuleViolation
from congress.idempotency import IdempotentMixin

from .. import routing, selectors, services
from ..models import (
    Assignment,
    Category,
    CoSigner,
    ExtensionRequest,
    KeySupervision,
    ReassignmentRequest,
    Status,
    Suggestion,
)
from . import filters
from .serializers import (
    AssignmentOut,
    KeySupervisionCloseIn,
    KeySupervisionOut,
    RecommendationOut,
    SuggestionAssignIn,
    SuggestionBatchIn,
    SuggestionCategoryOut,
    SuggestionCloseIn,
    SuggestionContactIn,
    SuggestionCoOpinionIn,
    SuggestionCosignIn,
    SuggestionDeclineIn,
    SuggestionDraftIn,
    SuggestionExtensionDecisionIn,
    SuggestionExtensionRequestIn,
    SuggestionFeedbackIn,
    SuggestionIntakeIn,
    SuggestionMergeIn,
    SuggestionObjectionIn,
    SuggestionOut,
    SuggestionPlanIn,
    SuggestionPublishIn,
    SuggestionReassignmentDecisionIn,
    SuggestionReassignmentRequestIn,
    SuggestionReplyIn,
    SuggestionReturnIn,
    SuggestionSolvedIn,
    SuggestionUnitIn,
    SuggestionWithdrawIn,
    SupervisionNoteIn,
    SupervisionNoteOut,
)

EXPORT_DESCRIPTION = (
    "Every suggestion the list shows (same scope and filters) in one streamed response, for a mirror's first or "
    "full sync; then follow the list from `X-Sync-Updated-Since` and the changes feed from `X-Sync-Changes-After`."
)


class SuggestionsViewSet(IdempotentMixin, viewsets.GenericViewSet):
    api_scope = "suggestions"
    permission_classes = [permissions.IsAuthenticated, ClientScopePermission]

    def _input(self, serializer_class) -> dict:
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data


class SuggestionViewSet(
    SyncReadsOnReplica, streaming.ExportMixin, SuggestionsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """Suggestions and motions (建议、议案): a deputy's own, those assigned to a unit, or a congress's for staff."""

    queryset = Suggestion.objects.all()
    serializer_class = SuggestionOut
    filterset_class = filters.SuggestionFilter
    search_fields = ["title", "number_label"]
    ordering_fields = ["id", "submitted_at", "updated_at"]

    def get_queryset(self):
        return selectors.api_suggestions(self.request.user)

    def get_serializer(self, *args, **kwargs):
        # Every suggestion this view shows (a page, one record, an action's answer) gets its nested rows here.
        if args and args[0] is not None and "data" not in kwargs:
            selectors.attach_nested(self.request.user, args[0] if kwargs.get("many") else [args[0]])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(**streaming.schema(SuggestionOut, EXPORT_DESCRIPTION))
    @action(detail=False, methods=["get"], renderer_classes=streaming.RENDERERS, pagination_class=None)
    def export(self, request):
        """All suggestions with their co-signers, assignments and replies, streamed: NDJSON or CSV."""
        return self.stream_export(
            request, queryset=self.filter_queryset(self.get_queryset()), serializer=self.get_serializer(),
            filename="suggestions", prepare=lambda chunk: selectors.attach_nested(request.user, chunk),
        )  # fmt: skip

    def _suggestion(self, pk) -> Suggestion:
        return get_object_or_404(scope.visible(self.request.user, Suggestion), pk=pk)

    def _respond(self, pk, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data, status=code)

    def _assignment(self, suggestion: Suggestion, unit_id=None) -> Assignment:
        """The live assignment of the caller's unit (units handle the primary of a merged group)."""
        mine = selectors.unit_assignments_on(self.request.user, suggestion, unit_id)
        if not mine:
            raise Forbidden(_("None of your units handles this suggestion."))
        if len(mine) > 1:
            raise RuleViolation(fields={"unit": [_("You act for several units on this suggestion: say which one.")]})
        return mine[0]

    def _pending(self, model, suggestion: Suggestion, unit_id=None):
        """The unit's request waiting for a staff decision (re-assignment or extension)."""
        # Only those who decide learn whether a request waits; the service checks again as it decides.
        scope.require(self.request.user, "suggestions.review", suggestion)
        waiting = selectors.pending_requests_on(model, suggestion, unit_id)
        if not waiting:
            raise InvalidTransition(
                _("The suggestion is %(state)s and no unit's request on it is waiting for a decision.")
                % {"state": Status(suggestion.status).label}
            )
        if len(waiting) > 1:
            raise RuleViolation(fields={"unit": [_("Several units' requests are waiting: say which unit's.")]})
        return waiting[0]

    # Drafting

    @extend_schema(request=SuggestionDraftIn, responses={201: SuggestionOut})
    def create(self, request):
        """A deputy starts a draft under one of their active mandates (`mandate`)."""
        values = dict(self._input(SuggestionDraftIn))
        mandate_id = values.pop("mandate", None)
        cosigners = values.pop("cosigner_mandates", None)
        if mandate_id is None:
            raise ValidationError({"mandate": [_("Choose the mandate you write the suggestion under.")]})
        suggestion = services.create_draft(
            actor=request.user, mandate_id=mandate_id, fields=values, cosigner_ids=cosigners
        )
        return self._respond(suggestion.pk, status.HTTP_201_CREATED)

    def _intake(self, item: dict) -> Suggestion:
        data = SuggestionIntakeIn(data=item)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        mandate_id = values.pop("mandate")
        return services.intake(actor=self.request.user, mandate_id=mandate_id, fields=values)

    @extend_schema(request=SuggestionIntakeIn, responses={201: SuggestionOut}, examples=examples.SUGGESTION_INTAKE)
    @action(detail=False, methods=["post"])
    def intake(self, request):
        """Staff or the congress's integration client enter a deputy's suggestion (代录); it is submitted at once."""
        return self._respond(self._intake(request.data).pk, status.HTTP_201_CREATED)

    @extend_schema(request=SuggestionBatchIn, responses=batch.BatchOut, examples=examples.SUGGESTIONS_BATCH)
    @action(detail=False, methods=["post"])
    def batch(self, request):
        """Intake of up to 1,000 suggestions at once, with a result per item (a refused item does not stop the
        others)."""
        return Response(batch.run(request.data, self._intake))

    @extend_schema(request=SuggestionDraftIn, responses=SuggestionOut)
    def partial_update(self, request, pk=None):
        """Change a draft (or a suggestion returned for revision)."""
        suggestion = self._suggestion(pk)
        data = SuggestionDraftIn(suggestion, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("mandate", None)
        cosigners = values.pop("cosigner_mandates", None)
        services.save_draft(actor=request.user, suggestion_id=suggestion.pk, fields=values, cosigner_ids=cosigners)
        return self._respond(suggestion.pk)

    @extend_schema(request=SuggestionCosignIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"])
    def cosign(self, request, pk=None):
        """The calling deputy confirms or declines co-signing."""
        suggestion = self._suggestion(pk)
        values = self._input(SuggestionCosignIn)
        cosigner = CoSigner.objects.filter(suggestion=suggestion, mandate__person__user_id=request.user.pk).first()
        if cosigner is None:
            raise Forbidden(_("You were not asked to co-sign this suggestion."))
        services.respond_cosign(actor=request.user, cosigner_id=cosigner.pk, confirm=values["confirm"])
        return self._respond(suggestion.pk)

    @extend_schema(request=None, responses=SuggestionOut)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        services.submit(actor=request.user, suggestion_id=self._suggestion(pk).pk)
        return self._respond(pk)

    @extend_schema(request=SuggestionWithdrawIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        values = self._input(SuggestionWithdrawIn)
        services.withdraw(actor=request.user, suggestion_id=self._suggestion(pk).pk, reason=values.get("reason", ""))
        return self._respond(pk)

    # Review and assignment (staff)

    @extend_schema(request=None, responses=SuggestionOut)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        services.accept(actor=request.user, suggestion_id=self._suggestion(pk).pk)
        return self._respond(pk)

    @extend_schema(request=SuggestionReturnIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_for_revision(self, request, pk=None):
        values = self._input(SuggestionReturnIn)
        services.return_for_revision(actor=request.user, suggestion_id=self._suggestion(pk).pk,
                                     comment=values["comment"])  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=SuggestionDeclineIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        values = self._input(SuggestionDeclineIn)
        services.decline(actor=request.user, suggestion_id=self._suggestion(pk).pk, reason=values["reason"],
                         comment=values.get("comment", ""))  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=None, responses=SuggestionOut)
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        """Handle a submitted motion as a suggestion."""
        services.convert_motion(actor=request.user, suggestion_id=self._suggestion(pk).pk)
        return self._respond(pk)

    @extend_schema(request=SuggestionMergeIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge other accepted suggestions (并案) into this one."""
        values = self._input(SuggestionMergeIn)
        services.merge(actor=request.user, primary_id=self._suggestion(pk).pk, other_ids=values["others"])
        return self._respond(pk)

    @extend_schema(responses=RecommendationOut)
    @action(detail=True, methods=["get"])
    def recommendations(self, request, pk=None):
        """The handling units that fit this suggestion best (at most 3), each with its reasons: the words that
        pointed at it, how often its category went to it, and alike past suggestions it answered."""
        result = routing.recommend(request.user, self._suggestion(pk))
        return Response(RecommendationOut(result).data)

    @extend_schema(request=SuggestionAssignIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign to a lead unit with co-handling units, or separately to several units."""
        values = self._input(SuggestionAssignIn)
        services.assign(
            actor=request.user, suggestion_id=self._suggestion(pk).pk, lead_id=values.get("lead"),
            co_ids=values.get("co_units", ()), separate_ids=values.get("separate_units", ()),
        )  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=SuggestionReassignmentDecisionIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"], url_path="decide-reassignment")
    def decide_reassignment(self, request, pk=None):
        values = self._input(SuggestionReassignmentDecisionIn)
        waiting = self._pending(ReassignmentRequest, self._suggestion(pk), values.get("unit"))
        services.decide_reassignment(
            actor=request.user, request_id=waiting.pk, approve=values["approve"], note=values.get("note", ""),
            new_unit_id=values.get("new_unit"),
        )  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=SuggestionExtensionDecisionIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request, pk=None):
        values = self._input(SuggestionExtensionDecisionIn)
        waiting = self._pending(ExtensionRequest, self._suggestion(pk), values.get("unit"))
        services.decide_extension(actor=request.user, request_id=waiting.pk, approve=values["approve"],
                                  note=values.get("note", ""))  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=SuggestionCloseIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close by decision after a reply was rated dissatisfied twice."""
        values = self._input(SuggestionCloseIn)
        services.close(actor=request.user, suggestion_id=self._suggestion(pk).pk, decision=values["decision"])
        return self._respond(pk)

    @extend_schema(request=SuggestionPublishIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the suggestion and its replies with personal data removed (公开)."""
        values = self._input(SuggestionPublishIn)
        services.publish(actor=request.user, suggestion_id=self._suggestion(pk).pk,
                         override_objection=values["override_objection"], note=values.get("note", ""))  # fmt: skip
        return self._respond(pk)

    # Handling (units)

    @extend_schema(request=SuggestionUnitIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"], url_path="confirm-receipt")
    def confirm_receipt(self, request, pk=None):
        values = self._input(SuggestionUnitIn)
        assignment = self._assignment(self._suggestion(pk), values.get("unit"))
        services.confirm_receipt(actor=request.user, assignment_id=assignment.pk)
        return self._respond(pk)

    @extend_schema(request=SuggestionReassignmentRequestIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"], url_path="request-reassignment")
    def request_reassignment(self, request, pk=None):
        """Ask to be released from the assignment (申请调整) within the window."""
        values = self._input(SuggestionReassignmentRequestIn)
        assignment = self._assignment(self._suggestion(pk), values.get("unit"))
        services.request_reassignment(actor=request.user, assignment_id=assignment.pk, reason=values["reason"],
                                      suggested_unit_id=values.get("suggested_unit"))  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=SuggestionContactIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"], url_path="record-contact")
    def record_contact(self, request, pk=None):
        values = self._input(SuggestionContactIn)
        assignment = self._assignment(self._suggestion(pk), values.get("unit"))
        services.record_contact(actor=request.user, assignment_id=assignment.pk, on=values["date"],
                                mode=values["mode"], summary=values["summary"])  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=SuggestionCoOpinionIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"], url_path="co-opinion")
    def co_opinion(self, request, pk=None):
        """A co-handling unit sends its opinion to the lead unit."""
        values = self._input(SuggestionCoOpinionIn)
        assignment = self._assignment(self._suggestion(pk), values.get("unit"))
        services.send_co_opinion(actor=request.user, assignment_id=assignment.pk, opinion=values["opinion"])
        return self._respond(pk)

    @extend_schema(request=SuggestionPlanIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"], url_path="save-plan")
    def save_plan(self, request, pk=None):
        values = self._input(SuggestionPlanIn)
        assignment = self._assignment(self._suggestion(pk), values.get("unit"))
        services.save_plan(actor=request.user, assignment_id=assignment.pk, plan=values["plan"])
        return self._respond(pk)

    @extend_schema(request={"multipart/form-data": SuggestionReplyIn}, responses=SuggestionOut)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def reply(self, request, pk=None):
        """The lead (or a separately assigned) unit replies with the signed letter as a PDF."""
        values = self._input(SuggestionReplyIn)
        assignment = self._assignment(self._suggestion(pk), values.get("unit"))
        services.reply(
            actor=request.user, assignment_id=assignment.pk, text=values["text"], result=values["result"],
            follow_up_plan=values.get("follow_up_plan", ""), letter=values["letter"],
            contact_person=values.get("contact_person", ""), contact_phone=values.get("contact_phone", ""),
        )  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=SuggestionExtensionRequestIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request, pk=None):
        values = self._input(SuggestionExtensionRequestIn)
        assignment = self._assignment(self._suggestion(pk), values.get("unit"))
        services.request_extension(actor=request.user, assignment_id=assignment.pk, months=values["months"],
                                   reason=values["reason"])  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=SuggestionSolvedIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"], url_path="report-solved")
    def report_solved(self, request, pk=None):
        """A unit reports a B or C item under follow-up as solved."""
        values = self._input(SuggestionSolvedIn)
        assignment = self._assignment(self._suggestion(pk), values.get("unit"))
        services.report_solved(actor=request.user, assignment_id=assignment.pk, note=values["note"])
        return self._respond(pk)

    # The deputy after the reply

    @extend_schema(request=SuggestionFeedbackIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        """The lead deputy rates a reply; dissatisfied sends it back to the unit."""
        values = self._input(SuggestionFeedbackIn)
        services.give_feedback(
            actor=request.user, suggestion_id=self._suggestion(pk).pk, reply_id=values["reply"],
            on_result=values["on_result"], on_attitude=values["on_attitude"], comment=values.get("comment", ""),
        )  # fmt: skip
        return self._respond(pk)

    @extend_schema(request=SuggestionObjectionIn, responses=SuggestionOut)
    @action(detail=True, methods=["post"])
    def object(self, request, pk=None):
        """The lead deputy objects to publication, with a reason staff see."""
        values = self._input(SuggestionObjectionIn)
        services.object_to_disclosure(actor=request.user, suggestion_id=self._suggestion(pk).pk,
                                      reason=values["reason"])  # fmt: skip
        return self._respond(pk)


class AssignmentViewSet(SuggestionsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Units' assignments (交办), for unit systems syncing their work; the actions are on the suggestion."""

    queryset = Assignment.objects.all()
    serializer_class = AssignmentOut
    filterset_class = filters.AssignmentFilter
    ordering_fields = ["id", "reply_due", "updated_at"]

    def get_queryset(self):
        return selectors.api_assignments(self.request.user).order_by("-id")

    def get_serializer(self, *args, **kwargs):
        # The assignments shown (a page or one) get their deadlines and their replies' in one query.
        if args and args[0] is not None and "data" not in kwargs:
            selectors.attach_deadlines([], list(args[0]) if kwargs.get("many") else [args[0]])
        return super().get_serializer(*args, **kwargs)


class CategoryViewSet(SuggestionsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """The headings suggestions are filed under; staff keep them."""

    queryset = Category.objects.all()
    serializer_class = SuggestionCategoryOut
    filterset_class = filters.CategoryFilter

    def get_queryset(self):
        return scope.visible(self.request.user, Category).order_by("id")

    def perform_create(self, serializer):
        category = Category(**serializer.validated_data)
        serializer.instance = services.save_category(actor=self.request.user, category=category)


class KeySupervisionViewSet(SuggestionsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Key supervision items (重点督办) with their supervisor, suggestions and overdue count."""

    queryset = KeySupervision.objects.all()
    serializer_class = KeySupervisionOut
    filterset_class = filters.KeySupervisionFilter

    def get_queryset(self):
        return selectors.supervision_items(self.request.user).prefetch_related("suggestions")

    def _item(self, pk) -> KeySupervision:
        return get_object_or_404(scope.visible(self.request.user, KeySupervision), pk=pk)

    def _respond(self, pk, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data, status=code)

    @extend_schema(request=KeySupervisionOut, responses={201: KeySupervisionOut})
    def create(self, request):
        values = dict(self._input(KeySupervisionOut))
        suggestion_ids = values.pop("suggestion_ids", None)
        item = services.save_key_item(actor=request.user, item=KeySupervision(**values), suggestion_ids=suggestion_ids)
        return self._respond(item.pk, status.HTTP_201_CREATED)

    @extend_schema(request=SupervisionNoteIn, responses={201: SupervisionNoteOut})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        """A progress note, or with `unit` a supervision notice sent to that unit."""
        values = self._input(SupervisionNoteIn)
        note = services.add_progress(actor=request.user, item_id=self._item(pk).pk, text=values["text"],
                                     unit_id=values.get("unit"))  # fmt: skip
        return Response(SupervisionNoteOut(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=KeySupervisionCloseIn, responses=KeySupervisionOut)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the item with the supervision report."""
        values = self._input(KeySupervisionCloseIn)
        services.close_key_item(actor=request.user, item_id=self._item(pk).pk, report=values["report"])
        return self._respond(pk)
