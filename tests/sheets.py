"""The text of a spreadsheet, for tests that look for a value anywhere in an exported file."""

import html
import io
import zipfile


def xlsx_text(content: bytes) -> str:
    """Every XML part of the .xlsx, with character references read back: openpyxl writes non-ASCII text as
    `&#22797;` when lxml is installed and as UTF-8 when it is not, and a test must see the same text either way."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return html.unescape("".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xml")))


def xlsx_book(response):
    """The workbook an export view answered with (asserting it is one)."""
    from openpyxl import load_workbook

    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]
