"""Pages of suggestions: the deputy's drafts and feedback, one detail page with the actions each user may take,
the staff review list and statistics, the unit portal, key supervision and the public list.

Each view parses input, calls one service or selector and renders; the rules are in services.py and
rules.py, the states in workflow.py."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from congress import audit, scope, uploads
from congress.errors import DomainError
from congress.models import Congress, Organisation, OrganisationKind, Role, Session, User
from congress.web import report, role_required
from congress.workdays import Calendar
from deputies import services as roster
from deputies.models import Mandate, MandateStatus

from . import exporter, forms, selectors, services, workflow
from .models import (
    Assignment,
    AssignmentStatus,
    Attachment,
    Category,
    CoSigner,
    CoSignerStatus,
    KeySupervision,
    Kind,
    Reply,
    RequestStatus,
    Status,
    Suggestion,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows per page of every list here; read at each call, so the benchmarks can patch it (bench/suggestion_cases.py).
PAGE_SIZE = 50
# Co-signing stays open until staff review the suggestion (services.respond_cosign says the same).
COSIGNING = selectors.COSIGNING
# States in which a suggestion can be picked for merging or key supervision.
HANDED_OUT = [Status.ACCEPTED, Status.ASSIGNED, Status.IN_HANDLING, Status.REPLIED, Status.REHANDLING,
              Status.FOLLOW_UP, Status.CLOSED]  # fmt: skip


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request) -> str:
    """The current filters, without the page number, for pager and export links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


# Small reads used only by these pages (choice lists; the services check every choice again).


def _handling_units(prefixes) -> list[Organisation]:
    """Active handling units of the given regions and below, for the unit choices of a form."""
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(region__code__startswith=prefix)
    return list(Organisation.objects.filter(q, kind=OrganisationKind.HANDLING_UNIT, is_active=True).order_by("name"))


def _congresses(user, roles) -> list[Congress]:
    ids = scope.congress_ids(user, roles)
    queryset = Congress.objects.all() if user.is_superuser and not ids else Congress.objects.filter(pk__in=ids)
    return list(queryset.select_related("region").order_by("region__code"))


def _cosigner_candidates(mandate) -> list[Mandate]:
    # A deputy does not read the roster through scope (only their own mandate), yet names the colleagues who
    # co-sign: the names of the same congress and term are offered here, and the service checks them.
    return list(
        Mandate.objects.filter(congress_id=mandate.congress_id, term_id=mandate.term_id, status=MandateStatus.ACTIVE)
        .exclude(pk=mandate.pk)
        .select_related("person")
        .order_by("person__name")
    )


# The deputy


@role_required(Role.DEPUTY)
def mine(request):
    """The deputy's own suggestions with their units and due dates, replies waiting for feedback, and
    co-signing requests."""
    user = request.user
    live = Assignment.objects.exclude(status=AssignmentStatus.RELEASED).select_related("unit")
    own = (
        scope.visible(user, Suggestion)
        .filter(lead__person__user=user)
        .select_related("category", "session__term", "merged_into")
        .prefetch_related(Prefetch("assignments", queryset=live, to_attr="live_assignments"))
        .order_by("-id")
    )
    page = _page(request, own)
    selectors.attach_pending_feedback(list(page))
    cosigns = list(
        scope.visible(user, CoSigner)
        .filter(mandate__person__user=user)
        .select_related("suggestion__lead__person")
        .order_by("-id")[:50]
    )
    for cosigner in cosigns:
        cosigner.can_respond = cosigner.status == CoSignerStatus.INVITED and cosigner.suggestion.status in COSIGNING
    mandates = list(roster.acting_mandates(user).select_related("congress"))
    feedback = selectors.feedback_to_give(user)
    context = {"page": page, "cosigns": cosigns, "mandates": mandates, "feedback": feedback}
    return render(request, "suggestions/mine.html", context)


def _acting_mandate(request) -> Mandate | None:
    mandates = roster.acting_mandates(request.user).select_related("congress", "term", "delegation", "person")
    wanted = request.POST.get("mandate") or request.GET.get("mandate")
    if wanted and wanted.isdigit():
        return mandates.filter(pk=wanted).first()
    return mandates.order_by("-term__start_date", "pk").first()


def _editable(request, pk) -> Suggestion:
    suggestion = (
        scope.visible(request.user, Suggestion)
        .select_related("lead__person", "lead__congress", "lead__term", "lead__delegation", "congress")
        .filter(pk=pk)
        .first()
    )
    if suggestion is None:
        raise Http404
    if not scope.can(request.user, "suggestions.author", suggestion):
        raise PermissionDenied
    return suggestion


