"""A station's manager records a livelihood-project proposal a citizen made in person at the station."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import scope
from congress.errors import DomainError
from congress.web import report
from liaison_stations.models import Station

from . import forms, selectors, services
from .models import Programme, ProgrammeStatus, Source


def collecting_for(station, today):
    """The programmes collecting proposals today whose congress's region holds the station."""
    rows = Programme.objects.filter(status=ProgrammeStatus.SOLICITING, solicit_from__lte=today,
                                    solicit_until__gte=today).order_by("-year", "pk")  # fmt: skip
    return [p for p in rows if station.region_code.startswith(p.region_code)]


@login_required
def propose_at_station(request, station_pk):
    station = get_object_or_404(scope.visible(request.user, Station).filter(managers=request.user), pk=station_pk)
    today = timezone.localdate()
    programmes = collecting_for(station, today)
    form = forms.StationProposalForm(request.POST or None, programmes=programmes) if programmes else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            proposal = services.submit_proposal(programme_id=data.pop("programme"), source=Source.STATION,
                                                actor=request.user, station_id=station.pk, **data)  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(
                request, _("Proposal no. %(n)s is recorded; its tracking code is %(code)s: give it to the proposer.")
                % {"n": proposal.number, "code": proposal.tracking_code},
            )  # fmt: skip
            return redirect("livelihood:propose_at_station", station.pk)
    recorded = selectors.recorded_at(station)
    return render(request, "livelihood/propose_station.html",
                  {"station": station, "form": form, "recorded": recorded})  # fmt: skip
