"""The public online vote, on a mobile page and without login: verify a phone by SMS code, then vote."""

import time

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from congress import abuse, params
from congress.errors import DomainError
from congress.sms import limits as sms_limits
from congress.web import report

from .. import forms, selectors, services, workflow
from ..models import Campaign, Entry, SubmissionFile
from .common import file_response

SESSION_KEY = "cases_phone"


def _public_campaign(slug) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("congress"), slug=slug, status__in=["selecting", "finished"]
    )


def verified_phone(request) -> str | None:
    """The phone hash verified in this browser session, while it is fresh."""
    held = request.session.get(SESSION_KEY)
    if not held or held.get("until", 0) < time.time():
        return None
    return held.get("hash")


# The page after a vote reads the counts afresh (not the shared copy), so that the vote shows. That it follows a
# vote is told by a short-lived signed cookie rather than the session: saving the session was a second write and
# flush to disk on every vote. Signed, so no one makes every page read the exact counts.
VOTED, VOTED_SALT, VOTED_AGE = "cases_voted", "cases.public.voted", 60


def public(request, slug, status=200):
    campaign = _public_campaign(slug)
    round_ = selectors.public_round(campaign)
    if round_ is None:
        raise Http404
    entries = list(selectors.candidates(round_))
    is_open = round_.status == "open" and workflow.in_window(round_, timezone.now())
    totals = None
    if round_.show_live_totals or round_.status != "open":
        # Right after this visitor's own vote, the counts read now, so that the vote shows; else the shared copy.
        fresh = request.get_signed_cookie(VOTED, default=None, salt=VOTED_SALT, max_age=VOTED_AGE) == str(round_.pk)
        totals = selectors.public_counts(round_.pk) if fresh else selectors.live_totals(round_.pk)
    hashed = verified_phone(request)
    context = {
        "campaign": campaign,
        "round": round_,
        "entries": entries,
        "is_open": is_open,
        "totals": totals,
        "verified": hashed is not None,
        "votes_left": services.votes_left(slug, hashed) if hashed and is_open else None,
        "phone_form": forms.PhoneForm(),
        "code_form": None,
        "sms_unavailable": not services.sms_available(),
    }
    pending = request.session.get("cases_pending_phone")
    if pending and not context["verified"]:
        context["code_form"] = forms.CodeForm(initial={"phone": pending})
        context["shown_code"] = request.session.get("cases_shown_code") if services.shows_codes() else None
    response = render(request, "cases/public.html", context, status=status)
    if VOTED in request.COOKIES:
        response.delete_cookie(VOTED)
    return response


@require_POST
def public_code(request, slug):
    campaign = _public_campaign(slug)
    form = forms.PhoneForm(request.POST)
    # Counted by the number itself, however it is written (spaces, dashes, +86): one phone, one allowance of codes.
    if abuse.rate_limited(request, "cases_code", phone=sms_limits.phone_key(request.POST.get("phone", ""))):
        messages.error(request, _("Too many codes asked from this address or phone; please try again later."))
        return redirect("cases:public", slug)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("cases:public", slug)
    try:
        _check, code = services.send_code(campaign=campaign, phone=form.cleaned_data["phone"])
    except DomainError as exc:
        report(request, exc)
        return redirect("cases:public", slug)
    request.session["cases_pending_phone"] = services.normalise_phone(form.cleaned_data["phone"])
    if services.shows_codes():
        request.session["cases_shown_code"] = code
    messages.success(request, _("A code has been sent to your phone."))
    return redirect("cases:public", slug)


@require_POST
def public_verify(request, slug):
    campaign = _public_campaign(slug)
    form = forms.CodeForm(request.POST)
    if abuse.rate_limited(request, "cases_verify"):
        messages.error(request, _("Too many attempts from this address; please try again later."))
        return redirect("cases:public", slug)
    if form.is_valid():
        try:
            hashed = services.verify_code(campaign=campaign, phone=form.cleaned_data["phone"],
                                          code=form.cleaned_data["code"])  # fmt: skip
        except DomainError as exc:
            report(request, exc)
        else:
            minutes = services.verified_minutes(campaign)
            request.session[SESSION_KEY] = {"hash": hashed, "until": time.time() + minutes * 60}
            request.session.pop("cases_pending_phone", None)
            request.session.pop("cases_shown_code", None)
            messages.success(request, _("Your phone is verified; choose a candidate."))
    else:
        messages.error(request, _("Enter the 6-digit code from the text message."))
    return redirect("cases:public", slug)


@require_POST
def public_cast(request, slug):
    """One public vote. Answers a redirect to the page (302) when counted, 409 when the phone's limit is used,
    429 when the address is over its hourly limit, 403 when the phone is not verified."""
    hashed = verified_phone(request)
    if hashed is None:
        messages.error(request, _("Verify your phone first."))
        return _refused(request, slug, 403)
    submission_id = params.as_identifier(request.POST.get("submission"))
    if submission_id is None:
        messages.error(request, _("Choose a candidate."))
        return _refused(request, slug, 400)
    context = services.vote_context(slug)
    if not context:
        raise Http404
    rate = f"{context['per_address_hour']}/h"
    if is_ratelimited(request, group="cases_vote:ip", key="ip", rate=rate, increment=True):
        messages.error(request, _("Too many votes from this address; please try again later."))
        return _refused(request, slug, 429)
    try:
        services.public_vote(slug=slug, submission_id=submission_id, phone_hash=hashed)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return _refused(request, slug, exc.status_code)
    messages.success(request, _("Your vote is counted. Thank you."))
    response = redirect("cases:public", slug)
    response.set_signed_cookie(VOTED, str(context["round"]), salt=VOTED_SALT, max_age=VOTED_AGE, httponly=True,
                               samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)  # fmt: skip
    return response


def _refused(request, slug, status):
    """A refused vote answers with its status and the vote's own page: the message says why and what to do, and
    the page shows the counts and whether this phone may still vote (a browser shows an error status's body;
    an empty body was Chromium's bare "HTTP ERROR 409")."""
    return public(request, slug, status=status)


def public_photo(request, slug, pk):
    """Photos of the candidates of a public vote."""
    item = get_object_or_404(
        SubmissionFile.objects.select_related("submission"), pk=pk, content_type__startswith="image/"
    )
    public_round = selectors.public_round(_public_campaign(slug))
    if public_round is None or not Entry.objects.filter(round=public_round, submission_id=item.submission_id).exists():
        raise Http404
    return file_response(item)