def _suggestion_form(request, mandate, suggestion=None):
    sessions = Session.objects.filter(term_id=mandate.term_id).select_related("term").order_by("number")
    initial = {}
    if suggestion is None:
        initial["session"] = services.session_for(mandate.term, timezone.localdate())
    return forms.SuggestionForm(
        request.POST if request.method == "POST" else None, request.FILES or None, mandate=mandate,
        candidates=_cosigner_candidates(mandate), sessions=sessions, suggestion=suggestion, initial=initial,
    )  # fmt: skip


def _form_page(request, mandate, suggestion=None):
    """The new and edit forms: Save draft keeps it; Submit saves and submits (the service checks completeness)."""
    form = _suggestion_form(request, mandate, suggestion)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submitting = "submit" in request.POST
        try:
            if suggestion is None:
                suggestion = services.create_draft(
                    actor=request.user, mandate_id=mandate.pk, fields=form.draft_fields(),
                    cosigner_ids=data["cosigners"],
                )  # fmt: skip
            else:
                services.save_draft(actor=request.user, suggestion_id=suggestion.pk, fields=form.draft_fields(),
                                    cosigner_ids=data["cosigners"])  # fmt: skip
            if data["files"]:
                services.add_attachments(actor=request.user, suggestion_id=suggestion.pk, files=data["files"])
            if submitting:
                services.submit(actor=request.user, suggestion_id=suggestion.pk)
        except DomainError as exc:
            report(request, exc, form)
        else:
            if submitting:
                messages.success(request, _("Submitted to the congress office."))
                return redirect("suggestions:detail", suggestion.pk)
            messages.success(request, _("Draft saved."))
            return redirect("suggestions:edit", suggestion.pk)
    context = {
        "form": form,
        "suggestion": suggestion,
        "mandate": mandate,
        "attachments": suggestion.attachments.all() if suggestion is not None and suggestion.pk else [],
        "autosave_url": reverse("suggestions:autosave"),
    }
    return render(request, "suggestions/form.html", context)


@role_required(Role.DEPUTY)
def new(request):
    mandate = _acting_mandate(request)
    if mandate is None:
        messages.error(request, _("Only a deputy with an active mandate may write a suggestion."))
        return redirect("suggestions:mine")
    return _form_page(request, mandate)


@role_required(Role.DEPUTY)
def edit(request, pk):
    suggestion = _editable(request, pk)
    if suggestion.status not in workflow.SUGGESTION["edit"].sources:
        messages.error(request, _("Only a draft or a suggestion returned for revision can be changed."))
        return redirect("suggestions:detail", suggestion.pk)
    return _form_page(request, suggestion.lead, suggestion)


@require_POST
@role_required(Role.DEPUTY)
def autosave(request):
    """The form's script posts here every few seconds: the first save creates the draft, later ones save it."""
    pk = request.POST.get("suggestion", "")
    suggestion = _editable(request, int(pk)) if pk.isdigit() else None
    mandate = suggestion.lead if suggestion is not None else _acting_mandate(request)
    if mandate is None:
        return JsonResponse({"errors": {"__all__": [_("No active mandate.")]}}, status=403)
    form = forms.SuggestionForm(
        request.POST, mandate=mandate, candidates=_cosigner_candidates(mandate),
        sessions=Session.objects.filter(term_id=mandate.term_id), suggestion=suggestion,
    )  # fmt: skip
    if not form.is_valid():
        return JsonResponse({"errors": {k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()}},
                            status=400)  # fmt: skip
    cosigners = form.cleaned_data["cosigners"]
    try:
        if suggestion is None:
            suggestion = services.create_draft(actor=request.user, mandate_id=mandate.pk, fields=form.draft_fields(),
                                               cosigner_ids=cosigners)  # fmt: skip
        else:
            services.save_draft(actor=request.user, suggestion_id=suggestion.pk, fields=form.draft_fields(),
                                cosigner_ids=cosigners)  # fmt: skip
    except DomainError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.fields.items()} or {"__all__": [str(exc.message)]}
        return JsonResponse({"errors": errors}, status=exc.status_code)
    saved_at = timezone.localtime().strftime("%H:%M")
    return JsonResponse({
        "id": suggestion.pk,
        "edit_url": reverse("suggestions:edit", args=[suggestion.pk]),
        "saved_at": saved_at,
        "message": _("Saved at %(time)s") % {"time": saved_at},
    })  # fmt: skip


@require_POST
@login_required
def cosign(request, pk):
    """A deputy confirms or declines a request to co-sign."""
    cosigner = get_object_or_404(scope.visible(request.user, CoSigner), pk=pk)
    confirm = request.POST.get("confirm") == "yes"
    try:
        services.respond_cosign(actor=request.user, cosigner_id=cosigner.pk, confirm=confirm)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("You co-sign this suggestion.") if confirm else _("You declined to co-sign."))
    return redirect(_next(request, reverse("suggestions:mine")))


