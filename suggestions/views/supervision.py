"""Key supervision (重点督办): the list of items, overdue first; a new item; one item's page with its suggestions
and units, progress notes and notices, editing and the closing report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import scope
from congress.errors import DomainError
from congress.models import Role
from congress.web import report, role_required
from congress.workdays import Calendar

from .. import forms, selectors, services
from ..models import KeySupervision
from .common import page_of


def _key_congresses(user):
    return selectors.congresses_of(user, (Role.STAFF, Role.SUPERVISOR))


def _key_item_form(request, item, congresses, data=None):
    choices = selectors.key_item_choices(request.user, [c.pk for c in congresses])
    return forms.KeyItemForm(data, instance=item, **choices)


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
    year = timezone.localdate().year
    context = {"page": page_of(request, items), "can_create": bool(_key_congresses(request.user)), "year": year,
               "targets": selectors.key_item_targets(request.user, year)}  # fmt: skip
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
    units = selectors.key_item_units(item)
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
    suggestions = list(
        item.suggestions.select_related("lead__person", "category")
        .prefetch_related(selectors.live_assignments())
        .order_by("pk")
    )
    today, calendar = timezone.localdate(), Calendar.load()
    amber = selectors.amber_periods([a for s in suggestions for a in s.live_assignments])
    for suggestion in suggestions:
        for assignment in suggestion.live_assignments:
            assignment.light = selectors.light(assignment, today, calendar, amber[assignment.congress_id])
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
