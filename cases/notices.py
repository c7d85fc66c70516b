"""Who is told what after a case-selection action. Every message has a key naming its event, so a retried task
or a repeated call never sends it twice."""

from django.urls import reverse
from django.utils.translation import gettext as _

from congress import notifications
from congress.models import Role, RoleMembership, User

from .models import Campaign, Round, Submission


def _users(ids):
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _officers(unit_ids):
    return _users(RoleMembership.objects.filter(role=Role.UNIT_OFFICER, organisation_id__in=unit_ids).values("user_id"))


def _staff(congress_id):
    return _users(RoleMembership.objects.filter(role=Role.STAFF, congress_id=congress_id).values("user_id"))


def tell(event: str, pk: int, **extra) -> int:
    if event == "announced":
        campaign = Campaign.objects.get(pk=pk)
        return notifications.send_once(
            f"cases:announced:{pk}", _officers(campaign.units.values("unit_id")),
            _("Cases invited: %(title)s") % {"title": campaign.title},
            _("Submit your unit's cases from %(start)s to %(end)s.")
            % {"start": campaign.submissions_open, "end": campaign.submissions_close},
            reverse("cases:unit"),
        )  # fmt: skip
    if event in ("return", "reject"):
        submission = Submission.objects.select_related("campaign").get(pk=pk)
        title = (
            _("Case returned for completion: %(title)s") if event == "return" else _("Case rejected: %(title)s")
        ) % {"title": submission.title}
        return notifications.send_once(
            f"cases:{event}:{pk}:{submission.updated_at.timestamp():.0f}", _officers([submission.unit_id]), title,
            submission.review_note, reverse("cases:submission", args=[pk]),
        )  # fmt: skip
    if event == "round_opened":
        round_ = Round.objects.select_related("campaign").get(pk=pk)
        return notifications.send_once(
            f"cases:round_opened:{pk}", _users(round_.voters.values("user_id")),
            _("Your vote is asked: %(round)s") % {"round": round_},
            _("Voting closes at %(end)s.") % {"end": round_.closes_at.strftime("%Y-%m-%d %H:%M")},
            reverse("cases:ballot", args=[pk]),
        )  # fmt: skip
    if event == "tie":
        round_ = Round.objects.select_related("campaign").get(pk=pk)
        return notifications.send_once(
            f"cases:tie:{pk}", _staff(round_.campaign.congress_id),
            _("A tie at the cut-off needs a decision: %(round)s") % {"round": round_}, "",
            reverse("cases:round", args=[pk]),
        )  # fmt: skip
    if event == "finished":
        campaign = Campaign.objects.get(pk=pk)
        return notifications.send_once(
            f"cases:finished:{pk}", _officers(campaign.units.values("unit_id")),
            _("Result published: %(title)s") % {"title": campaign.title}, "",
            reverse("cases:results", args=[pk]),
        )  # fmt: skip
    raise ValueError(event)
