"""Public votes under concurrent requests: every accepted vote is stored exactly once and a phone never gets
past its daily limit, whatever the interleaving."""

import threading

import pytest
from django.db import connection

from cases import services
from cases.models import CampaignKind, PublicVote, RoundKind
from congress.errors import Conflict
from congress.models import PolicyValue
from tests.liaison_stations.factories import StationFactory

from . import factories as f

# serialized_rollback puts back the rows the migrations seeded (the country, the code lists), which the flush
# after a transactional test removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def poll(congress, staff, unit):
    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org], kind=CampaignKind.STATION, title="示范家站点")
        cases = [f.submission(officer, campaign, title=f"站{n}", station=StationFactory(congress=congress,
                 region=congress.region)) for n in range(3)]  # fmt: skip
        services.close_submissions(actor=staff, campaign_id=campaign.pk)
        round_ = f.round_(staff, campaign, RoundKind.WEIGHTED, opens="2023-11-01 09:00", closes="2023-11-04 09:00",
                          advance=2, public_vote=True, online_weight=100, panel_weight=0)  # fmt: skip
        services.open_round(actor=staff, round_id=round_.pk)
    return campaign, round_, cases


def run_together(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait()
            with f.travel("2023-11-02 10:00"):
                call()
            result = "counted"
        except Conflict:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def vote(campaign, case, phone):
    return lambda: services.public_vote(slug=campaign.slug, submission_id=case.pk, phone_hash=phone)


def test_concurrent_votes_from_many_phones_are_all_counted_once(poll):
    campaign, round_, cases = poll
    calls = [vote(campaign, cases[i % 3], f"phone-{i}") for i in range(24)]
    outcomes = run_together(calls)
    assert outcomes.count("counted") == 24
    counts = {case.pk: PublicVote.objects.filter(round=round_, submission=case).count() for case in cases}
    assert counts == {cases[0].pk: 8, cases[1].pk: 8, cases[2].pk: 8}


def test_concurrent_votes_from_one_phone_count_once_a_day(poll):
    campaign, round_, cases = poll
    outcomes = run_together([vote(campaign, cases[i % 3], "same-phone") for i in range(8)])
    assert outcomes.count("counted") == 1 and outcomes.count("refused") == 7
    assert PublicVote.objects.filter(round=round_).count() == 1


def test_concurrent_votes_from_one_phone_stop_at_a_higher_daily_limit(poll):
    campaign, round_, cases = poll
    PolicyValue.objects.create(congress=campaign.congress, key="cases.public_votes_per_phone_day", value=3)
    outcomes = run_together([vote(campaign, cases[i % 3], "same-phone") for i in range(8)])
    assert outcomes.count("counted") == 3
    assert sorted(PublicVote.objects.filter(round=round_).values_list("slot", flat=True)) == [1, 2, 3]


def test_mixed_concurrent_votes_match_the_accepted_requests(poll):
    campaign, round_, cases = poll
    calls = [vote(campaign, cases[i % 3], f"phone-{i % 10}") for i in range(30)]
    outcomes = run_together(calls)
    assert outcomes.count("counted") == 10
    assert PublicVote.objects.filter(round=round_).count() == outcomes.count("counted")
