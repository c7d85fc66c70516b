"""A case's page and attachments, and the unit portal where a unit's officers write and submit its cases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import audit, scope
from congress.errors import DomainError
from congress.models import Organisation, Role
from congress.web import report, role_required
from deputies.models import Mandate, MandateStatus
from liaison_stations.models import Station
from suggestions.models import Suggestion

from .. import forms, selectors, services, workflow
from ..models import SubmissionFile
from .common import file_response, paginate, visible_campaign, visible_submission

# A case's page and attachments: whoever may see the case (staff review from it, units edit from it)


@login_required
def submission(request, pk):
    item = visible_submission(request, pk)
    context = {
        "submission": item,
        "manage": scope.can(request.user, "cases.manage", item),
        "own": scope.can(request.user, "cases.submit", item),
        "actions": workflow.SUBMISSION.available(item),
        "reason_form": forms.ReasonForm(),
        "mandates": item.mandates.select_related("person", "congress"),
        "files": item.files.all(),
        "entries": item.entries.select_related("round").order_by("round__position"),
        "history": audit.entries_for(item)[:30],
    }
    return render(request, "cases/submission.html", context)


@login_required
def file(request, pk):
    """Attachments live outside the web root; only those who may see the case get them."""
    item = get_object_or_404(SubmissionFile.objects.select_related("submission"), pk=pk)
    if not scope.can_see(request.user, item.submission):
        raise Http404
    return file_response(item)


# Unit portal


@role_required(Role.UNIT_OFFICER)
def unit(request):
    context = {
        "invitations": selectors.unit_campaigns(request.user),
        "page": paginate(request, selectors.unit_submissions(request.user)),
    }
    return render(request, "cases/unit.html", context)


def _submission_form(request, campaign, item=None):
    units = scope.unit_ids(request.user)
    regions = list(Organisation.objects.filter(pk__in=units).values_list("region__code", flat=True))
    prefix = min(regions, key=len) if regions else campaign.region_code
    mandates = list(
        Mandate.objects.exclude(status=MandateStatus.ENDED)
        .filter(congress__region__code__startswith=prefix)
        .select_related("person", "congress")
        .order_by("congress__region__code", "person__name")[:2000]
    )
    suggestions = scope.visible(request.user, Suggestion).filter(region_code__startswith=campaign.region_code[:2])
    stations = Station.objects.filter(region_code__startswith=prefix, is_active=True).order_by("region_code", "name")
    return forms.SubmissionForm(
        request.POST or None, request.FILES or None, kind=campaign.kind, mandates=mandates,
        suggestions=suggestions.order_by("-id"), stations=stations, submission=item,
    )  # fmt: skip


@role_required(Role.UNIT_OFFICER)
def submission_new(request, pk):
    campaign = visible_campaign(request, pk)
    form = _submission_form(request, campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create_submission(
                actor=request.user, campaign_id=campaign.pk, fields=form.submission_fields(),
                mandate_ids=data["mandates"], files=data["files"],
            )  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Draft saved; submit it when it is complete."))
            return redirect(item)
    return render(request, "cases/submission_form.html", {"form": form, "campaign": campaign})


@role_required(Role.UNIT_OFFICER)
def submission_edit(request, pk):
    item = visible_submission(request, pk)
    if not scope.can(request.user, "cases.submit", item):
        raise PermissionDenied
    form = _submission_form(request, item.campaign, item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_submission(
                actor=request.user, submission_id=item.pk, fields=form.submission_fields(),
                mandate_ids=data["mandates"], files=data["files"],
            )  # fmt: skip
            if request.POST.get("then") == "submit":
                services.submit(actor=request.user, submission_id=item.pk)
                messages.success(request, _("The case is submitted."))
            else:
                messages.success(request, _("Draft saved; submit it when it is complete."))
        except DomainError as exc:
            report(request, exc, form)
        else:
            return redirect(item)
    return render(request, "cases/submission_form.html", {"form": form, "campaign": item.campaign, "submission": item})


@require_POST
@role_required(Role.UNIT_OFFICER)
def submission_submit(request, pk):
    item = visible_submission(request, pk)
    try:
        services.submit(actor=request.user, submission_id=item.pk)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("The case is submitted."))
    return redirect(item)


@require_POST
@role_required(Role.UNIT_OFFICER)
def file_remove(request, pk):
    item = get_object_or_404(SubmissionFile.objects.select_related("submission"), pk=pk)
    try:
        services.remove_file(actor=request.user, file_id=item.pk)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("Attachment removed."))
    return redirect("cases:submission_edit", item.submission_id)
