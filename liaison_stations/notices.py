"""Who is told what after each station action, and the quarterly visit-quota reminder.

A service stores the notice in the outbox inside its transaction (enqueue); tasks.tell then writes the messages.
Every message has a key naming its event and record, so a retried task or a repeated sweep never sends it twice.

Citizens have no account, so congress.notifications (an inbox per user, delivered by e-mail or SMS to the user's
own phone) cannot reach them: the SMS a citizen asks for is its own outbox task (tasks.text_citizen), sent to the
phone stored with the opinion through the configured SMS backend (settings.SMS_BACKEND) and marked sent on the
opinion, so it goes out once."""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import notifications, outbox, sms
from congress.models import Role, RoleMembership, User

from .models import Attendance, CitizenOpinion, OpinionStatus, Reception, Route

log = logging.getLogger(__name__)


def enqueue(event: str, pk: int, **extra) -> None:
    """Store the notice of event on record pk in the outbox, in the caller's transaction: it is sent once that
    commits, and lost with it if it rolls back."""
    from . import tasks

    outbox.enqueue(tasks.tell, event, pk, **extra)


def enqueue_repeat_check(opinion_id: int) -> None:
    """Store, in the caller's transaction, the check whether a new opinion repeats an open one (repeats.py)."""
    from . import tasks

    outbox.enqueue(tasks.flag_repeat, opinion_id)


def enqueue_sms(opinion_id: int) -> None:
    """Store the citizen's SMS about opinion_id in the outbox, in the caller's transaction."""
    from . import tasks

    outbox.enqueue(tasks.text_citizen, opinion_id)


def tell(event: str, pk: int, **extra) -> int:
    """Send the messages of one event (tasks.tell runs this in a worker)."""
    if event in ("reception_published", "reception_cancelled"):
        return _reception(pk, event.removeprefix("reception_"))
    if event == "attendance_marked":
        return _attendance_marked(pk)
    if event == "opinion_received":
        return _opinion_received(pk)
    if event == "opinion_referred":
        return _opinion_referred(pk)
    if event == "opinion_taken_up":
        return _opinion_taken_up(pk)
    if event == "suggestion_settled":
        return _suggestion_settled(pk, extra["suggestion_id"], extra["outcome"])
    if event == "suggestion_replied":  # stored before the event was named for every outcome
        return _suggestion_settled(pk, extra["suggestion_id"], "replied")
    raise ValueError(f"unknown event {event!r}")


def _reception(reception_id: int, event: str) -> int:
    """The deputies on duty hear of a published reception day, and of its cancellation."""
    reception = Reception.objects.select_related("station").get(pk=reception_id)
    users = [m.person.user for m in reception.deputies.select_related("person__user") if m.person.user_id]
    when = f"{reception.date:%Y-%m-%d} {reception.start_time:%H:%M}-{reception.end_time:%H:%M}"
    if event == "published":
        title = _("You are on duty at %(station)s on %(when)s") % {"station": reception.station, "when": when}
    else:
        title = _("Reception day cancelled: %(station)s, %(when)s") % {"station": reception.station, "when": when}
    return notifications.send_once(
        f"reception:{reception.pk}:{event}", users, title, reception.topic, reception.station.get_absolute_url()
    )


def _attendance_marked(attendance_id: int) -> int:
    """The deputy recorded present is asked to confirm it on their page."""
    attendance = Attendance.objects.select_related("reception__station", "mandate__person__user").get(pk=attendance_id)
    user = attendance.mandate.person.user
    if user is None:
        return 0
    reception = attendance.reception
    title = _("%(station)s recorded you present at the reception day of %(date)s: please confirm") % {
        "station": reception.station,
        "date": f"{reception.date:%Y-%m-%d}",
    }
    body = _("Once you confirm, the visit enters your duty record; if you were not there, say so.")
    return notifications.send_once(
        f"attendance:{attendance.pk}:marked", [user], title, body, reverse("liaison_stations:mine") + "#attendance"
    )


