from django.conf.locale.zh_Hans import formats as django_formats

from congress.formats import *  # noqa: F403 (the project's written forms, the same in every language)

FIRST_DAY_OF_WEEK = django_formats.FIRST_DAY_OF_WEEK
DECIMAL_SEPARATOR = django_formats.DECIMAL_SEPARATOR
THOUSAND_SEPARATOR = django_formats.THOUSAND_SEPARATOR
NUMBER_GROUPING = django_formats.NUMBER_GROUPING
# The written form first: a text input that shows a date (the console's) shows it as the pages write it.
DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in django_formats.DATE_INPUT_FORMATS if f != "%Y-%m-%d")]
TIME_INPUT_FORMATS = django_formats.TIME_INPUT_FORMATS
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    *(f for f in django_formats.DATETIME_INPUT_FORMATS if f != "%Y-%m-%d %H:%M"),
]
