"""What every form of the project's pages shares: dates and times in the browser's own pickers.

A phone opens its date wheel for `<input type=date>`, `time` and `datetime-local`; those inputs read and write one
format only (2026-12-06, 09:30, 2026-12-06T09:30), whatever the page's language, so an edit form shows the stored
value again. The mixin swaps the widget of every date, time and date-time field, declared or from a model; the
console keeps Django's admin widgets. tests/congress/test_native_inputs.py finds any page form without it."""

from django import forms
from django.utils.translation import gettext_lazy as _

NATIVE = (
    (forms.DateTimeField, forms.DateTimeInput, "datetime-local", "%Y-%m-%dT%H:%M"),
    (forms.DateField, forms.DateInput, "date", "%Y-%m-%d"),
    (forms.TimeField, forms.TimeInput, "time", "%H:%M"),
)


def native_widget(field: forms.Field) -> None:
    if field.widget.is_hidden:
        return
    for kind, widget, input_type, fmt in NATIVE:
        if isinstance(field, kind):
            field.widget = widget(attrs={**field.widget.attrs, "type": input_type}, format=fmt)
            return


class NativeInputs:
    """Mix into a Form or ModelForm (before the Django class) for native date and time inputs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            native_widget(field)


class TopicRenameForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, required=False, help_text=_("Leave empty to use the computed name.")
    )


class TopicMergeForm(forms.Form):
    """Merge a topic into another of the same congress; only topics the user sees are offered."""

    into = forms.ModelChoiceField(label=_("Merge into"), queryset=None)
    confirm = forms.BooleanField(
        label=_("I understand that this topic's items will count under the chosen topic from now on."), required=True
    )

    def __init__(self, *args, user, topic, **kwargs):
        super().__init__(*args, **kwargs)
        from . import scope
        from .models import Topic

        self.fields["into"].queryset = (
            scope.visible(user, Topic)
            .filter(congress_id=topic.congress_id, merged_into__isnull=True, item_count__gt=0)
            .exclude(pk=topic.pk)
            .order_by("-item_count", "pk")
        )
