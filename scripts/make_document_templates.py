"""Writes the default .docx templates of congress/document_templates/ (docxtpl placeholders in the layout of
GB/T 9704-2012): run it after changing the layout here, and commit the files. A congress replaces a template by
uploading its own .docx with the same placeholders (the console's document templates)."""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
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


def _table(doc, header, cells, widths, rows="items", name="item"):
    """A table with a row per element `name` of `rows` (docxtpl's {%tr %} rows), in 五号 so a row's dates stay on
    one line."""
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
    table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {name} in {rows} %}}")
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


def supervision_notice():
    """督办通知: to the lead units of a key supervision item, its suggestions and what is required by when."""
    doc = Document()
    _page(doc)
    _head(doc)
    _paragraph(doc, "{{ title }}", font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, after=14)
    _paragraph(doc, "{{ recipient }}：")
    _paragraph(
        doc,
        "经研究，“{{ item_title }}”列为{{ year }}年度重点督办事项，由{{ supervisor }}督办。督办的代表建议共"
        "{{ count }}件（见下表），现将有关要求通知如下：",
        indent=True,
    )
    _paragraph(doc, "{%p for line in requirements %}")
    _paragraph(doc, "{{ line }}", indent=True)
    _paragraph(doc, "{%p endfor %}")
    _paragraph(doc, "请于{{ report_by }}前将办理情况书面报送本机关。", indent=True)
    _paragraph(doc)
    header = ["建议编号", "标题", "领衔代表", "主办单位", "答复期限"]
    cells = ["{{ item.number }}", "{{ item.title }}", "{{ item.lead }}", "{{ item.units }}", "{{ item.due }}"]
    _table(doc, header, cells, widths=[26, 50, 20, 32, 28])  # 156 mm: the type area's width
    _foot(doc)
    doc.save(HERE / "supervision_notice.docx")


def reminder_letter():
    """催办函: to a unit with overdue assignments, each with its deadline and the days it is overdue."""
    doc = Document()
    _page(doc)
    _head(doc)
    _paragraph(doc, "{{ title }}", font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, after=14)
    _paragraph(doc, "{{ recipient }}：")
    _paragraph(
        doc,
        "截至{{ today }}，你单位承办的代表建议中有{{ count }}件已超过办理期限，尚未答复（见下表）。请高度重视，"
        "抓紧办理，尽快答复代表，并将办理情况和逾期原因书面报送本机关。",
        indent=True,
    )
    _paragraph(doc)
    header = ["建议编号", "标题", "领衔代表", "办理方式", "答复期限", "逾期天数"]
    cells = ["{{ item.number }}", "{{ item.title }}", "{{ item.lead }}", "{{ item.role }}", "{{ item.due }}",
             "{{ item.days }}天"]  # fmt: skip
    _table(doc, header, cells, widths=[24, 46, 18, 20, 28, 20])  # 156 mm: the type area's width
    _foot(doc)
    doc.save(HERE / "reminder_letter.docx")


def _landscape(doc):
    """A4 landscape for records with wide tables (a ledger, a certificate)."""
    _page(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    section.left_margin, section.right_margin = Mm(25), Mm(25)


def station_ledger():
    """台账: a station's receptions, deputies' visits and citizens' opinions with their outcome, for a period."""
    doc = Document()
    _landscape(doc)
    _paragraph(doc, "{{ station }}工作台账", font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    _paragraph(doc, "（{{ start }}至{{ end }}）", align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    _paragraph(
        doc,
        "本期共组织接待活动{{ receptions|length }}次，代表进站履职{{ visits|length }}人次，收到群众意见"
        "{{ opinions|length }}件，其中已办结{{ closed }}件。",
        indent=True,
    )
    _paragraph(doc, "一、接待活动", font=HEADING_FONT, before=6)
    _table(doc, ["日期", "时间", "主题", "接待代表", "接待群众（人次）", "状态"],
                ["{{ row.date }}", "{{ row.time }}", "{{ row.topic }}", "{{ row.deputies }}",
                 "{{ row.citizens }}", "{{ row.status }}"], [30, 28, 70, 65, 30, 24],
           rows="receptions", name="row")  # fmt: skip
    _paragraph(doc, "二、代表进站履职", font=HEADING_FONT, before=6)
    _table(doc, ["日期", "代表", "履职内容", "接待群众（人次）", "事项"],
                ["{{ row.date }}", "{{ row.deputy }}", "{{ row.activity }}", "{{ row.citizens }}",
                 "{{ row.topics }}"], [30, 34, 40, 30, 113], rows="visits", name="row")  # fmt: skip
    _paragraph(doc, "三、群众意见及办理情况", font=HEADING_FONT, before=6)
    _table(doc, ["编号", "收到日期", "类别", "意见摘要", "办理方式", "办理情况", "承办单位"],
                ["{{ row.code }}", "{{ row.date }}", "{{ row.category }}", "{{ row.subject }}", "{{ row.route }}",
                 "{{ row.outcome }}", "{{ row.unit }}"], [24, 24, 26, 56, 30, 57, 30],
           rows="opinions", name="row")  # fmt: skip
    _paragraph(doc, "制表：{{ station }}　　制表日期：{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, before=12)
    doc.save(HERE / "station_ledger.docx")


def _page_border(doc):
    """A red double line round the page (a certificate's frame)."""
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for side in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{side}")
        for key, value in {"w:val": "double", "w:sz": "18", "w:space": "24", "w:color": "C00000"}.items():
            line.set(qn(key), value)
        borders.append(line)
    # The schema's order: right after the margins (pgMar), where Word looks for it.
    doc.sections[0]._sectPr.find(qn("w:pgMar")).addnext(borders)


def certificate():
    """荣誉证书: one page, landscape, for one winning case of a case selection."""
    doc = Document()
    _landscape(doc)
    _page_border(doc)
    section = doc.sections[0]
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    section.left_margin, section.right_margin = Mm(35), Mm(35)
    size = Pt(20)
    title = _paragraph(doc, "荣 誉 证 书", font=TITLE_FONT, size=Pt(48), align=WD_ALIGN_PARAGRAPH.CENTER,
                       color=RED, before=12, after=24)  # fmt: skip
    title.paragraph_format.line_spacing = Pt(64)
    for text, options in [
        ("{{ winners }}：", {}),
        ("{{ case_title_line }}在{{ campaign }}中，被评为“{{ award }}”。", {"indent": True}),
        ("特发此证，以资鼓励。", {"indent": True}),
    ]:
        p = _paragraph(doc, text, size=size, **options)
        p.paragraph_format.line_spacing = Pt(40)
        if options.get("indent"):
            p.paragraph_format.first_line_indent = Pt(40)
    _paragraph(doc, "{% if unit %}（推荐单位：{{ unit }}）{% endif %}", size=SIZE_3, indent=True, before=6)
    for text in ("{{ issuer }}", "{{ date }}"):
        p = _paragraph(doc, text, size=size, align=WD_ALIGN_PARAGRAPH.RIGHT, before=6)
        p.paragraph_format.line_spacing = Pt(40)
        p.paragraph_format.right_indent = Pt(40)
    doc.save(HERE / "certificate.docx")


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
    reply_letter()
    duty_record()
    supervision_notice()
    reminder_letter()
    station_ledger()
    certificate()
    assignment_list()
    suggestion_compilation()
    reply_compilation()
    print("written:", *sorted(p.name for p in HERE.glob("*.docx")))
