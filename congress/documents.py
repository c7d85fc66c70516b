"""Official documents (公文) generated from .docx templates: .docx for offices to edit and print, PDF to read.

The templates are docxtpl files (Jinja placeholders inside an ordinary Word document), so an office can open the
default one in Word or WPS, change the wording or the layout and upload it back (DocumentTemplate) with the same
placeholders. The defaults in congress/document_templates/ are written by scripts/make_document_templates.py in
the layout of GB/T 9704-2012. PDF comes from the same .docx through LibreOffice (Debian's
`libreoffice-writer-nogui`), so the PDF and the editable file never differ; the standard's fonts are replaced by
free ones from Debian's packages (document_templates/fonts.conf). Numbers (文号) come from the register
IssuedDocument, one sequence per congress and year, given inside the caller's transaction."""

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from docxtpl import DocxTemplate, RichText

from . import audit
from .models import Congress, DocumentTemplate, IssuedDocument, Organisation, OrganisationKind

DEFAULTS = Path(__file__).resolve().parent / "document_templates"
FONTS_CONF = DEFAULTS / "fonts.conf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
# A batch of letters is converted together by one LibreOffice process (its start-up costs seconds); a batch
# larger than this is split so a PDF never waits on one huge conversion.
CONVERT_AT_ONCE = 50
CONVERT_TIMEOUT = 600


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    template: str  # file name in DEFAULTS


KINDS = {
    kind.code: kind
    for kind in [
        Kind("assignment_letter", _("assignment letter (交办函)"), "assignment_letter.docx"),
        Kind("reply_letter", _("reply letter (答复函)"), "reply_letter.docx"),
        Kind("duty_record", _("duty record (履职档案)"), "duty_record.docx"),
    ]
}
KINDS["certificate"] = Kind("certificate", _("certificate for a case-selection winner (荣誉证书)"), "certificate.docx")
KINDS["station_ledger"] = Kind("station_ledger", _("station ledger (台账)"), "station_ledger.docx")
KINDS["supervision_notice"] = Kind("supervision_notice", _("supervision notice (督办通知)"), "supervision_notice.docx")
KINDS["reminder_letter"] = Kind(
    "reminder_letter", _("reminder letter to an overdue unit (催办函)"), "reminder_letter.docx"
)

# A session's list and the compilations: one document each, however many items they hold.
KINDS.update(
    {
        kind.code: kind
        for kind in [
            Kind("assignment_list", _("assignment list (交办清单)"), "assignment_list.docx"),
            Kind("suggestion_compilation", _("compilation of suggestions (建议汇编)"), "suggestion_compilation.docx"),
            Kind("reply_compilation", _("compilation of replies for disclosure (答复汇编)"), "reply_compilation.docx"),
        ]
    }
)
UNO_SCRIPT = DEFAULTS / "update_contents.py"


class ConversionUnavailable(RuntimeError):
    """LibreOffice is not installed: .docx still works, PDF does not."""


def soffice() -> str | None:
    return getattr(settings, "SOFFICE_PATH", None) or shutil.which("soffice") or shutil.which("libreoffice")


def settings_of(congress: Congress, kind: str) -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(congress=congress, kind=kind).first()


def issuer_of(congress: Congress, own: DocumentTemplate | None = None) -> str:
    """The issuing body printed in red: the congress's own wording, else its standing committee's name."""
    if own is not None and own.issuer:
        return own.issuer
    committee = Organisation.objects.filter(congress=congress, kind=OrganisationKind.STANDING_COMMITTEE).first()
    return committee.name if committee else f"{congress.name}常务委员会"


# GB/T 9704: the issuing body's mark is red, centred, at most the type area's width (156 mm, 442 pt) on one line.
TYPE_AREA_PT = 442
MARK_MAX_PT = 36


def issuer_mark(issuer: str, suffix: str = "文件") -> RichText:
    """The red mark at the top (发文机关标志), "<issuer>文件" (a letter's mark is the issuer's name alone), as large as
    fits on one line."""
    text = f"{issuer}{suffix}"
    size = min(MARK_MAX_PT, int(TYPE_AREA_PT / max(len(text), 1)))
    return RichText(text, font="方正小标宋简体", size=size * 2, color="E60012")


def template_bytes(congress: Congress, kind: str, own: DocumentTemplate | None = None) -> bytes:
    own = own if own is not None else settings_of(congress, kind)
    if own is not None and own.file:
        with own.file.open("rb") as uploaded:
            return uploaded.read()
    return (DEFAULTS / KINDS[kind].template).read_bytes()


def check_template(data: bytes) -> None:
    """Refuse an upload that docxtpl cannot fill (not a .docx, or placeholders it cannot parse)."""
    try:
        render(data, {"items": []}, strict=False)
    except Exception as exc:  # docxtpl raises zipfile, lxml and Jinja errors alike
        raise ValueError(str(exc)) from exc