def _station_managers(opinion: CitizenOpinion) -> list:
    return list(opinion.station.managers.filter(is_active=True)) if opinion.station_id else []


def _opinion_received(opinion_id: int) -> int:
    """The station's managers, and the deputy whose QR page it was left on."""
    opinion = CitizenOpinion.objects.select_related("station", "addressed_to__person").get(pk=opinion_id)
    users = _station_managers(opinion)
    if opinion.addressed_to_id and opinion.addressed_to.person.user_id:
        users.append(opinion.addressed_to.person.user)
    return notifications.send_once(
        f"opinion:{opinion.pk}:received",
        users,
        _("New citizen opinion %(code)s") % {"code": opinion.tracking_code},
        opinion.get_category_display(),
        opinion.get_absolute_url(),
    )


def _opinion_referred(opinion_id: int) -> int:
    """The officers of the unit it was referred to, with the date the reply is due."""
    opinion = CitizenOpinion.objects.select_related("referred_unit").get(pk=opinion_id)
    officers = RoleMembership.objects.filter(role=Role.UNIT_OFFICER, organisation=opinion.referred_unit).values_list(
        "user", flat=True
    )
    return notifications.send_once(
        f"opinion:{opinion.pk}:referred:{opinion.referred_unit_id}",
        User.objects.filter(pk__in=officers, is_active=True),
        _("Citizen opinion %(code)s referred to your unit") % {"code": opinion.tracking_code},
        _("Reply by %(date)s.") % {"date": opinion.referral_due.isoformat()},
        opinion.get_absolute_url(),
    )


def _opinion_taken_up(opinion_id: int) -> int:
    """The deputy who takes it up as a suggestion."""
    opinion = CitizenOpinion.objects.select_related("taken_up_by__person__user").get(pk=opinion_id)
    user = opinion.taken_up_by.person.user
    if user is None:
        return 0
    return notifications.send_once(
        f"opinion:{opinion.pk}:taken_up",
        [user],
        _("Citizen opinion %(code)s for you to take up as a suggestion") % {"code": opinion.tracking_code},
        opinion.content[:200],
        opinion.get_absolute_url(),
    )


def _suggestion_settled(opinion_id: int, suggestion_id: int, outcome: str) -> int:
    """The station's managers: the suggestion the opinion became has its outcome, so the citizen can be told."""
    opinion = CitizenOpinion.objects.select_related("station").get(pk=opinion_id)
    code = {"code": opinion.tracking_code}
    if outcome == "declined":
        title = _("The suggestion made from citizen opinion %(code)s was declined") % code
    elif outcome == "withdrawn":
        title = _("The suggestion made from citizen opinion %(code)s was withdrawn") % code
    else:
        title = _("The suggestion made from citizen opinion %(code)s has its reply") % code
    return notifications.send_once(
        f"opinion:{opinion.pk}:suggestion_{outcome}:{suggestion_id}",
        _station_managers(opinion),
        title,
        _("Give the citizen feedback to close the opinion."),
        opinion.get_absolute_url(),
    )


def sms_params(opinion: CitizenOpinion) -> dict:
    """The parameters of the citizen's text (the provider's template "opinion_result" gets these): the state of the
    suggestion made of the opinion and its replies' results, or the opinion's own result (answered on the spot,
    replied to by the responsible body, declined)."""
    from .selectors import suggestion_progress

    if opinion.route != Route.TO_SUGGESTION:
        return {"code": opinion.tracking_code, "state": str(OpinionStatus(opinion.status).label), "results": ""}
    progress = suggestion_progress(opinion)
    results = "；".join(answer.result for answer in progress.answers) if progress and progress.answers else ""
    return {"code": opinion.tracking_code, "state": str(progress.state) if progress else "", "results": results}


