"""{{ entry|action_label }}: a history entry's action as a person reads it (congress.audit.action_label)."""

from django import template

from congress import audit

register = template.Library()


@register.filter
def action_label(entry) -> str:
    return audit.action_label(entry)
