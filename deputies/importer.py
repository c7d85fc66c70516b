"""Roster spreadsheets: the template, the check (per-row, per-cell issues) and the all-or-nothing apply.

Rows are read with openpyxl in read-only mode and written with bulk statements, so a 100,000-row file
costs little more than reading it. Persons are matched by ID number (re-importing updates them), mandates
by person, congress and term."""

import io
import pickle
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from congress import audit, bulk, crypto, uploads
from congress.models import Congress, Term

from . import idnumbers
from .models import (
    Delegation,
    DeputyGroup,
    ElectoralUnit,
    EthnicGroup,
    GroupMembership,
    ImportIssue,
    ImportJob,
    Mandate,
    MandateStatus,
    Party,
    Person,
    Tag,
)
from .reference import EDUCATION_LABELS, LEVEL_LABELS, OCCUPATION_LABELS
from .validators import PHONE_MESSAGE, is_mobile

HEADERS = [
    "姓名", "性别", "民族", "出生日期", "公民身份号码", "政治面貌", "学历", "职业构成", "工作单位及职务", "专业领域",
    "所属行业", "是否基层代表", "是否归侨", "手机号码", "通讯地址", "代表层级", "人民代表大会", "届次",
    "选举单位或选区", "代表团", "代表小组", "当选日期",
]  # fmt: skip
REQUIRED = {"姓名", "性别", "民族", "出生日期", "公民身份号码", "政治面貌", "学历", "职业构成", "代表层级",
            "人民代表大会", "届次", "当选日期"}  # fmt: skip
PROGRESS_EVERY = 2000
MAX_ISSUES = 10_000


def template() -> bytes:
    """The .xlsx staff fill in: Chinese headers, an example row, drop-downs and the code lists."""
    from .models import Education, Occupation

    book = Workbook()
    sheet = book.active
    sheet.title = "代表名册"
    sheet.append(HEADERS)
    sheet.append(
        ["李秀英", "女", "汉族", "1975-03-08", idnumbers.make("440106", date(1975, 3, 8), 2), "中国共产党党员",
         "大学本科", "专业技术人员", "广州市第一人民医院主任医师", "医疗卫生", "卫生和社会工作", "否", "否",
         "13800138000", "广州市越秀区盘福路1号", "省级", "广东省人民代表大会", 14, "广州市", "广州代表团",
         "医药卫生组", "2023-01-12"]
    )  # fmt: skip
    for index, width in enumerate([10, 5, 8, 12, 22, 16, 10, 16, 30, 16, 16, 8, 8, 14, 30, 10, 24, 6, 18, 16, 16, 12]):
        sheet.column_dimensions[sheet.cell(row=1, column=index + 1).column_letter].width = width
    codes = book.create_sheet("代码表")
    lists = {
        "性别": ["男", "女"],
        "民族": list(EthnicGroup.objects.order_by("code").values_list("name", flat=True)),
        "政治面貌": list(Party.objects.order_by("code").values_list("name", flat=True)),
        "学历": [str(label) for label in Education.labels],
        "职业构成": [str(label) for label in Occupation.labels],
        "代表层级": list(dict.fromkeys(LEVEL_LABELS)),
        "是否": ["是", "否"],
    }
    for column, (title, values) in enumerate(lists.items(), start=1):
        codes.cell(row=1, column=column, value=title)
        for row, value in enumerate(values, start=2):
            codes.cell(row=row, column=column, value=value)
    for header, list_name in [("性别", "性别"), ("民族", "民族"), ("政治面貌", "政治面貌"), ("代表层级", "代表层级"),
                              ("是否基层代表", "是否"), ("是否归侨", "是否")]:  # fmt: skip
        column = list(lists).index(list_name) + 1
        letter = codes.cell(row=1, column=column).column_letter
        rule = DataValidation(type="list", formula1=f"代码表!${letter}$2:${letter}${len(lists[list_name]) + 1}")
        sheet.add_data_validation(rule)
        target = sheet.cell(row=2, column=HEADERS.index(header) + 1).column_letter
        rule.add(f"{target}2:{target}100000")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Row:
    number: int
    person: dict
    tags: list[tuple[str, str]]
    mandate: dict
    key: tuple = ()
    groups: tuple = ()  # the deputy groups of the 代表小组 column: the mandate's memberships are made to match


