"""Resident ID numbers (居民身份证号码, GB 11643): format, birth date and check character."""

from datetime import date

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(value: str) -> str:
    """Validate an ID number and return it upper-cased; raise ValueError with a readable reason."""
    value = (value or "").strip().upper()
    if len(value) == 15:
        raise ValueError(_("Old 15-digit ID numbers are not accepted; use the 18-character number."))
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValueError(_("An ID number has 17 digits and a check digit or X (18 characters)."))
    try:
        birth_date(value)
    except ValueError as exc:
        raise ValueError(_("The ID number holds no valid birth date.")) from exc
    if check_char(value[:17]) != value[17]:
        raise ValueError(_("The ID number's check character is wrong."))
    return value


def birth_date(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def gender(value: str) -> str:
    """'M' for an odd sequence digit, 'F' for an even one."""
    return "M" if int(value[16]) % 2 else "F"


def mask(value: str) -> str:
    """4401**********123X: the division prefix and the last four stay readable."""
    if not value:
        return value
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    if not value or len(value) < 7:
        return value and "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def make(prefix6: str, born: date, sequence: int) -> str:
    """Build a valid ID number (demo data and tests)."""
    first17 = f"{prefix6}{born:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_char(first17)
