"""The two real pipelines of Guangdong's 2023 selection, on generated data with hand-checked results.

Duty cases: 171 submitted (20 national, 36 provincial, 40 municipal, 35 county, 40 township) → office
department heads vote a shortlist of 30 → five committees each recommend 4 per deputy level, merged to 20 →
the joint meeting votes 10 → the chairpersons' council approves.

Demonstration stations: 42 projects → desk review passes 23 → public online vote and panel scores,
20% online + 80% panel, each normalised to 100 → top 15."""

from datetime import date
from decimal import Decimal

import pytest

from cases import selectors, services
from cases.models import Award, CampaignKind, Entry, Outcome, PublicVote, RoundKind
from deputies.models import DutyEntry
from liaison_stations.models import StationHonour
from tests.liaison_stations.factories import StationFactory

from . import factories as f

pytestmark = pytest.mark.django_db

LEVELS = [("national", 20), ("provincial", 36), ("municipal", 40), ("county", 35), ("township", 40)]


def titles(entries, outcome=Outcome.ADVANCED):
    return sorted(e.submission.title for e in entries if e.outcome == outcome)


def ids_by_title(campaign):
    return {s.title: s.pk for s in campaign.submissions.all()}


def test_guangdong_duty_case_pipeline_171_30_20_10_approved(congress, staff, unit, django_capture_on_commit_callbacks):
    unit_org, officer = unit
    mandates = {level: f.deputy_of_level(level) for level, _n in LEVELS}
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        for level, count in LEVELS:
            for i in range(1, count + 1):
                f.submission(officer, campaign, title=f"{level}-{i:02d}", level=level, mandates=[mandates[level]])
        services.close_submissions(actor=staff, campaign_id=campaign.pk)
        heads = f.voters(20, "head")
        committees = [f.committee(congress, name) for name in ("财经委", "教科文卫委", "农委", "社会委", "环资委")]
        members = f.voters(5, "committee")
        joint = f.voters(15, "joint")
        shortlist = f.round_(staff, campaign, RoundKind.BALLOT, name="机关各部门投票",
                             voters=[(u, None) for u in heads], approvals_per_voter=30, advance=30)  # fmt: skip
        recommend = f.round_(staff, campaign, RoundKind.QUOTA, name="各专委会推荐", opens="2023-10-16 09:00",
                             closes="2023-10-20 17:00", voters=list(zip(members, committees, strict=True)),
                             quota_per_level=4)  # fmt: skip
        meeting = f.round_(staff, campaign, RoundKind.MEETING, name="联席会议投票", opens="2023-10-23 09:00",
                           closes="2023-10-27 17:00", voters=[(u, None) for u in joint], approvals_per_voter=10,
                           advance=10)  # fmt: skip
        council = f.round_(staff, campaign, RoundKind.APPROVAL, name="主任会议审定", opens="2023-10-30 09:00",
                           closes="2023-11-03 17:00")  # fmt: skip
    pk = ids_by_title(campaign)
    assert len(pk) == 171

    # Round 1: the first six of each level are strong (10 to 19 votes), the rest get 0 to 2.
    votes = {}
    for index, (level, count) in enumerate(LEVELS):
        for i in range(1, count + 1):
            votes[pk[f"{level}-{i:02d}"]] = 10 + (index * 6 + i) % 10 if i <= 6 else i % 3
    with f.travel("2023-10-08 09:00"):
        services.open_round(actor=staff, round_id=shortlist.pk)
    with f.travel("2023-10-10 10:00"):
        f.cast_all(shortlist, heads, f.spread(votes, 20, 30))
    with f.travel("2023-10-14 09:00"):
        services.close_round(actor=staff, round_id=shortlist.pk)
        services.decide_round(actor=staff, round_id=shortlist.pk)
    entries = list(shortlist.entries.select_related("submission"))
    assert len(entries) == 171
    expected_30 = sorted(f"{level}-{i:02d}" for level, _n in LEVELS for i in range(1, 7))
    assert titles(entries) == expected_30
    by_title = {e.submission.title: e for e in entries}
    # national-01: 10 + (0·6 + 1) mod 10 = 11; provincial-04: 10 + (1·6 + 4) mod 10 = 10; township-06: 10 + 30 mod 10
    assert (by_title["national-01"].votes, by_title["provincial-04"].votes, by_title["township-06"].votes) == (
        11,
        10,
        10,
    )
    assert (by_title["municipal-07"].votes, by_title["county-35"].votes) == (1, 2)
    # 19 votes, the most: provincial-03 (10 + 9), county-01 (10 + 19 mod 10), township-05 (10 + 29 mod 10)
    assert [by_title[t].rank for t in ("provincial-03", "county-01", "township-05", "provincial-02")] == [1, 1, 1, 4]

    # Round 2: each committee recommends 4 per level among that level's six: counts 5, 5, 4, 3, 2, 1.
    picks = [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 5], [1, 2, 5, 6]]
    with f.travel("2023-10-15 09:00"):
        services.open_round(actor=staff, round_id=recommend.pk)
    with f.travel("2023-10-17 10:00"):
        for member, chosen in zip(members, picks, strict=True):
            ids = [pk[f"{level}-{i:02d}"] for level, _n in LEVELS for i in chosen]
            services.cast_ballot(actor=member, round_id=recommend.pk, submission_ids=ids)
        # Everyone has recommended: staff may close before the window ends.
        services.close_round(actor=staff, round_id=recommend.pk)
        services.decide_round(actor=staff, round_id=recommend.pk)
    entries = list(recommend.entries.select_related("submission"))
    assert len(entries) == 30
    assert titles(entries) == sorted(f"{level}-{i:02d}" for level, _n in LEVELS for i in range(1, 5))
    assert {e.submission.title: e.votes for e in entries if e.submission.level == "county"} == {
        "county-01": 5, "county-02": 5, "county-03": 4, "county-04": 3, "county-05": 2, "county-06": 1
    }  # fmt: skip

    # Round 3: the joint meeting's 15 members each approve up to 10 of the 20.
    meeting_votes = {
        "national-01": 15, "provincial-01": 14, "municipal-01": 13, "county-01": 12, "township-01": 11,
        "national-02": 10, "provincial-02": 9, "municipal-02": 8, "county-02": 7, "township-02": 6,
        "national-03": 5, "provincial-03": 4, "municipal-03": 3, "county-03": 2, "township-03": 1,
    }  # fmt: skip
    with f.travel("2023-10-22 09:00"):
        services.open_round(actor=staff, round_id=meeting.pk)
    with f.travel("2023-10-24 15:00"):
        f.cast_all(meeting, joint, f.spread({pk[t]: n for t, n in meeting_votes.items()}, 15, 10))
    with f.travel("2023-10-28 09:00"):
        services.close_round(actor=staff, round_id=meeting.pk)
        services.decide_round(actor=staff, round_id=meeting.pk)
    entries = list(meeting.entries.select_related("submission"))
    assert len(entries) == 20
    top_ten = ["national-01", "provincial-01", "municipal-01", "county-01", "township-01",
               "national-02", "provincial-02", "municipal-02", "county-02", "township-02"]  # fmt: skip
    assert titles(entries) == sorted(top_ten)
    assert {e.submission.title: e.votes for e in entries if e.votes == 0} == {
        "national-04": 0, "provincial-04": 0, "municipal-04": 0, "county-04": 0, "township-04": 0
    }  # fmt: skip

    # Round 4: the chairpersons' council confirms the list.
    with f.travel("2023-10-30 10:00"):
        services.open_round(actor=staff, round_id=council.pk)
        services.close_round(actor=staff, round_id=council.pk)
        services.decide_round(actor=staff, round_id=council.pk, note="2023年11月1日第18次主任会议审定")
        with django_capture_on_commit_callbacks(execute=True):
            services.finish(actor=staff, campaign_id=campaign.pk)

    result = selectors.final_list(campaign)
    selected = [row for row in result["rows"] if row["selected"]]
    assert [row["submission"].title for row in selected] == top_ten
    assert [row["rank"] for row in selected] == list(range(1, 11))
    assert [row["score"] for row in selected] == [Decimal(n) for n in (15, 14, 13, 12, 11, 10, 9, 8, 7, 6)]
    # Every round's figure is on the row: national-01 had 11 votes, 5 recommendations, 15 meeting votes.
    first = selected[0]["entries"]
    assert [first[0].votes, first[1].votes, first[2].votes, first[3].outcome] == [11, 5, 15, Outcome.ADVANCED]
    assert list(
        Award.objects.filter(campaign=campaign).order_by("rank").values_list("submission__title", flat=True)
    ) == (top_ten)
    awards = DutyEntry.objects.filter(kind_id="case_award")
    assert awards.count() == 10
    assert set(awards.values_list("mandate_id", flat=True)) == {m.pk for m in mandates.values()}
    assert awards.get(source=f"cases:{campaign.pk}:{pk['county-02']}").mandate == mandates["county"]


