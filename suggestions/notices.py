"""Who is told what after each suggestion action, the weekly supervision digest, and the daily overdue-units
digest to the offices' messaging groups.

Every message has a key naming its event, so a retried task or a repeated call never sends it twice."""

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import messaging, notifications
from congress.models import Congress, Role, RoleMembership, User

from .models import (
    Assignment,
    AssignmentStatus,
    CoSigner,
    CoSignerStatus,
    ExtensionRequest,
    KeySupervision,
    ReassignmentRequest,
    Reply,
    Suggestion,
    SupervisionNote,
)


def _users(ids):
    return User.objects.filter(pk__in=[pk for pk in ids if pk], is_active=True)


def _officers(unit_id):
    return _users(
        RoleMembership.objects.filter(role=Role.UNIT_OFFICER, organisation_id=unit_id).values_list("user_id", flat=True)
    )


def _staff(congress_id):
    return _users(
        RoleMembership.objects.filter(role=Role.STAFF, congress_id=congress_id).values_list("user_id", flat=True)
    )


def _group_leads(primary_id):
    return _users(
        Suggestion.objects.filter(Q(pk=primary_id) | Q(merged_into_id=primary_id)).values_list(
            "lead__person__user_id", flat=True
        )
    )


def _deputy(suggestion):
    return _users([suggestion.lead.person.user_id])


def _suggestion_event(event, suggestion):
    messages = {
        "submitted": (_staff(suggestion.congress_id), _("New suggestion submitted: %(s)s")),
        "entered": (_deputy(suggestion), _("A suggestion was entered in your name: %(s)s")),
        "accepted": (_deputy(suggestion), _("Your suggestion was accepted as %(s)s")),
        "returned": (_deputy(suggestion), _("Your suggestion was returned for revision: %(s)s")),
        "declined": (_deputy(suggestion), _("Your suggestion was not accepted: %(s)s")),
        "converted": (_deputy(suggestion), _("Your motion is handled as a suggestion: %(s)s")),
        "fell_short": (_deputy(suggestion), _("Your motion has too few co-signers and is back with you: %(s)s")),
    }
    recipients, title = messages[event]
    body = suggestion.review_comment or suggestion.get_decline_reason_display() or ""
    return recipients, title % {"s": suggestion}, body, suggestion.get_absolute_url()


# Invitations a deputy answers are texted too (their preference permitting); the rest goes to the inbox and e-mail.
TEXTED = {"cosign_invited"}


