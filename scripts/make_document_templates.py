"""Writes the default .docx templates of congress/document_templates/ (docxtpl placeholders in the layout of
GB/T 9704-2012): run it after changing the layout here, and commit the files. A congress replaces a template by
uploading its own .docx with the same placeholders (the console's document templates)."""

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parents[1] / "congress" / "document_templates"
RED = RGBColor(0xE6, 0x00, 0x12)
# The fonts GB/T 9704 names, by the names offices' machines know them; on Debian the PDF is drawn with the
# substitutes congress/document_templates/fonts.conf names.
TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
SIZE_2, SIZE_3, SIZE_5 = Pt(22), Pt(16), Pt(10.5)  # 二号, 三号, 五号


def _font(run, name, size, *, bold=False, color=None):
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


def _paragraph(doc_or_cell, text="", *, font=BODY_FONT, size=SIZE_3, align=None, indent=False, bold=False,
               color=None, before=0, after=0):  # fmt: skip
    p = doc_or_cell.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)  # 每页 22 行: the standard's fixed line pitch for 三号 text
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    if text:
        _font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _red_rule(paragraph):
    """The red separator line under the document number (版头中的分隔线)."""
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "12", "w:space": "4", "w:color": "E60012"}.items():
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _page(doc):
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _head(doc):
    """版头: the issuing body's mark in red, the document number, the red rule."""
    # The mark's size depends on its length (it must fit the type area's width on one line): the code hands it over
    # as rich text (congress.documents.issuer_mark); an office's own template may write {{ issuer }}文件 instead.
    mark = doc.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    mark.paragraph_format.space_after = Pt(12)
    mark.add_run("{{r issuer_mark }}")
    number = _paragraph(doc, "{{ number }}", align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    _red_rule(number)
    _paragraph(doc)


def _foot(doc):
    """The issuing body and date, right, over the seal's place (成文日期右空四字)."""
    _paragraph(doc)
    _paragraph(doc, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = Pt(64)
    _paragraph(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = Pt(64)
    _paragraph(doc, "（联系人：{{ contact }}）", indent=True, before=14)


def _table(doc, header, cells, widths):
    """A table with a row per item (docxtpl's {%tr %} rows), in 五号 so a row's dates stay on one line."""
    table = doc.add_table(rows=4, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice reads; Word reads the cells' widths below
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, SIZE_5)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for item in items %}")
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        _font(cell.paragraphs[0].add_run(text), BODY_FONT, SIZE_5)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")


def assignment_letter():
    doc = Document()
    _page(doc)
    _head(doc)
    _paragraph(doc, "{{ title }}", font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, after=14)
    _paragraph(doc, "{{ recipient }}：")
    _paragraph(
        doc,
        "现将{{ session }}代表提出的建议{{ count }}件交由你单位办理（见下表）。请认真研究办理，主办件在表列期限内"
        "答复代表，会办件在表列期限内将会办意见送主办单位，并将答复情况抄送本机关。",
        indent=True,
    )
    _paragraph(doc)
    header = ["建议编号", "标题", "领衔代表", "办理方式", "答复期限"]
    cells = ["{{ item.number }}", "{{ item.title }}", "{{ item.lead }}", "{{ item.role }}", "{{ item.due }}"]
    _table(doc, header, cells, widths=[28, 52, 20, 22, 34])  # 156 mm: the type area's width
    _foot(doc)
    doc.save(HERE / "assignment_letter.docx")


def _repeat_header(table):
    """The table's first row repeats at the top of every page it runs over (a session's list runs to many)."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(flag)


def assignment_list():
    """交办清单: every assignment of a session, one row per suggestion, as an attachment-style numbered document."""
    doc = Document()
    _page(doc)
    _head(doc)
    _paragraph(doc, "{{ title }}", font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, after=14)
    _paragraph(
        doc,
        "{{ session }}代表提出的建议共{{ count }}件，分别交由{{ units }}个承办单位办理，清单如下。"
        "主办单位在答复期限内答复代表，会办单位在交办之日起一个月内将会办意见送主办单位。",
        indent=True,
    )
    _paragraph(doc)
    header = ["建议编号", "标题", "领衔代表", "主办单位", "会办单位", "答复期限"]
    cells = ["{{ item.number }}", "{{ item.title }}", "{{ item.lead }}", "{{ item.lead_units }}",
             "{{ item.co_units }}", "{{ item.due }}"]  # fmt: skip
    _table(doc, header, cells, widths=[22, 42, 18, 27, 27, 20])  # 156 mm: the type area's width
    _repeat_header(doc.tables[-1])
    _foot(doc)
    doc.save(HERE / "assignment_list.docx")


def _outline_heading(doc):
    """Heading 1 in the standard's 黑体 三号, black: the level the contents are built from."""
    style = doc.styles["Heading 1"]
    style.font.name, style.font.size, style.font.bold = HEADING_FONT, SIZE_3, False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(key), HEADING_FONT)
    for key in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(key), None)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(14), Pt(7), True
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)


