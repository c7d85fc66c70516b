"""The suggestion panels of the staff dashboard: this session's states, and over all the work in hand on-time
replies, overdue units and satisfaction, from the aggregate views (`tallies.statistics`: a few hundred rows
whatever the number of suggestions), labelled with the time of their last refresh."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from congress.dashboard import Panel, Row, View

from . import tallies
from .models import Satisfaction

OVERDUE_UNITS_SHOWN = 10


def _review(**params) -> str:
    return reverse("suggestions:review") + "?" + urlencode({k: v for k, v in params.items() if v not in ("", None)})


def panels(view: View) -> list[Panel]:
    session = view.session
    stats = tallies.statistics(
        view.congress, session=session.pk if session else None, today=view.today, overdue_list=False
    )
    session_param = session.pk if session else ""
    period = str(session) if session else _("all sessions")
    # Timeliness, overdue work and satisfaction are about all the work in hand, whatever session it came from: a
    # suggestion made between sessions or at an earlier one is just as late (the review list's overdue filter
    # lists them all, and so must the panels that link to it).
    stats = {
        "session": stats,
        "all": tallies.statistics(view.congress, today=view.today, overdue_list=False) if session else stats,
    }
    statistics_url = reverse("suggestions:statistics") + "?" + urlencode({"congress": view.congress.pk})
    totals = stats["all"]["totals"]

    states = Panel(
        key="suggestion-states",
        title=_("Suggestions of %(period)s by state") % {"period": period},
        columns=[_("suggestions")],
        # States no suggestion is in are left out: a dozen zeros would hide the few that matter.
        rows=[
            Row(str(label), [count], _review(status=value, session=session_param))
            for value, label, count in stats["session"]["states"]
            if count
        ],  # fmt: skip
        summary=_("%(count)s submitted") % {"count": stats["session"]["submitted"]},
        link=_review(session=session_param),
        link_label=_("Review and assign"),
    )
    late = totals["replied"] - totals["on_time"]
    on_time = Panel(
        key="suggestion-on-time",
        title=_("Replies on time"),
        columns=[_("assignments")],
        rows=[
            Row(pgettext("reply timeliness", "replied on time"), [totals["on_time"]], statistics_url),
            Row(pgettext("reply timeliness", "replied late"), [late], statistics_url),
            Row(
                pgettext("reply timeliness", "overdue, no reply"),
                [totals["overdue"]],
                _review(overdue="on"),
            ),
        ],  # fmt: skip
        chart="doughnut",
        summary=_rate_text(_("On-time rate"), totals["on_time_rate"]),
        link=statistics_url,
        link_label=_("Suggestion statistics"),
    )
    overdue_units = sorted(
        (row for row in stats["all"]["units"] if row["overdue"]), key=lambda r: (-r["overdue"], r["unit__name"])
    )
    overdue = Panel(
        key="suggestion-overdue-units",
        title=_("Overdue replies by unit"),
        columns=[_("overdue"), _("assigned")],
        rows=[
            Row(
                row["unit__name"],
                [row["overdue"], row["total"]],
                _review(unit=row["unit_id"], overdue="on"),
            )
            for row in overdue_units[:OVERDUE_UNITS_SHOWN]
        ],  # fmt: skip
        chart="hbar",
        summary=_("%(suggestions)s suggestions overdue at %(count)s units")
        % {"suggestions": stats["all"]["overdue_suggestions"], "count": len(overdue_units)},
        link=_review(overdue="on"),
        link_label=_("All overdue suggestions"),
        empty=_("No reply is overdue."),
    )
    satisfaction = Panel(
        key="suggestion-satisfaction",
        title=_("Deputies' satisfaction with replies"),
        columns=[_("result"), _("attitude")],
        rows=[
            Row(str(Satisfaction.SATISFIED.label), [totals["satisfied"], totals["attitude_satisfied"]], statistics_url),
            Row(str(Satisfaction.BASICALLY.label), [totals["basically"], totals["attitude_basically"]], statistics_url),
            Row(
                str(Satisfaction.DISSATISFIED.label),
                [totals["dissatisfied"], totals["attitude_dissatisfied"]],
                statistics_url,
            ),
            # Silence is its own row: counted as satisfied only where the congress's policy says so.
            Row(_("no response"), [totals["no_response"], totals["no_response"]], statistics_url),
        ],  # fmt: skip
        chart="bar",
        summary=_("%(result)s; %(attitude)s")
        % {
            "result": _rate_text(_("Satisfaction with the result"), totals["satisfaction_rate"]),
            "attitude": _rate_text(_("with the attitude"), totals["attitude_rate"]),
        },  # fmt: skip
        link=statistics_url,
        link_label=_("Suggestion statistics"),
    )
    panels = [states, on_time, overdue, satisfaction]
    for panel in panels:
        panel.as_of = stats["all"]["as_of"]
    return panels


def _rate_text(label: str, rate) -> str:
    if rate is None:
        return _("%(label)s: no figures yet") % {"label": label}
    return _("%(label)s: %(rate)s%%") % {"label": label, "rate": rate}