def tell(event: str, pk: int, **extra) -> int:
    key = f"suggestion:{event}:{pk}"
    if event in ("submitted", "entered", "accepted", "returned", "declined", "converted", "fell_short"):
        suggestion = Suggestion.objects.select_related("lead__person").get(pk=pk)
        key += f":{suggestion.updated_at.isoformat()}"  # returned twice is told twice
        recipients, title, body, link = _suggestion_event(event, suggestion)
    elif event == "cosign_invited":
        suggestion = Suggestion.objects.select_related("lead__person").get(pk=pk)
        cosigner = CoSigner.objects.filter(suggestion=suggestion, mandate_id=extra["mandate_id"]).first()
        if cosigner is None:
            return 0
        key += f":{cosigner.mandate_id}"
        recipients = _users([cosigner.mandate.person.user_id])
        title = _("%(name)s asks you to co-sign: %(title)s") % {
            "name": suggestion.lead.person, "title": suggestion.title}  # fmt: skip
        body, link = "", suggestion.get_absolute_url()
    elif event == "cosign_lapsed":
        suggestion = Suggestion.objects.select_related("lead__person").get(pk=pk)
        cosigner = CoSigner.objects.filter(suggestion=suggestion, mandate_id=extra["mandate_id"]).first()
        if cosigner is None:
            return 0
        key += f":{cosigner.mandate_id}"
        recipients = _users([cosigner.mandate.person.user_id])
        title = _("Accepted before you confirmed co-signing: %(s)s") % {"s": suggestion}
        body = _("%(name)s's suggestion was accepted while your co-signing was unconfirmed; you are not listed as a "
                 "co-signer.") % {"name": suggestion.lead.person}  # fmt: skip
        link = suggestion.get_absolute_url()
    elif event == "cosigners_lapsed":
        suggestion = Suggestion.objects.select_related("lead__person").get(pk=pk)
        names = CoSigner.objects.filter(suggestion=suggestion, status=CoSignerStatus.LAPSED).values_list(
            "mandate__person__name", flat=True
        )
        recipients = _deputy(suggestion)
        title = _("Co-signers who had not confirmed are not listed on %(s)s") % {"s": suggestion}
        body = _("Not confirmed when the office accepted it: %(names)s.") % {"names": "、".join(names)}
        link = suggestion.get_absolute_url()
    elif event in ("assigned", "rehandling", "disputed", "co_opinion"):
        assignment = Assignment.objects.select_related("suggestion", "unit").get(pk=pk)
        link = assignment.get_absolute_url()
        body = ""
        if event == "assigned":
            recipients = _officers(assignment.unit_id)
            title = _("Suggestion assigned to your unit (%(role)s): %(s)s") % {
                "role": assignment.get_role_display(), "s": assignment.suggestion}  # fmt: skip
            if assignment.reply_due and not assignment.answers:
                body = _("Opinion to the lead unit due on %(date)s.") % {"date": assignment.reply_due.isoformat()}
            elif assignment.reply_due:
                body = _("Reply due on %(date)s.") % {"date": assignment.reply_due.isoformat()}
        elif event == "rehandling":
            key += f":{assignment.replies.count()}"
            recipients = _officers(assignment.unit_id)
            title = _("The deputy is dissatisfied: handle again and reply anew: %(s)s") % {"s": assignment.suggestion}
        elif event == "disputed":
            recipients = _staff(assignment.congress_id)
            title = _("Dissatisfied a second time, for your decision: %(s)s") % {"s": assignment.suggestion}
        else:
            lead = (
                Assignment.objects.filter(
                    suggestion_id=assignment.suggestion_id, role="lead", status__in=list(AssignmentStatus)
                )
                .exclude(status=AssignmentStatus.RELEASED)
                .first()
            )
            recipients = _officers(lead.unit_id) if lead else _users([])
            title = _("%(unit)s sent its co-handling opinion: %(s)s") % {"unit": assignment.unit,
                                                                         "s": assignment.suggestion}  # fmt: skip
            body = assignment.co_opinion[:500]
    elif event == "replied":
        answer = Reply.objects.select_related("assignment__suggestion", "assignment__unit").get(pk=pk)
        recipients = _group_leads(answer.assignment.suggestion_id)
        title = _("%(unit)s replied to your suggestion: %(s)s") % {"unit": answer.assignment.unit,
                                                                    "s": answer.assignment.suggestion}  # fmt: skip
        body, link = _("Please give your feedback."), answer.assignment.get_absolute_url()
    elif event in ("reassignment_requested", "reassignment_decided"):
        request = ReassignmentRequest.objects.select_related("assignment__suggestion", "assignment__unit").get(pk=pk)
        assignment = request.assignment
        link = assignment.get_absolute_url()
        if event == "reassignment_requested":
            recipients = _staff(assignment.congress_id)
            title = _("%(unit)s asks to be released from %(s)s") % {"unit": assignment.unit, "s": assignment.suggestion}
            body = request.reason
        else:
            recipients = _officers(assignment.unit_id)
            title = _("Your request to be released was %(status)s: %(s)s") % {
                "status": request.get_status_display(), "s": assignment.suggestion}  # fmt: skip
            body = request.decision_note
    elif event in ("extension_requested", "extension_decided"):
        request = ExtensionRequest.objects.select_related("assignment__suggestion", "assignment__unit").get(pk=pk)
        assignment = request.assignment
        link = assignment.get_absolute_url()
        if event == "extension_requested":
            recipients = _staff(assignment.congress_id)
            title = _("%(unit)s asks for %(n)s more month(s) to reply: %(s)s") % {
                "unit": assignment.unit, "n": request.months, "s": assignment.suggestion}  # fmt: skip
            body = request.reason
        else:
            recipients = _officers(assignment.unit_id)
            title = _("Your extension request was %(status)s: %(s)s") % {
                "status": request.get_status_display(), "s": assignment.suggestion}  # fmt: skip
            body = _("Reply due on %(date)s.") % {"date": assignment.reply_due.isoformat()}
    elif event == "supervision_notice":
        note = SupervisionNote.objects.select_related("item").get(pk=pk)
        recipients = _officers(note.unit_id)
        title = _("Supervision notice on the key item %(item)s") % {"item": note.item}
        body, link = note.text, ""
    else:
        raise ValueError(f"unknown event {event!r}")
    channels = ("email", "sms") if event in TEXTED else ("email",)
    return notifications.send_once(key, recipients, title, body, link, channels=channels)


