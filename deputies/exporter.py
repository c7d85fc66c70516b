"""Any filtered roster list as .xlsx, in the import template's columns (so it can be edited and re-imported)."""

import io

from openpyxl import Workbook

from . import idnumbers
from .importer import HEADERS
from .models import Education, Gender, Occupation, Person

LEVEL_NAMES = {
    "national": "全国",
    "provincial": "省级",
    "municipal": "设区的市级",
    "county": "县级",
    "township": "乡级",
}


HEADER = [*HEADERS, "状态"]


def rows(mandates, *, unmasked: bool):
    """One row per mandate, in HEADER's columns; the console's export of selected rows writes these too."""
    genders, educations, occupations = dict(Gender.choices), dict(Education.choices), dict(Occupation.choices)
    mandates = mandates.select_related(
        "person__ethnic_group", "person__party", "congress", "term", "electoral_unit", "delegation"
    ).prefetch_related("person__tags", "memberships__group")
    for mandate in mandates.iterator(chunk_size=2000):
        person = mandate.person
        tags = list(person.tags.all())
        yield [
            person.name, str(genders[person.gender]), person.ethnic_group.name, person.birth_date.isoformat(),
            person.id_number if unmasked else idnumbers.mask(person.id_number), person.party.name,
            str(educations[person.education]), str(occupations[person.occupation]), person.work_unit,
            "、".join(t.name for t in tags if t.kind == "expertise"),
            "、".join(t.name for t in tags if t.kind == "industry"),
            "是" if person.grassroots else "否", "是" if person.returned_overseas else "否",
            person.phone if unmasked else idnumbers.mask_phone(person.phone), person.address,
            LEVEL_NAMES[mandate.level], mandate.congress.name, mandate.term.number,
            mandate.electoral_unit.name if mandate.electoral_unit else "",
            mandate.delegation.name if mandate.delegation else "", mandate.group_names,
            mandate.start_date.isoformat(), str(mandate.get_status_display()),
        ]  # fmt: skip


def workbook(mandates, *, unmasked: bool) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("代表名册")
    sheet.append(HEADER)
    for row in rows(mandates, unmasked=unmasked):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def console_rows(mandates, user):
    """The console's Export action on mandates (congress.exports): the same columns, masked unless user may see."""
    from congress import personal_data, scope

    unmasked = scope.can(user, "deputies.view_personal_data", None)
    if unmasked:
        personal_data.seen_many(user, Person, mandates.values_list("person_id", flat=True), "export")
    return HEADER, rows(mandates, unmasked=unmasked)