@dataclass
class Lookups:
    """Everything a row is checked against, loaded once per file."""

    congresses: dict
    terms: dict
    ethnic: dict
    parties: dict
    units: dict
    delegations: dict
    groups: dict
    allowed_congresses: set | None
    education: dict = field(default_factory=dict)
    occupation: dict = field(default_factory=dict)

    @classmethod
    def load(cls, allowed_congresses: set | None) -> "Lookups":
        from .models import Education, Occupation

        congresses = {c.name: c for c in Congress.objects.all()}
        terms = {(t.congress_id, t.number): t for t in Term.objects.all()}
        ethnic = {}
        for code, name in EthnicGroup.objects.values_list("code", "name"):
            ethnic[code] = ethnic[name] = ethnic[name.removesuffix("族")] = code
        parties = {}
        for code, name in Party.objects.values_list("code", "name"):
            parties[code] = parties[name] = code
        education = {**EDUCATION_LABELS, **{str(label): value for value, label in Education.choices}}
        occupation = {**OCCUPATION_LABELS, **{str(label): value for value, label in Occupation.choices}}
        return cls(
            congresses=congresses,
            terms=terms,
            ethnic=ethnic,
            parties=parties,
            units={(u.term_id, u.name): u.pk for u in ElectoralUnit.objects.live().only("id", "term_id", "name")},
            delegations={(d.term_id, d.name): d.pk for d in Delegation.objects.live().only("id", "term_id", "name")},
            groups={(g.term_id, g.name): g.pk for g in DeputyGroup.objects.live().only("id", "term_id", "name")},
            allowed_congresses=allowed_congresses,
            education=education,
            occupation=occupation,
        )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    return date.fromisoformat(text) if len(text) == 10 else datetime.strptime(text, "%Y-%m-%d").date()


def _bool(value, column, issues) -> bool:
    text = _text(value)
    if text in ("", "否", "N", "n", "0", "False", "FALSE"):
        return False
    if text in ("是", "Y", "y", "1", "True", "TRUE"):
        return True
    issues.append((column, _("Write 是 or 否.")))
    return False


CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                  "九": 9}  # fmt: skip
CHINESE_UNITS = {"十": 10, "百": 100}


def _chinese_number(text: str) -> int:
    """十七 → 17, 二十 → 20, 一百零五 → 105; ValueError for anything else."""
    total = current = 0
    for char in text:
        if char in CHINESE_DIGITS:
            current = CHINESE_DIGITS[char]
        elif char in CHINESE_UNITS:
            total += (current or 1) * CHINESE_UNITS[char]
            current = 0
        else:
            raise ValueError(text)
    if not text:
        raise ValueError(text)
    return total + current


def _term_number(value) -> int:
    """The term column as staff write it: 17, 第17届, 十七 or 第十七届."""
    text = _text(value).strip().removeprefix("第").removesuffix("届").strip()
    return int(text) if text.isdigit() else _chinese_number(text)


