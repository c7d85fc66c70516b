"""Attachments citizens upload: few, small, and of a type checked by content, not by name."""

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


def check_all(files) -> list[tuple[object, str]]:
    """Return (file, content type) pairs, or raise naming what is wrong."""
    files = [f for f in files if f]
    if len(files) > MAX_FILES:
        raise RuleViolation(fields={"files": [_("Attach at most %(n)s files.") % {"n": MAX_FILES}]})
    checked = []
    for upload in files:
        if upload.size > MAX_BYTES:
            raise RuleViolation(fields={"files": [_("%(name)s is larger than 5 MB.") % {"name": upload.name}]})
        content_type = sniff(upload)
        if content_type is None:
            raise RuleViolation(
                fields={"files": [_("%(name)s is not a JPEG or PNG photo or a PDF.") % {"name": upload.name}]}
            )
        checked.append((upload, content_type))
    return checked
