"""The unit's reply letter (答复函): a draft filled from the reply form as it stands, downloaded as .docx or PDF by
the unit that may reply now, to print, sign and upload with the reply; nothing is stored by the draft."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document

from congress.models import IssuedDocument
from suggestions import services
from suggestions.models import CoSigner, CoSignerStatus, Reply

from . import factories as f

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HAS_PDF = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None


def text_of(docx: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)


@pytest.fixture
def assignment(mandate, staff, lead_unit):
    mandate.person.name = "李秀英"
    mandate.person.save()
    suggestion = f.assigned(mandate, staff, lead_unit[0], title="关于加快老旧小区加装电梯的建议")
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=assignment.pk)
    return assignment


def form(assignment, **changes):
    data = {"text": "经研究，现将办理情况答复如下。\n今年已完成加装电梯120部。", "result": "B",
            "follow_up_plan": "明年再推进200部。", "contact_person": "张伟", "contact_phone": "020-83331234",
            "draft_format": "docx"}  # fmt: skip
    return data | changes


def url(assignment):
    return reverse("suggestions:reply_letter_draft", args=[assignment.pk])


def test_the_draft_is_filled_from_the_reply_and_nothing_is_stored(client, assignment, lead_unit):
    client.force_login(lead_unit[1])
    response = client.post(url(assignment), form(assignment))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    text = text_of(response.content)
    assert "省教育厅" in text  # the unit is the issuer
    assert "李秀英代表：" in text
    assert "《关于加快老旧小区加装电梯的建议》" in text
    assert "今年已完成加装电梯120部。" in text and "经研究，现将办理情况答复如下。" in text
    assert "B类" in text and "明年再推进200部。" in text
    assert "联系人：张伟，联系电话：020-83331234" in text
    assert "抄送：" in text
    assert not Reply.objects.exists() and not IssuedDocument.objects.exists()


def test_each_line_of_the_reply_is_its_own_paragraph(client, assignment, lead_unit):
    client.force_login(lead_unit[1])
    paragraphs = [
        p.text for p in Document(io.BytesIO(client.post(url(assignment), form(assignment)).content)).paragraphs
    ]
    assert "经研究，现将办理情况答复如下。" in paragraphs and "今年已完成加装电梯120部。" in paragraphs


def test_a_category_a_reply_has_no_follow_up_section(client, assignment, lead_unit):
    client.force_login(lead_unit[1])
    text = text_of(client.post(url(assignment), form(assignment, result="A", follow_up_plan="")).content)
    assert "A类" in text and "下一步" not in text


def test_confirmed_co_signers_are_counted_in_the_salutation(client, assignment, lead_unit, congress):
    for status in (CoSignerStatus.CONFIRMED, CoSignerStatus.INVITED):
        CoSigner.objects.create(suggestion=assignment.suggestion, mandate=f.deputy(congress), status=status)
    client.force_login(lead_unit[1])
    assert "李秀英等2位代表：" in text_of(client.post(url(assignment), form(assignment)).content)


def test_category_b_without_follow_up_is_refused_on_the_form_and_what_was_typed_stays(client, assignment, lead_unit):
    client.force_login(lead_unit[1])
    response = client.post(url(assignment), form(assignment, follow_up_plan=""))
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "B 类或 C 类答复须写明本单位承诺的后续措施。" in page
    assert "今年已完成加装电梯120部。" in page and "张伟" in page


def test_another_unit_is_refused(client, assignment, co_unit):
    client.force_login(co_unit[1])
    assert client.post(url(assignment), form(assignment)).status_code in (403, 404)


def test_the_deputy_cannot_write_the_units_letter(client, assignment, mandate):
    client.force_login(mandate.person.user)
    assert client.post(url(assignment), form(assignment)).status_code in (403, 404)


def test_no_draft_once_the_reply_was_sent(client, assignment, lead_unit):
    f.reply_to(assignment, lead_unit[1])
    client.force_login(lead_unit[1])
    response = client.post(url(assignment), form(assignment))
    assert response["Content-Type"].startswith("text/html") and "Content-Disposition" not in response
    assert 'class="messages' in response.content.decode() or "error" in response.content.decode()


def test_the_reply_form_offers_the_draft_buttons(client, assignment, lead_unit):
    client.force_login(lead_unit[1])
    page = client.get(reverse("suggestions:detail", args=[assignment.suggestion_id])).content.decode()
    assert f'formaction="{url(assignment)}"' in page and "答复函草稿" in page


def test_the_reply_keeps_its_contact_person_for_the_deputy(client, assignment, lead_unit, mandate):
    services.reply(actor=lead_unit[1], assignment_id=assignment.pk, text="已办。", result="A",
                   contact_person="张伟", contact_phone="020-83331234", letter=f.pdf())  # fmt: skip
    client.force_login(mandate.person.user)
    page = client.get(reverse("suggestions:detail", args=[assignment.suggestion_id])).content.decode()
    assert "张伟" in page and "tel:020-83331234" in page


@pytest.mark.skipif(not HAS_PDF, reason="PDF needs LibreOffice and poppler-utils")
def test_the_pdf_draft_is_one_page_in_chinese(client, assignment, lead_unit, tmp_path):
    client.force_login(lead_unit[1])
    response = client.post(url(assignment), form(assignment, draft_format="pdf"))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "reply.pdf"
    path.write_bytes(response.content)
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path),
                    str(ARTIFACTS / "reply-letter")], check=True)  # fmt: skip
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]) == 1
    text = "".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "关于加快老旧小区加装电梯的建议" in text and "李秀英代表" in text and "省教育厅" in text
    assert (ARTIFACTS / "reply-letter-1.png").stat().st_size > 10_000