def parse_row(number: int, values: list, lookups: Lookups) -> tuple[Row | None, list[tuple[str, str]]]:
    """Check one spreadsheet row; returns the row ready to write, or the issues per column."""
    cells = dict(zip(HEADERS, list(values) + [None] * (len(HEADERS) - len(values)), strict=False))
    issues: list[tuple[str, str]] = []
    for header in REQUIRED:
        if _text(cells[header]) == "":
            issues.append((header, _("Required.")))
    if issues:
        return None, issues

    person: dict = {"name": _text(cells["姓名"])[:50]}
    gender = {"男": "M", "女": "F", "M": "M", "F": "F"}.get(_text(cells["性别"]))
    if gender is None:
        issues.append(("性别", _("Write 男 or 女.")))
    person["gender"] = gender
    person["ethnic_group_id"] = lookups.ethnic.get(_text(cells["民族"]))
    if person["ethnic_group_id"] is None:
        issues.append(("民族", _("Unknown ethnic group %(value)s.") % {"value": _text(cells["民族"])}))
    try:
        person["birth_date"] = _date(cells["出生日期"])
    except (ValueError, TypeError):
        issues.append(("出生日期", _("Write the date as YYYY-MM-DD.")))
        person["birth_date"] = None
    try:
        person["id_number"] = idnumbers.normalise(_text(cells["公民身份号码"]))
    except ValueError as exc:
        issues.append(("公民身份号码", str(exc)))
        person["id_number"] = None
    if person["id_number"]:
        if person["birth_date"] and idnumbers.birth_date(person["id_number"]) != person["birth_date"]:
            issues.append(("出生日期", _("The birth date does not match the ID number.")))
        if gender and idnumbers.gender(person["id_number"]) != gender:
            issues.append(("性别", _("The gender does not match the ID number.")))
    person["party_id"] = lookups.parties.get(_text(cells["政治面貌"]))
    if person["party_id"] is None:
        issues.append(("政治面貌", _("Unknown political affiliation %(value)s.") % {"value": _text(cells["政治面貌"])}))
    person["education"] = lookups.education.get(_text(cells["学历"]))
    if person["education"] is None:
        issues.append(("学历", _("Unknown education %(value)s.") % {"value": _text(cells["学历"])}))
    person["occupation"] = lookups.occupation.get(_text(cells["职业构成"]))
    if person["occupation"] is None:
        issues.append(("职业构成", _("Unknown occupation category %(value)s.") % {"value": _text(cells["职业构成"])}))
    person["work_unit"] = _text(cells["工作单位及职务"])[:200]
    person["grassroots"] = _bool(cells["是否基层代表"], "是否基层代表", issues)
    person["returned_overseas"] = _bool(cells["是否归侨"], "是否归侨", issues)
    phone = _text(cells["手机号码"])
    if phone and not is_mobile(phone):
        issues.append(("手机号码", str(PHONE_MESSAGE)))
    person["phone"] = phone
    person["address"] = _text(cells["通讯地址"])[:200]
    tags = [("expertise", name) for name in _split(cells["专业领域"])] + [
        ("industry", name) for name in _split(cells["所属行业"])
    ]

    mandate: dict = {}
    congress = lookups.congresses.get(_text(cells["人民代表大会"]))
    if congress is None:
        issues.append(("人民代表大会", _("Unknown congress %(value)s.") % {"value": _text(cells["人民代表大会"])}))
        return None, issues
    if lookups.allowed_congresses is not None and congress.pk not in lookups.allowed_congresses:
        issues.append(("人民代表大会", _("You may not import deputies of %(congress)s.") % {"congress": congress.name}))
    level = LEVEL_LABELS.get(_text(cells["代表层级"]), _text(cells["代表层级"]))
    if level != congress.level:
        issues.append(("代表层级", _("The level does not match the congress.")))
    try:
        term = lookups.terms.get((congress.pk, _term_number(cells["届次"])))
    except ValueError:
        term = None
    if term is None:
        issues.append(("届次", _("%(congress)s has no such term.") % {"congress": congress.name}))
        return None, issues
    mandate.update(congress_id=congress.pk, term_id=term.pk, level=congress.level)
    for header, table, key in (("选举单位或选区", lookups.units, "electoral_unit_id"),
                               ("代表团", lookups.delegations, "delegation_id")):  # fmt: skip
        name = _text(cells[header])
        mandate[key] = table.get((term.pk, name)) if name else None
        if name and mandate[key] is None:
            issues.append((header, _("Unknown %(what)s %(value)s in this term.") % {"what": header, "value": name}))
    groups = []
    for name in group_names(cells["代表小组"]):
        group_id = lookups.groups.get((term.pk, name))
        if group_id is None:
            issues.append(
                ("代表小组", _("Unknown %(what)s %(value)s in this term.") % {"what": "代表小组", "value": name})
            )
        elif group_id not in groups:
            groups.append(group_id)
    try:
        mandate["start_date"] = _date(cells["当选日期"])
        if not term.start_date <= mandate["start_date"] <= term.end_date:
            issues.append(("当选日期", _("The date must lie within the term.")))
    except (ValueError, TypeError):
        issues.append(("当选日期", _("Write the date as YYYY-MM-DD.")))
    if issues:
        return None, issues
    return Row(number, person, tags, mandate, key=(person["id_number"], congress.pk, term.pk), groups=tuple(groups)), []


