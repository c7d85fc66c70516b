"""One suggestion's page, for everyone who may see it: its units, replies and history, with a panel for each
action the user may take now (views/actions.py), and the endpoints the panels post to; its files and letters."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import audit, documents, scope, uploads
from congress.errors import DomainError
from congress.web import report
from congress.workdays import Calendar

from .. import forms, routing, selectors, services, similar, workflow
from ..models import (
    Assignment,
    AssignmentStatus,
    Attachment,
    CoSignerStatus,
    Kind,
    Reply,
    RequestStatus,
    Status,
    UnitRole,
)
from .actions import ASSIGNMENT_ACTIONS, SUGGESTION_ACTIONS, Ask, form_for
from .common import next_url

DRAFTING = {Status.DRAFT, Status.RETURNED}


@dataclass
class Panel:
    """An action form on the detail page."""

    key: str
    title: str
    url: str
    form: object = None
    button: str = ""
    confirm: str = ""
    note: str = ""
    multipart: bool = False
    open: bool = False
    co_opinions: list = field(default_factory=list)  # the co-handlers a lead unit's reply form shows
    draft_url: str = ""  # the reply form's second action: the letter's draft from what is filled in
    recommendation: object = None  # the assignment form's recommended units (routing.Recommendation)
    alike: object = None  # the merge form's alike suggestions, with their scores (similar.Similar)


def _suggestion_for(request, pk):
    suggestion = selectors.suggestion_for(request.user, pk)
    if suggestion is None:
        raise Http404
    return suggestion


def _panel(key: str, action, url: str, form, note: str = "", bound=()) -> Panel:
    return Panel(key, action.title, url, form, action.button, action.confirm, note, multipart=action.multipart,
                 open=key in bound)  # fmt: skip


def _suggestion_action_names(user, suggestion, assignments) -> list[str]:
    """What this user may do on the suggestion now: the workflow's table filtered by the scope rules."""
    names = []
    for action in workflow.SUGGESTION.available(suggestion, SUGGESTION_ACTIONS):
        if action == "edit" or not scope.can(user, workflow.SUGGESTION[action].rule, suggestion):
            continue
        if action == "convert" and suggestion.kind != Kind.MOTION:
            continue
        if action in ("merge", "assign") and suggestion.merged_into_id:
            continue
        if action in ("publish", "object") and suggestion.published_at:
            continue
        names.append(action)
    disputed = any(a.status == AssignmentStatus.DISPUTED for a in assignments)
    if disputed and scope.can(user, workflow.ASSIGNMENT["close"].rule, suggestion):
        names.append("close")
    return names


def _assignment_action_names(user, assignment) -> list[str]:
    names = []
    if scope.can(user, "suggestions.handle", assignment):
        names = workflow.assignment_actions(assignment)
        if "request_reassignment" in names and timezone.localdate() > assignment.window_end:
            names.remove("request_reassignment")
        if "request_extension" in names and assignment.pending_extension:
            names.remove("request_extension")
    if scope.can(user, "suggestions.review", assignment):
        if assignment.pending_reassignment and assignment.status == AssignmentStatus.RELEASE_REQUESTED:
            names.append("decide_reassignment")
        if assignment.pending_extension and assignment.status in workflow.ASSIGNMENT["grant_extension"].sources:
            names.append("decide_extension")
    return names


def _prepare_assignments(suggestion, user) -> list[Assignment]:
    """The suggestion's units with their replies, requests, traffic light and re-assignment window."""
    assignments = list(selectors.handling_of(suggestion, user))
    if not assignments:
        return assignments
    today, calendar = timezone.localdate(), Calendar.load()
    window_ends = services.reassign_window_ends(assignments)
    amber = selectors.amber_periods(assignments)
    for assignment in assignments:
        assignment.light = selectors.light(assignment, today, calendar, amber[assignment.congress_id])
        assignment.window_end = services.reassign_window_end(assignment, calendar, window_ends)
        requests = list(assignment.reassignment_requests.all())
        extensions = list(assignment.extension_requests.all())
        assignment.pending_reassignment = next((r for r in requests if r.status == RequestStatus.PENDING), None)
        assignment.pending_extension = next((r for r in extensions if r.status == RequestStatus.PENDING), None)
        assignment.requests = requests + extensions
        assignment.reply_list = list(assignment.replies.all())
    return assignments


