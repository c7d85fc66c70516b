"""Uploaded files: few, small, and of a type checked by content, not by name or by what the browser claims.

Files are kept under MEDIA_ROOT, outside the web root, under random names (PrivateStorage); no URL serves MEDIA_ROOT.
Each kind of file is handed out only by a view that first checks who may see its record, through `serve`.
"""

import secrets
import zipfile
from os import PathLike
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from congress.errors import RuleViolation

MAX_FILES = 3

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

SIGNATURES = [
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"%PDF-", PDF),
]
# Office Open XML files are ZIP archives; what they are is declared in [Content_Types].xml (main part's type).
ZIP_MAGIC = b"PK\x03\x04"
OOXML_MAIN_PARTS = [
    (b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", XLSX),
    (b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", DOCX),
]
OOXML_MANIFEST_MAX_BYTES = 256 * 1024  # a real manifest is a few kB; a larger one is not read (zip bombs)
# A member this small may be compressed any number of times over (a run of spaces): it cannot hurt.
ZIP_RATIO_FLOOR_BYTES = 1024 * 1024

# What each use accepts.
KINDS = {
    "document": {JPEG, PNG, PDF},  # attachments: photos and scans
    "pdf": {PDF},  # signed letters
    "image": {JPEG, PNG},  # photos
    "xlsx": {XLSX},  # the roster import
}
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", XLSX: ".xlsx", DOCX: ".docx"}
# Shown inline by the browser (with nosniff); anything else is downloaded.
INLINE = {PDF, JPEG, PNG}


def _wrong_type(kind: str, name: str) -> str:
    messages = {
        "document": _("%(name)s is not a JPEG or PNG photo or a PDF."),
        "pdf": _("%(name)s is not a PDF."),
        "image": _("%(name)s is not a JPEG or PNG photo."),
        "xlsx": _("%(name)s is not an .xlsx workbook (Excel 2007 or later)."),
    }
    return messages[kind] % {"name": name}


def max_bytes(kind: str) -> int:
    """The largest file of a kind: UPLOAD_MAX_BYTES, unless UPLOAD_MAX_BYTES_BY_KIND says otherwise."""
    return settings.UPLOAD_MAX_BYTES_BY_KIND.get(kind, settings.UPLOAD_MAX_BYTES)


def largest_allowed() -> int:
    return max([settings.UPLOAD_MAX_BYTES, *settings.UPLOAD_MAX_BYTES_BY_KIND.values()])


def _entry_count(source) -> int | None:
    """The member count the archive's end record declares, read before the central directory is: a directory of
    a million tiny entries would cost hundreds of MB to list."""
    opened = open(source, "rb") if isinstance(source, str | PathLike) else None  # noqa: SIM115 - closed below
    fp = opened or source
    try:
        end = zipfile._EndRecData(fp)  # the standard library's own reader of the end record (private, stable)
    except (OSError, AttributeError):
        return None
    finally:
        if opened:
            opened.close()
    return end[zipfile._ECD_ENTRIES_TOTAL] if end else None


def archive_problem(source, name: str = "") -> str | None:
    """Why a ZIP-based file (an .xlsx or .docx) must not be opened by a parser, or None (also for a file that is
    no ZIP: the type check deals with it). Checked on the sizes the central directory declares, which is enough:
    Python's zipfile, which openpyxl reads with, never inflates a deflated member past its declared size (a lie
    ends in a CRC error), so these caps bound what a parser can be made to allocate."""
    is_path = isinstance(source, str | PathLike)
    name = name or getattr(source, "name", "") or str(source)
    try:
        if is_path:
            with open(source, "rb") as fp:
                head = fp.read(4)
        else:
            source.seek(0)
            head = source.read(4)
            source.seek(0)
        if head != ZIP_MAGIC:
            return None
        entries = _entry_count(source)
        limit_entries = settings.UPLOAD_ZIP_MAX_ENTRIES
        if entries is not None and entries > limit_entries:
            return _too_many(name, entries, limit_entries)
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
    finally:
        if not is_path:
            source.seek(0)
    if len(members) > limit_entries:
        return _too_many(name, len(members), limit_entries)
    # Office writes parts stored or deflated; zipfile inflates deflate in bounded steps, but hands bzip2 and LZMA
    # a whole compressed chunk at a time, which can unpack to gigabytes before the declared size cuts it off.
    if any(member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for member in members):
        message = _("%(name)s is compressed in a way Office files are not; it is refused as a possible zip bomb.")
        return message % {"name": name}
    unpacked = sum(member.file_size for member in members)
    if unpacked > settings.UPLOAD_ZIP_MAX_BYTES:
        return _(
            "%(name)s would unpack to %(size)s, more than the %(limit)s allowed; it is refused as a possible zip bomb."
        ) % {"name": name, "size": filesizeformat(unpacked), "limit": filesizeformat(settings.UPLOAD_ZIP_MAX_BYTES)}
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > ZIP_RATIO_FLOOR_BYTES and ratio > settings.UPLOAD_ZIP_MAX_RATIO:
            return _(
                "%(name)s holds a part compressed %(ratio)s times over (at most %(limit)s allowed); it is refused as a possible zip bomb."  # noqa: E501
            ) % {"name": name, "ratio": int(ratio), "limit": settings.UPLOAD_ZIP_MAX_RATIO}
    return None


def _too_many(name: str, entries: int, limit: int) -> str:
    message = _(
        "%(name)s holds %(n)s files inside, more than the %(limit)s allowed; it is refused as a possible zip bomb."
    )
    return message % {"name": name, "n": entries, "limit": limit}


def _ooxml_type(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > OOXML_MANIFEST_MAX_BYTES:
                return None
            manifest = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    for part, content_type in OOXML_MAIN_PARTS:
        if part in manifest:
            return content_type
    return None


def sniff(upload) -> str | None:
    """The file's type from its first bytes (and for OOXML its manifest), or None when it is none we know."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    if head.startswith(ZIP_MAGIC):
        return _ooxml_type(upload)
    return None


def check(upload, *, kind: str = "document", field: str = "file") -> str:
    """Return the file's content type, or raise naming what is wrong (size or type) under `field`."""
    limit = max_bytes(kind)
    if upload.size > limit:
        raise RuleViolation(
            fields={field: [_("%(name)s is larger than %(limit)s.") % {"name": upload.name,
                                                                        "limit": filesizeformat(limit)}]}
        )  # fmt: skip
    # Before anything reads inside the file, the manifest sniff included.
    problem = archive_problem(upload, upload.name)
    if problem:
        raise RuleViolation(fields={field: [problem]})
    content_type = sniff(upload)
    if content_type not in KINDS[kind]:
        raise RuleViolation(fields={field: [_wrong_type(kind, upload.name)]})
    return content_type


def check_all(files, *, max_files: int = MAX_FILES, field: str = "files", kind: str = "document"):
    """Return (file, content type) pairs, or raise naming what is wrong."""
    files = [f for f in files if f]
    if len(files) > max_files:
        raise RuleViolation(fields={field: [_("Attach at most %(n)s files.") % {"n": max_files}]})
    return [(upload, check(upload, kind=kind, field=field)) for upload in files]


def check_pdf(upload, field: str = "letter"):
    """One required PDF (a signed letter)."""
    if not upload:
        raise RuleViolation(fields={field: [_("Upload the signed letter as a PDF.")]})
    check(upload, kind="pdf", field=field)
    return upload


def check_new(fieldfile, *, kind: str, field: str = "file") -> None:
    """Check a model's file field when it holds a newly chosen file (a form's or the console's), not a stored one."""
    if fieldfile and not fieldfile._committed:
        check(fieldfile, kind=kind, field=field)


def serve(fieldfile, *, content_type: str | None = None, filename: str) -> FileResponse:
    """Hand out a stored file; call only after checking that the user may see the record it belongs to.

    The type is the one found by content when the file was accepted (or found again now); the browser must not
    guess another (nosniff), and only PDFs and photos are shown inline."""
    content_type = content_type or sniff(fieldfile) or "application/octet-stream"
    stem = PurePosixPath(filename).stem
    disposition = "inline" if content_type in INLINE else "attachment"
    response = FileResponse(fieldfile.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{stem}{EXTENSIONS.get(content_type, "")}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT storage that keeps no part of the sender's file name: names on disk are random, with the extension
    of the file's checked type where it has one, so a name can neither collide, nor be guessed, nor carry a path."""

    def get_valid_name(self, name):
        suffix = PurePosixPath(name).suffix.lower()
        if not (suffix[1:].isascii() and suffix[1:].isalnum() and len(suffix) <= 6):
            suffix = ""
        return secrets.token_hex(16) + suffix


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Writes at most the largest allowed upload to disk; past that it only counts, so the file's size still shows
    that it is too large and the form says so, while a huge upload cannot fill the disk."""

    def receive_data_chunk(self, raw_data, start):
        room = largest_allowed() + 1 - start
        if room > 0:
            self.file.write(raw_data[:room])

    def file_complete(self, file_size):
        self.file.seek(0)
        self.file.size = file_size
        return self.file


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A form field for several files at once; the checks above still run in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class KindValidator:
    """The same check as a form field validator, so that the console shows the message next to the field."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, upload):
        try:
            check(upload, kind=self.kind)
        except RuleViolation as exc:
            raise ValidationError([str(m) for messages in exc.fields.values() for m in messages]) from None


class ScopedFileInput(forms.ClearableFileInput):
    """The console's file input, linking the current file to the view that checks access (MEDIA_URL serves
    nothing)."""

    def __init__(self, url_name: str, attrs=None):
        self.url_name = url_name
        super().__init__(attrs)

    def format_value(self, value):
        from django.urls import reverse

        value = super().format_value(value)
        if self.is_initial(value) and getattr(value, "instance", None) is not None and value.instance.pk:
            return _Linked(str(value), reverse(self.url_name, args=[value.instance.pk]))
        return value


class _Linked:
    def __init__(self, name: str, url: str):
        self.name, self.url = name, url

    def __str__(self):
        return self.name
