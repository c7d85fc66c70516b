"""The opinion ledger (台账) as .xlsx: every opinion with its route, dates and status."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from deputies import idnumbers

from .models import CitizenOpinion

# A larger download is better cut down with the filters (region, dates) than built in one request.
MAX_ROWS = 100_000


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def ledger_header() -> list[str]:
    return [
        _("tracking code"), _("station"), _("received at"), _("channel"), _("category"), _("name"), _("mobile phone"),
        _("opinion"), _("route"), _("responsible body"), _("reply due"), _("unit replied at"), _("answer"),
        _("feedback to the citizen"), _("feedback given at"), _("status"),
    ]  # fmt: skip


def ledger_rows(opinions, *, unmasked: bool = False):
    """One row per opinion, in ledger_header's columns; the console's export of selected rows writes these too."""
    for item in opinions.select_related("station", "referred_unit").iterator(chunk_size=2000):
        yield [
            item.tracking_code, item.station.name if item.station_id else "", _when(item.received_at),
            str(item.get_channel_display()), str(item.get_category_display()), item.citizen_name,
            item.phone if unmasked else idnumbers.mask_phone(item.phone), item.content,
            str(item.get_route_display()) if item.route else "",
            item.referred_unit.name if item.referred_unit_id else "",
            item.referral_due.isoformat() if item.referral_due else "", _when(item.unit_replied_at),
            item.unit_reply or item.answer, item.feedback, _when(item.feedback_at), str(item.get_status_display()),
        ]  # fmt: skip


def ledger_workbook(opinions, *, unmasked: bool = False) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Opinion ledger"))
    sheet.append(ledger_header())
    for written, row in enumerate(ledger_rows(opinions, unmasked=unmasked)):
        if written == MAX_ROWS:
            sheet.append([_("Only the first %(n)s rows: narrow the filters to export the rest.") % {"n": MAX_ROWS}])
            break
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def console_rows(opinions, user):
    """The console's Export action on opinions (congress.exports): the ledger's columns, phones masked unless user
    may see them."""
    from congress import personal_data, scope

    unmasked = scope.can(user, "liaison_stations.view_citizen_phone", None)
    if unmasked:
        personal_data.seen_many(user, CitizenOpinion, opinions.values_list("pk", flat=True), "export")
    return ledger_header(), ledger_rows(opinions, unmasked=unmasked)