# One suggestion: its detail page and the actions on it


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


# action: (panel title, button, confirmation asked before posting)
SUGGESTION_ACTIONS = {
    "submit": (gettext_lazy("Submit"), gettext_lazy("Submit to the congress office"), ""),
    "withdraw": (gettext_lazy("Withdraw"), gettext_lazy("Withdraw"), gettext_lazy("Withdraw this suggestion?")),
    "object": (gettext_lazy("Object to publication"), gettext_lazy("Send the objection"), ""),
    "accept": (gettext_lazy("Accept"), gettext_lazy("Accept and give it a number"), ""),
    "return": (gettext_lazy("Return for revision"), gettext_lazy("Return to the deputy"), ""),
    "decline": (
        pgettext_lazy("suggestion action", "Decline"),
        pgettext_lazy("suggestion action", "Decline"),
        gettext_lazy("Decline this submission?"),
    ),
    "convert": (gettext_lazy("Convert the motion into a suggestion"), gettext_lazy("Convert"),
                gettext_lazy("Handle this motion as a suggestion?")),
    "merge": (gettext_lazy("Merge suggestions on the same topic"), gettext_lazy("Merge"),
              gettext_lazy("Merge the chosen suggestions into this one?")),
    "assign": (gettext_lazy("Assign to units"), pgettext_lazy("suggestion action", "Assign"), ""),
    "publish": (pgettext_lazy("suggestion action", "Publish"), pgettext_lazy("suggestion action", "Publish"),
                gettext_lazy("Publish the suggestion and its replies?")),
    "close": (gettext_lazy("Close by decision"), gettext_lazy("Close"),
              gettext_lazy("Close the suggestion with this decision?")),
    "feedback": (gettext_lazy("Your feedback on the reply"), gettext_lazy("Send feedback"), ""),
}  # fmt: skip

ASSIGNMENT_ACTIONS = {
    "confirm_receipt": (gettext_lazy("Confirm receipt"), gettext_lazy("Confirm receipt"), ""),
    "request_reassignment": (gettext_lazy("Ask to be released (re-assignment)"), gettext_lazy("Send the request"),
                             gettext_lazy("Ask the congress office to release your unit from this suggestion?")),
    "record_contact": (gettext_lazy("Record a contact with the deputy"), gettext_lazy("Record"), ""),
    "save_plan": (gettext_lazy("Handling plan"), gettext_lazy("Save the plan"), ""),
    "co_opinion": (gettext_lazy("Co-handling opinion for the lead unit"), gettext_lazy("Send the opinion"),
                   gettext_lazy("Send the opinion? Your unit's part then ends.")),
    "reply": (gettext_lazy("Reply to the deputy"), gettext_lazy("Send the reply"),
              gettext_lazy("Send this reply to the deputy?")),
    "request_extension": (gettext_lazy("Ask for more time to reply"), gettext_lazy("Send the request"), ""),
    "report_solved": (gettext_lazy("Report the matter solved"), gettext_lazy("Report solved"), ""),
    "decide_reassignment": (gettext_lazy("Decide the request to be released"), gettext_lazy("Decide"), ""),
    "decide_extension": (gettext_lazy("Decide the extension request"), gettext_lazy("Decide"), ""),
}  # fmt: skip


def _suggestion_for(request, pk) -> Suggestion:
    suggestion = (
        scope.visible(request.user, Suggestion)
        .select_related(
            "lead__person",
            "lead__congress",
            "category",
            "session__term",
            "term",
            "congress__region",
            "delegation",
            "merged_into",
        )  # fmt: skip
        .filter(pk=pk)
        .first()
    )
    if suggestion is None:
        raise Http404
    return suggestion


def _merge_candidates(user, suggestion) -> list[Suggestion]:
    return list(
        scope.visible(user, Suggestion)
        .filter(congress_id=suggestion.congress_id, status=Status.ACCEPTED, merged_into__isnull=True)
        .exclude(pk=suggestion.pk)
        .order_by("-id")[:500]
    )


def _suggestion_action_names(user, suggestion, assignments) -> list[str]:
    """What this user may do on the suggestion now: the workflow's table filtered by the scope rules."""
    names = []
    for action in workflow.suggestion_actions(suggestion):
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