def _history(suggestion, assignments) -> list:
    """The audit trail of the suggestion and its units, newest first, with readable actions and states.

    A transition is logged twice: the service's named entry and the automatic row change; the second adds
    nothing to read, so it is left out (automatic entries of other edits stay)."""
    labels = {
        row.audit or name: row.label for machine in (workflow.ASSIGNMENT, workflow.SUGGESTION) for name, row in machine
    }
    sources = [(suggestion, 100, dict(Status.choices))]
    sources += [(assignment, 50, dict(AssignmentStatus.choices)) for assignment in assignments]
    entries = []
    for obj, limit, states in sources:
        rows = list(audit.entries_for(obj)[:limit])
        named = set()
        for entry in rows:
            entry.named_action = (entry.additional_data or {}).get("action")
            entry.status_codes = tuple((entry.changes_dict or {}).get("status") or ())
            if entry.named_action and entry.status_codes:
                named.add(entry.status_codes)
        for entry in rows:
            if not entry.named_action and entry.status_codes in named:
                continue
            action = entry.named_action
            entry.label = labels[action] if action in labels else audit.action_label(entry)
            codes = entry.status_codes
            known = len(codes) == 2 and codes[0] in states and codes[1] in states
            entry.status_change = [states[code] for code in codes] if known else None
            entry.unit = getattr(obj, "unit", None)
            entries.append(entry)
    entries.sort(key=lambda e: e.timestamp, reverse=True)
    return entries[:150]


def _acceptance_note(suggestion) -> str:
    """What staff should know before accepting: a motion's signatures against its threshold, and the co-signers
    who have not confirmed (accepted now, they are not listed, and they and the lead deputy are told)."""
    lines = []
    if suggestion.kind == Kind.MOTION and not suggestion.delegation_id:
        lines.append(_("Deputies jointly: %(have)s of the %(needed)s needed (the lead deputy included).") % {
            "have": services.signatures(suggestion), "needed": services.motion_threshold(suggestion)})  # fmt: skip
    unconfirmed = suggestion.cosigners.filter(status=CoSignerStatus.INVITED).values_list(
        "mandate__person__name", flat=True
    )
    if unconfirmed:
        lines.append(_("Not confirmed by %(names)s: accepted now, they are not listed as co-signers, and they and "
                       "the lead deputy are told.") % {"names": "、".join(unconfirmed)})  # fmt: skip
    return " ".join(lines)


