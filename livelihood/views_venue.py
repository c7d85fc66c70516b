"""Venue tablets (venue.py): staff enrol and withdraw them; on an enrolled tablet deputies sign in one after another
and vote, and nobody stays signed in."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress.errors import DomainError
from congress.models import Role
from congress.web import report, role_required

from . import forms, selectors, venue
from .models import ProgrammeStatus, VenueTablet
from .views import _desk


@role_required(Role.STAFF)
def tablets(request, pk):
    """The programme's tablets, and enrolling the device this page is open on."""
    programme = _desk(request, pk)
    form = forms.TabletEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _tablet, key = venue.enrol_tablet(actor=request.user, programme_id=programme.pk,
                                              label=form.cleaned_data["label"])  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            # The device is handed to the deputies next: nobody may stay signed in on it.
            logout(request)
            response = redirect("livelihood:tablet", programme.pk)
            response.set_cookie(venue.COOKIE, key, max_age=venue.COOKIE_AGE, httponly=True, samesite="Strict",
                                secure=request.is_secure())  # fmt: skip
            return response
    context = {"programme": programme, "form": form, "enrolling": programme.status in (ProgrammeStatus.CANDIDATES,
               ProgrammeStatus.VOTING), "tablets": VenueTablet.objects.filter(programme=programme)
               .select_related("enrolled_by").order_by("label")}  # fmt: skip
    return render(request, "livelihood/tablets.html", context)


@require_POST
@role_required(Role.STAFF)
def withdraw_tablet(request, pk):
    tablet = get_object_or_404(VenueTablet, pk=pk)
    programme = _desk(request, tablet.programme_id)
    try:
        venue.withdraw_tablet(actor=request.user, tablet_id=tablet.pk)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("The tablet is withdrawn: it can no longer be used to vote."))
    return redirect("livelihood:tablets", programme.pk)


def _screen(request, tablet, step, status=200, **context):
    programme = tablet.programme
    context = {"programme": programme, "tablet": tablet, "step": step, **context}
    return render(request, "livelihood/tablet.html", context, status=status)


@never_cache
def tablet(request, pk):
    """The voting screen of an enrolled tablet: sign in, vote, hand the tablet on."""
    found = venue.tablet_for(pk, request.COOKIES.get(venue.COOKIE))
    if found is None:
        return render(request, "livelihood/tablet_unknown.html", status=403)
    programme = found.programme
    if programme.status != ProgrammeStatus.VOTING:
        return _screen(request, found, "closed")
    if request.method != "POST":
        return _screen(request, found, "sign_in", form=forms.TabletSignInForm(request))
    if request.POST.get("step") == "vote":
        return _vote(request, found)
    form = forms.TabletSignInForm(request, data=request.POST)
    if not form.is_valid():
        return _screen(request, found, "sign_in", form=form)
    user = form.get_user()
    try:
        mandate = venue.seat_to_vote(found, user)
    except DomainError as exc:
        return _screen(request, found, "sign_in", form=forms.TabletSignInForm(request), refusal=str(exc.message))
    return _ballot(request, found, mandate, venue.sign_in_token(found, user), forms.BallotForm(
        candidates=selectors.candidates(programme)))  # fmt: skip


def _ballot(request, tablet, mandate, token, form):
    return _screen(request, tablet, "ballot", mandate=mandate, token=token, form=form,
                   candidates=selectors.candidates(tablet.programme))  # fmt: skip


def _vote(request, tablet):
    token = request.POST.get("token")
    user = venue.signed_in(tablet, token)
    if user is None:
        return _screen(request, tablet, "sign_in", form=forms.TabletSignInForm(request),
                       refusal=_("The sign-in has expired: sign in again to vote."))  # fmt: skip
    programme = tablet.programme
    form = forms.BallotForm(request.POST, candidates=selectors.candidates(programme))
    if form.is_valid():
        try:
            venue.cast_on_tablet(tablet=tablet, user=user, candidate_ids=form.cleaned_data["candidates"])
        except DomainError as exc:
            report(request, exc, form)
        else:
            return _screen(request, tablet, "done")
    return _ballot(request, tablet, selectors.my_mandate(user, programme), token, form)
