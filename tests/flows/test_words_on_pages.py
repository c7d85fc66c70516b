"""Every page a role may open reads as Chinese: no programmer words (None, True, opinion.referral, assignment #25,
view_personal_data), no English widget words (Choose all) and no programmer Chinese (该变量) in the text a person
sees. The pages are the permission matrix's GET rows (tests/flows/permission_matrix.py), each opened in zh-hans
by every role it allows, over the matrix's world (tests/flows/permission_world.py); console pages by one staff
role each. Only visible text counts: tags, scripts and attributes are left out."""

import re

import pytest
from django.utils import translation

from tests.visible import visible_text

from . import permission_matrix as pm
from .test_permission_matrix import _client, _django_db_helper, _url, world  # noqa: F401 - the matrix's world

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]  # fmt: skip  ("May" is left out: an English word too often inside a name)
# Whole words (not inside a longer Latin word or code) and phrases a page must not show. Deadline kinds are codes
# (opinion.referral); the policies' keys (opinion.referral_period) are shown to staff beside their labels on purpose.
WORDS = ["None", "True", "False", "Field", "create", "update", "delete", "view_personal_data", *MONTHS,
         "opinion.referral", "opinion.triage", "opinion.feedback", "suggestion.reply", "suggestion.assign"]  # fmt: skip
PHRASES = ["Choose all", "Remove all", "Audit log", "Model name", "assignment #", "opinion #", "suggestion #",
           "该变量", "这个字段", "不允许是用空字符串", "应用程序"]  # fmt: skip
UNTRANSLATED = re.compile(
    "|".join([*(rf"(?<![A-Za-z_.]){re.escape(word)}(?![A-Za-z_])" for word in WORDS), *map(re.escape, PHRASES)])
)
# Console pages that are not pages a person reads (data, files, redirects) or that only redirect.
CONSOLE_PAGES = ("_changelist", "_change", "_add", "_history", "_auditlog", "admin:index", "admin:area")
# The API's own browsable pages and schema are for developers, in English by design.
DEVELOPER_PAGES = ("api", "schema", "redoc", "swagger")


def _cells():
    for row in pm.table():
        if row.method != "GET" or row.kind == "api" or any(word in row.key for word in DEVELOPER_PAGES):
            continue
        roles = [role for role in pm.PERSON_ROLES if role in row.allow]
        if row.kind == "console":
            if not row.key.endswith(CONSOLE_PAGES) or row.variant:
                continue
            roles = [role for role in (pm.STAFF_A, pm.PROV) if role in roles][:1]
        for role in roles:
            yield pytest.param(row, role, id=f"{row.id}-{role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), list(_cells()))
def test_page_shows_no_untranslated_words(world, row, role):  # noqa: F811
    client = _client(world, row, role)
    with translation.override("zh-hans"):
        response = client.get(
            _url(row, world.o), row.query(world.o) if row.query else None, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        pytest.skip(f"not a page to read ({response.status_code} {response.get('Content-Type')})")
    text = visible_text(response.content.decode())
    found = sorted({match.group(0) for match in UNTRANSLATED.finditer(text)})
    context = [text[max(0, m.start() - 40) : m.end() + 40] for m in UNTRANSLATED.finditer(text)][:3]
    assert not found, f"{row.id} as {role} shows {found}: {context}"
