import io
from datetime import date
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from congress.errors import RuleViolation
from deputies import idnumbers, importer, services
from deputies.models import ImportJob, Mandate, Person
from tests import factories as core
from tests import zipbombs

pytestmark = pytest.mark.django_db


def row(name="王建国", gender="男", born=date(1970, 1, 1), seq=11, **overrides):
    values = {
        "姓名": name, "性别": gender, "民族": "汉族", "出生日期": born.isoformat(),
        "公民身份号码": idnumbers.make("440106", born, seq), "政治面貌": "中国共产党党员", "学历": "大学本科",
        "职业构成": "专业技术人员", "工作单位及职务": "广州市某中学校长", "专业领域": "教育、法律",
        "所属行业": "教育", "是否基层代表": "是", "是否归侨": "否", "手机号码": "13800000001",
        "通讯地址": "广州市天河区", "代表层级": "省级", "人民代表大会": "广东省人民代表大会", "届次": 14,
        "选举单位或选区": "", "代表团": "广州代表团", "代表小组": "", "当选日期": "2023-01-12",
    }  # fmt: skip
    values.update(overrides)
    return [values[h] for h in importer.HEADERS]


def xlsx(*rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(importer.HEADERS)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("名册.xlsx", buffer.getvalue())


def upload(staff, *rows, capture):
    with capture(execute=True):
        job = services.start_import(actor=staff, upload=xlsx(*rows))
    job.refresh_from_db()
    return job


def issues(job):
    return [(i.row, i.column, i.message) for i in job.issues.all()]


def test_template_has_the_chinese_headers_in_order():
    sheet = load_workbook(io.BytesIO(importer.template())).worksheets[0]
    assert [cell.value for cell in sheet[1]] == importer.HEADERS
    assert importer.parse_row(2, [c.value for c in sheet[2]], importer.Lookups.load(None))[1] != []  # no congress yet


def test_good_file_is_checked_without_issues(staff, django_capture_on_commit_callbacks):
    job = upload(staff, row(), row("李红", "女", date(1982, 2, 3), 12), capture=django_capture_on_commit_callbacks)
    assert (job.status, job.error_count, job.total_rows) == ("checked", 0, 2)
    assert not Person.objects.exists()  # nothing is written before confirmation


def test_bad_checksum_is_reported_on_its_cell(staff, django_capture_on_commit_callbacks):
    bad = row()
    bad[4] = bad[4][:-1] + ("0" if bad[4][-1] != "0" else "1")
    job = upload(staff, row("李红", "女", date(1982, 2, 3), 12), bad, capture=django_capture_on_commit_callbacks)
    assert [(r, c) for r, c, _ in issues(job)] == [(3, "公民身份号码")]


def test_unknown_delegation_is_reported(staff, django_capture_on_commit_callbacks):
    job = upload(staff, row(代表团="火星代表团"), capture=django_capture_on_commit_callbacks)
    assert issues(job)[0][:2] == (2, "代表团")


def test_missing_required_field_is_reported(staff, django_capture_on_commit_callbacks):
    job = upload(staff, row(姓名=""), capture=django_capture_on_commit_callbacks)
    assert issues(job)[0][:2] == (2, "姓名")


def test_birth_date_must_match_the_id_number(staff, django_capture_on_commit_callbacks):
    job = upload(staff, row(出生日期="1971-01-01"), capture=django_capture_on_commit_callbacks)
    assert (2, "出生日期") in [(r, c) for r, c, _ in issues(job)]


def test_duplicate_in_file_is_reported(staff, django_capture_on_commit_callbacks):
    job = upload(staff, row(), row(), capture=django_capture_on_commit_callbacks)
    assert issues(job) == [(3, "公民身份号码", "与第2行重复。")]


def test_id_number_of_another_person_in_the_roster_is_reported(staff, django_capture_on_commit_callbacks):
    from .factories import PersonFactory

    PersonFactory(name="赵六", id_number=row()[4], birth_date=date(1970, 1, 1))
    job = upload(staff, row(), capture=django_capture_on_commit_callbacks)
    assert issues(job)[0][1] == "公民身份号码"


def test_deputies_of_another_congress_cannot_be_imported(django_capture_on_commit_callbacks, congress):
    county = core.CongressFactory(region=core.county())
    job = upload(core.staff_of(county), row(), capture=django_capture_on_commit_callbacks)
    assert issues(job)[0][1] == "人民代表大会"


def test_confirm_applies_every_row(staff, django_capture_on_commit_callbacks):
    job = upload(staff, row(), row("李红", "女", date(1982, 2, 3), 12), capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(actor=staff, job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("applied", 2)
    person = Person.objects.get(name="王建国")
    assert person.mandates.get().delegation.name == "广州代表团"
    assert sorted(person.tags.values_list("kind", "name")) == [
        ("expertise", "教育"),
        ("expertise", "法律"),
        ("industry", "教育"),
    ]


def test_reimport_updates_by_id_number(staff, django_capture_on_commit_callbacks):
    for title in ("校长", "教育局局长"):
        job = upload(staff, row(工作单位及职务=title), capture=django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.confirm_import(actor=staff, job_id=job.pk)
    assert Person.objects.get().work_unit == "教育局局长"
    assert Mandate.objects.count() == 1
    job.refresh_from_db()
    assert (job.created_count, job.updated_count) == (0, 1)


def test_a_file_with_issues_cannot_be_confirmed(staff, django_capture_on_commit_callbacks):
    job = upload(staff, row(姓名=""), capture=django_capture_on_commit_callbacks)
    with pytest.raises(RuleViolation):
        services.confirm_import(actor=staff, job_id=job.pk)


def test_apply_is_all_or_nothing(staff, django_capture_on_commit_callbacks):
    job = upload(staff, row(), row("李红", "女", date(1982, 2, 3), 12), capture=django_capture_on_commit_callbacks)
    broken = mock.patch.object(importer, "_write_mandates", side_effect=RuntimeError("disk full"))
    with broken, pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(actor=staff, job_id=job.pk)
    assert not Person.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_non_xlsx_upload_is_refused(staff):
    with pytest.raises(RuleViolation):
        services.start_import(actor=staff, upload=SimpleUploadedFile("名册.xlsx", b"name,id\n"))


def test_wrong_headers_fail_with_a_message(staff, django_capture_on_commit_callbacks):
    book = Workbook()
    book.active.append(["名字", "身份证"])
    buffer = io.BytesIO()
    book.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import(actor=staff, upload=SimpleUploadedFile("x.xlsx", buffer.getvalue()))
    job.refresh_from_db()
    assert job.status == "failed"
    assert "姓名" in job.message


def test_import_pages_show_progress_and_issues(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/deputies/imports/", {"file": xlsx(row(姓名=""))})
    job = ImportJob.objects.get()
    assert response.url == f"/deputies/imports/{job.pk}/"
    assert client.get(f"/deputies/imports/{job.pk}/progress/").json()["status"] == "checked"
    assert "姓名" in client.get(f"/deputies/imports/{job.pk}/").content.decode()


def test_another_users_import_is_not_visible(client, staff, django_capture_on_commit_callbacks, congress):
    job = upload(staff, row(), capture=django_capture_on_commit_callbacks)
    client.force_login(core.staff_of(congress))
    assert client.get(f"/deputies/imports/{job.pk}/").status_code == 404


def test_roster_change_between_check_and_apply_is_caught(staff, django_capture_on_commit_callbacks):
    from .factories import PersonFactory

    job = upload(staff, row(), capture=django_capture_on_commit_callbacks)
    PersonFactory(name="赵六", id_number=row()[4], birth_date=date(1970, 1, 1))  # someone took the number meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(actor=staff, job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error_count) == ("checked", 1)
    assert Person.objects.count() == 1


def test_job_with_issues_does_not_claim_to_be_ready(staff, django_capture_on_commit_callbacks):
    job = upload(staff, row(), row(姓名=""), capture=django_capture_on_commit_callbacks)
    assert job.error_count == 1
    assert "重新上传" in job.message


def test_a_zip_bomb_sent_through_the_import_page_is_refused_in_chinese_and_never_parsed(client, staff):
    # Issue 22: an .xlsx of 200 kB with one 200 MB shared string.
    client.force_login(staff)
    with mock.patch.object(importer, "load_workbook", side_effect=AssertionError("parsed")) as parser:
        response = client.post("/deputies/imports/", {"file": SimpleUploadedFile("名册.xlsx", zipbombs.xlsx_bomb())})
    assert response.status_code == 200
    assert "压缩炸弹" in response.content.decode()
    assert not ImportJob.objects.exists()
    parser.assert_not_called()


def test_a_zip_bomb_stored_before_the_check_is_not_parsed_by_the_worker(staff, django_capture_on_commit_callbacks):
    job = upload(staff, row(), capture=django_capture_on_commit_callbacks)
    with open(job.file.path, "wb") as stored:
        stored.write(zipbombs.xlsx_bomb(unpacked_mb=20))
    with mock.patch.object(importer, "load_workbook", side_effect=AssertionError("parsed")) as parser:
        rows = importer.read_rows(job.file.path)
        with pytest.raises(ValueError, match="zip bomb|压缩炸弹"):
            next(rows)
    parser.assert_not_called()


@pytest.mark.parametrize("written", [14, "14", "第14届", "十四", "第十四届"])
def test_term_column_takes_the_number_or_the_chinese_name(staff, written, django_capture_on_commit_callbacks):
    job = upload(staff, row(届次=written), capture=django_capture_on_commit_callbacks)
    assert (job.status, job.error_count) == ("checked", 0)


@pytest.mark.parametrize(
    ("text", "number"), [("十", 10), ("十七", 17), ("二十", 20), ("二十三", 23), ("一百零五", 105)]
)
def test_chinese_term_numbers(text, number):
    assert importer._term_number(f"第{text}届") == number


@pytest.mark.parametrize("written", ["第届", "第十七次", "十七届人大"])
def test_an_unreadable_term_is_reported(staff, written, django_capture_on_commit_callbacks):
    job = upload(staff, row(届次=written), capture=django_capture_on_commit_callbacks)
    assert issues(job)[0][:2] == (2, "届次")
