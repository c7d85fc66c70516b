"""Citizens' opinions coming in: the public forms, an opinion heard at a reception, a deputy's QR page, and the
citizen following their opinion with its tracking code."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, crypto, notifications, scope, uploads
from congress.errors import Forbidden, RuleViolation
from deputies.models import Mandate, MandateStatus
from deputies.validators import is_mobile

from .. import notices, workflow
from ..models import Category, CitizenOpinion, DeputyQrCode, OpinionAttachment, Reception, Station, Stationing


def deputy_station(mandate: Mandate) -> Station | None:
    """Where an opinion left on a deputy's QR page is handled: the station they are stationed at first."""
    stationing = (
        Stationing.objects.filter(mandate=mandate, end_date__isnull=True, station__is_active=True)
        .select_related("station")
        .order_by("start_date", "pk")
        .first()
    )
    return stationing.station if stationing else None


def submit_opinion(
    *,
    station: Station | None = None,
    qr: DeputyQrCode | None = None,
    phone: str,
    category: str,
    content: str,
    citizen_name: str = "",
    files=(),
    submission_key: str = "",
    channel: str = "",
    actor=None,
    reception: Reception | None = None,
    sms_wanted: bool = False,
) -> CitizenOpinion:
    """Take a citizen's opinion (public form, reception record or API); returns it with its tracking code.

    sms_wanted: the citizen asks to be texted once the opinion has its result (answered, replied to by the
    responsible body, declined, or the suggestion a deputy makes of it settled); kept only while an SMS backend
    that delivers is configured. The same form submitted twice (same key and phone) returns the first opinion: the
    unique constraint opinion_submitted_once refuses the second row, so the common case (a first submission) pays
    for no look-up."""
    errors = {}
    if not is_mobile(phone or ""):
        errors["phone"] = [_("Enter an 11-digit mobile number so we can tell you the result.")]
    if not content.strip():
        errors["content"] = [_("Write your opinion.")]
    if len(content) > 2000:
        errors["content"] = [_("At most 2000 characters.")]
    if category not in Category.values:
        errors["category"] = [_("Choose a category.")]
    checked = []
    try:
        checked = uploads.check_all(files)
    except RuleViolation as exc:
        errors.update(exc.fields)
    if errors:
        raise RuleViolation(fields=errors)
    addressed_to = qr.mandate if qr else None
    if station is None and addressed_to is not None:
        station = deputy_station(addressed_to)
    congress = station.congress if station else addressed_to.congress
    region_code = station.region_code if station else addressed_to.congress.region.code
    if not channel:
        channel = CitizenOpinion.Channel.DEPUTY_PAGE if qr else CitizenOpinion.Channel.STATION_PAGE
    try:
        with transaction.atomic(), audit.acting_as(actor):
            opinion = CitizenOpinion.objects.create(
                station=station, addressed_to=addressed_to, congress=congress, region_code=region_code,
                reception=reception, channel=channel, citizen_name=citizen_name[:50], phone=phone,
                category=category, content=content, received_at=timezone.now(), submission_key=submission_key,
                recorded_by=actor if getattr(actor, "pk", None) else None,
                sms_wanted=sms_wanted and notifications.sms_available(),
            )  # fmt: skip
            for upload, content_type in checked:
                OpinionAttachment.objects.create(
                    opinion=opinion, file=upload, original_name=upload.name[:200], content_type=content_type,
                    size=upload.size,
                )  # fmt: skip
            workflow.start_triage_clock(opinion)
            notices.enqueue("opinion_received", opinion.pk)
            notices.enqueue_repeat_check(opinion.pk)
    except IntegrityError:
        existing = submission_key and (
            CitizenOpinion.objects.filter(phone_hash=crypto.phone_index(phone), submission_key=submission_key).first()
        )
        if existing:
            return existing
        raise
    return opinion


def record_opinion(*, actor, station_id: int, reception_id: int | None = None, **fields) -> CitizenOpinion:
    """A deputy or manager records an opinion heard at a reception."""
    station = Station.objects.select_related("congress").get(pk=station_id)
    deputy_here = Mandate.objects.filter(
        person__user=actor, status=MandateStatus.ACTIVE, stationings__station=station, stationings__end_date=None
    ).exists()
    if not (deputy_here or scope.can(actor, "liaison_stations.run_station", station)):
        raise Forbidden()
    reception = None
    if reception_id:
        reception = scope.referenced(Reception.objects.filter(station=station), reception_id, field="reception",
                                     message=_("Choose a reception day of this station."))  # fmt: skip
    return submit_opinion(station=station, actor=actor, reception=reception, channel=CitizenOpinion.Channel.RECEPTION,
                          **fields)  # fmt: skip


def track(code: str, phone_tail: str) -> CitizenOpinion | None:
    """A citizen follows an opinion with its code and the last four digits of the phone they gave."""
    code = (code or "").strip().upper()
    phone_tail = (phone_tail or "").strip()
    if len(code) < 6 or len(phone_tail) != 4 or not phone_tail.isdigit():
        return None
    return (
        CitizenOpinion.objects.select_related("station", "referred_unit")
        .filter(tracking_code=code, phone_tail=phone_tail)
        .first()
    )


def qr_code_for(*, actor, mandate: Mandate) -> DeputyQrCode:
    """The code of a deputy's own opinion page (made on first use)."""
    if mandate.person.user_id != actor.pk:
        scope.require(actor, "deputies.change_roster", mandate)
    return DeputyQrCode.objects.get_or_create(mandate=mandate)[0]
