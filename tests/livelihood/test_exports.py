"""The .xlsx exports of a programme, opened as staff would open them: its proposals (no phone; in the background
when long), the candidate list with every reason, the results with counts once counted. Another county's staff
are refused; every export is in the audit trail."""

import io

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from congress import exports
from congress.models import ConsoleJob
from livelihood import services
from tests.sheets import sheet_rows, xlsx_book

from . import factories as f

pytestmark = pytest.mark.django_db

core = f.core
PHONE = "13987654321"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


_book, _rows = xlsx_book, sheet_rows


def _get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"livelihood:{name}", args=args))


def _text(book) -> str:
    return " ".join(str(cell) for sheet in book.worksheets for row in _rows(sheet) for cell in row)


def test_the_proposals_export_lists_each_proposal_without_the_phone(client, staff, congress):
    office, _officer = f.office_of(congress)
    prog = f.programme(staff, congress, office, projects=1)
    services.open_solicitation(actor=staff, programme_id=prog.pk)
    f.proposal(prog, 1, title="老旧小区加装电梯", phone=PHONE)
    f.proposal(prog, 2, title="社区长者饭堂")
    book = _book(_get(client, staff, "proposals_export", prog.pk))
    rows = _rows(book.active)
    assert rows[0][1] == "编号"
    assert [(row[1], row[2]) for row in rows[1:]] == [(1, "老旧小区加装电梯"), (2, "社区长者饭堂")]
    assert PHONE not in _text(book) and PHONE[-4:] not in _text(book)
    assert LogEntry.objects.filter(additional_data__action="export_livelihood_proposals").exists()


def test_many_proposals_are_written_in_the_background(client, staff, ready, monkeypatch,
                                                     django_capture_on_commit_callbacks):  # fmt: skip
    prog, _ = ready
    monkeypatch.setattr(exports, "INLINE_ROWS", 0)
    with django_capture_on_commit_callbacks(execute=True):
        response = _get(client, staff, "proposals_export", prog.pk)
    job = ConsoleJob.objects.get()
    assert response.url == reverse("admin:congress_consolejob_change", args=[job.pk])
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    assert len(_rows(book.active)) == 1 + prog.proposals.count()
    assert "139000" not in _text(book)


def test_the_candidate_list_carries_every_reason(client, staff, ready):
    prog, candidates = ready
    book = _book(_get(client, staff, "candidates_export", prog.pk))
    kept = _rows(book.worksheets[0])[2:]
    assert [(row[0], row[1], row[5]) for row in kept] == [
        (c.number, c.title, "群众呼声高，资金可落实") for c in candidates
    ]
    dropped = _rows(book.worksheets[1])[1:]
    assert [row[4] for row in dropped] == ["已列入其他计划"] * 2


def test_the_results_carry_counts_and_turnout_as_a_number(client, staff, congress, ready):
    prog, candidates = ready
    voters = f.deputies(congress, 3)
    services.open_vote(actor=staff, programme_id=prog.pk, present=3)
    for voter, picks in zip(voters, [[0, 1], [0], [0, 2]], strict=True):
        services.cast_vote(
            actor=voter.person.user, programme_id=prog.pk, candidate_ids=[candidates[i].pk for i in picks]
        )
    services.close_vote(actor=staff, programme_id=prog.pk)
    book = _book(_get(client, staff, "results_export", prog.pk))
    rows = _rows(book.active)
    assert rows[1][1] == 3 and rows[1][3] == 3
    assert [(row[0], row[4]) for row in rows[4:]] == [(1, 3), (2, 1), (3, 1), (4, 0)]
    assert rows[4][6] == "当选"
    text = _text(book)
    for voter in voters:
        assert voter.person.name not in text


def test_the_results_are_not_exported_before_the_count(client, staff, ready):
    prog, _ = ready
    assert _get(client, staff, "results_export", prog.pk).status_code == 404


def test_another_countys_staff_are_refused(client, ready):
    prog, _ = ready
    outsider = core.staff_of(core.CongressFactory(region=core.county("440105", "海珠区")))
    for name in ("proposals_export", "candidates_export"):
        assert _get(client, outsider, name, prog.pk).status_code == 404


def test_the_programme_page_links_the_exports(client, staff, ready):
    prog, _ = ready
    client.force_login(staff)
    page = client.get(prog.get_absolute_url()).content.decode()
    assert reverse("livelihood:proposals_export", args=[prog.pk]) in page
    assert reverse("livelihood:candidates_export", args=[prog.pk]) in page
    assert reverse("livelihood:results_export", args=[prog.pk]) not in page
