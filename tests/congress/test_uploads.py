"""The shared upload checks: type by content whatever the name, a size limit per kind, random names on disk, and
an upload handler that stops writing a too-large file to disk while still telling its size."""

import io
import zipfile

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from openpyxl import Workbook

from congress import uploads
from congress.errors import RuleViolation
from tests import zipbombs

PDF = b"%PDF-1.4\n%test\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def zip_with(manifest: bytes | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if manifest is not None:
            archive.writestr("[Content_Types].xml", manifest)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("kind", "name", "content", "expected"),
    [
        ("pdf", "letter.pdf", PDF, uploads.PDF),
        ("image", "photo.png", PNG, uploads.PNG),
        ("image", "photo.jpg", JPEG, uploads.JPEG),
        ("document", "scan", PDF, uploads.PDF),  # the name does not matter
        ("xlsx", "roster.xlsx", workbook(), uploads.XLSX),
    ],
)
def test_a_file_of_the_right_kind_passes_with_its_type_found_by_content(kind, name, content, expected):
    assert uploads.check(upload(name, content), kind=kind) == expected


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        ("pdf", "letter.pdf", b"MZ\x90\x00 an executable"),
        ("pdf", "letter.pdf", PNG),
        ("image", "photo.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("image", "photo.jpg", PDF),
        ("document", "scan.pdf", b"<html><script>alert(1)</script></html>"),
        ("xlsx", "roster.xlsx", b"name,id\n"),
        ("xlsx", "roster.xlsx", zip_with(None)),  # a ZIP, but no Office manifest
        ("xlsx", "roster.xlsx", zip_with(b"<Types><Override ContentType='application/"
                                         b"vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'/>"
                                         b"</Types>")),  # a Word file renamed
        ("xlsx", "roster.xlsx", b"PK\x03\x04 truncated"),
    ],
)  # fmt: skip
def test_a_file_whose_content_is_not_its_kind_is_refused_whatever_its_name(kind, name, content):
    with pytest.raises(RuleViolation) as error:
        uploads.check(upload(name, content), kind=kind, field="letter")
    assert name in str(error.value.fields["letter"][0])


def test_a_file_over_its_kinds_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 100
    settings.UPLOAD_MAX_BYTES_BY_KIND = {"xlsx": 10_000}
    with translation.override("en"), pytest.raises(RuleViolation) as error:
        uploads.check(upload("big.pdf", PDF + b"\x00" * 100), kind="pdf")
    assert error.value.fields["file"] == ["big.pdf is larger than 100\xa0bytes."]
    uploads.check(upload("roster.xlsx", workbook()), kind="xlsx")  # its own, larger limit


def test_the_default_limits_are_five_mb_and_fifty_for_the_roster():
    assert uploads.max_bytes("document") == 5 * 1024 * 1024
    assert uploads.max_bytes("xlsx") == 50 * 1024 * 1024


def test_stored_names_keep_nothing_of_the_senders_name():
    storage = uploads.PrivateStorage(location="/nonexistent")
    first = storage.get_valid_name("../../etc/passwd; rm -rf.pdf")
    second = storage.get_valid_name("../../etc/passwd; rm -rf.pdf")
    assert first != second
    assert first.endswith(".pdf")
    assert "passwd" not in first and "/" not in first
    assert storage.get_valid_name("photo.p\u0000ng").isalnum()


def test_media_lies_outside_the_static_files_and_no_url_serves_it(client, db):
    media = django_settings.MEDIA_ROOT.resolve()
    for public in [django_settings.STATIC_ROOT, *django_settings.STATICFILES_DIRS]:
        assert not media.is_relative_to(public.resolve())
    stored = uploads.PrivateStorage().save("opinions/x.pdf", io.BytesIO(PDF))
    try:
        assert client.get(django_settings.MEDIA_URL + stored).status_code == 404
    finally:
        uploads.PrivateStorage().delete(stored)


