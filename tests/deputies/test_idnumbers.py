from datetime import date

import pytest
from django.utils import translation

from deputies import idnumbers

VALID = "11010519491231002X"  # the standard's worked example


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_standard_example_is_valid():
    assert idnumbers.normalise(VALID) == VALID


def test_lowercase_x_is_stored_uppercase():
    assert idnumbers.normalise(VALID.lower()) == VALID


def test_wrong_check_character_is_rejected():
    with pytest.raises(ValueError, match="check"):
        idnumbers.normalise(VALID[:-1] + "1")


def test_old_fifteen_digit_numbers_are_rejected():
    with pytest.raises(ValueError, match="15"):
        idnumbers.normalise("110105491231002")


def test_impossible_birth_date_is_rejected():
    first17 = "44010619800230001"
    with pytest.raises(ValueError, match="birth"):
        idnumbers.normalise(first17 + idnumbers.check_char(first17))


def test_birth_date_and_gender_are_read_from_the_number():
    assert idnumbers.birth_date(VALID) == date(1949, 12, 31)
    assert idnumbers.gender(VALID) == "F"


def test_mask_keeps_division_prefix_and_last_four():
    assert idnumbers.mask("44010619801231123X") == "4401**********123X"


def test_phone_mask():
    assert idnumbers.mask_phone("13912345678") == "139****5678"
