"""Password rules beyond Django's own validators (settings.AUTH_PASSWORD_VALIDATORS)."""

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


def character_classes(password: str) -> int:
    """How many of the four kinds of character the password uses: lowercase letters, capital letters, digits,
    and anything else (punctuation, symbols, Chinese characters)."""
    kinds = set()
    for char in password:
        if char.isdigit():
            kinds.add("digit")
        elif char.isupper():
            kinds.add("upper")
        elif char.islower():
            kinds.add("lower")
        else:
            kinds.add("other")
    return len(kinds)


class CharacterClassValidator:
    """A password mixes at least `min_classes` of the four kinds of character."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_uniform")

    def get_help_text(self):
        return ngettext(
            "Your password must mix at least %(count)d kind of character: lowercase letters, capital letters, "
            "digits, other symbols.",
            "Your password must mix at least %(count)d of these kinds of character: lowercase letters, capital "
            "letters, digits, other symbols.",
            self.min_classes,
        ) % {"count": self.min_classes}
