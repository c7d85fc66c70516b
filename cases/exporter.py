"""The final ranked list of a campaign as .xlsx: the same table as the results page."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import RoundKind


def round_columns(round_) -> list[tuple[str, str]]:
    """(label, entry attribute) pairs a round contributes to the results table."""
    if round_.kind == RoundKind.WEIGHTED:
        columns = [(_("panel score"), "panel_score"), (_("score"), "score")]
        if round_.public_vote:
            columns = [(_("online votes"), "online_votes"), (_("online score"), "online_score"), *columns]
        return columns
    if round_.kind == RoundKind.QUOTA:
        return [(_("recommendations"), "votes")]
    if round_.kind == RoundKind.APPROVAL:
        return [(_("approval"), "outcome")]
    return [(_("votes"), "votes")]


def _value(entry, attribute):
    if entry is None:
        return ""
    if attribute == "outcome":
        return str(entry.get_outcome_display())
    value = getattr(entry, attribute)
    return "" if value is None else (float(value) if not isinstance(value, int) else value)


def results_workbook(context: dict) -> bytes:
    """context is what selectors.final_list returns, plus the campaign."""
    campaign = context["campaign"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Results"))
    sheet.append([campaign.title, str(campaign.congress), campaign.year])
    header = [_("rank"), _("selected"), _("title"), _("unit"), _("deputy level"), _("deputies"), _("liaison station")]
    for round_ in context["rounds"]:
        header += [f"{round_.position}. {round_.name}: {label}" for label, _attr in round_columns(round_)]
    sheet.append(header)
    for row in context["rows"]:
        submission = row["submission"]
        line = [
            row["rank"], _("yes") if row["selected"] else _("no"), submission.title, submission.unit.name,
            str(submission.get_level_display()) if submission.level else "",
            "、".join(m.person.name for m in submission.mandates.all()),
            submission.station.name if submission.station_id else "",
        ]  # fmt: skip
        for round_, entry in zip(context["rounds"], row["entries"], strict=True):
            line += [_value(entry, attribute) for _label, attribute in round_columns(round_)]
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