STATIONS = [
    # label, online votes, judges' mean total (of 50): votes/10 + 1.6 × mean = final (hand-computed)
    ("S01", 200, 40),  # 20.0 + 64.0 = 84.0
    ("S02", 50, 45),  # 5.0 + 72.0 = 77.0
    ("S03", 100, 44),  # 10.0 + 70.4 = 80.4
    ("S04", 150, 42),  # 15.0 + 67.2 = 82.2
    ("S05", 20, 46),  # 2.0 + 73.6 = 75.6
    ("S06", 180, 38),  # 18.0 + 60.8 = 78.8
    ("S07", 0, 47),  # 0.0 + 75.2 = 75.2
    ("S08", 120, 41),  # 12.0 + 65.6 = 77.6
    ("S09", 90, 43),  # 9.0 + 68.8 = 77.8
    ("S10", 60, 42),  # 6.0 + 67.2 = 73.2
    ("S11", 160, 36),  # 16.0 + 57.6 = 73.6
    ("S12", 30, 44),  # 3.0 + 70.4 = 73.4
    ("S13", 70, 40),  # 7.0 + 64.0 = 71.0
    ("S14", 110, 38),  # 11.0 + 60.8 = 71.8
    ("S15", 40, 41),  # 4.0 + 65.6 = 69.6
    ("S16", 10, 43),  # 1.0 + 68.8 = 69.8  (16th: just misses)
    ("S17", 140, 35),  # 14.0 + 56.0 = 70.0  (15th)
    ("S18", 80, 37),  # 8.0 + 59.2 = 67.2
    ("S19", 25, 39),  # 2.5 + 62.4 = 64.9
    ("S20", 130, 33),  # 13.0 + 52.8 = 65.8
    ("S21", 15, 38),  # 1.5 + 60.8 = 62.3
    ("S22", 5, 40),  # 0.5 + 64.0 = 64.5
    ("S23", 100, 30),  # 10.0 + 48.0 = 58.0  (many votes, weak panel: out)
]
TOP_15 = ["S01", "S04", "S03", "S06", "S09", "S08", "S02", "S05", "S07", "S11", "S12", "S10", "S14", "S13", "S17"]


