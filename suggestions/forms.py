"""Forms of the suggestion pages: they check the shape of the input; the rules live in services.py."""

import re

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.forms import NativeInputs
from congress.models import Session
from congress.params import as_identifier
from congress.uploads import MultipleFileField

from .models import (
    AssignmentStatus,
    Category,
    ContactMode,
    DeclineReason,
    KeySupervision,
    Kind,
    Result,
    Satisfaction,
    Status,
)
from .selectors import cosigner_region, find_units

BLANK = [("", "—")]
TEXTAREA = {"rows": 4}


def unit_choices(units) -> list:
    return [(u.pk, u.name) for u in units]


def unit_label(unit) -> str:
    """A unit's name with its region, which tells the many 教育局 of a province apart: 教育局（雁塔区）."""
    return f"{unit.name}（{unit.region.name}）"


class UnitSearchInput(forms.TextInput):
    """The text field of a unit search: static/suggestions/units.js offers the units found as the user types and
    puts the chosen one in the field's list; without script the form finds them when sent (UnitSearchForm)."""

    input_type = "search"
    template_name = "suggestions/widgets/unit_search.html"


class UnitSearchForm(forms.Form):
    """A form that names handling units by search, not by a list of every unit in reach (a province has
    thousands: issue 25). Each unit field `X` (a choice of ids) has a text field `X_q`. Its choices are only the
    units the request names, those chosen by id and those found for the text, all among `units` (the units the
    user may name), so an id out of reach is refused as any invalid choice is. The text decides when it names one
    unit (or one exactly); when it names several, they are offered to choose from."""

    unit_fields: dict[str, bool] = {}  # field name -> several units may be chosen
    SEPARATORS = re.compile(r"[、,，;；\n]+")

    def __init__(self, *args, units, search_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        self.found = {}
        for name, multiple in self.unit_fields.items():
            self._offer(name, multiple, search_url)

    def _terms(self, name, multiple) -> list[str]:
        text = (self.data.get(f"{name}_q") or "").strip() if self.is_bound else ""
        terms = self.SEPARATORS.split(text) if multiple else [text]
        return [term.strip() for term in terms if term.strip()]

    def _offer(self, name, multiple, search_url):
        ids = []
        if self.is_bound:
            ids = [pk for pk in map(as_identifier, self.data.getlist(name)) if pk][:50]
        chosen = list(self.units.filter(pk__in=ids).select_related("region")) if ids else []
        self.found[name] = {term: find_units(self.units, term) for term in self._terms(name, multiple)}
        offered = {unit.pk: unit for unit in chosen}
        for units in self.found[name].values():
            offered.update((unit.pk, unit) for unit in units if unit.pk not in offered)
        choices = [(pk, unit_label(unit)) for pk, unit in offered.items()]
        field = self.fields[name]
        field.choices = choices if multiple else BLANK + choices
        field.widget.attrs["class"] = "unit-choice"
        if not offered:
            field.widget.attrs["hidden"] = True
        self.fields[f"{name}_q"].widget.attrs.update(
            {"data-search": search_url, "data-select": self[name].auto_id, "data-multiple": "1" if multiple else ""}
        )

    def clean(self):
        cleaned = super().clean()
        for name, multiple in self.unit_fields.items():
            if multiple:
                self._resolve_several(name, cleaned)
            else:
                self._resolve_one(name, cleaned)
        return cleaned

    def _pick(self, name, term):
        """The one unit a text names, else None with the field's error said."""
        found = self.found[name].get(term, [])
        exact = [unit for unit in found if term in (unit.name, unit_label(unit))]
        candidates = exact if len(exact) == 1 else found
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            self.add_error(f"{name}_q", _("No unit you may choose is called “%(text)s”.") % {"text": term})
        else:
            labels = "、".join(unit_label(unit) for unit in candidates[:5])
            self.add_error(
                name,
                _("Several units match “%(text)s”: choose one of them or type its full name (%(labels)s).")
                % {"text": term, "labels": labels + ("…" if len(candidates) > 5 else "")},
            )
        return None

    def _resolve_one(self, name, cleaned):
        terms = self._terms(name, multiple=False)
        chosen = cleaned.get(name)
        if not terms or (chosen and self._names(name, terms[0], chosen)):
            return  # nothing typed, or the text still names the unit chosen from the list
        unit = self._pick(name, terms[0])
        cleaned[name] = unit.pk if unit else None

    def _resolve_several(self, name, cleaned):
        chosen = list(cleaned.get(name) or [])
        for term in self._terms(name, multiple=True):
            if any(self._names(name, term, pk) for pk in chosen):
                continue
            unit = self._pick(name, term)
            if unit is not None and unit.pk not in chosen:
                chosen.append(unit.pk)
        cleaned[name] = chosen

    def _names(self, name, term, pk) -> bool:
        """Whether the text is (part of) the label of the unit chosen by id."""
        return term in dict(self.fields[name].choices).get(pk, "")


def category_choices(categories) -> list:
    """Categories under their headings, in the order staff gave them (position, then name): a heading with
    subcategories becomes a group that offers the heading itself first, a heading alone is one option."""
    categories = list(categories)
    children = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    offered = {category.pk for category in categories}
    heads = {category.pk: category for category in categories if not category.parent_id}
    heads.update({c.parent_id: c.parent for c in categories if c.parent_id and c.parent_id not in heads})

    def order(category):
        return (category.congress_id, category.position, category.name)

    choices = list(BLANK)
    for head in sorted(heads.values(), key=order):
        below = sorted(children.get(head.pk, []), key=order)
        if not below:
            choices.append((head.pk, head.name))
            continue
        group = [(head.pk, head.name)] if head.pk in offered else []
        choices.append((head.name, group + [(c.pk, c.name) for c in below]))
    return choices


class ActionForm(forms.Form):
    """A form on the detail page: ids stay unique when the same form appears for several units."""

    def __init__(self, *args, key: str = "", **kwargs):
        kwargs.setdefault("auto_id", f"id_{key}_%s" if key else "id_%s")
        super().__init__(*args, **kwargs)


# The deputy's form


class CosignerSelect(forms.SelectMultiple):
    """The list of colleagues, with a search by name over it (static/suggestions/cosigners.js) that shows the
    chosen ones as removable chips; without script the list itself is the choice."""

    template_name = "suggestions/widgets/cosigners.html"
    search_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        return context


def cosigner_label(mandate) -> str:
    """A name with what tells namesakes apart: 罗桂英（天河区第一选区 · 广州市第一中学校长）."""
    details = [part for part in (cosigner_region(mandate), mandate.person.work_unit) if part]
    return f"{mandate.person.name}（{' · '.join(details)}）" if details else mandate.person.name


class SuggestionForm(forms.Form):
    """Title, content and the rest may stay empty in a draft; submitting checks them (services.submit)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.SUGGESTION, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    content = forms.CharField(
        label=_("Content"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("State the problem, the reasons and what you propose."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False)
    session = forms.ModelChoiceField(
        label=_("Made at"), queryset=Session.objects.none(), required=False, empty_label=_("between sessions")
    )
    delegation = forms.BooleanField(label=_("On behalf of my delegation"), required=False)
    delegation_votes_for = forms.IntegerField(
        label=_("Delegation members voting for"), min_value=0, max_value=32767, required=False,
        help_text=_("A delegation's motion needs more than half of all the delegation's members."),
    )  # fmt: skip
    delegation_members = forms.IntegerField(
        label=_("Delegation members in all"), min_value=1, max_value=32767, required=False
    )
    cosigners = forms.TypedMultipleChoiceField(
        label=_("Co-signers"),
        coerce=int,
        required=False,
        widget=CosignerSelect,
        help_text=_("Deputies of the same congress and term; each is asked to confirm."),
    )
    files = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("Up to 5 JPEG, PNG or PDF files of 5 MB each.")
    )

    def __init__(self, *args, mandate, candidates, sessions, suggestion=None, search_url="", **kwargs):
        if suggestion is not None:
            kwargs["initial"] = {
                "kind": suggestion.kind,
                "title": suggestion.title,
                "content": suggestion.content,
                "category": suggestion.category_id,
                "session": suggestion.session_id,
                "delegation": bool(suggestion.delegation_id),
                "delegation_votes_for": suggestion.delegation_votes_for,
                "delegation_members": suggestion.delegation_members,
                "cosigners": [c.mandate_id for c in suggestion.cosigners.all()],
            }
        super().__init__(*args, **kwargs)
        self.mandate = mandate
        current = suggestion.category_id if suggestion is not None else None
        categories = (
            Category.objects.filter(congress_id=mandate.congress_id)
            .filter(Q(is_active=True) | Q(pk=current))
            .select_related("parent")
        )
        self.fields["category"].queryset = categories
        self.fields["category"].choices = category_choices(categories)
        self.fields["session"].queryset = sessions
        self.offer_cosigners(candidates)
        self.fields["cosigners"].widget.search_url = search_url
        if not mandate.delegation_id:
            del self.fields["delegation"], self.fields["delegation_votes_for"], self.fields["delegation_members"]
        else:
            self.fields["delegation"].help_text = str(mandate.delegation)

    def offer_cosigners(self, candidates) -> None:
        """The colleagues the list offers. A posted form needs only those it names (each checked against the
        pool); the whole pool is loaded when the form is shown."""
        self.fields["cosigners"].choices = [(m.pk, cosigner_label(m)) for m in candidates]
        self.fields["cosigners"].widget.attrs["size"] = min(10, max(4, len(candidates)))

    def draft_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "kind": data["kind"],
            "title": data["title"].strip(),
            "content": data["content"],
            "category": data["category"],
            "session": data["session"],
            "delegation": self.mandate.delegation if data.get("delegation") else None,
        }
        on_behalf = bool(data.get("delegation"))
        fields["delegation_votes_for"] = data.get("delegation_votes_for") if on_behalf else None
        fields["delegation_members"] = data.get("delegation_members") if on_behalf else None
        return fields


# Actions on a suggestion


class WithdrawForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason for withdrawing"), max_length=2000, required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class ObjectForm(ActionForm):
    reason = forms.CharField(
        label=_("Why it should not be published"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )


class ReturnForm(ActionForm):
    comment = forms.CharField(label=_("What to revise"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))


class DeclineForm(ActionForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=BLANK + DeclineReason.choices)
    comment = forms.CharField(
        label=_("Comment to the deputy"), max_length=2000, required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class MergeForm(ActionForm):
    suggestions = forms.TypedMultipleChoiceField(label=_("Suggestions to merge into this one"), coerce=int)

    def __init__(self, *args, others, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggestions"].choices = [(s.pk, f"{s.number_label} {s.title}") for s in others]
        self.fields["suggestions"].widget.attrs["size"] = min(10, max(4, len(others)))


class AssignForm(ActionForm):
    LEAD, SEPARATE = "lead", "separate"
    mode = forms.ChoiceField(
        label=_("How"),
        choices=[(LEAD, _("to a lead unit with co-handling units")), (SEPARATE, _("separately to several units"))],
        initial=LEAD,
        widget=forms.RadioSelect,
    )
    lead = forms.TypedChoiceField(label=_("Lead unit"), coerce=int, required=False, empty_value=None)
    co_units = forms.TypedMultipleChoiceField(label=_("Co-handling units"), coerce=int, required=False)
    separate_units = forms.TypedMultipleChoiceField(label=_("Units assigned separately"), coerce=int, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        choices = unit_choices(units)
        self.fields["lead"].choices = BLANK + choices
        for name in ("co_units", "separate_units"):
            self.fields[name].choices = choices
            self.fields[name].widget.attrs["size"] = min(8, max(3, len(choices)))

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.LEAD and not data.get("lead"):
            self.add_error("lead", _("Choose the lead unit."))
        if data.get("mode") == self.SEPARATE and not data.get("separate_units"):
            self.add_error("separate_units", _("Choose the units."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        if data["mode"] == self.LEAD:
            return {"lead_id": data["lead"], "co_ids": data["co_units"]}
        return {"separate_ids": data["separate_units"]}


class BulkAssignForm(UnitSearchForm):
    unit_fields = {"lead": False, "co_units": True}

    ids = forms.TypedMultipleChoiceField(label=_("Suggestions"), coerce=int, widget=forms.MultipleHiddenInput)
    lead_q = forms.CharField(label=_("Lead unit"), max_length=200, required=False, widget=UnitSearchInput)
    lead = forms.TypedChoiceField(label=_("Units found for the lead"), coerce=int, required=False, empty_value=None)
    co_units_q = forms.CharField(
        label=_("Co-handling units"),
        max_length=1000,
        required=False,
        widget=UnitSearchInput,
        help_text=_("Several names may be separated by 、 or commas."),
    )
    co_units = forms.TypedMultipleChoiceField(label=_("Units found for co-handling"), coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Which suggestions may be assigned is the service's question; here any number is well formed.
        self.fields["ids"].choices = [(v, v) for v in self.data.getlist("ids") if as_identifier(v)] if self.data else []

    def clean_ids(self):
        ids = self.cleaned_data["ids"]
        if not ids:
            raise forms.ValidationError(_("Tick the suggestions to assign."))
        return ids

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("lead") and "lead" not in self.errors and "lead_q" not in self.errors:
            self.add_error("lead_q", _("Name the lead unit."))
        return cleaned


class PublishForm(ActionForm):
    override_objection = forms.BooleanField(label=_("Publish despite the deputy's objection"), required=False)
    note = forms.CharField(
        label=_("Why it is published anyway"), max_length=2000, required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class CloseForm(ActionForm):
    decision = forms.CharField(label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))


class FeedbackForm(ActionForm):
    reply = forms.IntegerField(widget=forms.HiddenInput)
    on_result = forms.ChoiceField(
        label=_("Satisfaction with the result"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    on_attitude = forms.ChoiceField(
        label=_("Satisfaction with the unit's attitude"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Required when you are dissatisfied: the unit handles it again."),
    )


# Actions of a unit on its assignment


class ReassignForm(ActionForm):
    reason = forms.CharField(
        label=_("Why it is not your unit's remit"), max_length=3000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    suggested_unit = forms.TypedChoiceField(
        label=_("Unit that should handle it"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggested_unit"].choices = BLANK + unit_choices(units)


class ContactForm(NativeInputs, ActionForm):
    date = forms.DateField(label=_("Date"), initial=timezone.localdate)
    mode = forms.ChoiceField(label=_("How"), choices=ContactMode.choices)
    summary = forms.CharField(label=_("What was said"), max_length=5000, widget=forms.Textarea(attrs=TEXTAREA))


class PlanForm(ActionForm):
    plan = forms.CharField(label=_("Handling plan"), max_length=5000, widget=forms.Textarea(attrs=TEXTAREA))


class CoOpinionForm(ActionForm):
    opinion = forms.CharField(
        label=_("Opinion for the lead unit"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ReplyForm(ActionForm):
    text = forms.CharField(label=_("Reply"), max_length=30000, widget=forms.Textarea(attrs={"rows": 10}))
    result = forms.ChoiceField(label=_("Result"))
    follow_up_plan = forms.CharField(
        label=_("Promised follow-up"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Required for category B or C."),
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    letter = forms.FileField(
        label=_("Signed letter (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("Not signed yet? Fill in the reply above and download the letter's draft to print and sign."),
    )

    def __init__(self, *args, results, draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = BLANK + [(r, Result(r).label) for r in results]
        if draft:  # the letter's draft is written before the signed letter exists
            self.fields["letter"].required = False


class ExtensionForm(ActionForm):
    months = forms.IntegerField(label=_("More months"), min_value=1, initial=1)
    reason = forms.CharField(label=_("Reason"), max_length=3000, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, room: int, **kwargs):
        # The form offers no more months than the congress's longest reply period leaves; the service checks again.
        super().__init__(*args, **kwargs)
        field = self.fields["months"]
        field.max_value = max(room, 1)
        field.validators.append(MaxValueValidator(field.max_value))
        field.widget.attrs["max"] = field.max_value


class SolvedForm(ActionForm):
    note = forms.CharField(label=_("How it was solved"), max_length=5000, widget=forms.Textarea(attrs=TEXTAREA))


class DecisionForm(ActionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("approve")), ("refuse", _("refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @property
    def approved(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class DecideReassignmentForm(DecisionForm):
    new_unit = forms.TypedChoiceField(
        label=_("Unit that handles it instead"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_unit"].choices = BLANK + unit_choices(units)


# Lists


def session_choices(sessions) -> list:
    return BLANK + [("between", _("between sessions"))] + [(str(s.pk), str(s)) for s in sessions]


class ReviewFilterForm(UnitSearchForm):
    unit_fields = {"unit": False}

    status = forms.ChoiceField(label=_("Status"), choices=BLANK + Status.choices, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + Kind.choices, required=False)
    session = forms.ChoiceField(label=_("Session"), required=False)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False, empty_value=None)
    unit_q = forms.CharField(label=_("Unit"), max_length=200, required=False, widget=UnitSearchInput)
    unit = forms.TypedChoiceField(label=_("Units found"), coerce=int, required=False, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    key = forms.BooleanField(label=_("Key supervision"), required=False)
    q = forms.CharField(label=_("Title, number or deputy"), max_length=100, required=False)

    def __init__(self, *args, sessions, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = session_choices(sessions)
        self.fields["category"].choices = category_choices(categories)


class UnitFilterForm(UnitSearchForm):
    """The unit portal's filter; an officer of several units may keep to one (named by search, as staff do)."""

    unit_fields = {"unit": False}

    status = forms.ChoiceField(
        label=_("Status"),
        choices=BLANK + [("open", _("open (owing a reply or opinion)"))] + AssignmentStatus.choices,
        required=False,
    )
    unit_q = forms.CharField(label=_("Unit"), max_length=200, required=False, widget=UnitSearchInput)
    unit = forms.TypedChoiceField(label=_("Units found"), coerce=int, required=False, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)


class StatisticsFilterForm(forms.Form):
    session = forms.ChoiceField(label=_("Session"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, sessions, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = session_choices(sessions)
        self.fields["year"].choices = BLANK + [(y, str(y)) for y in years]


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    category = forms.ChoiceField(label=_("Category"), required=False)
    unit = forms.TypedChoiceField(label=_("Handling unit"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years, categories, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = BLANK + [(y, str(y)) for y in years]
        self.fields["category"].choices = BLANK + [(name, name) for name in categories]
        self.fields["unit"].choices = BLANK + unit_choices(units)


# Key supervision


class KeyItemForm(forms.ModelForm):
    suggestions = forms.TypedMultipleChoiceField(label=_("Suggestions"), coerce=int, required=False)

    class Meta:
        model = KeySupervision
        fields = ["congress", "year", "title", "leader", "committee", "government_leader", "plan"]
        widgets = {"plan": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, congresses, leaders, committees, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        if self.instance.pk:
            self.fields["congress"].disabled = True
        else:
            # A new instance puts its empty values in self.initial, which would hide a field's initial.
            self.initial["year"] = self.initial.get("year") or timezone.localdate().year
            if len(congresses) == 1:
                self.initial["congress"] = congresses[0].pk
        self.fields["leader"].queryset = leaders
        self.fields["committee"].queryset = committees
        self.fields["suggestions"].choices = [(s.pk, f"{s.number_label} {s.title}") for s in suggestions]
        self.fields["suggestions"].widget.attrs["size"] = 10
        if self.instance.pk and not self.is_bound:
            self.initial["suggestions"] = [s.pk for s in self.instance.suggestions.all()]


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=5000, widget=forms.Textarea(attrs=TEXTAREA))
    unit = forms.TypedChoiceField(
        label=_("Send as a supervision notice to"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty for a progress note."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("nobody (progress note)"))] + unit_choices(units)


class CloseItemForm(forms.Form):
    report = forms.CharField(label=_("Supervision report"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))


class AssignmentLettersForm(NativeInputs, forms.Form):
    """Which batch of assignments, and in which format, the letters are wanted."""

    assigned_on = forms.DateField(label=_("assigned on"))
    session = forms.IntegerField(label=_("session"), required=False, min_value=1)
    format = forms.ChoiceField(label=_("format"), choices=[("docx", _(".docx files (zip)")), ("pdf", _("one PDF"))])


class SupervisionNoticeForm(NativeInputs, forms.Form):
    """What a supervision notice (督办通知) requires of the lead units, by when, and in which format."""

    requirements = forms.CharField(
        label=_("Requirements"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("One requirement a line; each becomes a paragraph of the notice."),
    )  # fmt: skip
    report_by = forms.DateField(label=_("Report the handling by"))
    format = forms.ChoiceField(label=_("format"), choices=[("docx", _(".docx (editable)")), ("pdf", _("PDF"))])

    def clean_report_by(self):
        day = self.cleaned_data["report_by"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose a day from today on."))
        return day


class ReminderLettersForm(forms.Form):
    """In which format the reminder letters to overdue units are wanted."""

    format = forms.ChoiceField(label=_("format"), choices=[("docx", _(".docx files (zip)")), ("pdf", _("one PDF"))])


DOCUMENT_FORMATS = [("docx", _(".docx")), ("pdf", _("PDF"))]


class SessionDocumentForm(forms.Form):
    """Which of a session's documents (its assignment list or its compilation of suggestions), in which format."""

    session = forms.TypedChoiceField(label=_("session"), coerce=int)
    document = forms.ChoiceField(
        label=_("document"),
        choices=[
            ("assignment_list", _("assignment list")),
            ("suggestion_compilation", _("compilation of suggestions")),
        ],
    )
    format = forms.ChoiceField(label=_("format"), choices=DOCUMENT_FORMATS)

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [(session.pk, str(session)) for session in sessions]


class ReplyCompilationForm(forms.Form):
    """The year whose published replies are compiled for disclosure, and the format."""

    year = forms.IntegerField(label=_("year published"), min_value=2000, max_value=2100)
    format = forms.ChoiceField(label=_("format"), choices=DOCUMENT_FORMATS)