def _field_char(paragraph, kind, *, dirty=False):
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    run = paragraph.add_run()
    run._r.append(char)


def _contents(doc):
    """目录: a Word TOC field over the headings. Its entries as written list each item without a page; Word and
    WPS refresh them on opening (updateFields), and the PDF is drawn after LibreOffice updated them
    (congress.documents.to_pdf_with_contents), so the PDF's contents carry real page numbers."""
    _paragraph(doc, "目　　录", font=HEADING_FONT, size=SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER, after=14)
    start = _paragraph(doc)
    _field_char(start, "begin", dirty=True)
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = ' TOC \\o "1-1" \\h \\z \\u '
    start.add_run()._r.append(instruction)
    _field_char(start, "separate")
    _paragraph(doc, "{%p for item in items %}")
    _paragraph(doc, "{{ item.heading }}", size=SIZE_5)
    _paragraph(doc, "{%p endfor %}")
    _field_char(_paragraph(doc), "end")
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)


def _cover(doc):
    """The compilation's cover: its title, the issuing body and the date, then the contents on a new page."""
    for _ in range(6):
        _paragraph(doc)
    _paragraph(doc, "{{ title }}", font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, after=14)
    _paragraph(doc, "{{ subtitle }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(8):
        _paragraph(doc)
    _paragraph(doc, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.add_page_break()
    _contents(doc)
    doc.add_page_break()


def _body(doc, text):
    """The item's text, one paragraph per paragraph of the source (a docxtpl loop), indented two characters."""
    _paragraph(doc, "{%p for line in " + text + " %}")
    _paragraph(doc, "{{ line }}", indent=True)
    _paragraph(doc, "{%p endfor %}")


def suggestion_compilation():
    """建议汇编: a session's suggestions with contents, each with its number, title, deputies and text."""
    doc = Document()
    _page(doc)
    _outline_heading(doc)
    _cover(doc)
    _paragraph(doc, "{%p for item in items %}")
    doc.add_paragraph("{{ item.heading }}", style="Heading 1")
    _paragraph(doc, "领衔代表：{{ item.lead }}{% if item.delegation %}（{{ item.delegation }}）{% endif %}")
    _paragraph(doc, "{%p if item.cosigners %}")
    _paragraph(doc, "联名代表：{{ item.cosigners }}")
    _paragraph(doc, "{%p endif %}")
    _paragraph(doc, "{%p if item.category %}")
    _paragraph(doc, "类　　别：{{ item.category }}")
    _paragraph(doc, "{%p endif %}")
    _body(doc, "item.paragraphs")
    _paragraph(doc, "{%p endfor %}")
    doc.save(HERE / "suggestion_compilation.docx")


def reply_compilation():
    """答复汇编（公开版）: a year's published replies with contents, in their published text, without deputies."""
    doc = Document()
    _page(doc)
    _outline_heading(doc)
    _cover(doc)
    _paragraph(doc, "{%p for item in items %}")
    doc.add_paragraph("{{ item.heading }}", style="Heading 1")
    _paragraph(doc, "{%p for answer in item.answers %}")
    _paragraph(doc, "{{ answer.unit }}（{{ answer.role }}）　{{ answer.date }}答复　办理结果：{{ answer.result }}",
               font=HEADING_FONT, before=7)  # fmt: skip
    _body(doc, "answer.paragraphs")
    _paragraph(doc, "{%p endfor %}")
    _paragraph(doc, "{%p endfor %}")
    doc.save(HERE / "reply_compilation.docx")


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    assignment_letter()
    assignment_list()
    suggestion_compilation()
    reply_compilation()
    print("written:", *sorted(p.name for p in HERE.glob("*.docx")))
