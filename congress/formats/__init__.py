"""Dates are written one way on every page, in both languages: 2026-12-06 and 2026-12-06 09:30 (the way most of
the project's pages and documents already wrote them, and the way the browser's date inputs read them). Django's
locale formats would otherwise write 2026年12月6日 wherever a page leaves the format to the language."""

DATE_FORMAT = SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "m-d"
YEAR_MONTH_FORMAT = "Y-m"

__all__ = ["DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT",
           "TIME_FORMAT", "YEAR_MONTH_FORMAT"]  # fmt: skip
