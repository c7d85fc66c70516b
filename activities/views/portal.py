"""The deputy's portal: 我的活动 (invitations to answer, places, history) and check-in at a sitting by its code or
QR link on a phone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import abuse, scope
from congress.errors import DomainError
from congress.web import report

from .. import forms, selectors, services, workflow
from ..models import ActivityStatus, Channel, Invitation, InvitationStatus, Sitting


@login_required
def mine(request):
    """The deputy's invitations with what they can do, and their attendance."""
    if getattr(request.user, "person", None) is None:
        raise Http404
    current, history = [], []
    for invitation in selectors.my_invitations(request.user):
        invitation.actions = workflow.actions(invitation, workflow.INVITATION, workflow.DEPUTY_ACTIONS)
        invitation.marks = list(invitation.attendance.all())
        invitation.sitting_list = list(invitation.activity.sittings.all())
        if invitation.status == InvitationStatus.WAITLISTED:
            invitation.position = selectors.waitlist_position(invitation)
        live = invitation.status in workflow.LIVE and invitation.activity.status != ActivityStatus.CLOSED
        (current if live else history).append(invitation)
    context = {"current": current, "history": history, "decline_form": forms.DeclineForm()}
    return render(request, "activities/mine.html", context)


@require_POST
@login_required
def answer(request, pk, action):
    """The deputy accepts, or declines with a reason."""
    invitation = get_object_or_404(scope.visible(request.user, Invitation), pk=pk)
    if action not in workflow.DEPUTY_ACTIONS:
        raise Http404
    try:
        if action == "accept":
            invitation = services.accept(actor=request.user, invitation_id=invitation.pk)
        else:
            form = forms.DeclineForm(request.POST)
            services.decline(actor=request.user, invitation_id=invitation.pk, reason=form.data.get("reason", ""))
    except DomainError as exc:
        report(request, exc)
    else:
        if action == "decline":
            messages.success(request, _("Invitation declined; the office is told your reason."))
        elif invitation.status == InvitationStatus.WAITLISTED:
            messages.warning(request, _("The activity is full: you are on the waiting list."))
        else:
            messages.success(request, _("Accepted. Check in with the sitting's QR code when you arrive."))
    return redirect("activities:mine")


@login_required
def check_in(request):
    """Type the sitting's code (shown in the room); the service checks the window and the invitation."""
    form = forms.CheckInForm(request.POST or None)
    if request.method == "POST":
        if abuse.rate_limited(request, "activities-check-in"):
            messages.error(request, _("Too many attempts; please try again later."))
            return render(request, "activities/check_in.html", {"form": form}, status=429)
        if form.is_valid():
            return _check_in(request, form, form.cleaned_data["code"], Channel.CODE)
    return render(request, "activities/check_in.html", {"form": form})


@login_required
def check_in_link(request, code):
    """The QR code's link: shows the sitting and one button (a GET never records anything)."""
    sitting = get_object_or_404(Sitting.objects.select_related("activity"), checkin_code=code.upper())
    form = forms.CheckInForm(initial={"code": sitting.checkin_code})
    if request.method == "POST":
        return _check_in(request, form, sitting.checkin_code, Channel.LINK, sitting)
    return render(request, "activities/check_in.html", {"form": form, "sitting": sitting})


def _check_in(request, form, code, channel, sitting=None):
    try:
        attendance = services.check_in(actor=request.user, code=code, channel=channel)
    except DomainError as exc:
        report(request, exc, form)
        return render(request, "activities/check_in.html", {"form": form, "sitting": sitting})
    messages.success(request, _("Checked in: %(sitting)s.") % {"sitting": attendance.sitting})
    return redirect("activities:mine")