def _suggestion_action_form(action, user, suggestion, data=None):
    """The form an action takes (None for a plain button)."""
    key = action
    if action == "withdraw":
        return forms.WithdrawForm(data, key=key)
    if action == "object":
        return forms.ObjectForm(data, key=key)
    if action == "return":
        return forms.ReturnForm(data, key=key)
    if action == "decline":
        return forms.DeclineForm(data, key=key)
    if action == "merge":
        return forms.MergeForm(data, key=key, others=_merge_candidates(user, suggestion))
    if action == "assign":
        return forms.AssignForm(data, key=key, units=_handling_units([suggestion.region_code]))
    if action == "publish":
        # Only an objection needs a decision and a note; otherwise publishing is one button.
        return forms.PublishForm(data, key=key) if suggestion.disclosure_objection else None
    if action == "close":
        return forms.CloseForm(data, key=key)
    if action == "feedback":
        return forms.FeedbackForm(data, key=f"feedback-{data.get('reply', '')}" if data else key)
    return None


def _run_suggestion_action(request, suggestion, action, data) -> str:
    """Call the one service of the action; return the message to show."""
    actor, pk = request.user, suggestion.pk
    if action == "submit":
        services.submit(actor=actor, suggestion_id=pk)
        return _("Submitted to the congress office.")
    if action == "withdraw":
        services.withdraw(actor=actor, suggestion_id=pk, reason=data["reason"])
        return _("Withdrawn.")
    if action == "object":
        services.object_to_disclosure(actor=actor, suggestion_id=pk, reason=data["reason"])
        return _("Your objection to publication is recorded; the office sees it before publishing.")
    if action == "accept":
        accepted = services.accept(actor=actor, suggestion_id=pk)
        return _("Accepted as %(number)s.") % {"number": accepted.number_label}
    if action == "return":
        services.return_for_revision(actor=actor, suggestion_id=pk, comment=data["comment"])
        return _("Returned to the deputy for revision.")
    if action == "decline":
        services.decline(actor=actor, suggestion_id=pk, reason=data["reason"], comment=data["comment"])
        return _("Declined; the deputy is told why.")
    if action == "convert":
        services.convert_motion(actor=actor, suggestion_id=pk)
        return _("The motion is now handled as a suggestion.")
    if action == "merge":
        services.merge(actor=actor, primary_id=pk, other_ids=data["suggestions"])
        return _("Merged.")
    if action == "assign":
        services.assign(actor=actor, suggestion_id=pk, **data["assign"])
        return _("Assigned; the units are told.")
    if action == "publish":
        services.publish(actor=actor, suggestion_id=pk, override_objection=data.get("override_objection", False),
                         note=data.get("note", ""))  # fmt: skip
        return _("Published.")
    if action == "close":
        services.close(actor=actor, suggestion_id=pk, decision=data["decision"])
        return _("Closed by decision.")
    if action == "feedback":
        services.give_feedback(actor=actor, suggestion_id=pk, reply_id=data["reply"], on_result=data["on_result"],
                               on_attitude=data["on_attitude"], comment=data["comment"])  # fmt: skip
        return _("Thank you for your feedback.")
    raise Http404


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
        if assignment.pending_extension and assignment.status in workflow.ASSIGNMENT["decide_extension"].sources:
            names.append("decide_extension")
    return names


def _assignment_action_form(action, assignment, data=None, files=None):
    key = f"{action}-{assignment.pk}"
    units = lambda: _handling_units([assignment.region_code])  # noqa: E731 - only some forms need the list
    if action == "request_reassignment":
        others = [u for u in units() if u.pk != assignment.unit_id]
        return forms.ReassignForm(data, key=key, units=others)
    if action == "record_contact":
        return forms.ContactForm(data, key=key)
    if action == "save_plan":
        return forms.PlanForm(data, key=key, initial={"plan": assignment.handling_plan})
    if action == "co_opinion":
        return forms.CoOpinionForm(data, key=key)
    if action == "reply":
        return forms.ReplyForm(data, files, key=key, results=services.allowed_results(assignment.congress))
    if action == "request_extension":
        return forms.ExtensionForm(data, key=key)
    if action == "report_solved":
        return forms.SolvedForm(data, key=key)
    if action == "decide_reassignment":
        return forms.DecideReassignmentForm(data, key=key, units=[u for u in units() if u.pk != assignment.unit_id])
    if action == "decide_extension":
        return forms.DecisionForm(data, key=key)
    return None


