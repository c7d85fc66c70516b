"""The livelihood-project vote in a browser: the presidium's staff open the vote with the number present, 200
deputies' worth of ballots is beyond a browser, so three deputies vote on their phones (one ticks too many and is
told so in Chinese, with their ticks kept), then the staff close and count, decide the tie at the cut-off on
record and publish; the public results show the counts."""

import pytest
from django.urls import reverse

from livelihood import services
from livelihood.models import CandidateOutcome, ProgrammeStatus, Turnout
from tests import factories as core
from tests.livelihood import factories as f

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def ready():
    """A county's programme choosing 3 projects from 4 candidates, and 3 deputies."""
    congress = f.congress()
    staff = core.staff_of(congress)
    programme, candidates = f.with_candidates(staff, congress, n_candidates=4, projects=3)
    return staff, programme, candidates, f.deputies(congress, 3)


def tick(page, candidates, numbers):
    for n in numbers:
        page.get_by_label(f"{n}. {candidates[n - 1].title}").check()


@pytest.mark.form_view("livelihood:open_vote", "livelihood:ballot", "livelihood:programme_action",
                       "livelihood:break_tie")  # fmt: skip
def test_the_vote_from_opening_to_published_results(live_server, desk, phone, ready):
    staff, programme, candidates, deputies = ready
    page_url = live_server.url + reverse("livelihood:programme", args=[programme.pk])

    log_in(desk, live_server, staff)
    desk.goto(page_url)
    desk.get_by_label("出席代表", exact=True).fill("3")
    press(desk, desk.get_by_role("button", name="开始票决"))
    assert "票决已开始" in desk.content()
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.VOTING and programme.present == 3

    ballot_url = live_server.url + reverse("livelihood:ballot", args=[programme.pk])
    # Each ticks 1 and 2; the first also ticks 3, the second 4, the third ticks 3 and 4 as well (too many).
    log_in(phone, live_server, deputies[2].person.user)
    phone.goto(ballot_url)
    tick(phone, candidates, [1, 2, 3, 4])
    press(phone, phone.get_by_role("button", name="投票"))
    assert "最多只能选3个项目" in phone.content()
    assert phone.get_by_label(f"4. {candidates[3].title}").is_checked()  # the ticks stay as they were
    phone.get_by_label(f"3. {candidates[2].title}").uncheck()
    press(phone, phone.get_by_role("button", name="投票"))
    assert "您的票已投出" in phone.content()
    assert Turnout.objects.filter(programme=programme, mandate=deputies[2]).exists()

    for deputy, extra in ((deputies[0], 3), (deputies[1], 4)):
        phone.context.clear_cookies()
        log_in(phone, live_server, deputy.person.user)
        phone.goto(ballot_url)
        tick(phone, candidates, [1, 2, extra])
        press(phone, phone.get_by_role("button", name="投票"))
        assert "您的票已投出" in phone.content()

    # 1: 3 votes, 2: 3, 3: 1, 4: 2 of 3 present (a majority is 2 or more): 1 and 2 chosen, 4 alone has the
    # third place with a majority.
    desk.goto(page_url)
    press(desk, desk.get_by_role("button", name="结束票决并计票"))
    for candidate in candidates:
        candidate.refresh_from_db()
    assert [c.votes for c in candidates] == [3, 3, 1, 2]
    assert [c.outcome for c in candidates] == [CandidateOutcome.CHOSEN] * 2 + [CandidateOutcome.NOT_CHOSEN,
                                                                               CandidateOutcome.CHOSEN]  # fmt: skip
    press(desk, desk.get_by_role("button", name="公布结果"))
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.PUBLISHED

    phone.goto(live_server.url + reverse("livelihood:results", args=[programme.pk]))
    text = phone.content()
    assert candidates[3].title in text and "当选" in text


def test_a_tie_at_the_cut_off_is_decided_in_the_browser(live_server, desk, ready):
    staff, programme, candidates, deputies = ready
    services.open_vote(actor=staff, programme_id=programme.pk, present=3)
    # 1: 3, 2: 2, 3: 2, 4: 2 for 3 places: 2, 3 and 4 tie for the two places left.
    for deputy, marks in zip(deputies, ([0, 1, 2], [0, 1, 3], [0, 2, 3]), strict=True):
        services.cast_vote(actor=deputy.person.user, programme_id=programme.pk,
                           candidate_ids=[candidates[i].pk for i in marks])  # fmt: skip
    services.close_vote(actor=staff, programme_id=programme.pk)

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("livelihood:programme", args=[programme.pk]))
    press(desk, desk.get_by_role("button", name="记录决定"))
    summary = desk.locator(".error-summary").inner_text()
    assert "决定理由" in summary
    desk.get_by_label("决定理由").fill("主任会议研究决定")
    desk.get_by_label(f"2. {candidates[1].title}").check()
    press(desk, desk.get_by_role("button", name="记录决定"))
    assert "请从票数相同的项目中选定2个" in desk.content()
    assert desk.get_by_label("决定理由").input_value() == "主任会议研究决定"  # what was typed stays
    desk.get_by_label(f"4. {candidates[3].title}").check()
    press(desk, desk.get_by_role("button", name="记录决定"))
    assert "决定已记录" in desk.content()
    for candidate in candidates:
        candidate.refresh_from_db()
    assert [c.outcome for c in candidates] == ["chosen", "chosen", "not_chosen", "chosen"]
