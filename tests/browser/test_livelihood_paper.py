"""Paper ballots in a browser: a teller records that a deputy took a paper ballot, then two tellers each enter the
sheet from the box; a first disagreement is listed for re-entry, and the sheet counts once both agree."""

import pytest
from django.urls import reverse

from livelihood.models import Ballot, BallotState, Channel, PaperSheet, PaperSheetStatus, Turnout
from tests import factories as core
from tests.livelihood import factories as f

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("livelihood:paper_issue", "livelihood:paper_enter")
def test_two_tellers_enter_a_paper_ballot(live_server, desk):
    congress = f.congress()
    teller1, teller2 = core.staff_of(congress), core.staff_of(congress)
    programme, candidates, deputies = f.voting(teller1, congress, present=2)
    url = live_server.url + reverse("livelihood:paper", args=[programme.pk])

    log_in(desk, live_server, teller1)
    desk.goto(live_server.url + reverse("livelihood:programme", args=[programme.pk]))
    desk.get_by_role("link", name="纸质选票（计票人）").click()
    desk.get_by_label("领取纸质选票的代表").select_option(label=deputies[0].person.name)
    press(desk, desk.get_by_role("button", name="登记领票"))
    assert "该代表已领取纸质选票" in desk.content()
    assert Turnout.objects.get(programme=programme, mandate=deputies[0]).channel == Channel.PAPER

    # The first teller reads candidates 1 and 2 on sheet 5; the second misreads 1 and 3.
    desk.get_by_label("选票编号").fill("5")
    desk.get_by_label(f"1. {candidates[0].title}").check()
    desk.get_by_label(f"2. {candidates[1].title}").check()
    press(desk, desk.get_by_role("button", name="保存录入"))
    assert "还需另一名计票人录入" in desk.content()

    desk.context.clear_cookies()
    log_in(desk, live_server, teller2)
    desk.goto(url)
    desk.get_by_label("选票编号").fill("5")
    desk.get_by_label(f"1. {candidates[0].title}").check()
    desk.get_by_label(f"3. {candidates[2].title}").check()
    press(desk, desk.get_by_role("button", name="保存录入"))
    assert "两次录入不一致" in desk.content()
    assert not Ballot.objects.filter(programme=programme).exists()

    # Having looked at the sheet again, the second teller corrects their entry.
    desk.get_by_label("选票编号").fill("5")
    desk.get_by_label(f"1. {candidates[0].title}").check()
    desk.get_by_label(f"2. {candidates[1].title}").check()
    press(desk, desk.get_by_role("button", name="保存录入"))
    assert "已计入" in desk.content()
    assert PaperSheet.objects.get(programme=programme, number=5).status == PaperSheetStatus.COUNTED
    ballot = Ballot.objects.get(programme=programme)
    assert ballot.channel == Channel.PAPER and ballot.marks.count() == 2


@pytest.mark.form_view("livelihood:paper_not_returned")
def test_tellers_enter_a_spoiled_sheet_and_record_a_ballot_not_returned(live_server, desk):
    congress = f.congress()
    teller1, teller2 = core.staff_of(congress), core.staff_of(congress)
    programme, _candidates, deputies = f.voting(teller1, congress, present=2)
    url = live_server.url + reverse("livelihood:paper", args=[programme.pk])

    log_in(desk, live_server, teller1)
    desk.goto(url)
    for deputy in deputies:
        desk.get_by_label("领取纸质选票的代表").select_option(label=deputy.person.name)
        press(desk, desk.get_by_role("button", name="登记领票"))
    # Both tellers read sheet 1 as spoiled; the second ballot never reaches the box.
    for teller in (teller1, teller2):
        if teller is teller2:
            desk.context.clear_cookies()
            log_in(desk, live_server, teller2)
            desk.goto(url)
        desk.get_by_label("选票编号").fill("1")
        desk.get_by_label("废票").check()
        press(desk, desk.get_by_role("button", name="保存录入"))
    assert "两次录入均为废票" in desk.content()
    assert "1张领取的纸质选票不在票箱中" in desk.content()

    desk.get_by_label("计票人查明的情况").fill("一名代表领票后离场，未投入票箱")
    press(desk, desk.get_by_role("button", name="记为未收回"))
    assert "已登记1张领取后未收回的纸质选票" in desk.content()
    states = sorted(Ballot.objects.filter(programme=programme).values_list("state", flat=True))
    assert states == [BallotState.NOT_RETURNED, BallotState.SPOILED]
