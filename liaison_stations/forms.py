import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress import notifications
from congress.abuse import ChallengeForm
from congress.forms import NativeInputs
from congress.inputs import MobilePhoneField, TelInput
from congress.models import Organisation, OrganisationKind
from congress.uploads import MultipleFileField

from .models import Activity, Category, DeclineReason, Kind, Route, Tier


def new_key() -> str:
    return uuid.uuid4().hex


class OpinionFields(forms.Form):
    citizen_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = MobilePhoneField(
        label=_("Mobile phone"), help_text=_("We send the result to this number; it is never published.")
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    content = forms.CharField(label=_("Your opinion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        help_text=_("Up to 3 JPEG, PNG or PDF files of 5 MB each."),
    )
    sms_wanted = forms.BooleanField(
        label=_("Text me when my opinion has its result"),
        required=False,
        help_text=_(
            "One SMS when your opinion is answered, replied to by the responsible body or declined; if a deputy takes it up as a suggestion, when that suggestion is replied to, declined or withdrawn."  # noqa: E501
        ),
    )
    # A double-click posts the same key twice; the service returns the first opinion.
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64, initial=new_key)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Without an SMS backend that delivers, the citizen is not offered a text that would never come.
        if not notifications.sms_available():
            del self.fields["sms_wanted"]


class PublicOpinionForm(OpinionFields, ChallengeForm):
    pass


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=12)
    phone_tail = forms.CharField(
        label=_("Last four digits of your phone"), min_length=4, max_length=4,
        widget=TelInput(attrs={"inputmode": "numeric"}),
        error_messages={"min_length": _("Enter the last four digits."), "max_length": _("Enter the last four digits.")},
    )  # fmt: skip


