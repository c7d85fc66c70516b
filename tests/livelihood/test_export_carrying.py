"""The carrying-out export (issue 27, "exports"): opened as staff would, it lists each chosen project once with
its milestones done and overdue, its latest report and spending and its supervision; the project not chosen is
absent; before publication there is nothing to export; another county's staff are refused; the export is audited."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from livelihood import carrying
from livelihood.models import Milestone
from tests.sheets import sheet_rows, xlsx_book

from . import factories as f

pytestmark = pytest.mark.django_db


def _export(client, user, prog):
    client.force_login(user)
    return client.get(reverse("livelihood:carrying_export", args=[prog.pk]))


def test_each_chosen_project_with_its_milestones_report_and_group(client, staff, congress):
    prog, chosen, not_chosen = f.carried(staff, congress)
    first = chosen[0]
    done, late, _ahead = (f.milestone(staff, first, title=t) for t in ("完成招标", "开工建设", "竣工验收"))
    officer = f.core.officer_of(first.department)
    carrying.complete_milestone(actor=officer, milestone_id=done.pk, note="已完成施工招标")
    Milestone.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    year, quarter = carrying.open_quarters(congress, timezone.localdate())[-1]
    carrying.file_progress_report(actor=officer, project_id=first.pk, year=year, quarter=quarter, text="已开工",
                                  spent="120.50")  # fmt: skip
    f.supervision_group(staff, first, f.deputies(congress, 1))

    response = _export(client, staff, prog)
    assert response.status_code == 200
    book = xlsx_book(response)
    projects = sheet_rows(book.worksheets[0])[2:]
    assert [row[1] for row in projects] == [c.title for c in chosen]
    assert not_chosen[0].title not in {row[1] for row in projects}
    row = projects[0]
    # 3 milestones: 1 done, 1 past its day, 1 ahead; the latest report's quarter and spending; its group.
    assert row[5:8] == [3, 1, 1]
    assert row[8] == f"{year}Q{quarter}" and float(row[9]) == 120.5
    assert row[3] and row[4] == f"{first.title}监督组"
    assert len(sheet_rows(book.worksheets[1])) == 1 + 3
    assert len(sheet_rows(book.worksheets[2])) == 1 + 1
    assert LogEntry.objects.filter(additional_data__action="export_livelihood_carrying").count() == 1


def test_nothing_to_export_before_the_results_are_published(client, staff, ready):
    prog, _candidates = ready
    assert _export(client, staff, prog).status_code == 404


def test_another_countys_staff_are_refused(client, staff, congress, elsewhere):
    prog, _chosen, _not = f.carried(staff, congress)
    _other, other_staff, _their = elsewhere
    assert _export(client, other_staff, prog).status_code in (403, 404)