def _run_assignment_action(request, assignment, action, data) -> str:
    actor, pk = request.user, assignment.pk
    if action == "confirm_receipt":
        services.confirm_receipt(actor=actor, assignment_id=pk)
        return _("Receipt confirmed.")
    if action == "request_reassignment":
        services.request_reassignment(actor=actor, assignment_id=pk, reason=data["reason"],
                                      suggested_unit_id=data["suggested_unit"])  # fmt: skip
        return _("Request sent; the congress office decides.")
    if action == "record_contact":
        services.record_contact(actor=actor, assignment_id=pk, on=data["date"], mode=data["mode"],
                                summary=data["summary"])  # fmt: skip
        return _("Contact recorded.")
    if action == "save_plan":
        services.save_plan(actor=actor, assignment_id=pk, plan=data["plan"])
        return _("Handling plan saved.")
    if action == "co_opinion":
        services.send_co_opinion(actor=actor, assignment_id=pk, opinion=data["opinion"])
        return _("Opinion sent to the lead unit.")
    if action == "reply":
        services.reply(actor=actor, assignment_id=pk, text=data["text"], result=data["result"],
                       follow_up_plan=data["follow_up_plan"], letter=data["letter"])  # fmt: skip
        return _("Reply sent; the deputy is asked for feedback.")
    if action == "request_extension":
        services.request_extension(actor=actor, assignment_id=pk, months=data["months"], reason=data["reason"])
        return _("Extension requested; the congress office decides.")
    if action == "report_solved":
        services.report_solved(actor=actor, assignment_id=pk, note=data["note"])
        return _("Reported solved.")
    if action == "decide_reassignment":
        request_id = _pending(assignment.reassignment_requests)
        services.decide_reassignment(actor=actor, request_id=request_id, approve=data["approved"], note=data["note"],
                                     new_unit_id=data["new_unit"])  # fmt: skip
        return _("Decided.")
    if action == "decide_extension":
        request_id = _pending(assignment.extension_requests)
        services.decide_extension(actor=actor, request_id=request_id, approve=data["approved"], note=data["note"])
        return _("Decided.")
    raise Http404


def _pending(requests) -> int:
    pk = requests.filter(status=RequestStatus.PENDING).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404
    return pk


def _cleaned(form) -> dict:
    if form is None:
        return {}
    data = dict(form.cleaned_data)
    if isinstance(form, forms.AssignForm):
        data["assign"] = form.service_kwargs()
    if isinstance(form, forms.DecisionForm):
        data["approved"] = form.approved
    return data


def _prepare_assignments(suggestion) -> list[Assignment]:
    """The suggestion's units with their replies, requests, traffic light and re-assignment window."""
    assignments = list(selectors.handling_of(suggestion))
    if not assignments:
        return assignments
    today, calendar = timezone.localdate(), Calendar.load()
    for assignment in assignments:
        assignment.light = selectors.light(assignment, today, calendar)
        assignment.window_end = services.reassign_window_end(assignment, calendar)
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
    labels = {name: t.label for name, t in {**workflow.ASSIGNMENT, **workflow.SUGGESTION}.items()}
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
            entry.label = labels.get(action, action) if action else entry.get_action_display()
            codes = entry.status_codes
            known = len(codes) == 2 and codes[0] in states and codes[1] in states
            entry.status_change = [states[code] for code in codes] if known else None
            entry.unit = getattr(obj, "unit", None)
            entries.append(entry)
    entries.sort(key=lambda e: e.timestamp, reverse=True)
    return entries[:150]


