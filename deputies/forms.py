from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContactMode, EndReason, SuspensionReason


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Roster file (.xlsx)"))


class MandateActionForm(forms.Form):
    ACTIONS = [("end", _("End the mandate")), ("suspend", _("Suspend duties")), ("restore", _("Restore duties"))]

    action = forms.ChoiceField(label=_("action"), choices=ACTIONS)
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(
        label=_("reason"),
        choices=[("", "—"), (_("Ending"), EndReason.choices), (_("Suspension"), SuspensionReason.choices)],
        required=False,
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class AssignContactsForm(forms.Form):
    member = forms.ModelChoiceField(label=_("committee member"), queryset=None)


class ContactRecordForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(label=_("mode"), choices=ContactMode.choices)
    topic = forms.CharField(label=_("topic"), max_length=200)
    raised = forms.CharField(
        label=_("what the deputy raised"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
