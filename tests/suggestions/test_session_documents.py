"""A session's assignment list (交办清单) and compilation of suggestions (建议汇编), and a year's compilation of
replies for disclosure (答复汇编): one .docx or PDF each, written in the background from the staff page, for the
staff of the congress only. The PDFs are read back with poppler, and their first page drawn to PNG."""

import io
import re
import shutil
import subprocess
import zipfile

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from congress import documents
from congress.models import ConsoleJob, IssuedDocument
from suggestions import services
from tests import factories as core
from tests.deputies.factories import current_term

from . import factories as f

pytestmark = pytest.mark.django_db
PAGE = "suggestions:session_documents"
needs_pdf = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None or documents.uno_python() is None,
    reason="PDF needs LibreOffice, its Python bridge and poppler-utils (apt-get install libreoffice-writer-nogui "
    "python3-uno poppler-utils fonts-arphic-ukai fonts-arphic-uming)",
)
PHONE, ID_NUMBER = "13800001111", "440106198005170011"


def text_of(docx: bytes) -> str:
    document = Document(io.BytesIO(docx))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def table_rows(docx: bytes) -> list[list[str]]:
    [table] = Document(io.BytesIO(docx)).tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def squeezed(text: str) -> str:
    return "".join(text.split())


def on_page(heading: str, page: int, contents: str) -> bool:
    """The contents name the heading, dot leaders, and the page number."""
    return re.search(re.escape(squeezed(heading)) + r"\.{3,}" + str(page) + r"(?!\d)", contents) is not None


def pdf_facts(content: bytes, tmp_path, name: str) -> tuple[int, list[str]]:
    """The PDF's page count and each page's text (spaces removed: pdftotext spaces digits from the Chinese), with
    its first page drawn to PNG in the test's directory, to look at when the layout is in doubt."""
    assert content.startswith(b"%PDF")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    texts = [squeezed(page) for page in text.split("\f")][:pages]
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(tmp_path / name)], check=True)  # fmt: skip
    assert (tmp_path / f"{name}.png").stat().st_size > 5_000
    return pages, texts


@pytest.fixture
def session(congress):
    return f.session_of(current_term(congress))


@pytest.fixture
def assigned(congress, staff, mandate, lead_unit, co_unit, session):
    """On 10 March 2026, in the session: two suggestions led by 王建国, both to 省教育厅, the first co-handled by
    省财政厅; a third suggestion, between sessions, to 省教育厅."""
    mandate.person.name = "王建国"
    mandate.person.save()
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        first = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]], title="加强中小学课后服务", session=session)
        second = f.assigned(mandate, staff, lead_unit[0], title="改善农村道路交通安全", session=session)
        f.assigned(mandate, staff, lead_unit[0], title="闭会期间的建议")
    return first, second


def start(client, user, congress, data, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse(PAGE), {"congress": congress.pk, **data})