def _detail(request, suggestion, bound=None):
    """Render the detail page; `bound` is {panel key: form} of a posted form with errors to show again."""
    user = request.user
    bound = bound or {}
    assignments = _prepare_assignments(suggestion)
    group = selectors.group_of(suggestion)
    members = {s.pk: s for s in group}
    panels = []
    for action in _suggestion_action_names(user, suggestion, assignments):
        title, button, confirm = SUGGESTION_ACTIONS[action]
        form = bound.get(action) or _suggestion_action_form(action, user, suggestion)
        note = ""
        if action == "publish" and suggestion.disclosure_objection:
            note = _("The deputy objected: %(reason)s") % {"reason": suggestion.disclosure_objection}
        panels.append(Panel(action, title, reverse("suggestions:act", args=[suggestion.pk, action]), form, button,
                            confirm, note, open=action in bound))  # fmt: skip
    is_author = scope.can(user, "suggestions.author", suggestion)
    for assignment in assignments:
        assignment.panels = []
        for action in _assignment_action_names(user, assignment):
            title, button, confirm = ASSIGNMENT_ACTIONS[action]
            key = f"{action}-{assignment.pk}"
            form = bound.get(key) or _assignment_action_form(action, assignment)
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
            assignment.panels.append(
                Panel(key, title, reverse("suggestions:act_on_assignment", args=[assignment.pk, action]), form,
                      button, confirm, note, multipart=action == "reply", open=key in bound)
            )  # fmt: skip
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
                title, button, confirm = SUGGESTION_ACTIONS["feedback"]
                form = bound.get(key) or forms.FeedbackForm(key=key, initial={"reply": answer.pk})
                answer.panel = Panel(key, title, reverse("suggestions:act", args=[suggestion.pk, "feedback"]), form,
                                     button, confirm, open=key in bound)  # fmt: skip
    shown = {p.key for p in panels} | {p.key for a in assignments for p in a.panels}
    shown |= {r.panel.key for a in assignments for r in a.reply_list if r.panel}
    for key, form in bound.items():
        if key not in shown:  # the action is no longer offered: its errors would be lost with the form
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    is_reviewer = scope.can(user, "suggestions.review", suggestion)
    own_cosign = None
    if suggestion.status in COSIGNING and not is_author:
        own_cosign = suggestion.cosigners.filter(mandate__person__user=user, status=CoSignerStatus.INVITED).first()
    context = {
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
    form = _suggestion_action_form(action, request.user, suggestion, request.POST)
    key = f"feedback-{request.POST.get('reply', '')}" if action == "feedback" else action
    if form is None or form.is_valid():
        try:
            message = _run_suggestion_action(request, suggestion, action, _cleaned(form))
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, message)
            return redirect(_next(request, reverse("suggestions:detail", args=[suggestion.pk])))
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
    form = _assignment_action_form(action, assignment, request.POST, request.FILES)
    back = reverse("suggestions:detail", args=[assignment.suggestion_id])
    if form is None or form.is_valid():
        try:
            message = _run_assignment_action(request, assignment, action, _cleaned(form))
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, message)
            return redirect(_next(request, back))
    if form is None:
        return redirect(_next(request, back))
    return _detail(request, _suggestion_for(request, assignment.suggestion_id), bound={f"{action}-{pk}": form})


@login_required
def attachment(request, pk):
    """Files live outside the web root; only those who may see the suggestion get them."""
    item = get_object_or_404(scope.visible(request.user, Attachment), pk=pk)
    return uploads.serve(item.file, content_type=item.content_type, filename=f"attachment-{item.pk}")


