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


def _table(doc, header, cells, widths, rows="items"):
    """A table with a row per item of `rows` (docxtpl's {%tr %} rows), in 五号 so a row's dates stay on one
    line."""
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
    table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for item in {rows} %}}")
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


def _loop(doc, items, text, **style):
    """A paragraph per item of `items` (docxtpl's {%p %} paragraphs)."""
    _paragraph(doc, f"{{%p for line in {items} %}}")
    _paragraph(doc, text, **style)
    _paragraph(doc, "{%p endfor %}")


def _copy_line(doc, text):
    """版记: a line between two rules at the foot of the last page (抄送)."""
    rule = _paragraph(doc, before=6)
    rule.paragraph_format.line_spacing = Pt(8)  # the rule alone, not a line of text
    _red_rule(rule)
    _paragraph(doc, text, size=Pt(14))


def reply_letter():
    """答复函, in the letter format (信函格式): the unit's name as the mark, its number left for the unit's register,
    the result category at the top left (答复类别) as the suggestion rules ask."""
    doc = Document()
    _page(doc)
    _head(doc)
    _paragraph(doc, "{{ category }}", font=HEADING_FONT)
    _paragraph(doc, "{{ title }}", font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, after=14)
    _paragraph(doc, "{{ recipient }}：")
    _paragraph(doc, "您提出的《{{ suggestion_title }}》的建议收悉。现答复如下：", indent=True)
    _loop(doc, "paragraphs", "{{ line }}", indent=True)
    _paragraph(doc, "{%p if follow_up %}")
    _paragraph(doc, "下一步，我们将：", indent=True)
    _loop(doc, "follow_up", "{{ line }}", indent=True)
    _paragraph(doc, "{%p endif %}")
    _paragraph(doc, "感谢您对我们工作的关心和支持，欢迎继续提出意见和建议。", indent=True)
    issuer = _paragraph(doc, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.RIGHT, before=14)
    issuer.paragraph_format.right_indent = Pt(64)
    _paragraph(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = Pt(64)
    _paragraph(doc, '（联系人：{{ contact or "　　　　" }}，联系电话：{{ phone or "　　　　　　" }}）', indent=True)
    _copy_line(doc, "抄送：{{ copy_to }}。")
    doc.save(HERE / "reply_letter.docx")


def duty_record():
    """履职档案: a record, not an issued document, so no number; the congress's name heads it."""
    doc = Document()
    _page(doc)
    _paragraph(doc, "{{ congress }}", align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    _paragraph(doc, "{{ title }}", font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, before=8)
    _paragraph(doc, "（{{ period }}）", align=WD_ALIGN_PARAGRAPH.CENTER, after=14)
    _paragraph(doc, "一、基本情况", font=HEADING_FONT)
    _table(doc, ["项目", "内容"], ["{{ item.label }}", "{{ item.value }}"], widths=[40, 116], rows="basics")
    _paragraph(doc, "二、履职积分", font=HEADING_FONT, before=14)
    _table(doc, ["年度", "基础分", "加分", "扣分", "得分", "等次"],
           ["{{ item.year }}", "{{ item.base }}", "{{ item.additions }}", "{{ item.deductions }}",
            "{{ item.score }}", "{{ item.grade }}"], widths=[24, 26, 26, 26, 26, 28], rows="scores")  # fmt: skip
    _paragraph(doc, "三、履职情况汇总", font=HEADING_FONT, before=14)
    _table(doc, ["履职事项", "次数", "积分"], ["{{ item.kind }}", "{{ item.count }}", "{{ item.points }}"],
           widths=[96, 30, 30], rows="summary")  # fmt: skip
    _paragraph(doc, "四、履职记录（共{{ entries|length }}项）", font=HEADING_FONT, before=14)
    _table(doc, ["日期", "事项", "内容", "积分"],
           ["{{ item.date }}", "{{ item.kind }}", "{{ item.title }}", "{{ item.points }}"],
           widths=[26, 34, 76, 20], rows="entries")  # fmt: skip
    _paragraph(doc)
    _paragraph(doc, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = Pt(64)
    _paragraph(doc, "打印日期：{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = Pt(64)
    doc.save(HERE / "duty_record.docx")


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    assignment_letter()
    reply_letter()
    duty_record()
    print("written:", *sorted(p.name for p in HERE.glob("*.docx")))
