"""Staff pages of the expert pools (专家库): the pools, the experts with filters, one expert's page with their
contact masked (shown in full on request, recorded) and history, the add and edit forms; on an activity's desk the
experts invited, their answers, and the "邀请专家" form that picks them from the pools by field."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import audit, params, scope
from congress.errors import DomainError
from congress.models import Congress, Role
from congress.web import report, role_required
from deputies import idnumbers

from .. import experts as service
from .. import forms
from ..models import Expert, ExpertPool, Participant
from .desk import _desk, _page


def _congress(request) -> Congress:
    """The congress whose pools the page shows: the user's own (staff of several choose with ?congress=)."""
    ids = sorted(scope.congress_ids(request.user, (Role.STAFF,)))
    if not ids:
        raise Http404
    wanted = params.identifier(request.GET, "congress")
    return Congress.objects.get(pk=wanted if wanted in ids else ids[0])


def _pools(request, congress):
    return scope.visible(request.user, ExpertPool).filter(congress=congress).order_by("position", "name")


def _expert_for(request, pk) -> Expert:
    expert = scope.visible(request.user, Expert).select_related("congress").filter(pk=pk).first()
    if expert is None:
        raise Http404
    return expert


def _masked(expert: Expert) -> Expert:
    expert.masked_phone = idnumbers.mask_phone(expert.phone)
    expert.masked_email = service.mask_email(expert.email)
    return expert


@role_required(Role.STAFF)
def experts(request):
    """The congress's experts, filtered by pool, field of expertise and name; contacts masked."""
    congress = _congress(request)
    pools = _pools(request, congress)
    form = forms.ExpertFilterForm(request.GET or None, pools=pools)
    data = form.cleaned_data if form.is_valid() else {}
    found = service.search(
        scope.visible(request.user, Expert).filter(congress=congress).prefetch_related("pools"),
        pool=data.get("pool"), field=data.get("field", ""), text=data.get("q", ""), archived=data.get("archived"),
    ).order_by("name", "pk")  # fmt: skip
    page = _page(request, found)
    for expert in page:
        _masked(expert)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"congress": congress, "form": form, "page": page, "query": query.urlencode(), "pools": pools}
    return render(request, "activities/experts.html", context)


@role_required(Role.STAFF)
def expert_pools(request):
    """The congress's expert pools, and a new one (a code list its staff extend)."""
    congress = _congress(request)
    form = forms.ExpertPoolForm(request.POST or None, instance=ExpertPool(congress=congress))
    if request.method == "POST" and form.is_valid():
        try:
            pool = service.save_pool(actor=request.user, pool=form.instance)
        except (DomainError, ValidationError) as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Expert pool “%(name)s” added.") % {"name": pool.name})
            return redirect("activities:expert_pools")
    context = {"congress": congress, "form": form, "pools": _pools(request, congress)}
    return render(request, "activities/expert_pools.html", context)


@role_required(Role.STAFF)
def expert_edit(request, pk=None):
    """Add an expert to the pools, or change one (not an archived one)."""
    expert = _expert_for(request, pk) if pk else Expert(congress=_congress(request))
    if pk and expert.archived:
        raise PermissionDenied
    form = forms.ExpertForm(request.POST or None, instance=expert, pools=_pools(request, expert.congress))
    if request.method == "POST" and form.is_valid():
        try:
            saved = service.save_expert(
                actor=request.user, expert=form.instance, pool_ids=[p.pk for p in form.cleaned_data["pools"]]
            )
        except (DomainError, ValidationError) as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Expert %(name)s saved.") % {"name": saved.name})
            return redirect(saved)
    return render(request, "activities/expert_form.html", {"form": form, "expert": expert if pk else None})


def _expert_page(request, expert: Expert, contact: Expert | None = None):
    participations = (
        Participant.objects.filter(expert=expert).select_related("activity__kind").order_by("-activity__starts_on")
    )
    context = {
        "expert": _masked(expert),
        "contact": contact,
        "participations": participations,
        "history": audit.entries_for(expert)[:30],
    }
    return render(request, "activities/expert.html", context)


@role_required(Role.STAFF)
def expert(request, pk):
    """One expert: fields, pools, contact masked, the activities they were invited to, and the history."""
    return _expert_page(request, _expert_for(request, pk))


@require_POST
@role_required(Role.STAFF)
def expert_contact(request, pk):
    """Show the expert's full phone and e-mail (a personal-data access record)."""
    expert = _expert_for(request, pk)
    try:
        contact = service.reveal_contact(actor=request.user, expert_id=expert.pk)
    except DomainError as exc:
        report(request, exc)
        return redirect(expert)
    return _expert_page(request, expert, contact=contact)


@require_POST
@role_required(Role.STAFF)
def expert_archive(request, pk):
    """Take the expert out of the pools (archived, never deleted)."""
    expert = _expert_for(request, pk)
    try:
        service.archive_expert(actor=request.user, expert_id=expert.pk)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("Expert %(name)s archived.") % {"name": expert.name})
    return redirect(expert)


@role_required(Role.STAFF)
def invite_experts(request, pk):
    """邀请专家: pick experts of the pools by field of expertise and invite them to the activity."""
    activity = _desk(request, pk)
    candidates = service.invitable_experts(request.user, activity)
    pools = scope.visible(request.user, ExpertPool).filter(congress__in=candidates.values("congress"))
    form = forms.ExpertFilterForm(request.GET or None, pools=pools.order_by("position", "name"))
    data = form.cleaned_data if form.is_valid() else {}
    found = service.search(candidates, pool=data.get("pool"), field=data.get("field", ""), text=data.get("q", ""))
    if request.method == "POST":
        try:
            invited = service.invite_experts(
                actor=request.user, activity_id=activity.pk, expert_ids=request.POST.getlist("experts")
            )
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, _("%(n)s experts invited.") % {"n": len(invited)})
            return redirect(reverse("activities:activity", args=[activity.pk]) + "#experts")
    context = {"activity": activity, "filter_form": form, "found": found.order_by("name", "pk")[:200]}
    return render(request, "activities/invite_experts.html", context)


@require_POST
@role_required(Role.STAFF)
def expert_answer(request, pk):
    """Record an invited expert's answer: accepted, or declined with the reason."""
    participant = scope.visible(request.user, Participant).filter(pk=pk, expert__isnull=False).first()
    if participant is None:
        raise Http404
    form = forms.ExpertAnswerForm(request.POST, prefix=f"e{participant.pk}")
    try:
        if not form.is_valid():
            raise DomainError(fields={"answer": [_("Choose whether the expert accepted or declined.")]})
        service.record_answer(actor=request.user, participant_id=participant.pk, answer=form.cleaned_data["answer"],
                              reason=form.cleaned_data["reason"])  # fmt: skip
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from exc
        report(request, exc)
    else:
        messages.success(request, _("The answer of %(name)s is recorded.") % {"name": participant.name})
    return redirect(reverse("activities:activity", args=[participant.activity_id]) + "#experts")
