"""Case selection's part of `manage.py seed_scale`: this year's demonstration-station selection of the provincial
congress at its public online vote, with the province's stations (up to 23) as candidates and the votes already
cast, written with COPY. Run again, it keeps the campaign and adds only the votes missing."""

import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from cases.models import Campaign, CampaignUnit, Entry, PublicVote, Round, Submission
from congress.models import Organisation, OrganisationKind

CANDIDATES = 23
TITLE = "{year}年度示范代表家站点评选"


def add_arguments(parser) -> None:
    parser.add_argument(
        "--case-votes", type=int, default=20_000,
        help="Public online votes already cast in this year's demonstration-station selection",
    )  # fmt: skip


def seed(context) -> None:
    votes = context.options["case_votes"]
    provincial = context.congresses.get("provincial") or []
    if not votes or not provincial:
        return
    started = time.perf_counter()
    congress = provincial[0]
    with transaction.atomic():
        round_ = _campaign(context, congress)
        candidates = list(round_.entries.order_by("submission_id").values_list("submission_id", flat=True))
        stored = PublicVote.objects.filter(round=round_).count()
        _votes(context, round_, candidates, stored, votes)
    context.timed("case selection public votes", max(votes - stored, 0), started)


def _campaign(context, congress) -> Round:
    from liaison_stations.models import Station

    now = timezone.now()
    campaign, created = Campaign.objects.get_or_create(
        congress=congress, year=now.year, title=TITLE.format(year=now.year),
        defaults={"kind": "station", "status": "selecting", "submissions_open": now.date() - timedelta(days=60),
                  "submissions_close": now.date() - timedelta(days=30)},
    )  # fmt: skip
    if not created:
        return campaign.rounds.get(position=1)
    unit, _ = Organisation.objects.get_or_create(
        region=congress.region, name=f"{congress.region.name}人大常委会选举联络工作委员会",
        defaults={"kind": OrganisationKind.WORKING_BODY, "congress": congress},
    )  # fmt: skip
    CampaignUnit.objects.create(campaign=campaign, unit=unit)
    stations = list(Station.objects.filter(region_code__startswith=congress.region.code).order_by("id")[:5000])
    stations = context.rng.sample(stations, min(CANDIDATES, len(stations)))
    Submission.objects.bulk_create([
        Submission(campaign=campaign, unit=unit, station=station,
                   title=station.name if station else f"示范家站点候选{n:02d}",
                   summary="坚持每月固定接待选民，意见办理全程留痕、件件有回音。", status="submitted", submitted_at=now)
        for n, station in enumerate(stations + [None] * (CANDIDATES - len(stations)), start=1)
    ])  # fmt: skip
    round_ = Round.objects.create(
        campaign=campaign, position=1, kind="weighted", name="网络投票", status="open", opened_at=now,
        opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=4), advance=15, online_weight=100,
        panel_weight=0, public_vote=True,
    )  # fmt: skip
    Entry.objects.bulk_create([Entry(round=round_, submission=s) for s in campaign.submissions.order_by("pk")])
    return round_


def _votes(context, round_, candidates, stored: int, wanted: int) -> None:
    """One vote per phone over the last three days; popularity falls with a candidate's place, as in a real poll."""
    if stored >= wanted:
        return
    rng = context.rng
    today = timezone.localdate()
    weights = [1 / (place + 2) for place in range(len(candidates))]
    picks = rng.choices(candidates, weights=weights, k=wanted - stored)
    now = timezone.now()
    with connection.cursor() as cursor:
        with cursor.copy(
            "COPY cases_publicvote (round_id, submission_id, phone_hash, day, slot, created_at) FROM STDIN"
        ) as copy:
            for n, pick in enumerate(picks, start=stored):
                day = today - timedelta(days=n % 3)
                copy.write_row((round_.pk, pick, f"scale{round_.pk}-{n:012d}", day, 1, now))
        cursor.execute("ANALYZE cases_publicvote")
