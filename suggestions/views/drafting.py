"""The deputy's pages: their suggestions, replies to rate and co-signing requests; the new and edit forms
(saved as a draft, autosaved, or submitted); answering a request to co-sign; removing a file from a draft."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import params, scope
from congress.errors import DomainError
from congress.models import Role, Session
from congress.params import as_identifier
from congress.web import report, role_required
from deputies.models import Mandate
from deputies.services import acting_mandates

from .. import forms, selectors, services, workflow
from ..models import Attachment, CoSigner, CoSignerStatus, Suggestion
from .common import next_url, page_of


@role_required(Role.DEPUTY)
def mine(request):
    """The deputy's own suggestions with their units and due dates, replies waiting for feedback, and
    co-signing requests."""
    user = request.user
    page = page_of(request, selectors.own_suggestions(user))
    selectors.attach_pending_feedback(list(page))
    mandates = list(acting_mandates(user).select_related("congress"))
    context = {"page": page, "cosigns": selectors.own_cosign_invitations(user), "mandates": mandates,
               "feedback": selectors.feedback_to_give(user)}  # fmt: skip
    return render(request, "suggestions/mine.html", context)


def _acting_mandate(request) -> Mandate | None:
    mandates = acting_mandates(request.user).select_related("congress", "term", "delegation", "person")
    wanted = params.identifier(request.POST, "mandate") or params.identifier(request.GET, "mandate")
    if wanted:
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


def _search_url(mandate, suggestion=None) -> str:
    """The co-signer search for this form: scoped by the draft's lead, or the mandate a new one is written under."""
    query = f"suggestion={suggestion.pk}" if suggestion is not None and suggestion.pk else f"mandate={mandate.pk}"
    return f"{reverse('suggestions:cosigner_search')}?{query}"


def _suggestion_form(request, mandate, suggestion=None):
    sessions = Session.objects.filter(term_id=mandate.term_id).select_related("term").order_by("number")
    initial = {}
    if suggestion is None:
        initial["session"] = services.session_for(mandate.term, timezone.localdate())
    posted = request.method == "POST"
    candidates = selectors.cosigners_named(mandate, request.POST) if posted else selectors.cosigner_candidates(mandate)
    return forms.SuggestionForm(
        request.POST if posted else None, request.FILES or None, mandate=mandate, candidates=candidates,
        sessions=sessions, suggestion=suggestion, initial=initial, search_url=_search_url(mandate, suggestion),
    )  # fmt: skip


def _form_page(request, mandate, suggestion=None):
    """The new and edit forms: Save draft keeps it; Submit saves and submits (the service checks completeness)."""
    form = _suggestion_form(request, mandate, suggestion)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submitting = "submit" in request.POST
        try:
            saved, added, refused = services.save_form(
                actor=request.user, mandate_id=mandate.pk, suggestion_id=suggestion.pk if suggestion else None,
                fields=form.draft_fields(), cosigner_ids=data["cosigners"], files=data["files"], submitting=submitting,
            )  # fmt: skip
        except DomainError as exc:
            refused, added = exc, []
        else:
            suggestion = saved
        if refused is not None:
            report(request, refused, form)
            # The draft kept the files saved before the refusal: the summary names them, none to choose again.
            form.kept_files = {"files": [item.name for item in added]}
        else:
            if submitting:
                messages.success(request, _("Submitted to the congress office."))
                return redirect("suggestions:detail", suggestion.pk)
            messages.success(request, _("Draft saved."))
            return redirect("suggestions:edit", suggestion.pk)
    if request.method == "POST":  # shown again: the whole list to choose from
        form.offer_cosigners(selectors.cosigner_candidates(mandate))
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
    suggestion = _editable(request, as_identifier(pk)) if as_identifier(pk) else None
    mandate = suggestion.lead if suggestion is not None else _acting_mandate(request)
    if mandate is None:
        return JsonResponse({"errors": {"__all__": [_("No active mandate.")]}}, status=403)
    form = forms.SuggestionForm(
        request.POST, mandate=mandate, candidates=selectors.cosigners_named(mandate, request.POST),
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


@role_required(Role.DEPUTY)
def cosigner_search(request):
    """The co-signer picker's search by name: the colleagues the deputy's form offers (the same mandate decides),
    each with only what tells namesakes apart: region and work unit."""
    pk = params.identifier(request.GET, "suggestion")
    mandate = _editable(request, pk).lead if pk else _acting_mandate(request)
    if mandate is None:
        raise PermissionDenied
    found = selectors.find_cosigners(mandate, request.GET.get("q", "")[:50])
    results = [{"id": m.pk, "name": m.person.name, "region": selectors.cosigner_region(m), "unit": m.person.work_unit}
               for m in found]  # fmt: skip
    return JsonResponse({"results": results})


@require_POST
@login_required
def cosign(request, pk):
    """A deputy confirms or declines a request to co-sign."""
    cosigner = get_object_or_404(scope.visible(request.user, CoSigner), pk=pk)
    confirm = request.POST.get("confirm") == "yes"
    was_confirmed = cosigner.status == CoSignerStatus.CONFIRMED
    try:
        services.respond_cosign(actor=request.user, cosigner_id=cosigner.pk, confirm=confirm)
    except DomainError as exc:
        report(request, exc)
    else:
        if confirm:
            messages.success(request, _("You co-sign this suggestion."))
        else:
            messages.success(
                request, _("You withdrew your signature.") if was_confirmed else _("You declined to co-sign.")
            )
    return redirect(next_url(request, reverse("suggestions:mine")))


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
