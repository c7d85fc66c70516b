"""Pages of the station network: public pages for citizens, the deputy's check-in, the manager's desk and
the staff's network, coverage, quota and ledger views. Each parses input, calls a service or selector, renders."""

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import abuse, audit, documents, exports, params, personal_data, replica, scope, topics, uploads
from congress.errors import DomainError
from congress.paging import LargeListPaginator
from congress.web import CodeCookie, report, role_required
from deputies import idnumbers
from deputies.models import Mandate, MandateStatus

from . import exporter, forms, selectors, services, workflow
from .models import (
    Attendance,
    CitizenOpinion,
    DeputyQrCode,
    OpinionAttachment,
    Route,
    Station,
    Visit,
)
from .services import station_ledger as ledger_document

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, queryset, size=50, *, estimate=False):
    """A page of the list; estimate=True for a list that may hold millions (its count estimated above a threshold,
    congress.paging), on a page whose template says so."""
    paginator = LargeListPaginator if estimate else Paginator
    return paginator(queryset, size).get_page(request.GET.get("page"))


def _map_context(stations):
    return {
        "markers": selectors.markers(stations),
        "by_region": [] if settings.MAP_TILES_URL else selectors.stations_by_region(stations),
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
    }


# Public pages (no login)


def public_directory(request):
    form = forms.NetworkFilterForm(request.GET or None, regions=selectors.station_regions(selectors.public_stations()))
    data = form.cleaned_data if form.is_valid() else {}
    stations = selectors.public_stations(data)
    context = {"form": form, "page": _page(request, stations.order_by("region_code", "name")), **_map_context(stations),
               "query": request.GET.urlencode()}  # fmt: skip
    return render(request, "liaison_stations/public_directory.html", context)


def _public_station(slug) -> Station:
    return get_object_or_404(Station.objects.select_related("region", "congress"), slug=slug, is_active=True)


def public_station(request, slug):
    station = _public_station(slug)
    context = {
        "station": station,
        "receptions": selectors.upcoming_receptions(station),
        "deputies": selectors.stationed(station),
        **_map_context(Station.objects.filter(pk=station.pk)),
    }
    return render(request, "liaison_stations/public_station.html", context)


