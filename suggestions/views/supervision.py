"""Key supervision (重点督办): the list of items, overdue first; a new item; one item's page with its suggestions
and units, progress notes and notices, editing and the closing report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from congress import documents, scope
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
               "can_remind": bool(selectors.congresses_of(request.user, (Role.STAFF,))),
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
        "can_write_notice": scope.can(request.user, "suggestions.supervise", item),
    }
    return render(request, "suggestions/supervision_detail.html", context)


@login_required
def supervision_notice(request, pk):
    """A key item's supervision notice (督办通知) to the lead units: the supervisor fills the requirements and the
    report date, and downloads the numbered notice as .docx or PDF."""
    item = scope.visible(request.user, KeySupervision).select_related("congress").filter(pk=pk).first()
    if item is None:
        raise Http404
    if not scope.can(request.user, "suggestions.supervise", item):
        raise PermissionDenied
    form = forms.SupervisionNoticeForm(request.POST or None, initial={"requirements": item.plan[:2000]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            name, content, content_type = services.notice_file(
                actor=request.user, item_id=item.pk, requirements=data["requirements"],
                report_by=data["report_by"], fmt=data["format"],
            )  # fmt: skip
        except (ValueError, documents.ConversionUnavailable) as refused:
            messages.error(request, str(refused))
        else:
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
    return render(request, "suggestions/supervision_notice.html", {"item": item, "form": form})


@role_required(Role.STAFF)
def reminder_letters(request):
    """The congress's units with overdue replies, and their reminder letters (催办函) to download: a zip of .docx
    or one PDF, written in the background, whose progress page then opens."""
    congresses = selectors.congresses_of(request.user, (Role.STAFF,))
    wanted = request.POST.get("congress") or request.GET.get("congress", "")
    congress = next((c for c in congresses if str(c.pk) == wanted), None if wanted else next(iter(congresses), None))
    if congress is None or not scope.can(request.user, "suggestions.reminder_letters", congress):
        raise PermissionDenied
    here = f"{reverse('suggestions:reminder_letters')}?congress={congress.pk}"
    if request.method == "POST":
        form = forms.ReminderLettersForm(request.POST)
        if form.is_valid():
            try:
                job = services.start_reminder_letters(actor=request.user, congress=congress,
                                                      fmt=form.cleaned_data["format"])  # fmt: skip
            except ValueError as refused:
                messages.error(request, str(refused))
            else:
                return redirect("admin:congress_consolejob_change", job.pk)
        else:
            messages.error(request, _("Choose .docx or PDF."))
        return redirect(here)
    today = timezone.localdate()
    context = {"congress": congress, "congresses": congresses, "units": services.overdue_units(congress, today),
               "today": today}  # fmt: skip
    return render(request, "suggestions/reminder_letters.html", context)
