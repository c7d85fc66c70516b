"""The actions of the detail page, one registry each for a suggestion and for a unit's assignment.

An entry holds everything the page needs of an action: its panel's title, button and confirmation, the form it
takes (None: a plain button) and the one service it runs, returning the message shown afterwards. Adding an
action to the page means adding an entry here; who may take it, and when, is read from workflow.py's tables and
the scope rules (detail.py)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .. import forms, selectors, services
from ..models import RequestStatus


@dataclass(frozen=True)
class Ask:
    """What a form of an action is built from: who asks, about what, and the posted data (None: a blank form)."""

    user: object
    obj: object
    key: str
    data: object = None
    files: object = None


@dataclass(frozen=True)
class Action:
    title: str
    button: str
    run: Callable  # run(actor, obj, form) calls the service and returns the message to show
    confirm: str = ""
    form: Callable | None = None  # form(ask) -> the action's form, or None for a plain button
    multipart: bool = False


def _data(form) -> dict:
    return form.cleaned_data if form is not None else {}


def _units(obj):
    return selectors.handling_units_in([obj.region_code])


# A suggestion's actions, each running the service named in it.


def _submit(actor, suggestion, form):
    services.submit(actor=actor, suggestion_id=suggestion.pk)
    return _("Submitted to the congress office.")


def _withdraw(actor, suggestion, form):
    services.withdraw(actor=actor, suggestion_id=suggestion.pk, reason=_data(form)["reason"])
    return _("Withdrawn.")


def _object(actor, suggestion, form):
    services.object_to_disclosure(actor=actor, suggestion_id=suggestion.pk, reason=_data(form)["reason"])
    return _("Your objection to publication is recorded; the office sees it before publishing.")


def _accept(actor, suggestion, form):
    accepted = services.accept(actor=actor, suggestion_id=suggestion.pk)
    return _("Accepted as %(number)s.") % {"number": accepted.number_label}


def _return(actor, suggestion, form):
    services.return_for_revision(actor=actor, suggestion_id=suggestion.pk, comment=_data(form)["comment"])
    return _("Returned to the deputy for revision.")


def _decline(actor, suggestion, form):
    data = _data(form)
    services.decline(actor=actor, suggestion_id=suggestion.pk, reason=data["reason"], comment=data["comment"])
    return _("Declined; the deputy is told why.")


def _convert(actor, suggestion, form):
    services.convert_motion(actor=actor, suggestion_id=suggestion.pk)
    return _("The motion is now handled as a suggestion.")


def _merge(actor, suggestion, form):
    services.merge(actor=actor, primary_id=suggestion.pk, other_ids=_data(form)["suggestions"])
    return _("Merged.")


def _assign(actor, suggestion, form):
    services.assign(actor=actor, suggestion_id=suggestion.pk, **form.service_kwargs())
    return _("Assigned; the units are told.")


def _publish(actor, suggestion, form):
    data = _data(form)
    services.publish(actor=actor, suggestion_id=suggestion.pk, override_objection=data.get("override_objection", False),
                     note=data.get("note", ""))  # fmt: skip
    return _("Published.")


def _close(actor, suggestion, form):
    services.close(actor=actor, suggestion_id=suggestion.pk, decision=_data(form)["decision"])
    return _("Closed by decision.")


def _feedback(actor, suggestion, form):
    data = _data(form)
    services.give_feedback(actor=actor, suggestion_id=suggestion.pk, reply_id=data["reply"],
                           on_result=data["on_result"], on_attitude=data["on_attitude"],
                           comment=data["comment"])  # fmt: skip
    return _("Thank you for your feedback.")


def _publish_form(ask):
    # Only an objection needs a decision and a note; otherwise publishing is one button.
    return forms.PublishForm(ask.data, key=ask.key) if ask.obj.disclosure_objection else None


SUGGESTION_ACTIONS = {
    "submit": Action(gettext_lazy("Submit"), gettext_lazy("Submit to the congress office"), _submit),
    "withdraw": Action(gettext_lazy("Withdraw"), gettext_lazy("Withdraw"), _withdraw,
                       gettext_lazy("Withdraw this suggestion?"),
                       lambda ask: forms.WithdrawForm(ask.data, key=ask.key)),
    "object": Action(gettext_lazy("Object to publication"), gettext_lazy("Send the objection"), _object,
                     form=lambda ask: forms.ObjectForm(ask.data, key=ask.key)),
    "accept": Action(gettext_lazy("Accept"), gettext_lazy("Accept and give it a number"), _accept),
    "return": Action(gettext_lazy("Return for revision"), gettext_lazy("Return to the deputy"), _return,
                     form=lambda ask: forms.ReturnForm(ask.data, key=ask.key)),
    "decline": Action(pgettext_lazy("suggestion action", "Decline"), pgettext_lazy("suggestion action", "Decline"),
                      _decline, gettext_lazy("Decline this submission?"),
                      lambda ask: forms.DeclineForm(ask.data, key=ask.key)),
    "convert": Action(gettext_lazy("Convert the motion into a suggestion"), gettext_lazy("Convert"), _convert,
                      gettext_lazy("Handle this motion as a suggestion?")),
    "merge": Action(gettext_lazy("Merge suggestions on the same topic"), gettext_lazy("Merge"), _merge,
                    gettext_lazy("Merge the chosen suggestions into this one?"),
                    lambda ask: forms.MergeForm(ask.data, key=ask.key,
                                                others=selectors.merge_candidates(ask.user, ask.obj))),
    "assign": Action(gettext_lazy("Assign to units"), pgettext_lazy("suggestion action", "Assign"), _assign,
                     form=lambda ask: forms.AssignForm(ask.data, key=ask.key, units=_units(ask.obj))),
    "publish": Action(pgettext_lazy("suggestion action", "Publish"), pgettext_lazy("suggestion action", "Publish"),
                      _publish, gettext_lazy("Publish the suggestion and its replies?"), _publish_form),
    "close": Action(gettext_lazy("Close by decision"), gettext_lazy("Close"), _close,
                    gettext_lazy("Close the suggestion with this decision?"),
                    lambda ask: forms.CloseForm(ask.data, key=ask.key)),
    # Each reply to rate has its own form, keyed by the reply.
    "feedback": Action(gettext_lazy("Your feedback on the reply"), gettext_lazy("Send feedback"), _feedback,
                       form=lambda ask: forms.FeedbackForm(ask.data, key=ask.key)),
}  # fmt: skip


# A unit's actions on its assignment, and the staff's decisions on its requests.


def _pending(requests) -> int:
    pk = requests.filter(status=RequestStatus.PENDING).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404
    return pk


def _confirm_receipt(actor, assignment, form):
    services.confirm_receipt(actor=actor, assignment_id=assignment.pk)
    return _("Receipt confirmed.")


def _request_reassignment(actor, assignment, form):
    data = _data(form)
    services.request_reassignment(actor=actor, assignment_id=assignment.pk, reason=data["reason"],
                                  suggested_unit_id=data["suggested_unit"])  # fmt: skip
    return _("Request sent; the congress office decides.")


def _record_contact(actor, assignment, form):
    data = _data(form)
    services.record_contact(actor=actor, assignment_id=assignment.pk, on=data["date"], mode=data["mode"],
                            summary=data["summary"])  # fmt: skip
    return _("Contact recorded.")


def _save_plan(actor, assignment, form):
    services.save_plan(actor=actor, assignment_id=assignment.pk, plan=_data(form)["plan"])
    return _("Handling plan saved.")


def _co_opinion(actor, assignment, form):
    services.send_co_opinion(actor=actor, assignment_id=assignment.pk, opinion=_data(form)["opinion"])
    return _("Opinion sent to the lead unit.")


def _reply(actor, assignment, form):
    data = _data(form)
    services.reply(actor=actor, assignment_id=assignment.pk, text=data["text"], result=data["result"],
                   follow_up_plan=data["follow_up_plan"], letter=data["letter"],
                   contact_person=data["contact_person"], contact_phone=data["contact_phone"])  # fmt: skip
    return _("Reply sent; the deputy is asked for feedback.")


def _request_extension(actor, assignment, form):
    data = _data(form)
    services.request_extension(actor=actor, assignment_id=assignment.pk, months=data["months"], reason=data["reason"])
    return _("Extension requested; the congress office decides.")


def _report_solved(actor, assignment, form):
    services.report_solved(actor=actor, assignment_id=assignment.pk, note=_data(form)["note"])
    return _("Reported solved.")


def _decide_reassignment(actor, assignment, form):
    data = _data(form)
    services.decide_reassignment(actor=actor, request_id=_pending(assignment.reassignment_requests),
                                 approve=form.approved, note=data["note"], new_unit_id=data["new_unit"])  # fmt: skip
    return _("Decided.")


def _decide_extension(actor, assignment, form):
    services.decide_extension(actor=actor, request_id=_pending(assignment.extension_requests), approve=form.approved,
                              note=_data(form)["note"])  # fmt: skip
    return _("Decided.")


def _other_units(assignment):
    return [unit for unit in _units(assignment) if unit.pk != assignment.unit_id]


ASSIGNMENT_ACTIONS = {
    "confirm_receipt": Action(gettext_lazy("Confirm receipt"), gettext_lazy("Confirm receipt"), _confirm_receipt),
    "request_reassignment": Action(
        gettext_lazy("Ask to be released (re-assignment)"), gettext_lazy("Send the request"), _request_reassignment,
        gettext_lazy("Ask the congress office to release your unit from this suggestion?"),
        lambda ask: forms.ReassignForm(ask.data, key=ask.key, units=_other_units(ask.obj)),
    ),
    "record_contact": Action(gettext_lazy("Record a contact with the deputy"), gettext_lazy("Record"),
                             _record_contact, form=lambda ask: forms.ContactForm(ask.data, key=ask.key)),
    "save_plan": Action(gettext_lazy("Handling plan"), gettext_lazy("Save the plan"), _save_plan,
                        form=lambda ask: forms.PlanForm(ask.data, key=ask.key,
                                                        initial={"plan": ask.obj.handling_plan})),
    "co_opinion": Action(gettext_lazy("Co-handling opinion for the lead unit"), gettext_lazy("Send the opinion"),
                         _co_opinion, gettext_lazy("Send the opinion? Your unit's part then ends."),
                         lambda ask: forms.CoOpinionForm(ask.data, key=ask.key)),
    "reply": Action(gettext_lazy("Reply to the deputy"), gettext_lazy("Send the reply"), _reply,
                    gettext_lazy("Send this reply to the deputy?"),
                    lambda ask: forms.ReplyForm(ask.data, ask.files, key=ask.key,
                                                results=services.allowed_results(ask.obj.congress)),
                    multipart=True),
    "request_extension": Action(gettext_lazy("Ask for more time to reply"), gettext_lazy("Send the request"),
                                _request_extension, form=lambda ask: forms.ExtensionForm(ask.data, key=ask.key,
                                                                       room=services.extension_room(ask.obj))),
    "report_solved": Action(gettext_lazy("Report the matter solved"), gettext_lazy("Report solved"), _report_solved,
                            form=lambda ask: forms.SolvedForm(ask.data, key=ask.key)),
    "decide_reassignment": Action(
        gettext_lazy("Decide the request to be released"), gettext_lazy("Decide"), _decide_reassignment,
        form=lambda ask: forms.DecideReassignmentForm(ask.data, key=ask.key, units=_other_units(ask.obj)),
    ),
    "decide_extension": Action(gettext_lazy("Decide the extension request"), gettext_lazy("Decide"),
                               _decide_extension, form=lambda ask: forms.DecisionForm(ask.data, key=ask.key)),
}  # fmt: skip


def form_for(action: Action, ask: Ask):
    return action.form(ask) if action.form is not None else None