def _detail(request, suggestion, bound=None):
    """Render the detail page; `bound` is {panel key: form} of a posted form with errors to show again."""
    user = request.user
    bound = bound or {}
    assignments = _prepare_assignments(suggestion, user)
    group = selectors.group_of(suggestion)
    members = {s.pk: s for s in group}
    panels = []
    for action in _suggestion_action_names(user, suggestion, assignments):
        entry = SUGGESTION_ACTIONS[action]
        form = bound.get(action) or form_for(entry, Ask(user, suggestion, action))
        note = ""
        if action == "publish" and suggestion.disclosure_objection:
            note = _("The deputy objected: %(reason)s") % {"reason": suggestion.disclosure_objection}
        elif action == "accept":
            note = _acceptance_note(suggestion)
        panel = _panel(action, entry, reverse("suggestions:act", args=[suggestion.pk, action]), form, note, bound)
        if action == "assign":
            panel.recommendation = routing.recommend(user, suggestion)
        elif action == "merge":
            panel.alike = similar.merge_candidates(user, suggestion)
        panels.append(panel)
    is_author = scope.can(user, "suggestions.author", suggestion)
    contact = None  # the lead deputy's card, the same for each assignment the user may act for
    for assignment in assignments:
        assignment.panels = []
        assignment.contact = None
        if services.may_contact_deputy(user, assignment):
            contact = contact or services.contact_card(suggestion.lead.person)
            assignment.contact = contact
        for action in _assignment_action_names(user, assignment):
            entry = ASSIGNMENT_ACTIONS[action]
            key = f"{action}-{assignment.pk}"
            form = bound.get(key) or form_for(entry, Ask(user, assignment, key))
            note = ""
            if action == "request_reassignment":
                note = _("You may ask until %(date)s.") % {"date": assignment.window_end.isoformat()}
            elif action == "decide_reassignment":
                req = assignment.pending_reassignment
                note = _("Reason: %(reason)s") % {"reason": req.reason}
                if req.suggested_unit_id:
                    note += " · " + _("suggested instead: %(unit)s") % {"unit": req.suggested_unit}
            elif action == "decide_extension":
                req = assignment.pending_extension
                note = _("%(months)s more month(s): %(reason)s") % {"months": req.months, "reason": req.reason}
            url = reverse("suggestions:act_on_assignment", args=[assignment.pk, action])
            panel = _panel(key, entry, url, form, note, bound)
            if action == "reply":
                panel.draft_url = reverse("suggestions:reply_letter_draft", args=[assignment.pk])
            if action == "reply" and assignment.role == UnitRole.LEAD:
                panel.co_opinions = [
                    a for a in assignments if a.role == UnitRole.CO and a.status != AssignmentStatus.RELEASED
                ]
            assignment.panels.append(panel)
        for answer in assignment.reply_list:
            ratings = list(answer.feedback.all())
            for rating in ratings:
                rating.member = members.get(rating.suggestion_id)
            answer.ratings = ratings
            answer.panel = None
            current = answer is assignment.reply_list[-1]
            if (is_author and current and assignment.status == AssignmentStatus.REPLIED
                    and not any(r.suggestion_id == suggestion.pk for r in ratings)):  # fmt: skip
                key = f"feedback-{answer.pk}"
                form = bound.get(key) or forms.FeedbackForm(key=key, initial={"reply": answer.pk})
                url = reverse("suggestions:act", args=[suggestion.pk, "feedback"])
                answer.panel = _panel(key, SUGGESTION_ACTIONS["feedback"], url, form, bound=bound)
    shown = {p.key for p in panels} | {p.key for a in assignments for p in a.panels}
    shown |= {r.panel.key for a in assignments for r in a.reply_list if r.panel}
    for key, form in bound.items():
        if key not in shown:  # the action is no longer offered: its errors would be lost with the form
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    is_reviewer = scope.can(user, "suggestions.review", suggestion)
    own_cosign = None
    if suggestion.status in selectors.COSIGNING and not is_author:
        # Invited: co-sign or decline; confirmed: withdraw the signature while co-signing is open.
        own_cosign = suggestion.cosigners.filter(
            mandate__person__user=user, status__in=[CoSignerStatus.INVITED, CoSignerStatus.CONFIRMED]
        ).first()
    # Before submitting, the deputy sees what was already raised this session and the last (never blocking).
    alike = similar.like_draft(user, suggestion) if is_author and suggestion.status in DRAFTING else None
    context = {
        "alike": alike,
        "suggestion": suggestion,
        "cosigners": suggestion.cosigners.select_related("mandate__person"),
        "attachments": suggestion.attachments.all(),
        "assignments": assignments,
        "group": group if len(group) > 1 else [],
        "panels": panels,
        "can_edit": is_author and suggestion.status in workflow.SUGGESTION["edit"].sources,
        "own_cosign": own_cosign,
        "history": _history(suggestion, assignments) if is_reviewer else None,
        "key_items": suggestion.key_supervisions.all() if is_reviewer else [],
    }
    return render(request, "suggestions/detail.html", context)


@login_required
def detail(request, pk):
    return _detail(request, _suggestion_for(request, pk))