def sms_text(opinion: CitizenOpinion, values: dict | None = None) -> str:
    """What the citizen is texted once their opinion has its result: no reply text (the tracking page shows it),
    only the outcome and where to read more."""
    values = values or sms_params(opinion)
    if opinion.route != Route.TO_SUGGESTION:
        text = _(
            "Your opinion %(code)s has its result: %(state)s. Read it with the tracking code on the liaison station's website."  # noqa: E501
        )
    elif values["results"]:
        text = _(
            "Your opinion %(code)s was taken up by a deputy as a suggestion, which has been replied to (%(results)s). Follow it with the tracking code on the liaison station's website; the station will also contact you."  # noqa: E501
        )
    else:
        text = _(
            "Your opinion %(code)s was taken up by a deputy as a suggestion, which is now %(state)s. Follow it with the tracking code on the liaison station's website; the station will also contact you."  # noqa: E501
        )
    return text % values


def text_citizen(opinion_id: int) -> int:
    """Send the citizen the SMS they asked for, once: the opinion's row is locked, the text stored in the SMS outbox
    (congress.sms, which retries a provider's passing failure and records a permanent one) and the opinion marked
    in the same transaction, so a retried or repeated task finds it marked. Returns how many texts were queued."""
    with transaction.atomic():
        opinion = CitizenOpinion.objects.select_for_update().filter(pk=opinion_id).first()
        if opinion is None or not opinion.sms_wanted or opinion.sms_sent_at is not None:
            return 0
        if not notifications.sms_available():
            # Left unsent, not marked: a text asked for before the backend was removed goes once one is back.
            log.warning("SMS for opinion %s not sent: no SMS backend is configured", opinion_id)
            return 0
        params = sms_params(opinion)
        sms.queue(opinion.phone, "opinion_result", params, sms_text(opinion, params), congress=opinion.congress)
        opinion.sms_sent_at = timezone.now()
        opinion.save(update_fields=["sms_sent_at", "updated_at"])
    return 1


def visits_behind(key: str, rows) -> int:
    """Deputies behind their pro-rata station-visit quota, from rows of (user id, congress name, visits, quota,
    visits expected by the end of the quarter): one message per deputy and quarter, even for a deputy with mandates
    in several congresses."""
    # Translated once, not once per deputy: a quarter's sweep writes tens of thousands of these.
    title = _("Station visits behind schedule")
    text = _(
        "%(congress)s: %(visits)s of %(quota)s station visits this year; %(target)s expected by the end of this quarter."  # noqa: E501
    )
    merged: dict[int, tuple] = {}
    for user_id, congress_name, visits, quota, target in rows:
        body = text % {"congress": congress_name, "visits": visits, "quota": quota, "target": target}
        if user_id in merged:
            merged[user_id] = (user_id, title, merged[user_id][2] + "\n" + body, merged[user_id][3])
        else:
            merged[user_id] = (user_id, title, body, "/stations/mine/")
    return notifications.send_each(key, merged.values())


def duties_behind(key: str, rows) -> int:
    """Deputies behind their other duty quotas, from rows of (user id, congress name, [(quota, done, yearly or
    quarterly quota, expected by the end of the quarter)]): one message per deputy and quarter."""
    text = _("%(congress)s: %(done)s %(what)s %(per)s (quota %(quota)s); %(target)s due by the quarter's end.")
    per = {True: _("this quarter"), False: _("this year")}
    what: dict[str, str] = {}
    merged: dict[int, list] = {}
    for user_id, congress_name, lines in rows:
        for quota, done, wanted, target in lines:
            if quota.name not in what:
                what[quota.name] = str(quota.label)
            values = {"congress": congress_name, "done": done, "what": what[quota.name], "per": per[quota.quarterly],
                      "quota": wanted, "target": target}  # fmt: skip
            merged.setdefault(user_id, []).append(text % values)
    title = _("Deputy duties behind schedule")
    messages = [(user_id, title, "\n".join(lines), "/stations/mine/") for user_id, lines in merged.items()]
    return notifications.send_each(key, messages)
