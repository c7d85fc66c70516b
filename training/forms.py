"""Forms of the training pages and the console's course form. They parse input; the services check the rules."""

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import Level, Region

from .models import AttendanceStatus, Course


class CourseAdminForm(forms.ModelForm):
    """The course form of the console: levels as checkboxes and regions as division codes."""

    levels = forms.MultipleChoiceField(
        label=_("levels"), choices=Level.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: deputies of every level in the congress's region."),
    )  # fmt: skip
    regions = forms.CharField(
        label=_("regions"), required=False, max_length=2000,
        help_text=_("Division codes separated by spaces or commas (e.g. 440106 440117); empty: the whole region."),
    )  # fmt: skip

    class Meta:
        model = Course
        fields = [
            "congress", "plan", "title", "kind", "mode", "description", "organiser", "place", "link", "capacity",
            "hours_per_sitting", "self_enrolment", "sign_up_until", "levels", "regions", "audience_groups",
            "new_deputies_only",
        ]  # fmt: skip
        field_classes = {"link": partial(forms.URLField, assume_scheme="https")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].initial = self.instance.audience_levels or []
        self.fields["regions"].initial = " ".join(self.instance.audience_regions or [])

    def clean_regions(self):
        codes = [code for code in self.cleaned_data["regions"].replace(",", " ").split() if code]
        known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise forms.ValidationError(_("Unknown division codes: %(codes)s") % {"codes": ", ".join(unknown)})
        return codes

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk and capacity is not None and capacity < self.instance.taken:
            raise forms.ValidationError(
                _("%(n)s places are already taken; cancel enrolments before reducing the places below that.")
                % {"n": self.instance.taken}
            )
        return capacity

    def _post_clean(self):
        self.instance.audience_levels = self.cleaned_data.get("levels", [])
        self.instance.audience_regions = self.cleaned_data.get("regions", [])
        super()._post_clean()


class SignUpForm(forms.Form):
    mandate = forms.TypedChoiceField(label=_("as deputy of"), coerce=int)

    def __init__(self, *args, mandates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].choices = [(m.pk, m.congress.name) for m in mandates]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=500, required=False, widget=forms.TextInput)


class CancelCourseForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class NominateListForm(forms.Form):
    mandates = forms.TypedMultipleChoiceField(
        label=_("deputies"), coerce=int, widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )  # fmt: skip

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandates"].choices = [
            (m.pk, f"{m.person.name} · {m.congress.name}" + (f" · {m.group_names}" if m.group_names else ""))
            for m in candidates
        ]


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("check-in code"), max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "class": "code",
                                      "inputmode": "text"}),
    )  # fmt: skip


class AttendanceForm(forms.Form):
    """One radio row per confirmed deputy of the sitting."""

    def __init__(self, *args, roll, **kwargs):
        super().__init__(*args, **kwargs)
        self.roll = roll
        for enrolment in roll:
            mark = enrolment.mark
            self.fields[f"e{enrolment.pk}"] = forms.ChoiceField(
                label=enrolment.mandate.person.name, choices=AttendanceStatus.choices, required=False,
                widget=forms.RadioSelect, initial=mark.status if mark else None,
                disabled=bool(mark and mark.status == AttendanceStatus.PRESENT),
            )  # fmt: skip
            enrolment.field = f"e{enrolment.pk}"

    def marks(self) -> dict:
        return {
            int(name[1:]): value
            for name, value in self.cleaned_data.items()
            if value and not self.fields[name].disabled
        }

    def rows(self):
        for enrolment in self.roll:
            yield enrolment, self[enrolment.field]