def render(template: bytes, context: dict, *, strict: bool = True) -> bytes:
    document = DocxTemplate(io.BytesIO(template))
    if strict:
        document.render(context, autoescape=True)
    else:
        from jinja2 import Environment, Undefined

        document.render(context, jinja_env=Environment(undefined=Undefined, autoescape=True))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def issue_number(*, actor, congress: Congress, kind: str, year: int, subject: str, title: str) -> IssuedDocument:
    """The document's number: the one it was given before for the same subject, else the congress's next of the
    year. The congress row is locked while the number is taken, so two writers never take the same one."""
    with transaction.atomic():
        known = IssuedDocument.objects.filter(congress=congress, kind=kind, subject=subject).first()
        if known is not None:
            return known
        Congress.objects.select_for_update().only("pk").get(pk=congress.pk)
        last = IssuedDocument.objects.filter(congress=congress, year=year).aggregate(last=Max("sequence"))["last"]
        sequence = (last or 0) + 1
        own = settings_of(congress, kind)
        prefix = own.number_prefix if own is not None else ""
        issued = IssuedDocument.objects.create(
            congress=congress, kind=kind, year=year, sequence=sequence, number=f"{prefix}〔{year}〕{sequence}号",
            subject=subject[:200], title=title[:200], issued_by=actor,
        )  # fmt: skip
        audit.record(actor, issued, "document_issued", number=issued.number, kind=kind)
        return issued


def to_pdf(documents: list[bytes]) -> list[bytes]:
    """Each .docx as PDF, converted by LibreOffice headless in a private profile (so conversions may run side by
    side), with the font substitutes of fonts.conf."""
    binary = soffice()
    if binary is None:
        raise ConversionUnavailable(_("PDF needs LibreOffice (apt-get install libreoffice-writer-nogui)."))
    pdfs = []
    for start in range(0, len(documents), CONVERT_AT_ONCE):
        pdfs.extend(_convert(binary, documents[start : start + CONVERT_AT_ONCE]))
    return pdfs


def _convert(binary: str, documents: list[bytes]) -> list[bytes]:
    with tempfile.TemporaryDirectory(prefix="documents-") as work:
        folder = Path(work)
        names = []
        for index, data in enumerate(documents):
            path = folder / f"{index:05d}.docx"
            path.write_bytes(data)
            names.append(path)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": work}
        command = [binary, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, names)]  # fmt: skip
        done = subprocess.run(command, env=env, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
        pdfs = [folder / "pdf" / f"{path.stem}.pdf" for path in names]
        missing = [path.name for path in pdfs if not path.exists()]
        if done.returncode or missing:
            raise RuntimeError(f"LibreOffice could not convert {missing or 'the documents'}: {done.stderr[-500:]!r}")
        return [path.read_bytes() for path in pdfs]


def join_pdfs(pdfs: list[bytes]) -> bytes:
    """One PDF of several, by poppler's pdfunite (poppler-utils), page after page."""
    if len(pdfs) == 1:
        return pdfs[0]
    binary = shutil.which("pdfunite")
    if binary is None:
        raise ConversionUnavailable(_("Joining PDFs needs poppler-utils (apt-get install poppler-utils)."))
    with tempfile.TemporaryDirectory(prefix="documents-") as work:
        parts = []
        for index, data in enumerate(pdfs):
            path = Path(work) / f"{index:05d}.pdf"
            path.write_bytes(data)
            parts.append(str(path))
        target = Path(work) / "all.pdf"
        subprocess.run([binary, *parts, str(target)], check=True, capture_output=True, timeout=CONVERT_TIMEOUT)
        return target.read_bytes()


def safe_name(name: str, limit: int = 80) -> str:
    """A file name with the characters Windows refuses replaced, cut to a length every archiver takes."""
    return "".join("_" if char in '\\/:*?"<>|' else char for char in name)[:limit]


def bundle(named: list[tuple[str, bytes]], fmt: str, stem: str) -> tuple[str, bytes]:
    """Several .docx as one download, (file name, content): a zip of them under the names given, or one PDF of
    them all, page after page."""
    if fmt == "pdf":
        return f"{stem}.pdf", join_pdfs(to_pdf([docx for _name, docx in named]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, docx in named:
            archive.writestr(f"{safe_name(name)}.docx", docx)
    return f"{stem}.zip", buffer.getvalue()


def uno_python() -> str | None:
    """Debian's python3 with LibreOffice's UNO bridge (python3-uno): the project's own Python has none."""
    configured = getattr(settings, "UNO_PYTHON", "")
    if configured:
        return configured
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and Path(candidate).exists():
            found = subprocess.run([candidate, "-c", "import uno"], capture_output=True, check=False, timeout=60)
            if found.returncode == 0:
                return candidate
    return None


def to_pdf_with_contents(document: bytes) -> bytes:
    """One .docx with a table of contents as PDF, its contents updated by LibreOffice first so each entry names
    the page its heading falls on (plain conversion keeps the entries as the .docx holds them). A session's 2,000
    suggestions (2,300 pages) take well under a minute, far inside the timeout."""
    binary, python = soffice(), uno_python()
    if binary is None or python is None:
        raise ConversionUnavailable(
            _("PDF with contents needs LibreOffice and its Python bridge (apt-get install libreoffice-writer-nogui "
              "python3-uno).")
        )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="documents-") as work:
        folder = Path(work)
        source, target = folder / "document.docx", folder / "document.pdf"
        source.write_bytes(document)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": work}
        command = [python, str(UNO_SCRIPT), binary, str(folder / "profile"), str(source), str(target)]
        done = subprocess.run(command, env=env, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
        if done.returncode or not target.exists():
            raise RuntimeError(f"LibreOffice could not convert the document: {done.stderr[-500:]!r}")
        return target.read_bytes()
