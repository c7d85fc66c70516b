"""Uploaded files: few, small, and of a type checked by content, not by name."""

from django import forms
from django.utils.translation import gettext as _

from congress.errors import RuleViolation

MAX_FILES = 3
MAX_BYTES = 5 * 1024 * 1024
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
]


def sniff(upload) -> str | None:
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def check_all(files, *, max_files: int = MAX_FILES, field: str = "files") -> list[tuple[object, str]]:
    """Return (file, content type) pairs, or raise naming what is wrong."""
    files = [f for f in files if f]
    if len(files) > max_files:
        raise RuleViolation(fields={field: [_("Attach at most %(n)s files.") % {"n": max_files}]})
    checked = []
    for upload in files:
        if upload.size > MAX_BYTES:
            raise RuleViolation(fields={field: [_("%(name)s is larger than 5 MB.") % {"name": upload.name}]})
        content_type = sniff(upload)
        if content_type is None:
            raise RuleViolation(
                fields={field: [_("%(name)s is not a JPEG or PNG photo or a PDF.") % {"name": upload.name}]}
            )
        checked.append((upload, content_type))
    return checked


def check_pdf(upload, field: str = "letter"):
    """One required PDF (a signed letter)."""
    if not upload:
        raise RuleViolation(fields={field: [_("Upload the signed letter as a PDF.")]})
    [(upload, content_type)] = check_all([upload], max_files=1, field=field)
    if content_type != "application/pdf":
        raise RuleViolation(fields={field: [_("%(name)s is not a PDF.") % {"name": upload.name}]})
    return upload


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
