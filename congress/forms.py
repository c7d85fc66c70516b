"""What every form of the project's pages shares: dates and times in the browser's own pickers.

A phone opens its date wheel for `<input type=date>`, `time` and `datetime-local`; those inputs read and write one
format only (2026-12-06, 09:30, 2026-12-06T09:30), whatever the page's language, so an edit form shows the stored
value again. The mixin swaps the widget of every date, time and date-time field, declared or from a model; the
console keeps Django's admin widgets. tests/congress/test_native_inputs.py finds any page form without it."""

from django import forms

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
