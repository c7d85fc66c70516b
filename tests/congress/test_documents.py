"""Generated documents: the issuing body's mark fits one line, numbers run per congress and year, and a congress's
own template is checked when staff upload it in the console."""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from docx import Document

from congress import documents
from congress.models import DocumentTemplate, IssuedDocument
from tests import factories

pytestmark = pytest.mark.django_db
ADD = "/console/congress/documenttemplate/add/"


def docx_with(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type=documents.DOCX)


@pytest.mark.parametrize(
    ("issuer", "points"),
    [
        ("天河区人大常委会", 36),  # 10 characters with 文件: 442 / 10 = 44, capped at the standard's 36
        ("广东省人民代表大会常务委员会", 27),  # 16 characters: 442 / 16 = 27.6, so 27 pt keeps it on one line
    ],
)
def test_the_mark_is_as_large_as_fits_the_type_area(issuer, points):
    mark = documents.issuer_mark(issuer)
    assert f'<w:sz w:val="{points * 2}"/>' in str(mark)
    assert f"{issuer}文件" in str(mark)


def test_staff_upload_their_own_template(client, tianhe):
    staff = factories.staff_of(tianhe)
    client.force_login(staff)
    data = {"congress": tianhe.pk, "kind": "assignment_letter", "issuer": "天河区人大常委会",
            "number_prefix": "天人常交", "file": upload("letter.docx", docx_with("致 {{ recipient }}"))}  # fmt: skip
    response = client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()
    template = DocumentTemplate.objects.get()
    assert template.uploaded_by == staff
    assert documents.render(documents.template_bytes(tianhe, "assignment_letter"), {"recipient": "区教育局"})
    assert documents.issuer_of(tianhe, template) == "天河区人大常委会"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("letter.doc", b"\xd0\xcf\x11\xe0 an old Word file"),
        ("letter.docx", b"PK\x03\x04 not really a zip"),
        ("letter.docx", docx_with("致 {{ recipient ")),  # a placeholder left open
    ],
)
def test_a_template_that_cannot_be_filled_is_refused(client, tianhe, name, data):
    client.force_login(factories.staff_of(tianhe))
    response = client.post(ADD, {"congress": tianhe.pk, "kind": "assignment_letter", "file": upload(name, data)})
    assert response.status_code == 200
    assert not DocumentTemplate.objects.exists()


def test_staff_cannot_set_another_congress_template(client, tianhe, nanshan):
    client.force_login(factories.staff_of(tianhe))
    response = client.post(ADD, {"congress": nanshan.pk, "kind": "assignment_letter", "number_prefix": "深南人常"})
    assert response.status_code == 200
    assert not DocumentTemplate.objects.exists()


def test_numbers_run_per_congress_and_year_and_a_subject_keeps_its_number(tianhe, nanshan):
    staff = factories.staff_of(tianhe)

    def issue(congress, year, subject):
        return documents.issue_number(
            actor=staff, congress=congress, kind="assignment_letter", year=year, subject=subject, title="交办函"
        ).number

    assert [issue(tianhe, 2026, "a"), issue(tianhe, 2026, "b"), issue(tianhe, 2026, "a")] == [
        "〔2026〕1号", "〔2026〕2号", "〔2026〕1号",
    ]  # fmt: skip
    assert issue(nanshan, 2026, "a") == "〔2026〕1号"
    assert issue(tianhe, 2027, "c") == "〔2027〕1号"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_offices_numbering_at_once_never_share_a_number():
    tianhe = factories.CongressFactory(region=factories.county())
    staff = factories.staff_of(tianhe)
    start, numbers, errors = threading.Barrier(8), [], []

    def issue(n):
        try:
            start.wait()
            numbers.append(
                documents.issue_number(
                    actor=staff,
                    congress=tianhe,
                    kind="assignment_letter",
                    year=2026,
                    subject=f"unit-{n}",
                    title="交办函",
                ).sequence  # fmt: skip
            )
        except Exception as exc:  # reported below: an exception in a thread would pass unnoticed
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 9))
    assert IssuedDocument.objects.count() == 8