def group_names(value) -> list[str]:
    """The names in a 代表小组 cell: a deputy's several groups are separated by 、 or a semicolon."""
    text = _text(value)
    for separator in ("；", ";"):
        text = text.replace(separator, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def _split(value) -> list[str]:
    text = _text(value)
    for separator in ("，", ",", ";", "；", "/"):
        text = text.replace(separator, "、")
    return [part.strip()[:50] for part in text.split("、") if part.strip()]


def read_rows(path_or_file, on_total=None):
    """(row number, values) for each non-empty data row, after checking the header row.

    on_total(n) is told the sheet's row count as soon as it is known (for the progress bar)."""
    # Checked at upload too; again here because this is where the parser runs (a file stored before the check).
    problem = uploads.archive_problem(path_or_file)
    if problem:
        raise ValueError(problem)
    book = load_workbook(path_or_file, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        if on_total is not None:
            on_total(max((sheet.max_row or 1) - 1, 0))
        rows = sheet.iter_rows(values_only=True)
        header = [_text(value) for value in next(rows, ())]
        if header[: len(HEADERS)] != HEADERS:
            missing = [h for h in HEADERS if h not in header]
            raise ValueError(
                _("The first row must hold the template's headers in order; missing or out of place: %(h)s")
                % {"h": "、".join(missing) or _("order")}
            )
        for number, values in enumerate(rows, start=2):
            if values and any(value not in (None, "") for value in values):
                yield number, values
    finally:
        book.close()


def check(job: ImportJob, allowed_congresses: set | None) -> list[Row]:
    """Check every row; store the issues on the job and the good rows beside the file; return the rows."""
    lookups = Lookups.load(allowed_congresses)
    job.issues.all().delete()
    issues, rows, seen = [], [], {}

    def set_total(total):
        job.total_rows, job.processed_rows = total, 0
        job.save(update_fields=["total_rows", "processed_rows", "updated_at"])

    for number, values in read_rows(job.file.path, on_total=set_total):
        row, row_issues = parse_row(number, values, lookups)
        if row is not None:
            first = seen.setdefault(row.key, number)
            if first != number:
                row_issues = [("公民身份号码", _("Duplicate of row %(row)s.") % {"row": first})]
                row = None
        for column, message in row_issues:
            if len(issues) < MAX_ISSUES:
                issues.append(ImportIssue(job=job, row=number, column=column, message=message[:300]))
        if row is not None:
            rows.append(row)
        if number % PROGRESS_EVERY == 0:
            # Also the claim's heartbeat (services.IMPORT_STALE_AFTER).
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=number - 1, updated_at=timezone.now())
    issues += _database_conflicts(job, rows)
    _record(job, rows, issues)
    if not issues:
        _keep(job, rows)
    return rows


def _record(job, rows, issues) -> None:
    ImportIssue.objects.bulk_create(issues, batch_size=5000)
    job.total_rows = len(rows) + len({issue.row for issue in issues})
    job.processed_rows = job.total_rows
    job.error_count = len(issues)


def _checked_path(job) -> str:
    return job.file.path + ".checked"


def _keep(job, rows) -> None:
    # Our own file next to the upload, outside the web root: the apply step need not parse the sheet again.
    with open(_checked_path(job), "wb") as handle:
        pickle.dump(rows, handle, protocol=pickle.HIGHEST_PROTOCOL)


def recheck(job: ImportJob, allowed_congresses: set | None) -> list[Row]:
    """Before applying: the checked rows, re-checked against what may have changed in the database since."""
    try:
        with open(_checked_path(job), "rb") as handle:
            rows = pickle.load(handle)
    except FileNotFoundError:
        return check(job, allowed_congresses)
    lookups = Lookups.load(allowed_congresses)
    known = {
        "electoral_unit_id": set(lookups.units.values()),
        "delegation_id": set(lookups.delegations.values()),
    }
    groups = set(lookups.groups.values())
    terms = {term.pk for term in lookups.terms.values()}
    removed = _("A term, constituency, delegation or group was removed since the check.")
    job.issues.all().delete()
    issues = []
    for row in rows:
        mandate = row.mandate
        if allowed_congresses is not None and mandate["congress_id"] not in allowed_congresses:
            issues.append(ImportIssue(job=job, row=row.number, column="人民代表大会",
                                      message=_("You may not import deputies of this congress.")))  # fmt: skip
        if (
            mandate["term_id"] not in terms
            or any(mandate[key] is not None and mandate[key] not in ids for key, ids in known.items())
            or not groups.issuperset(getattr(row, "groups", ()))
        ):
            issues.append(ImportIssue(job=job, row=row.number, column="", message=removed))
    issues += _database_conflicts(job, rows)
    _record(job, rows, issues)
    return rows


def _database_conflicts(job, rows: list[Row]) -> list[ImportIssue]:
    """An ID number already in the roster under another name is a duplicate, not an update."""
    names = {}
    # ID numbers are encrypted: rows are found by their keyed hash (congress.crypto).
    hashes = [crypto.id_number_index(row.person["id_number"]) for row in rows]
    for start in range(0, len(hashes), 5000):
        names.update(
            Person.objects.filter(id_number_hash__in=hashes[start : start + 5000]).values_list("id_number_hash", "name")
        )
    return [
        ImportIssue(
            job=job,
            row=row.number,
            column="公民身份号码",
            message=_("This ID number belongs to %(name)s in the roster.") % {"name": names[key]},
        )
        for row, key in zip(rows, hashes, strict=True)
        if key in names and names[key] != row.person["name"]
    ]


def apply(job: ImportJob, rows: list[Row], actor) -> tuple[int, int]:
    """Write every row in one transaction: create or update persons by ID number, then their mandates.

    Only what differs from the roster is written, so importing the same file again costs a read."""
    with transaction.atomic():
        fields = [key for key in rows[0].person if key != "id_number"] if rows else []
        hashes = [crypto.id_number_index(row.person["id_number"]) for row in rows]
        current = {}
        for chunk in _chunks(hashes):
            for values in (
                Person.objects.select_for_update()
                .filter(id_number_hash__in=chunk)
                .values_list("id_number_hash", *fields)
            ):
                current[values[0]] = values[1:]
        fresh = [row for row, key in zip(rows, hashes, strict=True) if key not in current]
        changed = [
            row
            for row, key in zip(rows, hashes, strict=True)
            if key in current and tuple(row.person[f] for f in fields) != current[key]
        ]
        person_fields = ["id_number", *fields]
        bulk.copy_insert(
            Person,
            person_fields,
            (tuple(row.person[f] for f in person_fields) for row in fresh + changed),
            unique=["id_number_hash"],
            update=fields,
        )
        by_hash = {}
        for chunk in _chunks(hashes):
            by_hash.update(Person.objects.filter(id_number_hash__in=chunk).values_list("id_number_hash", "id"))
        ids = {row.person["id_number"]: by_hash[key] for row, key in zip(rows, hashes, strict=True)}
        _write_tags(rows, ids)
        _write_mandates(rows, ids, timezone.now())
        _write_groups(rows, ids)
        _progress(job, len(rows))
        audit.record(actor, job, "import", created=len(fresh), updated=len(changed), rows=len(rows))
    return len(fresh), len(changed)


def _chunks(items, size=5000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write_tags(rows, ids) -> None:
    wanted = {tag for row in rows for tag in row.tags}
    Tag.objects.bulk_create([Tag(kind=kind, name=name) for kind, name in wanted], ignore_conflicts=True)
    tag_ids = {(t.kind, t.name): t.pk for t in Tag.objects.filter(name__in={name for _, name in wanted})}
    through = Person.tags.through
    desired = {ids[row.person["id_number"]]: {tag_ids[tag] for tag in row.tags} for row in rows}
    have: dict[int, set] = {person_id: set() for person_id in desired}
    for chunk in _chunks(list(desired)):
        for person_id, tag_id in through.objects.filter(person_id__in=chunk).values_list("person_id", "tag_id"):
            have[person_id].add(tag_id)
    stale = [person_id for person_id, tags in desired.items() if tags != have[person_id]]
    for chunk in _chunks(stale):
        through.objects.filter(person_id__in=chunk).delete()
    bulk.copy_insert(
        through,
        ["person_id", "tag_id"],
        ((person_id, tag_id) for person_id in stale for tag_id in desired[person_id]),
    )


MANDATE_FIELDS = ["electoral_unit_id", "delegation_id", "start_date"]
NEW_MANDATE_FIELDS = ["congress_id", "term_id", "level", *MANDATE_FIELDS]


def _write_mandates(rows, ids, now) -> None:
    live = {}
    for chunk in _chunks(list(set(ids.values()))):
        for pk, person_id, congress_id, term_id, *values in (
            Mandate.objects.select_for_update()
            .filter(person_id__in=chunk)
            .exclude(status=MandateStatus.ENDED)
            .values_list("id", "person_id", "congress_id", "term_id", *MANDATE_FIELDS)
        ):
            live[(person_id, congress_id, term_id)] = (pk, tuple(values))
    fresh, changed = [], []
    for row in rows:
        person_id = ids[row.person["id_number"]]
        key = (person_id, row.mandate["congress_id"], row.mandate["term_id"])
        if key not in live:
            fresh.append((person_id, MandateStatus.ACTIVE, "", *(row.mandate[f] for f in NEW_MANDATE_FIELDS)))
        elif tuple(row.mandate[f] for f in MANDATE_FIELDS) != live[key][1]:
            changed.append(Mandate(id=live[key][0], person_id=person_id, updated_at=now, **row.mandate))
    bulk.copy_insert(Mandate, ["person_id", "status", "end_reason", *NEW_MANDATE_FIELDS], fresh)
    Mandate.objects.bulk_update(changed, [*MANDATE_FIELDS, "updated_at"], batch_size=500)


def _write_groups(rows, ids) -> None:
    """Make each imported mandate's group memberships those of its row: new ones as members, the roles of those
    kept unchanged, those no longer listed removed."""
    desired = {}
    for chunk in _chunks(rows):
        wanted = {(ids[row.person["id_number"]], row.mandate["congress_id"], row.mandate["term_id"]): row
                  for row in chunk}  # fmt: skip
        live = (
            Mandate.objects.filter(person_id__in={key[0] for key in wanted})
            .exclude(status=MandateStatus.ENDED)
            .values_list("id", "person_id", "congress_id", "term_id")
        )
        for pk, *key in live:
            row = wanted.get(tuple(key))
            if row is not None:
                desired[pk] = set(getattr(row, "groups", ()))
    have: dict[int, dict] = {pk: {} for pk in desired}
    for chunk in _chunks(list(desired)):
        memberships = GroupMembership.objects.filter(mandate_id__in=chunk)
        for pk, mandate_id, group_id in memberships.values_list("id", "mandate_id", "group_id"):
            have[mandate_id][group_id] = pk
    stale, fresh = [], []
    for mandate_id, groups in desired.items():
        stale += [pk for group_id, pk in have[mandate_id].items() if group_id not in groups]
        fresh += [GroupMembership(mandate_id=mandate_id, group_id=g) for g in sorted(groups - set(have[mandate_id]))]
    for chunk in _chunks(stale):
        GroupMembership.objects.filter(pk__in=chunk).delete()
    GroupMembership.objects.bulk_create(fresh, batch_size=5000)


def _progress(job, done) -> None:
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)