def download(client, staff, congress, data, django_capture_on_commit_callbacks):
    response = start(client, staff, congress, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = ConsoleJob.objects.get()
    assert response["Location"] == reverse("admin:congress_consolejob_change", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ConsoleJob.Status.DONE, job.message
    with job.file.open("rb") as stored:
        return job, stored.read()


# The assignment list


def test_the_assignment_list_has_a_row_for_each_suggestion_of_the_session_with_its_units_and_due_date(
    client, congress, staff, session, assigned, django_capture_on_commit_callbacks
):
    first, second = assigned
    data = {"session": session.pk, "document": "assignment_list", "format": "docx"}
    job, content = download(client, staff, congress, data, django_capture_on_commit_callbacks)
    assert job.file.name.endswith(".docx")
    header, *rows = table_rows(content)
    assert header == ["建议编号", "标题", "领衔代表", "主办单位", "会办单位", "答复期限"]
    # 3 months from 10 March 2026 for the lead unit's reply; the suggestion made between sessions is not listed.
    assert rows == [
        [first.number_label, "加强中小学课后服务", "王建国", "省教育厅", "省财政厅", "2026年6月10日"],
        [second.number_label, "改善农村道路交通安全", "王建国", "省教育厅", "", "2026年6月10日"],
    ]
    text = text_of(content)
    assert "建议共2件" in text and "2个承办单位" in text and "〔2026〕1号" in text
    assert job.total == 2 and job.processed == 2


def test_the_assignment_list_keeps_its_number_when_written_again(
    client, congress, staff, session, assigned, django_capture_on_commit_callbacks
):
    data = {"session": session.pk, "document": "assignment_list", "format": "docx"}
    download(client, staff, congress, data, django_capture_on_commit_callbacks)
    ConsoleJob.objects.all().delete()
    download(client, staff, congress, data, django_capture_on_commit_callbacks)
    assert list(IssuedDocument.objects.values_list("kind", "number")) == [("assignment_list", "〔2026〕1号")]


def test_a_released_unit_is_not_listed(
    client, congress, staff, session, assigned, co_unit, django_capture_on_commit_callbacks
):
    first, _second = assigned
    first.assignments.filter(unit=co_unit[0]).update(status="released")
    data = {"session": session.pk, "document": "assignment_list", "format": "docx"}
    _job, content = download(client, staff, congress, data, django_capture_on_commit_callbacks)
    assert "省财政厅" not in text_of(content)


@needs_pdf
def test_the_assignment_list_pdf_is_one_page_in_chinese(
    client, congress, staff, session, assigned, django_capture_on_commit_callbacks, tmp_path
):
    data = {"session": session.pk, "document": "assignment_list", "format": "pdf"}
    _job, content = download(client, staff, congress, data, django_capture_on_commit_callbacks)
    pages, texts = pdf_facts(content, tmp_path, "assignment-list")
    assert pages == 1
    assert "加强中小学课后服务" in texts[0] and "省财政厅" in texts[0] and "〔2026〕1号" in texts[0]


# The compilation of suggestions


@pytest.fixture
def compiled(congress, staff, mandate, session, assigned):
    """Besides the two assigned: an accepted suggestion with a confirmed co-signer (李红) and one who declined
    (赵强), a draft and a declined suggestion of the session, none of the last two compiled."""
    confirmed = f.deputy(congress, name="李红")
    refused = f.deputy(congress, name="赵强")
    text = "本市养老服务设施分布不均。\n\n建议增加社区养老床位并给予运营补贴。"
    draft = f.draft(mandate, title="按时完善养老服务", session=session, content=text)
    services.save_draft(actor=mandate.person.user, suggestion_id=draft.pk, fields={},
                        cosigner_ids=[confirmed.pk, refused.pk])  # fmt: skip
    services.respond_cosign(actor=confirmed.person.user, cosigner_id=draft.cosigners.get(mandate=confirmed).pk,
                            confirm=True)  # fmt: skip
    services.respond_cosign(actor=refused.person.user, cosigner_id=draft.cosigners.get(mandate=refused).pk,
                            confirm=False)  # fmt: skip
    services.submit(actor=mandate.person.user, suggestion_id=draft.pk)
    third = services.accept(actor=staff, suggestion_id=draft.pk)
    f.draft(mandate, title="尚未提交的草稿", session=session)
    declined = f.submitted(mandate, title="不予受理的建议", session=session)
    services.decline(actor=staff, suggestion_id=declined.pk, reason="personal", comment="个人事务")
    return [*assigned, third]


def test_the_compilation_holds_each_accepted_suggestion_with_its_deputies_and_text_after_the_contents(
    client, congress, staff, session, compiled, django_capture_on_commit_callbacks
):
    first, second, third = compiled
    data = {"session": session.pk, "document": "suggestion_compilation", "format": "docx"}
    job, content = download(client, staff, congress, data, django_capture_on_commit_callbacks)
    paragraphs = [p.text for p in Document(io.BytesIO(content)).paragraphs if p.text.strip()]
    contents_at = paragraphs.index("目　　录")
    headings = [f"{s.number_label}　{s.title}" for s in (first, second, third)]
    # The contents list the three, in number order, then each follows with its deputies and its text.
    assert paragraphs[contents_at + 1 : contents_at + 4] == headings
    body = paragraphs[contents_at + 4 :]
    at = body.index(headings[2])
    assert body[at + 1 : at + 4] == ["领衔代表：王建国", "联名代表：李红", "类　　别：教育"]
    assert body[at + 4] == "本市养老服务设施分布不均。"
    assert body[at + 5] == "建议增加社区养老床位并给予运营补贴。"
    assert "赵强" not in "\n".join(paragraphs)
    assert "尚未提交的草稿" not in "\n".join(paragraphs) and "不予受理的建议" not in "\n".join(paragraphs)
    assert f.CONTENT in body
    assert job.total == 3 and job.processed == 3


@needs_pdf
def test_the_compilation_pdf_has_a_cover_contents_with_page_numbers_and_the_suggestions(
    client, congress, staff, session, compiled, django_capture_on_commit_callbacks, tmp_path
):
    first, _second, third = compiled
    data = {"session": session.pk, "document": "suggestion_compilation", "format": "pdf"}
    _job, content = download(client, staff, congress, data, django_capture_on_commit_callbacks)
    pages, texts = pdf_facts(content, tmp_path, "suggestion-compilation")
    # The cover, the contents, and three short suggestions on the third page.
    assert pages == 3
    assert "代表建议汇编" in texts[0] and congress.name in texts[0]
    # Each entry of the contents names the page its suggestion starts on: the third.
    for suggestion in (first, third):
        assert on_page(f"{suggestion.number_label}{suggestion.title}", 3, texts[1]), texts[1]
    assert "领衔代表：王建国" in texts[2] and "联名代表：李红" in texts[2] and "增加社区养老床位" in texts[2]


# The compilation of replies for disclosure


@pytest.fixture
def published(congress, staff, mandate, lead_unit, session):
    """Two suggestions replied in 2026, the first published with a reply holding a phone and an ID number; the
    second replied but not published."""
    mandate.person.name = "王建国"
    mandate.person.save()
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        shown = f.assigned(mandate, staff, lead_unit[0], title="加强中小学课后服务", session=session)
        hidden = f.assigned(mandate, staff, lead_unit[0], title="尚未公开的建议", session=session)
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False):
        f.reply_to(shown.assignments.get(), lead_unit[1],
                   text=f"经研究，已延长课后服务时间。\n经办人电话{PHONE}，身份证{ID_NUMBER}。")  # fmt: skip
        f.reply_to(hidden.assignments.get(), lead_unit[1], text="尚未公开的答复。")
        services.publish(actor=staff, suggestion_id=shown.pk)
    return shown


def test_the_reply_compilation_holds_the_published_replies_without_personal_data_or_deputies(
    client, congress, staff, published, django_capture_on_commit_callbacks
):
    data = {"document": "reply_compilation", "year": 2026, "format": "docx"}
    job, content = download(client, staff, congress, data, django_capture_on_commit_callbacks)
    text = text_of(content)
    assert f"{published.number_label}　加强中小学课后服务" in text
    assert "省教育厅（主办单位）　2026年5月6日答复　办理结果：A：已解决或基本解决" in text
    assert "经研究，已延长课后服务时间。" in text
    assert PHONE not in text and ID_NUMBER not in text and "[已删除]" in text
    assert "王建国" not in text
    assert "尚未公开" not in text
    assert job.total == 1 and job.processed == 1


def test_a_published_reply_edited_afterwards_is_scrubbed_again(
    client, congress, staff, published, django_capture_on_commit_callbacks
):
    reply = published.assignments.get().replies.get()
    reply.public_text = f"答复已修订，请致电{PHONE}。"
    reply.save()
    data = {"document": "reply_compilation", "year": 2026, "format": "docx"}
    _job, content = download(client, staff, congress, data, django_capture_on_commit_callbacks)
    text = text_of(content)
    assert "答复已修订" in text and PHONE not in text


@needs_pdf
def test_the_reply_compilation_pdf_has_contents_with_page_numbers_and_no_phone(
    client, congress, staff, published, django_capture_on_commit_callbacks, tmp_path
):
    data = {"document": "reply_compilation", "year": 2026, "format": "pdf"}
    _job, content = download(client, staff, congress, data, django_capture_on_commit_callbacks)
    pages, texts = pdf_facts(content, tmp_path, "reply-compilation")
    assert pages == 3
    assert "代表建议答复汇编" in texts[0]
    assert on_page(f"{published.number_label}加强中小学课后服务", 3, texts[1]), texts[1]
    assert "已延长课后服务时间" in texts[2]
    assert PHONE not in "".join(texts) and ID_NUMBER not in "".join(texts)


def test_a_year_without_publications_is_refused_with_a_message(client, congress, staff, published):
    client.force_login(staff)
    data = {"congress": congress.pk, "document": "reply_compilation", "year": 2025, "format": "docx"}
    response = client.post(reverse(PAGE), data, follow=True)
    assert "2025年没有公开的建议。" in response.content.decode()
    assert not ConsoleJob.objects.exists()


# Who may


DOCUMENTS = [
    {"document": "assignment_list", "format": "docx"},
    {"document": "suggestion_compilation", "format": "pdf"},
    {"document": "reply_compilation", "year": 2026, "format": "docx"},
]


@pytest.mark.parametrize("data", DOCUMENTS)
def test_staff_of_another_congress_are_refused(
    client, congress, session, published, data, django_capture_on_commit_callbacks
):
    other = core.CongressFactory(region=core.county())
    response = start(client, core.staff_of(other), congress, {"session": session.pk, **data},
                     django_capture_on_commit_callbacks)  # fmt: skip
    assert response.status_code == 403
    assert not ConsoleJob.objects.exists()
    assert client.get(reverse(PAGE), {"congress": congress.pk}).status_code == 403


@pytest.mark.parametrize("data", DOCUMENTS)
def test_a_unit_officer_is_refused(
    client, congress, session, published, lead_unit, data, django_capture_on_commit_callbacks
):
    response = start(
        client, lead_unit[1], congress, {"session": session.pk, **data}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 403
    assert not ConsoleJob.objects.exists()


def test_staff_cannot_name_another_congress_session(
    client, congress, staff, assigned, django_capture_on_commit_callbacks
):
    other = core.CongressFactory(region=core.county())
    foreign = f.session_of(current_term(other))
    data = {"session": foreign.pk, "document": "assignment_list", "format": "docx"}
    start(client, staff, congress, data, django_capture_on_commit_callbacks)
    assert not ConsoleJob.objects.exists()
    with pytest.raises(ValueError):
        services.start_assignment_list(actor=staff, congress=congress, session_id=foreign.pk, fmt="docx")


def test_the_page_offers_the_congress_sessions(client, congress, staff, session):
    client.force_login(staff)
    page = client.get(reverse(PAGE)).content.decode()
    assert f'<option value="{session.pk}">{session}</option>' in page


def test_the_compilation_docx_holds_a_contents_field_word_updates_on_opening(
    client, congress, staff, session, assigned, django_capture_on_commit_callbacks
):
    data = {"session": session.pk, "document": "suggestion_compilation", "format": "docx"}
    _job, content = download(client, staff, congress, data, django_capture_on_commit_callbacks)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        body = archive.read("word/document.xml").decode()
        settings = archive.read("word/settings.xml").decode()
    assert re.search(r"<w:instrText[^>]*> TOC \\o &quot;1-1&quot;|<w:instrText[^>]*> TOC \\o \"1-1\"", body)
    assert '<w:updateFields w:val="true"/>' in settings
    # The headings the contents are built from.
    assert body.count('<w:pStyle w:val="Heading1"/>') == 2