class CheckInForm(NativeInputs, forms.Form):
    mandate = forms.TypedChoiceField(label=_("As deputy of"), coerce=int)
    station = forms.TypedChoiceField(label=_("Station"), coerce=int)
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    visited_at = forms.DateTimeField(label=_("Time"))
    citizens_received = forms.IntegerField(label=_("Citizens received"), min_value=0, max_value=10000, initial=0)
    topics = forms.CharField(label=_("Topics"), max_length=500, required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64, initial=new_key)

    def __init__(self, *args, mandates, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].choices = [(m.pk, str(m.congress)) for m in mandates]
        self.fields["station"].choices = [(s.pk, s.name) for s in stations]
        self.fields["visited_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        # One mandate, or the station of the QR code: nothing to choose, so the field is hidden and carries it.
        for name in ("mandate", "station"):
            choices = self.fields[name].choices
            if len(choices) == 1:
                self.fields[name].widget = forms.HiddenInput()
                self.fields[name].initial = choices[0][0]


class ReceptionForm(NativeInputs, forms.Form):
    date = forms.DateField(label=_("Date"))
    # "From" alone is the history's "old value"; a reception's start needs its own word.
    start_time = forms.TimeField(label=pgettext_lazy("start of a reception day", "From"))
    end_time = forms.TimeField(label=_("Until"))
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    deputies = forms.TypedMultipleChoiceField(label=_("Deputies on duty"), coerce=int)

    def __init__(self, *args, mandates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].choices = [(m.pk, f"{m.person.name}（{m.congress}）") for m in mandates]
        self.fields["deputies"].widget.attrs["size"] = min(10, max(3, len(mandates)))


class RecordReceptionForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Deputies present"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    citizens_received = forms.IntegerField(label=_("Citizens received"), min_value=0, max_value=100000)
    summary = forms.CharField(
        label=_("Summary"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, reception, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.pk, m.person.name) for m in reception.deputies.select_related("person")]


class MarkPresentForm(forms.Form):
    mandates = forms.TypedMultipleChoiceField(
        label=_("Deputies present"), coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("Each deputy is asked to confirm on their page; the visit counts once they do."),
    )  # fmt: skip

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandates"].choices = [(m.pk, f"{m.person.name}（{m.congress.name}）") for m in candidates]


class AttendanceAnswerForm(forms.Form):
    """The deputy's answer, given by the button they press."""

    answer = forms.ChoiceField(choices=[("confirm", _("I was present")), ("decline", _("I was not present"))])


class RecordOpinionForm(OpinionFields):
    pass


class TriageForm(forms.Form):
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, widget=forms.RadioSelect)
    answer = forms.CharField(
        label=_("Answer or note"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.ModelChoiceField(
        label=_("Responsible body"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.HANDLING_UNIT, is_active=True),
        required=False,
    )
    deputy = forms.TypedChoiceField(label=_("Deputy who takes it up"), coerce=int, required=False, empty_value=None)
    decline_reason = forms.ChoiceField(
        label=_("Reason declined"), choices=[("", "—"), *DeclineReason.choices], required=False
    )

    def __init__(self, *args, units, mandates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["deputy"].choices = [("", "—")] + [(m.pk, f"{m.person.name}（{m.congress}）") for m in mandates]


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback given to the citizen"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class UnitReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class NetworkFilterForm(forms.Form):
    """Stations by region name (a list of the regions that hold stations to pick from), kind, tier, stars or text.
    The name is resolved to its division codes here; a code still works, as older links carry one."""

    region = forms.CharField(label=_("Region"), max_length=100, required=False,
                             widget=forms.TextInput(attrs={"list": "region-names", "autocomplete": "off"}))  # fmt: skip
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Kind.choices], required=False)
    tier = forms.ChoiceField(label=_("Tier"), choices=[("", "—"), *Tier.choices], required=False)
    stars = forms.TypedChoiceField(
        label=_("At least stars"), choices=[("", "—")] + [(n, "★" * n) for n in range(1, 6)], coerce=int,
        required=False, empty_value=None,
    )  # fmt: skip
    q = forms.CharField(label=_("Name, address or district"), max_length=50, required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = list(regions)
        self.region_names = sorted({region.name for region in self.regions}, key=lambda name: name)

    def clean_region(self) -> list[str]:
        value = self.cleaned_data["region"].strip()
        if not value:
            return []
        if value.isdigit():
            return [value]
        codes = [region.code for region in self.regions if region.name == value]
        if not codes:
            raise forms.ValidationError(
                _("No station lies in a region called “%(name)s”. Choose a region from the list, or leave it empty."),
                params={"name": value},
            )
        return codes


class LedgerFilterForm(NativeInputs, forms.Form):
    from .models import OpinionStatus

    region = forms.CharField(label=_("Division code"), max_length=12, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *OpinionStatus.choices], required=False)
    open = forms.BooleanField(label=_("Not yet closed"), required=False)
    route = forms.ChoiceField(label=_("Route"), choices=[("", "—"), *Route.choices], required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices], required=False)
    received_from = forms.DateField(label=_("Received from"), required=False)
    received_to = forms.DateField(label=_("Received until"), required=False)
    code = forms.CharField(label=_("Tracking code"), max_length=12, required=False)


class StationRegionForm(forms.Form):
    station = forms.TypedChoiceField(label=_("Station"), coerce=int)
    region = forms.CharField(label=_("Deputies of congresses in division"), max_length=12)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [(s.pk, s.name) for s in stations]


class StationDeputiesForm(forms.Form):
    mandates = forms.TypedMultipleChoiceField(label=_("Deputies"), coerce=int)

    def __init__(self, *args, mandates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandates"].choices = [(m.pk, f"{m.person.name}（{m.congress}）") for m in mandates]


class EvaluationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name}（{criterion.weight}）", min_value=0, max_value=100
            )

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class StationLedgerForm(NativeInputs, forms.Form):
    """The period of a station's ledger (台账) and its format."""

    start = forms.DateField(label=_("Period from"))
    end = forms.DateField(label=_("Period until"))
    format = forms.ChoiceField(label=_("format"), choices=[("docx", _(".docx (editable)")), ("pdf", _("PDF"))])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data
