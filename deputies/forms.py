from django import forms
from django.utils.translation import gettext_lazy as _

from congress.forms import NativeInputs
from congress.inputs import TelInput
from congress.models import Level

from .models import ContactMode, EndReason, SuspensionReason


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Roster file (.xlsx)"))


class MandateActionForm(NativeInputs, forms.Form):
    ACTIONS = [("end", _("End the mandate")), ("suspend", _("Suspend duties")), ("restore", _("Restore duties"))]

    action = forms.ChoiceField(label=_("action"), choices=ACTIONS)
    date = forms.DateField(label=_("date"))
    reason = forms.ChoiceField(
        label=_("reason"),
        choices=[("", "—"), (_("Ending"), EndReason.choices), (_("Suspension"), SuspensionReason.choices)],
        required=False,
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class AssignContactsForm(forms.Form):
    member = forms.ModelChoiceField(label=_("committee member"), queryset=None)


class ContactRecordForm(NativeInputs, forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("date"))
    mode = forms.ChoiceField(label=_("mode"), choices=ContactMode.choices)
    topic = forms.CharField(label=_("topic"), max_length=200)
    raised = forms.CharField(
        label=_("what the deputy raised"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class PersonForm(NativeInputs, forms.ModelForm):
    class Meta:
        from .models import Person

        model = Person
        fields = [
            "name", "gender", "ethnic_group", "birth_date", "id_number", "party", "education", "occupation",
            "work_unit", "tags", "grassroots", "returned_overseas", "phone", "address",
        ]  # fmt: skip
        widgets = {
            "phone": TelInput(attrs={"autocomplete": "off"}),
        }


class SeatForm(NativeInputs, forms.ModelForm):
    """The first mandate of a new deputy; choices are limited to the user's own congresses."""

    class Meta:
        from .models import Mandate

        model = Mandate
        fields = ["congress", "term", "electoral_unit", "delegation", "start_date"]

    groups = forms.ModelMultipleChoiceField(label=_("deputy groups"), queryset=None, required=False)

    def __init__(self, *args, congress_ids=(), **kwargs):
        from .models import DeputyGroup

        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = self.fields["congress"].queryset.filter(pk__in=congress_ids)
        self.fields["groups"].queryset = DeputyGroup.objects.live()
        for name in ("term", "electoral_unit", "delegation", "groups"):
            self.fields[name].queryset = self.fields[name].queryset.filter(congress_id__in=congress_ids)


class PublicRosterForm(forms.Form):
    q = forms.CharField(label=_("District, constituency or name"), max_length=50, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *Level.choices], required=False)


class GroupForm(NativeInputs, forms.ModelForm):
    """A deputy group of one of the user's congresses; once made, it stays in its congress and term."""

    class Meta:
        from .models import DeputyGroup

        model = DeputyGroup
        fields = ["congress", "term", "name", "kind", "remit"]

    def __init__(self, *args, congress_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["congress"], self.fields["term"]
        else:
            self.fields["congress"].queryset = self.fields["congress"].queryset.filter(pk__in=congress_ids)
            self.fields["term"].queryset = self.fields["term"].queryset.filter(congress_id__in=congress_ids)


class GroupRoleForm(NativeInputs, forms.Form):
    from .models import GroupRole

    role = forms.ChoiceField(label=_("role"), choices=GroupRole.choices)


class GroupKindForm(forms.Form):
    """The group list's filters (GET)."""

    from .models import GroupKind

    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *GroupKind.choices], required=False)
    term = forms.TypedChoiceField(label=_("term"), coerce=int, choices=[], required=False, empty_value=None)
    q = forms.CharField(label=_("name"), max_length=50, required=False)

    def __init__(self, *args, terms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [("", "—"), *((t.pk, f"{t.congress.name} · {t.number}") for t in terms)]