@require_POST
@login_required
def act(request, pk, action):
    """One action on a suggestion: the service, then back to the page with a message or the form's errors."""
    if action not in SUGGESTION_ACTIONS:
        raise Http404
    suggestion = _suggestion_for(request, pk)
    key = f"feedback-{request.POST.get('reply', '')}" if action == "feedback" else action
    entry = SUGGESTION_ACTIONS[action]
    form = form_for(entry, Ask(request.user, suggestion, key, request.POST))
    if form is None or form.is_valid():
        try:
            message = entry.run(request.user, suggestion, form)
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, message)
            return redirect(next_url(request, reverse("suggestions:detail", args=[suggestion.pk])))
    if form is None:
        return redirect("suggestions:detail", suggestion.pk)
    return _detail(request, suggestion, bound={key: form})  # services are atomic: nothing changed


@require_POST
@login_required
def act_on_assignment(request, pk, action):
    """One action of a unit (or a staff decision) on an assignment."""
    if action not in ASSIGNMENT_ACTIONS:
        raise Http404
    assignment = (
        scope.visible(request.user, Assignment).select_related("suggestion", "unit", "congress").filter(pk=pk).first()
    )
    if assignment is None:
        raise Http404
    entry = ASSIGNMENT_ACTIONS[action]
    form = form_for(entry, Ask(request.user, assignment, f"{action}-{pk}", request.POST, request.FILES))
    back = reverse("suggestions:detail", args=[assignment.suggestion_id])
    if form is None or form.is_valid():
        try:
            message = entry.run(request.user, assignment, form)
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, message)
            return redirect(next_url(request, back))
    if form is None:
        return redirect(next_url(request, back))
    return _detail(request, _suggestion_for(request, assignment.suggestion_id), bound={f"{action}-{pk}": form})


@require_POST
@login_required
def reply_letter_draft(request, pk):
    """The reply letter's draft (答复函) from the reply form as it stands, to print, sign and upload; nothing is
    saved, and the page with the filled form stays as it was."""
    assignment = scope.visible(request.user, Assignment).select_related("congress").filter(pk=pk).first()
    if assignment is None:
        raise Http404
    key = f"reply-{pk}"
    form = forms.ReplyForm(request.POST, key=key, results=services.allowed_results(assignment.congress), draft=True)
    fmt = request.POST.get("draft_format", "docx")
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = services.reply_letter_draft(
                actor=request.user, assignment_id=assignment.pk, text=data["text"], result=data["result"],
                follow_up_plan=data["follow_up_plan"], contact_person=data["contact_person"],
                contact_phone=data["contact_phone"], fmt=fmt,
            )  # fmt: skip
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied from exc
            report(request, exc, form)
        except (ValueError, documents.ConversionUnavailable) as exc:
            messages.error(request, str(exc))
        else:
            response = HttpResponse(document.content, content_type=document.content_type)
            response["Content-Disposition"] = content_disposition_header(True, document.filename)
            return response
    return _detail(request, _suggestion_for(request, assignment.suggestion_id), bound={key: form})


@require_POST
@login_required
def reveal_deputy_phone(request, pk):
    """The assigned unit's officer asks for the deputy's full phone number to call them (an access record)."""
    assignment = get_object_or_404(Assignment.objects.select_related("suggestion", "unit"), pk=pk)
    try:
        phone = services.reveal_deputy_phone(actor=request.user, assignment_id=assignment.pk)
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from exc
        report(request, exc)
        return redirect(reverse("suggestions:detail", args=[assignment.suggestion_id]) + f"#assignment-{pk}")
    contact = services.deputy_to_contact(actor=request.user, assignment_id=assignment.pk)
    return render(request, "suggestions/deputy_phone.html", {"assignment": assignment, "contact": contact,
                                                             "phone": phone})  # fmt: skip


@login_required
def attachment(request, pk):
    """Files live outside the web root; only those who may see the suggestion get them."""
    item = get_object_or_404(scope.visible(request.user, Attachment), pk=pk)
    return uploads.serve(item.file, content_type=item.content_type, filename=f"attachment-{item.pk}")


@login_required
def letter(request, pk):
    """The signed reply letter (PDF)."""
    answer = get_object_or_404(scope.visible(request.user, Reply), pk=pk)
    if not answer.letter:
        raise Http404
    return uploads.serve(answer.letter, content_type=uploads.PDF, filename=f"reply-{answer.pk}")
