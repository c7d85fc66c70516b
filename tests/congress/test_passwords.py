"""Passwords: at least 12 characters mixing at least three kinds of character, plus Django's own checks."""

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError

from congress.passwords import CharacterClassValidator, character_classes


def codes(password) -> set[str]:
    try:
        validate_password(password)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_a_long_mixed_password_passes():
    assert codes("Renda@2026-ok") == set()


def test_eleven_characters_are_too_few():
    assert "password_too_short" in codes("Rd@2026-ok!")


def test_two_kinds_of_character_are_too_few():
    assert codes("renda-congress-work") == {"password_too_uniform"}


@pytest.mark.parametrize(
    ("password", "kinds"),
    [("abc", 1), ("abcDEF", 2), ("abcDEF123", 3), ("abcDEF123!", 4), ("人大代表abc123", 3), ("ＡＢＣ", 1)],
)
def test_kinds_of_character(password, kinds):
    assert character_classes(password) == kinds


def test_the_rule_is_explained_on_the_forms():
    assert CharacterClassValidator(3).get_help_text() in password_validators_help_texts()


def test_the_demo_password_follows_the_rules_it_asks_of_everyone():
    from seeding.demo.congress import DEMO_PASSWORD

    validate_password(DEMO_PASSWORD)
