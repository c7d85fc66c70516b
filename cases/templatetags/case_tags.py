from django import template

from ..exporter import _value, round_columns

register = template.Library()


@register.filter
def columns(round_):
    """The (label, attribute) pairs a round shows in the results table."""
    return round_columns(round_)


@register.filter
def cells(row, rounds):
    """A results row's figures, round by round, blank where the case did not reach the round."""
    values = []
    for round_, entry in zip(rounds, row["entries"], strict=True):
        values += [_value(entry, attribute) if entry is not None else "" for _label, attribute in round_columns(round_)]
    return values
