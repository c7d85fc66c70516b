"""Builders for the case selection: campaigns, units with officers, cases and rounds brought to any state
through the real services, and ballots spread over voters so no voter goes over the round's limit."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from cases import services
from cases.models import CampaignKind
from congress.models import Organisation
from tests import factories as core
from tests.deputies.factories import MandateFactory

TZ = ZoneInfo("Asia/Shanghai")
NARRATIVE = "该代表深入基层调研，推动解决群众急难愁盼问题，形成可复制可推广的经验做法。"


def at(text: str) -> datetime:
    """A moment in Beijing time, e.g. at("2023-10-09 09:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def travel(text: str):
    return time_machine.travel(at(text), tick=False)


def unit_with_officer(congress, name=None):
    unit = core.OrganisationFactory(region=congress.region, **({"name": name} if name else {}))
    return unit, core.officer_of(unit)


def committee(congress, name):
    return Organisation.objects.get_or_create(
        region=congress.region, name=name, defaults={"kind": "special_committee", "congress": congress}
    )[0]


def deputy(congress):
    return MandateFactory(congress=congress)


def deputy_of_level(level):
    """A deputy of a congress at that level, in Guangdong (a case names deputies of its own level)."""
    regions = {"national": core.country, "provincial": core.province, "municipal": core.city, "county": core.county,
               "township": core.township}  # fmt: skip
    return MandateFactory(congress=core.CongressFactory(region=regions[level]()))


def campaign(staff, congress, units, *, kind=CampaignKind.DUTY, title="2023年度代表履职优秀案例", quota=None,
             opens=date(2023, 9, 1), closes=date(2023, 9, 30), announce=True):  # fmt: skip
    made = services.create_campaign(
        actor=staff, congress=congress,
        fields={"kind": kind, "year": opens.year, "title": title, "submissions_open": opens,
                "submissions_close": closes},
        units=[(u, quota) for u in units],
    )  # fmt: skip
    if announce:
        made = services.announce(actor=staff, campaign_id=made.pk)
    return made


def submission(officer, campaign, *, title, level="", mandates=(), station=None, suggestion=None, submit=True):
    made = services.create_submission(
        actor=officer, campaign_id=campaign.pk, mandate_ids=[m.pk for m in mandates],
        fields={"title": title, "narrative": NARRATIVE, "level": level, "station": station, "suggestion": suggestion,
                "summary": f"{title}的简要介绍"},
    )  # fmt: skip
    if submit:
        made = services.submit(actor=officer, submission_id=made.pk)
    return made


def round_(staff, campaign, kind, *, name=None, opens="2023-10-09 09:00", closes="2023-10-13 17:00", voters=(),
           criteria=(), **fields):  # fmt: skip
    return services.add_round(
        actor=staff, campaign_id=campaign.pk,
        fields={"kind": kind, "name": name or kind, "opens_at": at(opens), "closes_at": at(closes), **fields},
        voters=voters, criteria=criteria,
    )  # fmt: skip


def voters(n, prefix="voter"):
    return [core.UserFactory(username=f"{prefix}{i:02d}") for i in range(n)]


def spread(counts: dict[int, int], n_voters: int, limit: int) -> list[list[int]]:
    """Approvals per voter giving each case exactly its count: each case goes to the least-loaded voters."""
    loads = [[] for _ in range(n_voters)]
    for pk, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        order = sorted(range(n_voters), key=lambda v: (len(loads[v]), v))
        for v in order[:count]:
            loads[v].append(pk)
    assert all(len(load) <= limit for load in loads), "the generated ballots break the round's limit"
    return loads


def cast_all(round_, users, approvals: list[list[int]]):
    for user, chosen in zip(users, approvals, strict=True):
        if chosen:
            services.cast_ballot(actor=user, round_id=round_.pk, submission_ids=chosen)
