"""Office files that are zip bombs: small on the wire, huge once a parser unpacks them."""

import io
import zipfile

MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def xlsx_bomb(unpacked_mb: int = 200) -> bytes:
    """An .xlsx with one shared string of unpacked_mb MB of a single repeated letter (about 200 kB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", MANIFEST)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b'<sst count="1" uniqueCount="1"><si><t>')
            chunk = b"A" * (1024 * 1024)
            for _ in range(unpacked_mb):
                member.write(chunk)
            member.write(b"</t></si></sst>")
    return buffer.getvalue()


def xlsx_with_members(count: int) -> bytes:
    """A small .xlsx holding count empty members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", MANIFEST)
        for number in range(count):
            archive.writestr(f"xl/media/{number}.bin", b"")
    return buffer.getvalue()