def supervision_digest(today=None) -> int:
    """One message a week to each supervising leader: their open items, with overdue counts."""
    today = today or timezone.localdate()
    year, week, _day = today.isocalendar()
    items = (
        KeySupervision.objects.filter(closed_at__isnull=True, leader__isnull=False)
        .annotate(
            total=Count("suggestions", distinct=True),
            overdue=Count(
                "suggestions__assignments",
                filter=Q(
                    suggestions__assignments__reply_due__lt=today,
                    suggestions__assignments__status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.RECEIVED],
                ),
                distinct=True,
            ),
            earliest=Min("suggestions__assignments__reply_due"),
        )
        .order_by("leader_id", "-overdue", "id")
    )
    by_leader: dict[int, list] = {}
    for item in items:
        by_leader.setdefault(item.leader_id, []).append(item)
    messages = []
    for leader_id, own in by_leader.items():
        lines = [
            _("%(title)s: %(total)s suggestion(s), %(overdue)s overdue")
            % {"title": item.title, "total": item.total, "overdue": item.overdue}  # fmt: skip
            for item in own
        ]
        title = _("Your key supervision items this week: %(n)s, %(overdue)s overdue") % {
            "n": len(own), "overdue": sum(item.overdue for item in own)}  # fmt: skip
        messages.append((leader_id, title, "\n".join(lines), ""))
    return notifications.send_each(f"supervision:digest:{year}-W{week:02d}", messages)


# Units named in a group's digest; the rest are summed up in one line (a chat message is read on a phone).
DIGEST_UNITS = 20


def overdue_units_digest(today=None) -> int:
    """Each day, to the messaging group of every congress office that has one (settings.MESSAGING_ROBOTS): the
    units whose replies are overdue, most first. Nothing when none is; once per group and day. Returns how many
    messages were stored."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from .selectors import overdue_q

    today = today or timezone.localdate()
    stored = 0
    codes = {code for config in messaging.robots().values() for code in (config.get("congresses") or [])}
    for congress in Congress.objects.filter(region__code__in=codes).select_related("region").order_by("pk"):
        rows = list(
            Assignment.objects.filter(overdue_q(today), congress=congress)
            .values("unit_id", "unit__name")
            .annotate(overdue=Count("pk"))
            .order_by("-overdue", "unit__name")
        )
        if not rows:
            continue
        total = sum(row["overdue"] for row in rows)
        name = messaging.plain(congress.name)
        title = _("%(congress)s: %(total)s overdue replies at %(units)s units (%(date)s)") % {
            "congress": name, "total": total, "units": len(rows), "date": today.isoformat()}  # fmt: skip
        lines = [f"- {messaging.plain(row['unit__name'])}: {row['overdue']}" for row in rows[:DIGEST_UNITS]]
        if len(rows) > DIGEST_UNITS:
            lines.append(_("- and %(count)s more units") % {"count": len(rows) - DIGEST_UNITS})
        link = reverse("suggestions:review") + "?" + urlencode({"overdue": "on"})
        with transaction.atomic():
            for robot in messaging.robots_for(congress):
                key = f"overdue-units:{robot}:{congress.pk}:{today.isoformat()}"
                stored += messaging.queue(robot, key=key, title=title, text="\n".join(lines), link=link) is not None
    return stored
