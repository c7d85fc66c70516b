"""History entries as a person reads them.

{{ entry|action_label }}: the action (congress.audit.action_label).
{{ entry|history_changes }}: the changed fields as a table of field, old value and new value, with the fields'
verbose names, choices by their labels and empty, true and false values in words, instead of django-auditlog's
English headers and Python's None/True/False."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from congress import audit

register = template.Library()

# How auditlog stores values it has no better text for (str() of the Python value).
_WORDS = {
    "None": lambda: _("(empty)"),
    "": lambda: _("(empty)"),
    "True": lambda: _("Yes"),
    "False": lambda: _("No"),
}


@register.filter
def action_label(entry) -> str:
    return audit.action_label(entry)


def _value(value) -> str:
    text = str(value)
    word = _WORDS.get(text)
    return word() if word else text


def _displayed(entry) -> dict:
    """Field label -> [old, new], leaving out the reverse relations auditlog lists on a creation
    ("congress.Region.None"): they are other records' fields, not this one's."""
    model = entry.content_type.model_class()
    if model is None:  # the model is gone: the stored names and values are all there is
        return entry.changes_dict
    display = entry.changes_display_dict
    out = {}
    for name, values in entry.changes_dict.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            out[name] = values
            continue
        if field.auto_created and not field.concrete:
            continue
        label = str(getattr(field, "verbose_name", name))
        out[label] = display.get(label, display.get(getattr(field, "verbose_name", name), values))
    return out


@register.filter
def history_changes(entry) -> str:
    if entry.action in (entry.Action.DELETE, entry.Action.ACCESS) or not entry.changes_dict:
        return format_html('<span class="no-changes">{}</span>', _("No field changes"))
    changes = _displayed(entry)
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (field, _value(values[0]), _value(values[1]) if len(values) > 1 else "")
            for field, values in changes.items()
            if isinstance(values, list | tuple) and values
        ),
    )
    return format_html(
        "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
        pgettext("history", "Field"),
        pgettext("history", "From"),
        pgettext("history", "To"),
        rows,
    )