@login_required
@require_POST
def remove_attachment(request, pk):
    item = get_object_or_404(scope.visible(request.user, Attachment), pk=pk)
    try:
        services.remove_attachment(actor=request.user, attachment_id=item.pk)
        messages.success(request, _("The attachment was removed."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("suggestions:edit", item.suggestion_id)


@login_required
def letter(request, pk):
    """The signed reply letter (PDF)."""
    answer = get_object_or_404(scope.visible(request.user, Reply), pk=pk)
    if not answer.letter:
        raise Http404
    return uploads.serve(answer.letter, content_type=uploads.PDF, filename=f"reply-{answer.pk}")


# Staff


def _sessions(queryset):
    return queryset.select_related("term").order_by("-term__number", "-number")


def _staff_prefixes(user) -> list[str]:
    return [c.region.code for c in _congresses(user, (Role.STAFF,))]


@role_required(Role.STAFF)
def review(request):
    """Suggestions to review and assign, with the filters staff think in, and bulk assignment."""
    user = request.user
    congress_ids = [c.pk for c in _congresses(user, (Role.STAFF,))]
    units = _handling_units(_staff_prefixes(user))
    sessions = _sessions(Session.objects.filter(term__congress_id__in=congress_ids))
    categories = Category.objects.filter(congress_id__in=congress_ids).select_related("parent")
    form = forms.ReviewFilterForm(request.GET or None, sessions=sessions, categories=categories, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    live = Assignment.objects.exclude(status=AssignmentStatus.RELEASED).select_related("unit")
    queryset = selectors.review_list(
        user, status=data.get("status", ""), kind=data.get("kind", ""), session=data.get("session") or None,
        category=data.get("category"), unit=data.get("unit"), overdue=data.get("overdue", False),
        key=data.get("key", False), q=data.get("q", ""),
    ).prefetch_related(Prefetch("assignments", queryset=live, to_attr="live_assignments"))  # fmt: skip
    context = {
        "form": form,
        "page": _page(request, queryset),
        "query": _query(request),
        "bulk_form": forms.BulkAssignForm(units=units),
    }
    return render(request, "suggestions/review.html", context)


@require_POST
@role_required(Role.STAFF)
def bulk_assign(request):
    form = forms.BulkAssignForm(request.POST, units=_handling_units(_staff_prefixes(request.user)))
    back = reverse("suggestions:review")
    query = request.POST.get("query", "")
    if query:
        back += "?" + query
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    done, failures = services.bulk_assign(
        actor=request.user, suggestion_ids=data["ids"], lead_id=data["lead"], co_ids=data["co_units"]
    )
    if done:
        messages.success(
            request, ngettext("%(n)s suggestion assigned.", "%(n)s suggestions assigned.", done) % {"n": done}
        )
    for failure in failures:
        messages.error(request, _("Not assigned: %(failure)s") % {"failure": failure})
    return redirect(back)


def _statistics_input(request) -> dict:
    congresses = _congresses(request.user, (Role.STAFF, Role.SUPERVISOR))
    wanted = request.GET.get("congress", "")
    congress = next((c for c in congresses if str(c.pk) == wanted), congresses[0] if congresses else None)
    if congress is None or not scope.can(request.user, "suggestions.view_statistics", congress):
        raise PermissionDenied
    sessions = _sessions(Session.objects.filter(term__congress=congress))
    this_year = timezone.localdate().year
    form = forms.StatisticsFilterForm(request.GET or None, sessions=sessions, years=range(this_year, this_year - 8, -1))
    data = form.cleaned_data if form.is_valid() else {}
    session = data.get("session") or None
    if session and session != "between":
        session = int(session)
    stats = selectors.statistics(congress, session=session, year=data.get("year"))
    return {"congress": congress, "congresses": congresses, "form": form, "stats": stats}


@role_required(Role.STAFF, Role.SUPERVISOR)
def statistics(request):
    """Counts by state, per unit and by category, and the overdue list, for one congress."""
    context = {**_statistics_input(request), "query": _query(request)}
    return render(request, "suggestions/statistics.html", context)


@role_required(Role.STAFF, Role.SUPERVISOR)
def statistics_export(request):
    """The statistics page as .xlsx, same filters."""
    context = _statistics_input(request)
    workbook = exporter.statistics_workbook(context["stats"], congress=context["congress"])
    response = HttpResponse(workbook, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="suggestion-statistics-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


# Handling units


@role_required(Role.UNIT_OFFICER)
def unit(request):
    """The unit's assignments, the soonest due first, with a traffic light and receipt confirmation."""
    form = forms.UnitFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = _page(request, selectors.unit_portal(request.user, status=data.get("status", ""),
                                                overdue=data.get("overdue", False)))  # fmt: skip
    today, calendar = timezone.localdate(), Calendar.load()
    for assignment in page:
        assignment.light = selectors.light(assignment, today, calendar)
    context = {"form": form, "page": page, "query": _query(request), "here": request.get_full_path()}
    return render(request, "suggestions/unit.html", context)


# Key supervision


def _key_congresses(user) -> list[Congress]:
    return _congresses(user, (Role.STAFF, Role.SUPERVISOR))


def _key_item_form(request, item, congresses, data=None):
    ids = [c.pk for c in congresses]
    leaders = (
        User.objects.filter(is_active=True, memberships__role__in=[Role.SUPERVISOR, Role.STAFF],
                            memberships__congress_id__in=ids)
        .distinct()
        .order_by("name")
    )  # fmt: skip
    committees = Organisation.objects.filter(congress_id__in=ids).exclude(kind=OrganisationKind.HANDLING_UNIT)
    suggestions = (
        scope.visible(request.user, Suggestion).filter(congress_id__in=ids, status__in=HANDED_OUT).order_by("-id")
    )
    return forms.KeyItemForm(data, instance=item, congresses=Congress.objects.filter(pk__in=ids), leaders=leaders,
                             committees=committees, suggestions=suggestions)  # fmt: skip


def _save_key_item(request, form) -> KeySupervision | None:
    if not form.is_valid():
        return None
    try:
        return services.save_key_item(actor=request.user, item=form.save(commit=False),
                                      suggestion_ids=form.cleaned_data["suggestions"])  # fmt: skip
    except DomainError as exc:
        report(request, exc, form)
        return None


@role_required(Role.STAFF, Role.SUPERVISOR)
def supervision(request):
    """Key supervision items, those with overdue units first."""
    items = selectors.supervision_items(request.user)
    context = {"page": _page(request, items), "can_create": bool(_key_congresses(request.user))}
    return render(request, "suggestions/supervision.html", context)


@role_required(Role.STAFF, Role.SUPERVISOR)
def supervision_new(request):
    congresses = _key_congresses(request.user)
    if not congresses:
        raise PermissionDenied
    form = _key_item_form(request, KeySupervision(), congresses, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        item = _save_key_item(request, form)
        if item is not None:
            messages.success(request, _("Key supervision item saved."))
            return redirect(item.get_absolute_url())
    return render(request, "suggestions/supervision_form.html", {"form": form, "item": None})


@login_required
def supervision_detail(request, pk):
    """One key item: its suggestions and units, progress notes and notices, editing and closing."""
    items = scope.visible(request.user, KeySupervision).select_related("leader", "committee", "congress")
    item = items.filter(pk=pk).first()
    if item is None:
        raise Http404
    can_edit = scope.can(request.user, "suggestions.mark_key", item) and not item.closed_at
    can_supervise = scope.can(request.user, "suggestions.supervise", item) and not item.closed_at
    action = request.POST.get("action") if request.method == "POST" else None
    units = Organisation.objects.filter(assignments__suggestion__key_supervisions=item).distinct().order_by("name")
    units = list(units)
    edit_form = _key_item_form(request, item, _key_congresses(request.user) or [item.congress],
                               request.POST if action == "edit" else None) if can_edit else None  # fmt: skip
    progress_form = forms.ProgressForm(request.POST if action == "progress" else None, units=units)
    close_form = forms.CloseItemForm(request.POST if action == "close" else None)
    if action:
        if (action == "edit" and not can_edit) or (action in ("progress", "close") and not can_supervise):
            raise PermissionDenied
        done = False
        if action == "edit":
            done = _save_key_item(request, edit_form) is not None
        else:
            form = progress_form if action == "progress" else close_form
            if form.is_valid():
                try:
                    if action == "progress":
                        services.add_progress(actor=request.user, item_id=item.pk, text=form.cleaned_data["text"],
                                              unit_id=form.cleaned_data["unit"])  # fmt: skip
                    else:
                        services.close_key_item(actor=request.user, item_id=item.pk, report=form.cleaned_data["report"])
                    done = True
                except DomainError as exc:
                    report(request, exc, form)
        if done:
            messages.success(request, _("Saved."))
            return redirect(item.get_absolute_url())
    live = Assignment.objects.exclude(status=AssignmentStatus.RELEASED).select_related("unit")
    suggestions = list(
        item.suggestions.select_related("lead__person", "category")
        .prefetch_related(Prefetch("assignments", queryset=live, to_attr="live_assignments"))
        .order_by("pk")
    )
    today, calendar = timezone.localdate(), Calendar.load()
    for suggestion in suggestions:
        for assignment in suggestion.live_assignments:
            assignment.light = selectors.light(assignment, today, calendar)
    context = {
        "item": item,
        "suggestions": suggestions,
        "notes": item.notes.select_related("unit", "written_by"),
        "edit_form": edit_form,
        "progress_form": progress_form if can_supervise else None,
        "close_form": close_form if can_supervise else None,
        "action": action,
    }
    return render(request, "suggestions/supervision_detail.html", context)


# Public pages (no login)


def _public_units(suggestions) -> dict[int, list[Assignment]]:
    """The units (of the primary, for merged suggestions) of each published suggestion, with their replies."""
    primary = {s.pk: s.merged_into_id or s.pk for s in suggestions}
    assignments = (
        Assignment.objects.filter(suggestion_id__in=set(primary.values()))
        .exclude(status=AssignmentStatus.RELEASED)
        .select_related("unit")
        .prefetch_related("replies")
        .order_by("role", "id")
    )
    by_primary: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        replies = list(assignment.replies.all())
        assignment.latest_reply = replies[-1] if replies else None
        assignment.public_replies = [r for r in replies if r.public_text]
        by_primary.setdefault(assignment.suggestion_id, []).append(assignment)
    return {pk: by_primary.get(primary_id, []) for pk, primary_id in primary.items()}


def public(request):
    """Published suggestions and replies, personal data removed at publication."""
    this_year = timezone.localdate().year
    categories = Category.objects.filter(is_active=True).order_by("name").values_list("name", flat=True).distinct()
    units = Organisation.objects.filter(
        kind=OrganisationKind.HANDLING_UNIT, is_active=True, assignments__suggestion__published_at__isnull=False
    )
    units = units.distinct().order_by("name")
    form = forms.PublicFilterForm(request.GET or None, years=range(this_year, this_year - 10, -1),
                                  categories=list(categories), units=list(units))  # fmt: skip
    data = form.cleaned_data if form.is_valid() else {}
    page = _page(request, selectors.public_list(year=data.get("year"), category=data.get("category") or None,
                                                unit=data.get("unit"), q=data.get("q", "")))  # fmt: skip
    units_of = _public_units(list(page))
    for suggestion in page:
        suggestion.public_units = units_of[suggestion.pk]
    return render(request, "suggestions/public.html", {"form": form, "page": page, "query": _query(request)})


def public_detail(request, pk):
    suggestion = get_object_or_404(
        Suggestion.objects.filter(published_at__isnull=False).select_related("category", "congress"), pk=pk
    )
    assignments = _public_units([suggestion])[suggestion.pk]
    return render(request, "suggestions/public_detail.html", {"suggestion": suggestion, "assignments": assignments})
