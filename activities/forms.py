"""Forms of the activity pages. They parse input; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AttendanceStatus, Expert, ExpertAnswer, ExpertPool


class ReportForm(forms.Form):
    report = forms.CharField(label=_("report"), max_length=50000, widget=forms.Textarea(attrs={"rows": 8}))
    findings = forms.CharField(
        label=_("findings"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One finding per line; they are numbered in this order."),
    )  # fmt: skip

    def finding_texts(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["findings"].splitlines() if line.strip()]


class DraftForm(forms.Form):
    """Turn a finding into a suggestion draft: the lead deputy, chosen among the participants."""

    lead = forms.TypedChoiceField(label=_("lead deputy"), coerce=int)

    def __init__(self, *args, leads, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["lead"].choices = [(m.pk, m.person.name) for m in leads]


class ReferralForm(forms.Form):
    """Refer a finding to a handling unit, to answer within working days."""

    unit = forms.TypedChoiceField(label=_("handling unit"), coerce=int)
    workdays = forms.IntegerField(label=_("working days to answer"), min_value=1, max_value=60, initial=15)

    def __init__(self, *args, units, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("the unit's answer"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("reason for declining"), max_length=500)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("check-in code"), max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "class": "code",
                                      "inputmode": "text"}),
    )  # fmt: skip


class AttendanceForm(forms.Form):
    """One radio row per accepted deputy of the sitting whom the user handles."""

    def __init__(self, *args, roll, **kwargs):
        super().__init__(*args, **kwargs)
        self.roll = roll
        for invitation in roll:
            mark = invitation.mark
            self.fields[f"i{invitation.pk}"] = forms.ChoiceField(
                label=invitation.mandate.person.name, choices=AttendanceStatus.choices, required=False,
                widget=forms.RadioSelect, initial=mark.status if mark else None,
            )  # fmt: skip
            invitation.field = f"i{invitation.pk}"

    def marks(self) -> dict:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if value}

    def rows(self):
        for invitation in self.roll:
            yield invitation, self[invitation.field]


class CorrectionForm(forms.Form):
    """A closed activity's attendance changes only this way: one deputy, the new mark, and why."""

    invitation = forms.TypedChoiceField(label=_("deputy"), coerce=int)
    status = forms.ChoiceField(label=_("attendance"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("reason"), max_length=500)

    def __init__(self, *args, roll, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitation"].choices = [(i.pk, i.mandate.person.name) for i in roll]


class VoterReportForm(forms.Form):
    """A deputy's report to voters and the voters' appraisal as counted at the meeting."""

    mandate = forms.TypedChoiceField(label=_("deputy"), coerce=int)
    text = forms.CharField(label=_("report to voters"), max_length=30000, widget=forms.Textarea(attrs={"rows": 6}))
    voters = forms.IntegerField(label=_("voters present"), min_value=0)
    satisfied = forms.IntegerField(label=_("satisfied"), min_value=0, initial=0)
    basically_satisfied = forms.IntegerField(label=_("basically satisfied"), min_value=0, initial=0)
    dissatisfied = forms.IntegerField(label=_("dissatisfied"), min_value=0, initial=0)

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].choices = [(m.pk, m.person.name) for m in deputies]


class ExpertPoolForm(forms.ModelForm):
    """A new pool of the congress's experts (法律专家库 …)."""

    class Meta:
        model = ExpertPool
        fields = ["name", "code", "position"]


class ExpertForm(forms.ModelForm):
    """An expert of the congress's pools; the pools offered are the congress's own."""

    pools = forms.ModelMultipleChoiceField(
        label=_("expert pools"), queryset=ExpertPool.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Expert
        fields = ["name", "pools", "expertise", "title", "work_unit", "phone", "email", "available", "note"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                   "email": forms.EmailInput(attrs={"autocomplete": "off"})}  # fmt: skip

    def __init__(self, *args, pools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pools"].queryset = pools
        if self.instance.pk:
            self.initial["pools"] = list(self.instance.pools.values_list("pk", flat=True))


class ExpertFilterForm(forms.Form):
    """The pool list's filters (sent with GET)."""

    pool = forms.ModelChoiceField(label=_("expert pool"), queryset=ExpertPool.objects.none(), required=False)
    field = forms.CharField(label=_("field of expertise"), max_length=50, required=False)
    q = forms.CharField(label=_("name or work unit"), max_length=50, required=False)
    archived = forms.BooleanField(label=_("archived experts"), required=False)

    def __init__(self, *args, pools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = pools


class ExpertAnswerForm(forms.Form):
    """The office records an invited expert's answer (experts have no account)."""

    answer = forms.ChoiceField(
        label=_("expert's answer"),
        choices=[(answer.value, answer.label) for answer in (ExpertAnswer.ACCEPTED, ExpertAnswer.DECLINED)],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("reason for declining"), max_length=500, required=False)
