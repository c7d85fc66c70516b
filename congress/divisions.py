"""Administrative division codes (GB/T 2260): a code cut to its level's length is its path."""

from django.utils.translation import gettext as _

LENGTHS = {"country": 0, "province": 2, "city": 4, "county": 6, "township": 9, "village": 12}
ORDER = ["country", "province", "city", "county", "township", "village"]


def ancestors(code: str) -> list[str]:
    """The path codes of a division and every division above it (440106001 → 44, 4401, 440106, 440106001)."""
    return [code[:length] for length in (2, 4, 6, 9, 12) if length <= len(code)]


def parent_level(level: str) -> str | None:
    index = ORDER.index(level)
    return ORDER[index - 1] if index > 0 else None


def normalise(code: str, level: str) -> str:
    """Return the path code for a division code typed by staff (440100 → 4401 for a city)."""
    code = (code or "").strip()
    length = LENGTHS[level]
    if level == "country":
        if code not in ("", "0", "000000"):
            raise ValueError(_("The country has no division code; leave it empty."))
        return ""
    if not code.isdigit():
        raise ValueError(_("A division code has digits only."))
    if length < 6 and len(code) == 6:
        if code[length:] != "0" * (6 - length):
            raise ValueError(
                _("%(code)s is not a %(level)s code: a %(level)s code ends with %(zeros)s.")
                % {"code": code, "level": _(level), "zeros": "0" * (6 - length)}
            )
        code = code[:length]
    if len(code) != length:
        raise ValueError(
            _("A %(level)s code has %(digits)s digits (e.g. %(example)s).")
            % {"level": _(level), "digits": 6 if length < 6 else length, "example": EXAMPLES[level]}
        )
    if code[-2:] == "00" and level in ("province", "city", "county"):
        raise ValueError(_("%(code)s is not a valid division code.") % {"code": code})
    return code


def display_code(code: str, level: str) -> str:
    """The code as printed in the official tables (provinces and cities padded to six digits)."""
    if level in ("province", "city"):
        return code.ljust(6, "0")
    return code


EXAMPLES = {
    "province": "440000",
    "city": "440100",
    "county": "440106",
    "township": "440106001",
    "village": "440106001001",
}