def _opinion_form(request, *, station=None, qr=None, template_context):
    form = forms.PublicOpinionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if abuse.rate_limited(request, "opinion", phone=request.POST.get("phone", "")):
            messages.error(request, _("Too many submissions from this address or phone; please try again later."))
            form.renew()
            return render(request, "liaison_stations/opinion_form.html", {"form": form, **template_context}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                opinion = services.submit_opinion(
                    station=station, qr=qr, phone=data["phone"], category=data["category"], content=data["content"],
                    citizen_name=data["citizen_name"], files=data["files"], submission_key=data["submission_key"],
                    sms_wanted=data.get("sms_wanted", False),
                )  # fmt: skip
            except DomainError as exc:
                report(request, exc, form)
            else:
                return OPINION_CODE.remember(redirect("liaison_stations:thanks"), opinion.tracking_code)
        form.renew()
    return render(request, "liaison_stations/opinion_form.html", {"form": form, **template_context})


def public_opinion(request, slug):
    station = _public_station(slug)
    return _opinion_form(request, station=station, template_context={"station": station})


def deputy_page(request, token):
    qr = get_object_or_404(DeputyQrCode.objects.select_related("mandate__person", "mandate__congress"), token=token)
    if qr.mandate.status == MandateStatus.ENDED:
        raise Http404
    return _opinion_form(request, qr=qr, template_context={"deputy": qr.mandate})


# The thanks page shows the tracking code the citizen was just given (congress.web.CodeCookie).
OPINION_CODE = CodeCookie("opinion_code", "liaison_stations.thanks")
CODE_COOKIE, CODE_SALT = OPINION_CODE.name, OPINION_CODE.salt


def thanks(request):
    code = OPINION_CODE.read(request)
    if not code:
        return redirect("liaison_stations:track")
    return render(request, "liaison_stations/thanks.html", {"code": code})


def track(request):
    # A link that carries only the code (from the thanks page) fills it in; the look-up starts with both fields.
    asked = "phone_tail" in request.GET
    form = forms.TrackForm(request.GET if asked else None, initial={"code": request.GET.get("code", "")})
    opinion = None
    if form.is_valid():
        if abuse.rate_limited(request, "track"):
            form.add_error(None, _("Too many look-ups; please try again later."))
            return render(request, "liaison_stations/track.html", {"form": form}, status=429)
        opinion = services.track(form.cleaned_data["code"], form.cleaned_data["phone_tail"])
        if opinion is None:
            form.add_error(None, _("No opinion matches this code and phone number."))
    progress = selectors.suggestion_progress(opinion) if opinion and opinion.route == Route.TO_SUGGESTION else None
    return render(request, "liaison_stations/track.html", {"form": form, "opinion": opinion, "progress": progress})


def qr_svg(request, kind, token):
    """The QR code of a station's check-in link or of a deputy's opinion page, as SVG for printing."""
    if kind == "station":
        station = get_object_or_404(Station, slug=token)
        target = reverse("liaison_stations:check_in", args=[station.slug])
    else:
        qr = get_object_or_404(DeputyQrCode, token=token)
        target = reverse("liaison_stations:deputy_page", args=[qr.token])
    code = segno.make(request.build_absolute_uri(target), error="m")
    # A standalone image needs the SVG namespace, which svg_inline (meant for inside HTML) leaves out.
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=6, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


# Deputies


@login_required
def mine(request):
    """A deputy's stations, this year's visits against the quota, their QR page and opinions for them."""
    mandates = selectors.my_mandates(request.user)
    if getattr(request.user, "person", None) is None:
        raise Http404
    year = timezone.localdate().year
    progress = selectors.visit_quota_progress(Mandate.objects.filter(pk__in=[m.pk for m in mandates]), year)
    stationings = selectors.stations_of(mandates)
    visits = selectors.visits_of(mandates, year)
    qr_codes = [services.qr_code_for(actor=request.user, mandate=m) for m in mandates]
    opinions = selectors.opinions_for(mandates)
    return render(
        request,
        "liaison_stations/mine.html",
        {"progress": progress, "stations": stationings, "visits": visits, "qr_codes": qr_codes, "opinions": opinions,
         "year": year, "attendances": selectors.pending_attendances(mandates)},
    )  # fmt: skip


@login_required
@require_POST
def answer_attendance(request, pk):
    """The deputy confirms being present at a reception day a manager recorded, or says they were not."""
    attendance = get_object_or_404(scope.visible(request.user, Attendance), pk=pk)
    form = forms.AttendanceAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether you were present."))
        return redirect("liaison_stations:mine")
    service = {"confirm": services.confirm_attendance, "decline": services.decline_attendance}[
        form.cleaned_data["answer"]
    ]
    try:
        service(actor=request.user, attendance_id=attendance.pk)
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from exc
        report(request, exc)
    else:
        if form.cleaned_data["answer"] == "confirm":
            messages.success(request, _("Confirmed: the visit entered your duty record."))
        else:
            messages.success(request, _("Noted: you were not present; nothing enters your duty record."))
    return redirect("liaison_stations:mine")


@login_required
def check_in(request, slug=None):
    """Record a visit: from the station's QR code (slug given) or from the portal (choose the station)."""
    mandates = selectors.my_mandates(request.user)
    if not mandates:
        raise PermissionDenied
    stations = [_public_station(slug)] if slug else list(selectors.stations_of(mandates))
    if not stations:
        messages.error(request, _("You are not stationed at any station yet; scan the station's QR code."))
        return redirect("liaison_stations:mine")
    form = forms.CheckInForm(request.POST or None, mandates=mandates, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.check_in(
                actor=request.user, station_id=data["station"], mandate_id=data["mandate"], activity=data["activity"],
                visited_at=data["visited_at"], citizens_received=data["citizens_received"], topics=data["topics"],
                channel=Visit.Channel.QR if slug else Visit.Channel.PORTAL, submission_key=data["submission_key"],
            )  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            note = _(" (flagged: %(reason)s)") % {"reason": visit.flag_reason} if visit.flagged else ""
            # A flagged visit is recorded but needs a look: not the green of a plain success.
            (messages.warning if visit.flagged else messages.success)(
                request, _("Visit to %(station)s recorded.") % {"station": visit.station} + note
            )
            return redirect("liaison_stations:mine")
    return render(request, "liaison_stations/check_in.html", {"form": form, "stations": stations})


# Station managers and staff


def _station_for(request, pk) -> Station:
    station = get_object_or_404(scope.visible(request.user, Station).select_related("region", "congress"), pk=pk)
    if not scope.can(request.user, "liaison_stations.run_station", station):
        raise PermissionDenied
    return station


@login_required
def manage(request):
    stations = selectors.managed_stations(request.user)
    if not stations.exists() and not scope.has_role(request.user, "staff"):
        raise PermissionDenied
    receptions = selectors.coming_receptions(request.user)
    return render(request, "liaison_stations/manage.html", {"stations": stations, "receptions": receptions})


@login_required
def desk(request, pk):
    """A station's desk: reception days, deputies stationed, opinions heard here."""
    station = _station_for(request, pk)
    deputies = list(selectors.stationed(station))
    stationings = dict(station.stationings.filter(end_date__isnull=True).values_list("mandate_id", "pk"))
    for mandate in deputies:
        mandate.stationing_id = stationings.get(mandate.pk)
    reception_form = forms.ReceptionForm(
        request.POST if request.POST.get("form") == "reception" else None, mandates=deputies
    )
    if request.method == "POST" and request.POST.get("form") == "reception" and reception_form.is_valid():
        data = reception_form.cleaned_data
        try:
            reception = services.plan_reception(
                actor=request.user, station_id=station.pk, day=data["date"], start=data["start_time"],
                end=data["end_time"], topic=data["topic"], mandate_ids=data["deputies"],
            )  # fmt: skip
        except DomainError as exc:
            report(request, exc, reception_form)
        else:
            messages.success(request, _("Reception day planned; publish it to announce it."))
            return redirect("liaison_stations:reception", reception.pk)
    context = {
        "station": station,
        "deputies": deputies,
        "reception_form": reception_form,
        "receptions": station.receptions.order_by("-date")[:20],
        "opinions": station.opinions.order_by("-received_at")[:20],
        "can_evaluate": scope.can(request.user, "liaison_stations.evaluate", station),
        "is_manager": station.managers.filter(pk=request.user.pk).exists(),
        "hot_topics": topics.hot(station.congress_id, region_code=station.region_code, limit=5),
        "topics_as_of": topics.as_of(station.congress_id),
    }
    return render(request, "liaison_stations/desk.html", context)


@login_required
def station_ledger(request, pk):
    """The station's ledger (台账) for a period, as .docx or PDF: its managers and its congress's staff."""
    station = _station_for(request, pk)
    today = timezone.localdate()
    form = forms.StationLedgerForm(request.POST or None, initial={"start": today.replace(month=1, day=1), "end": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            name, content, content_type = ledger_document.ledger_file(
                actor=request.user, station_id=station.pk, start=data["start"], end=data["end"], fmt=data["format"]
            )
        except (ValueError, documents.ConversionUnavailable) as refused:
            messages.error(request, str(refused))
        else:
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
    return render(request, "liaison_stations/station_ledger.html", {"station": station, "form": form})


@login_required
def station_deputies(request, pk):
    """Station deputies here: pick from the live deputies the user may see."""
    station = _station_for(request, pk)
    candidates = selectors.stationing_candidates(station)
    form = forms.StationDeputiesForm(request.POST or None, mandates=candidates)
    if request.method == "POST" and form.is_valid():
        added = services.station_deputies(
            actor=request.user, station_id=station.pk, mandate_ids=form.cleaned_data["mandates"]
        )
        messages.success(request, _("%(n)s deputies stationed.") % {"n": added})
        return redirect("liaison_stations:desk", station.pk)
    return render(request, "liaison_stations/station_deputies.html", {"station": station, "form": form})


@login_required
def print_qr(request, pk):
    station = _station_for(request, pk)
    return render(request, "liaison_stations/print_qr.html", {"station": station})


@login_required
def reception(request, pk):
    item = selectors.reception_for(request.user, pk)
    if item is None:
        raise Http404
    can_run = scope.can(request.user, "liaison_stations.run_station", item.station)
    record_form = forms.RecordReceptionForm(request.POST if request.POST.get("action") == "record" else None,
                                            reception=item)  # fmt: skip
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied
        action = request.POST.get("action")
        if action not in ("publish", "cancel", "record"):
            raise Http404
        try:
            if action == "publish":
                services.publish_reception(actor=request.user, reception_id=item.pk)
                messages.success(request, _("Published; the deputies on duty were told."))
            elif action == "cancel":
                services.cancel_reception(
                    actor=request.user, reception_id=item.pk, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Reception day cancelled."))
            elif record_form.is_valid():
                data = record_form.cleaned_data
                services.record_reception(
                    actor=request.user, reception_id=item.pk, present_ids=data["present"],
                    citizens_received=data["citizens_received"], summary=data["summary"],
                )  # fmt: skip
                messages.success(request, _("Reception recorded; the visits entered the deputies' duty records."))
        except DomainError as exc:
            report(request, exc, record_form if action == "record" else None)
        else:
            if action != "record" or not record_form.errors:
                return redirect("liaison_stations:reception", item.pk)
    item.refresh_from_db()
    context = {"reception": item, "can_run": can_run, "record_form": record_form,
               "can_record": services.is_held_possible(item),
               "deputies": item.deputies.select_related("person", "congress")}  # fmt: skip
    return render(request, "liaison_stations/reception.html", context)


@login_required
def mark_present(request, pk):
    """The station's manager records deputies stationed here present at a held reception day."""
    item = selectors.reception_for(request.user, pk)
    if item is None:
        raise Http404
    if not scope.can(request.user, "liaison_stations.run_station", item.station):
        raise PermissionDenied
    form = forms.MarkPresentForm(request.POST or None, candidates=selectors.attendance_candidates(item))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.mark_present(
                actor=request.user, reception_id=item.pk, mandate_ids=form.cleaned_data["mandates"]
            )
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(
                request, _("%(n)s deputies recorded present; each is asked to confirm.") % {"n": len(created)}
            )
            return redirect("liaison_stations:reception", item.pk)
    attendances = item.attendances.select_related("mandate__person").order_by("mandate__person__name")
    return render(request, "liaison_stations/mark_present.html",
                  {"reception": item, "form": form, "attendances": attendances})  # fmt: skip


@login_required
def record_opinion(request, pk):
    """A deputy or manager records an opinion heard at the station."""
    station = get_object_or_404(scope.visible(request.user, Station), pk=pk)
    form = forms.RecordOpinionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion = services.record_opinion(
                actor=request.user, station_id=station.pk, reception_id=params.identifier(request.POST, "reception"),
                phone=data["phone"], category=data["category"], content=data["content"],
                citizen_name=data["citizen_name"], files=data["files"], submission_key=data["submission_key"],
                sms_wanted=data.get("sms_wanted", False),
            )  # fmt: skip
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(
                request, _("Opinion recorded with tracking code %(code)s.") % {"code": opinion.tracking_code}
            )
            # A deputy who records one for the station does not read the station's opinions: back to their page.
            if scope.can_see(request.user, opinion):
                return redirect("liaison_stations:opinion", opinion.pk)
            return redirect("liaison_stations:mine")
    reception_id = params.identifier(request.GET, "reception") or params.identifier(request.POST, "reception")
    return render(request, "liaison_stations/record_opinion.html",
                  {"station": station, "form": form, "reception_id": reception_id or ""})  # fmt: skip


@login_required
def opinion(request, pk):
    """One opinion: its content, route, the unit's reply, the feedback, and the forms for the next step."""
    item = selectors.opinion_for(request.user, pk)
    if item is None:
        raise Http404
    can_triage = scope.can(request.user, "liaison_stations.triage", item)
    can_reply = scope.can(request.user, "liaison_stations.unit_reply", item)
    deputies = list(selectors.stationed(item.station)) if item.station_id else []
    action = request.POST.get("action")
    units = selectors.referral_units(request.user, item)
    triage_form = forms.TriageForm(request.POST if action == "triage" else None, units=units, mandates=deputies)
    feedback_form = forms.FeedbackForm(request.POST if action == "feedback" else None)
    reply_form = forms.UnitReplyForm(request.POST if action == "reply" else None)
    if request.method == "POST":
        form = {"triage": triage_form, "feedback": feedback_form, "reply": reply_form}.get(action)
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "triage":
                    services.triage(
                        actor=request.user, opinion_id=item.pk, route=data["route"], answer=data["answer"],
                        unit_id=data["unit"].pk if data["unit"] else None, mandate_id=data["deputy"],
                        decline_reason=data["decline_reason"], note=data["answer"],
                    )  # fmt: skip
                elif action == "feedback":
                    services.give_feedback(actor=request.user, opinion_id=item.pk, feedback=data["feedback"])
                else:
                    services.unit_reply(actor=request.user, opinion_id=item.pk, reply=data["reply"])
            except DomainError as exc:
                report(request, exc, form)
            else:
                messages.success(request, _("Saved."))
                return redirect("liaison_stations:opinion", item.pk)
    show_phone = scope.can(request.user, "liaison_stations.view_citizen_phone", item)
    if show_phone:
        personal_data.seen(request.user, item, "page")
    context = {
        "opinion": item,
        "actions": workflow.OPINION.available(item),
        "can_triage": can_triage,
        "can_reply": can_reply,
        "triage_form": triage_form,
        "feedback_form": feedback_form,
        "reply_form": reply_form,
        "phone": item.phone if show_phone else idnumbers.mask_phone(item.phone),
        "history": audit.entries_for(item)[:30],
        "attachments": item.attachments.all(),
        # Whoever triages sees the open opinion this one repeats, if they may see that one too.
        "repeat": selectors.opinion_for(request.user, item.repeat_of_id) if can_triage and item.repeat_of_id else None,
    }
    return render(request, "liaison_stations/opinion.html", context)


@login_required
def attachment(request, pk):
    """Attachments live outside the web root; only those who may see the opinion get them."""
    item = get_object_or_404(OpinionAttachment.objects.select_related("opinion"), pk=pk)
    if not scope.can_see(request.user, item.opinion):
        raise Http404
    return uploads.serve(item.file, content_type=item.content_type, filename=f"attachment-{item.pk}")


@role_required("unit_officer")
def referrals(request):
    """A handling unit's referred opinions, open ones first."""
    owing, overdue = bool(request.GET.get("owing")), bool(request.GET.get("overdue"))
    opinions = selectors.referrals(request.user, owing=owing, overdue=overdue)
    return render(request, "liaison_stations/referrals.html",
                  {"page": _page(request, opinions), "owing": owing, "overdue": overdue,
                   "query": request.GET.urlencode(), "today": timezone.localdate()})  # fmt: skip


# Staff


@role_required("staff")
def network(request):
    regions = selectors.station_regions(selectors.network(request.user))
    form = forms.NetworkFilterForm(request.GET or None, regions=regions)
    data = form.cleaned_data if form.is_valid() else {}
    stations = selectors.network(request.user, data)
    context = {"form": form, "page": _page(request, stations.order_by("region_code", "name")),
               "query": request.GET.urlencode(), **_map_context(stations)}  # fmt: skip
    return render(request, "liaison_stations/network.html", context)


@role_required("staff")
def coverage(request):
    """Live deputies stationed nowhere, and stationing by region in bulk."""
    stations = selectors.own_stations(request.user)
    form = forms.StationRegionForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.station_region(
                actor=request.user, station_id=form.cleaned_data["station"], region_code=form.cleaned_data["region"]
            )
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("%(n)s deputies stationed.") % {"n": added})
            return redirect("liaison_stations:coverage")
    missing = selectors.unstationed(request.user)
    return render(request, "liaison_stations/coverage.html", {"form": form, "page": _page(request, missing)})


@role_required("staff")
def quota(request):
    """Each deputy's station visits, receptions, voter contacts, reports to voters and group activities this year
    against the quotas; 'behind' lists those under any of them."""
    year = params.year(request.GET, default=timezone.localdate().year)
    page = _page(request, selectors.quota_mandates(request.user, request.GET.get("region", "")))
    rows = selectors.visit_quota_progress(Mandate.objects.filter(pk__in=[m.pk for m in page]), year)
    if request.GET.get("behind"):
        rows = [row for row in rows if row["behind"]]
    return render(request, "liaison_stations/quota.html", {"rows": rows, "page": page, "year": year,
                                                            "query": request.GET.urlencode()})  # fmt: skip


@role_required("staff", "station_manager")
def ledger(request):
    form = forms.LedgerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    opinions = selectors.ledger(request.user, data)
    return render(request, "liaison_stations/ledger.html",
                  {"form": form, "page": _page(request, opinions, estimate=True),
                   "query": request.GET.urlencode()})  # fmt: skip


@role_required("staff", "station_manager")
@replica.heavy_reads
def ledger_export(request):
    form = forms.LedgerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    opinions = selectors.ledger(request.user, data)
    # A long ledger is written in the background; its progress page is in the console, which managers lack.
    if request.user.is_staff and opinions.count() > exports.INLINE_ROWS:
        job = exports.start_for(actor=request.user, queryset=opinions, limit=exporter.MAX_ROWS)
        return redirect("admin:congress_consolejob_change", job.pk)
    unmasked = scope.can(request.user, "liaison_stations.view_citizen_phone", None)
    workbook = exporter.ledger_workbook(selectors.ledger(request.user, data), unmasked=unmasked)
    if unmasked:
        ids = selectors.ledger(request.user, data).values_list("pk", flat=True)
        personal_data.seen_many(request.user, CitizenOpinion, ids, "export", filters=request.GET.urlencode())
    audit.record(
        request.user, request.user, "export_opinion_ledger", filters=request.GET.urlencode(), unmasked=unmasked
    )
    response = HttpResponse(workbook, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="opinion-ledger-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def evaluate(request, pk):
    station = get_object_or_404(scope.visible(request.user, Station).select_related("congress"), pk=pk)
    if not scope.can(request.user, "liaison_stations.evaluate", station):
        raise PermissionDenied
    criteria = selectors.checklist(station.congress)
    form = forms.EvaluationForm(request.POST or None, criteria=criteria,
                                initial={"year": timezone.localdate().year})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            rating = services.evaluate_station(
                actor=request.user,
                station_id=station.pk,
                year=form.cleaned_data["year"],
                scores=form.scores(),
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Score %(score)s: %(stars)s stars.") % {"score": rating.score,
                                                                                "stars": rating.stars})  # fmt: skip
            return redirect("liaison_stations:evaluate", station.pk)
    history = station.ratings.prefetch_related("scores__criterion")
    return render(request, "liaison_stations/evaluate.html",
                  {"station": station, "form": form, "history": history, "criteria": criteria,
                   "honours": station.honours.all()})  # fmt: skip


@require_POST
@login_required
def end_stationing(request, pk):
    from .models import Stationing

    stationing = get_object_or_404(scope.visible(request.user, Stationing).select_related("mandate__person"), pk=pk)
    try:
        services.end_stationing(actor=request.user, stationing_id=stationing.pk)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("%(name)s is no longer stationed here.") % {"name": stationing.mandate.person.name})
    return redirect("liaison_stations:desk", stationing.station_id)
