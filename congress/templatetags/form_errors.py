"""The summary of a refused form, shown at its top: what to correct, each item a link to its field, so an error
far down a long page on a phone is not missed. Every project form renders it (its shared field templates, and
Django's own form templates overridden in templates/django/forms/)."""

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


def _files(form) -> tuple[list, list]:
    """Files chosen for a refused form: those the page kept (form.kept_files: {field: [names]}, set by a view that
    saved them) and the fields whose files the browser forgets and must be chosen again."""
    kept = getattr(form, "kept_files", {}) or {}
    uploaded, again = [], []
    for name, field in form.fields.items():
        if not isinstance(field, forms.FileField):
            continue
        if kept.get(name):
            uploaded.extend(kept[name])
        elif hasattr(form.files, "getlist") and any(form.files.getlist(form.add_prefix(name))):
            again.append(str(field.label))
    return uploaded, again


def summary(form) -> dict | None:
    if not isinstance(form, forms.BaseForm) or not form.is_bound or not form.errors:
        return None
    items = [{"anchor": "", "text": str(message)} for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            if field.is_hidden or not field.label:
                items.append({"anchor": "", "text": str(message)})
            else:
                text = _("%(field)s: %(error)s") % {"field": field.label, "error": message}
                items.append({"anchor": field.id_for_label or field.auto_id or "", "text": text})
    uploaded, again = _files(form)
    return {"items": items, "uploaded": uploaded, "again": again}


@register.inclusion_tag("congress/_error_summary.html")
def error_summary(form):
    # The summary takes the focus when the page opens (autofocus: the browser honours the first on the page), so
    # a phone scrolls to it and a screen reader reads it.
    return {"summary": summary(form)}