def test_demonstration_station_pipeline_weighted_20_80_normalised_top_15(
    congress, staff, unit, django_capture_on_commit_callbacks
):
    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org], kind=CampaignKind.STATION, title="2023年度示范家站点")
        for n in range(1, 43):
            station = StationFactory(congress=congress, region=congress.region, name=f"示范站{n:02d}")
            f.submission(officer, campaign, title=f"S{n:02d}", station=station)
        services.close_submissions(actor=staff, campaign_id=campaign.pk)
        reviewers = f.voters(5, "reviewer")
        judges = f.voters(3, "judge")
        desk = f.round_(staff, campaign, RoundKind.BALLOT, name="书面审查和实地考察",
                        voters=[(u, None) for u in reviewers], approvals_per_voter=23, advance=23)  # fmt: skip
        final = f.round_(staff, campaign, RoundKind.WEIGHTED, name="网络投票和专家评分", opens="2023-11-01 09:00",
                         closes="2023-11-04 09:00", voters=[(u, None) for u in judges], advance=15, public_vote=True,
                         criteria=[("履职成效", 30), ("示范带动", 20)])  # fmt: skip
    assert (final.online_weight, final.panel_weight) == (Decimal(20), Decimal(80))  # from the congress's policies
    pk = ids_by_title(campaign)
    with f.travel("2023-10-08 09:00"):
        services.open_round(actor=staff, round_id=desk.pk)
    with f.travel("2023-10-10 09:00"):
        for reviewer in reviewers:
            services.cast_ballot(
                actor=reviewer, round_id=desk.pk, submission_ids=[pk[f"S{n:02d}"] for n in range(1, 24)]
            )
        services.close_round(actor=staff, round_id=desk.pk)
        services.decide_round(actor=staff, round_id=desk.pk)
    assert titles(desk.entries.select_related("submission")) == [f"S{n:02d}" for n in range(1, 24)]

    with f.travel("2023-10-31 09:00"):
        services.open_round(actor=staff, round_id=final.pk)
    with f.travel("2023-11-02 12:00"):
        rows = []
        for label, votes, _mean in STATIONS:
            rows += [PublicVote(round=final, submission_id=pk[label], phone_hash=f"{label}-{i}", day=date(2023, 11, 2))
                     for i in range(votes)]  # fmt: skip
        PublicVote.objects.bulk_create(rows)
        criteria = list(final.criteria.order_by("position"))
        for offset, judge in zip((-1, 0, 1), judges, strict=True):
            for label, _votes, mean in STATIONS:
                total = mean + offset
                second = min(20, total // 2)
                services.score_case(actor=judge, round_id=final.pk, submission_id=pk[label],
                                    points={criteria[0].pk: total - second, criteria[1].pk: second})  # fmt: skip
    with f.travel("2023-11-04 10:00"):
        services.close_round(actor=staff, round_id=final.pk)
        services.decide_round(actor=staff, round_id=final.pk)
    entries = {e.submission.title: e for e in final.entries.select_related("submission")}
    assert titles(entries.values()) == sorted(TOP_15)
    s01, s07, s19, s23 = entries["S01"], entries["S07"], entries["S19"], entries["S23"]
    assert (s01.online_votes, s01.online_score, s01.panel_score, s01.score) == (200, 100, 80, 84)
    assert (s07.online_score, s07.panel_score, s07.score, s07.outcome) == (0, 94, Decimal("75.2"), Outcome.ADVANCED)
    assert (s19.online_score, s19.panel_score, s19.score) == (Decimal("12.5"), 78, Decimal("64.9"))
    assert (s23.online_score, s23.score, s23.outcome) == (50, 58, Outcome.ELIMINATED)
    assert (entries["S17"].rank, entries["S16"].rank) == (15, 16)
    assert entries["S16"].score == Decimal("69.8") and entries["S16"].outcome == Outcome.ELIMINATED

    with f.travel("2023-11-06 10:00"), django_capture_on_commit_callbacks(execute=True):
        services.finish(actor=staff, campaign_id=campaign.pk)
    ranked = Award.objects.filter(campaign=campaign).order_by("rank").select_related("submission__station")
    assert [a.submission.title for a in ranked] == TOP_15
    assert [a.rank for a in ranked] == list(range(1, 16))
    assert ranked[0].submission.station.name == "示范站01"
    assert Entry.objects.filter(round=final, outcome=Outcome.ADVANCED).count() == 15
    # The winners' stations carry the honour on their star record, once whatever the task's retries.
    services.record_awards(campaign.pk)
    honours = StationHonour.objects.order_by("-station__name")
    assert honours.count() == 15
    assert honours.filter(station=ranked[0].submission.station).get().title == f"{campaign.title}（第1名）"
    assert not StationHonour.objects.filter(station__name="示范站23").exists()