def test_the_handler_stops_writing_past_the_largest_limit_but_counts_the_size(settings, rf):
    settings.UPLOAD_MAX_BYTES = 1000
    settings.UPLOAD_MAX_BYTES_BY_KIND = {}
    handler = uploads.CappedUploadHandler(rf.post("/"))
    handler.new_file("files", "big.png", "image/png", 5000)
    start = 0
    for chunk in [PNG + b"\x00" * (2000 - len(PNG)), b"\x00" * 3000]:
        handler.receive_data_chunk(chunk, start)
        start += len(chunk)
    stored = handler.file_complete(start)
    assert stored.size == 5000
    assert len(stored.read()) == 1001
    with pytest.raises(RuleViolation):
        uploads.check(stored, kind="image")


def test_an_oversized_upload_on_a_public_form_is_refused_with_the_size(client, settings, db):
    from django.urls import reverse

    from liaison_stations.models import CitizenOpinion
    from tests.liaison_stations.factories import StationFactory
    from tests.liaison_stations.test_public import form_data

    settings.UPLOAD_MAX_BYTES = 3000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # through the temporary-file handler, as large files go
    station = StationFactory()
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * 10_000, content_type="image/png")
    response = client.post(url, form_data(client, url, files=big))
    assert response.status_code == 200
    with translation.override("zh-hans"), pytest.raises(RuleViolation) as refused:  # the page's language
        uploads.check(SimpleUploadedFile("big.png", PNG + b"\x00" * 10_000), kind="document", field="files")
    assert escape(refused.value.fields["files"][0]) in response.content.decode()
    assert not CitizenOpinion.objects.exists()


def test_a_zip_bomb_is_refused_before_anything_reads_inside_it():
    # Issue 22: 200 kB on the wire, one 200 MB shared string once unpacked; the manifest sniff passed it.
    bomb = zipbombs.xlsx_bomb()
    assert len(bomb) < 500_000
    with translation.override("zh-hans"), pytest.raises(RuleViolation) as error:
        uploads.check(upload("名册.xlsx", bomb), kind="xlsx", field="file")
    message = str(error.value.fields["file"][0])
    assert "名册.xlsx" in message and "压缩炸弹" in message


def test_an_office_file_that_unpacks_past_the_limit_is_refused(settings):
    settings.UPLOAD_ZIP_MAX_BYTES = 1_000_000
    settings.UPLOAD_ZIP_MAX_RATIO = 10_000  # so that the total alone refuses it
    with translation.override("zh-hans"), pytest.raises(RuleViolation) as error:
        uploads.check(upload("名册.xlsx", zipbombs.xlsx_bomb(unpacked_mb=2)), kind="xlsx")
    assert "解压后" in str(error.value.fields["file"][0])


def test_an_office_file_with_too_many_members_is_refused(settings):
    settings.UPLOAD_ZIP_MAX_ENTRIES = 50
    with translation.override("zh-hans"), pytest.raises(RuleViolation) as error:
        uploads.check(upload("名册.xlsx", zipbombs.xlsx_with_members(60)), kind="xlsx")
    assert "61 个文件" in str(error.value.fields["file"][0])  # the 60 and the manifest
    assert uploads.check(upload("名册.xlsx", zipbombs.xlsx_with_members(40)), kind="xlsx") == uploads.XLSX


@pytest.mark.parametrize("kind", ["document", "pdf", "image"])
def test_a_zip_bomb_is_refused_as_a_bomb_by_every_kind_of_upload(kind):
    with translation.override("zh-hans"), pytest.raises(RuleViolation) as error:
        uploads.check(upload("scan.pdf", zipbombs.xlsx_bomb(unpacked_mb=20)), kind=kind, field="file")
    assert "压缩炸弹" in str(error.value.fields["file"][0])


def test_the_caps_admit_a_real_workbook_of_the_largest_kind():
    assert uploads.archive_problem(io.BytesIO(workbook())) is None


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_an_office_file_compressed_as_office_never_is_refused(method):
    # zipfile hands these decompressors a whole chunk at once: a small chunk can unpack to gigabytes.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        archive.writestr("[Content_Types].xml", zipbombs.MANIFEST)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    with translation.override("zh-hans"), pytest.raises(RuleViolation) as error:
        uploads.check(upload("名册.xlsx", buffer.getvalue()), kind="xlsx")
    assert "压缩炸弹" in str(error.value.fields["file"][0])
