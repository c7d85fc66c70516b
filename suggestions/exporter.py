"""Suggestion statistics as .xlsx: the same tables as the statistics page, one sheet each."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook


def _rate(value):
    return "" if value is None else value


def statistics_workbook(stats: dict, *, congress) -> bytes:
    """stats is what tallies.statistics (or selectors.statistics) returns."""
    book = Workbook(write_only=True)

    states = book.create_sheet(_("By state"))
    # Figures read from the aggregate views are as of their refresh; computed live, as of today.
    as_of = timezone.localtime(stats["as_of"]).strftime("%Y-%m-%d %H:%M") if stats.get("as_of") else None
    states.append([str(congress), _("as of %(date)s") % {"date": as_of or stats["today"].isoformat()}])
    states.append([_("status"), _("suggestions")])
    for _value, label, count in stats["states"]:
        states.append([str(label), count])
    states.append([_("submitted in all"), stats["submitted"]])

    units = book.create_sheet(_("By unit"))
    units.append([
        _("handling unit"), _("assigned"), _("to reply"), _("replied"), _("replied on time"), _("overdue"),
        _("on-time rate (%)"), _("face-to-face rate (%)"), _("rated"), _("satisfied"), _("basically satisfied"),
        _("dissatisfied"), _("satisfaction rate (%)"), _("attitude: satisfied"), _("attitude: basically satisfied"),
        _("attitude: dissatisfied"), _("attitude satisfaction rate (%)"), _("no response"),
    ])  # fmt: skip
    for row in [*stats["units"], {**stats["totals"], "unit__name": _("total")}]:
        units.append([
            row["unit__name"], row["total"], row["answering"], row["replied"], row["on_time"], row["overdue"],
            _rate(row["on_time_rate"]), _rate(row["face_to_face_rate"]), row["rated"], row["satisfied"],
            row["basically"], row["dissatisfied"], _rate(row["satisfaction_rate"]), row["attitude_satisfied"],
            row["attitude_basically"], row["attitude_dissatisfied"], _rate(row["attitude_rate"]), row["no_response"],
        ])  # fmt: skip

    categories = book.create_sheet(_("By category"))
    categories.append([_("category"), _("suggestions")])
    for row in stats["categories"]:
        categories.append([row["category__name"] or _("no category"), row["n"]])

    overdue = book.create_sheet(_("Overdue"))
    overdue.append([_("number"), _("title"), _("handling unit"), _("role"), _("status"), _("reply due")])
    for assignment in stats["overdue"]:
        suggestion = assignment.suggestion
        overdue.append([
            suggestion.number_label, suggestion.title, assignment.unit.name, str(assignment.get_role_display()),
            str(assignment.get_status_display()), assignment.reply_due.isoformat() if assignment.reply_due else "",
        ])  # fmt: skip

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
