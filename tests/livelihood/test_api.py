"""The livelihood API, read as an attacker would: scopes, other regions, phones, ballots; the staff's actions
through the services with the pages' errors; the webhooks and the changes feed."""

import pytest

from congress import services as core_services
from congress.models import Tombstone, WebhookDelivery, WebhookEndpoint
from livelihood import services
from livelihood.models import ProgrammeStatus, Proposal
from tests.activities.factories import token

from . import factories as f

pytestmark = pytest.mark.django_db

core = f.core
URL = "/api/v1/livelihood/"
PHONE = "13912345678"


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


# Scopes and regions


def test_client_without_the_livelihood_scope_gets_403(api_client, congress, ready):
    client = token(api_client, congress, "activities:read", "suggestions:read")
    for resource in ("programmes", "proposals", "candidates", "tie-decisions"):
        response = client.get(f"{URL}{resource}/")
        assert response.status_code == 403, resource
        assert response.json()["error"]["status"] == 403


def test_client_with_read_scope_only_cannot_move_the_programme(api_client, congress, ready):
    prog, _ = ready
    client = token(api_client, congress, "livelihood:read")
    assert client.post(f"{URL}programmes/{prog.pk}/open-vote/", {"present": 3}, format="json").status_code == 403
    prog.refresh_from_db()
    assert prog.status == ProgrammeStatus.CANDIDATES


def test_client_lists_only_its_region_programmes(api_client, congress, ready, elsewhere):
    prog, _ = ready
    client = token(api_client, congress, "livelihood:read")
    assert ids(client.get(f"{URL}programmes/")) == [prog.pk]
    assert not set(ids(client.get(f"{URL}proposals/"))) & set(elsewhere[2].proposals.values_list("pk", flat=True))
    assert {row["programme"] for row in client.get(f"{URL}candidates/").json()["results"]} == {prog.pk}


def test_another_region_programme_and_its_records_are_404(api_client, congress, ready, elsewhere):
    _other, _other_staff, theirs = elsewhere
    client = token(api_client, congress, "livelihood:read", "livelihood:write")
    assert client.get(f"{URL}programmes/{theirs.pk}/").status_code == 404
    assert client.get(f"{URL}proposals/{theirs.proposals.first().pk}/").status_code == 404
    assert client.get(f"{URL}candidates/{theirs.candidates.first().pk}/").status_code == 404
    assert client.post(f"{URL}programmes/{theirs.pk}/open-vote/", {"present": 1}, format="json").status_code == 404


def test_staff_of_another_county_see_nothing_of_the_programme(as_user, ready, elsewhere):
    prog, _ = ready
    _other, other_staff, _theirs = elsewhere
    assert as_user(other_staff).get(f"{URL}programmes/{prog.pk}/").status_code == 404


def test_provincial_staff_read_their_counties_programmes(as_user, congress, ready):
    prog, _ = ready
    province = core.CongressFactory(region=congress.region.parent.parent)
    assert prog.pk in ids(as_user(core.staff_of(province)).get(f"{URL}programmes/"))


def test_the_assessing_office_reads_the_programmes_it_assesses(as_user, ready):
    prog, _ = ready
    officer = core.officer_of(prog.office)
    assert ids(as_user(officer).get(f"{URL}programmes/")) == [prog.pk]


def test_a_deputy_reads_no_programme_through_the_api(as_user, congress, ready):
    (mandate,) = f.deputies(congress, 1)
    assert ids(as_user(mandate.person.user).get(f"{URL}programmes/")) == []


# Personal data and secrecy


def test_no_response_carries_the_citizens_phone(as_user, staff, congress):
    office, officer = f.office_of(congress)
    prog = f.programme(staff, congress, office, projects=1)
    services.open_solicitation(actor=staff, programme_id=prog.pk)
    proposal = f.proposal(prog, 1, phone=PHONE)
    client = as_user(staff)
    for path in (f"{URL}proposals/", f"{URL}proposals/{proposal.pk}/", f"{URL}programmes/{prog.pk}/"):
        body = client.get(path).content.decode()
        assert PHONE not in body and PHONE[:7] not in body, path
    assert client.get(f"{URL}proposals/{proposal.pk}/").json()["phone"] == "*******5678"


def test_the_tracking_code_is_not_served(as_user, staff, ready):
    prog, _ = ready
    proposal = prog.proposals.first()
    assert proposal.tracking_code not in as_user(staff).get(f"{URL}proposals/{proposal.pk}/").content.decode()


def test_counts_are_hidden_while_the_vote_is_open(cast, as_user, staff, congress, ready):
    prog, candidates = ready
    cast(prog, candidates, [[0], [0, 1], [1]])
    client = as_user(staff)
    rows = client.get(f"{URL}candidates/", {"programme": prog.pk}).json()["results"]
    assert {(row["votes"], row["rank"], row["outcome"]) for row in rows} == {(None, None, "pending")}
    assert client.get(f"{URL}programmes/{prog.pk}/").json()["voted"] == 3


def test_counts_and_outcomes_once_the_vote_is_closed(cast, as_user, staff, congress, ready):
    prog, candidates = ready
    cast(prog, candidates, [[0, 1], [0, 1], [0, 2]])
    response = as_user(staff).post(f"{URL}programmes/{prog.pk}/close-vote/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "counted"
    rows = as_user(staff).get(f"{URL}candidates/", {"programme": prog.pk}).json()["results"]
    assert [(row["number"], row["votes"], row["outcome"]) for row in rows] == [
        (1, 3, "chosen"), (2, 2, "chosen"), (3, 1, "not_chosen"), (4, 0, "not_chosen")]  # fmt: skip
    assert rows[0]["reason"] == "群众呼声高，资金可落实"


def test_no_response_names_who_voted_or_a_ballot(cast, as_user, staff, congress, ready):
    prog, candidates = ready
    voters = cast(prog, candidates, [[0], [1]])
    services.close_vote(actor=staff, programme_id=prog.pk)
    client = as_user(staff)
    bodies = [client.get(f"{URL}{resource}/").content.decode()
              for resource in ("programmes", "proposals", "candidates", "tie-decisions")]  # fmt: skip
    for body in bodies:
        for voter in voters:
            assert f'"mandate":{voter.pk}' not in body.replace(" ", "")
        assert "ballot" not in body and "turnout" not in body
    assert client.get(f"{URL}ballots/").status_code == 404
    assert client.get(f"{URL}turnout/").status_code == 404


# Staff's actions


def test_staff_run_the_programme_through_the_api(as_user, staff, congress):
    office, officer = f.office_of(congress)
    dept = f.department(congress)
    prog = f.programme(staff, congress, office, projects=1)
    client = as_user(staff)
    assert client.post(f"{URL}programmes/{prog.pk}/open-solicitation/").json()["status"] == "soliciting"
    proposals = [f.proposal(prog, n) for n in range(3)]
    assert client.post(f"{URL}programmes/{prog.pk}/close-solicitation/").json()["status"] == "screening"
    for proposal in proposals:
        answer = as_user(officer).post(
            f"{URL}proposals/{proposal.pk}/assess/",
            {"feasibility": "feasible", "cost": "120.50", "department": dept.pk, "assessment": "用地已落实"},
            format="json",
        )
        assert answer.status_code == 200, answer.json()
        assert (answer.json()["status"], answer.json()["cost"]) == ("assessed", "120.50")
    client = as_user(staff)
    kept = [{"proposal": proposals[1].pk, "reason": "群众呼声高"}, {"proposal": proposals[0].pk, "reason": "惠及面广"}]
    body = {"kept": kept, "dropped": [{"proposal": proposals[2].pk, "reason": "已有计划"}]}
    response = client.post(f"{URL}programmes/{prog.pk}/confirm-candidates/", body, format="json")
    assert response.status_code == 200, response.json()
    rows = client.get(f"{URL}candidates/", {"programme": prog.pk}).json()["results"]
    assert [(row["proposal"], row["reason"]) for row in rows] == [
        (proposals[1].pk, "群众呼声高"),
        (proposals[0].pk, "惠及面广"),
    ]
    (voter,) = f.deputies(congress, 1)
    assert client.post(f"{URL}programmes/{prog.pk}/open-vote/", {"present": 1}, format="json").json()["present"] == 1
    services.cast_vote(actor=voter.person.user, programme_id=prog.pk, candidate_ids=[rows[1]["id"]])
    assert client.post(f"{URL}programmes/{prog.pk}/close-vote/").json()["voted"] == 1
    assert client.post(f"{URL}programmes/{prog.pk}/publish/").json()["status"] == "published"


def test_staff_break_a_tie_on_record(cast, as_user, staff, congress, ready):
    prog, candidates = ready
    cast(prog, candidates, [[0, 1, 2], [0, 1, 3], [0, 2, 3]])
    services.close_vote(actor=staff, programme_id=prog.pk)
    prog.refresh_from_db()
    assert prog.tie_slots == 2
    client = as_user(staff)
    chosen = [candidates[1].pk, candidates[3].pk]
    response = client.post(f"{URL}programmes/{prog.pk}/break-tie/", {"chosen": chosen, "reason": "主任会议决定"},
                           format="json")  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["tie_slots"] == 0
    [decision] = client.get(f"{URL}tie-decisions/").json()["results"]
    assert (sorted(decision["chosen"]), decision["reason"]) == (sorted(chosen), "主任会议决定")


def test_an_action_out_of_turn_answers_409_naming_the_state(as_user, staff, ready):
    prog, _ = ready
    response = as_user(staff).post(f"{URL}programmes/{prog.pk}/publish/")
    assert response.status_code == 409
    assert response.json()["error"]["status"] == 409


def test_opening_the_vote_for_more_than_the_deputies_in_office_is_refused_on_the_field(as_user, staff, ready):
    prog, _ = ready
    response = as_user(staff).post(f"{URL}programmes/{prog.pk}/open-vote/", {"present": 500}, format="json")
    assert response.status_code == 400
    assert "present" in response.json()["error"]["fields"]


def test_a_supervisor_reads_but_may_not_open_the_vote(as_user, congress, ready):
    prog, _ = ready
    response = as_user(core.supervisor_of(congress)).post(f"{URL}programmes/{prog.pk}/open-vote/", {"present": 1},
                                                          format="json")  # fmt: skip
    assert response.status_code == 403


def test_staff_may_not_assess_for_the_office(as_user, staff, congress):
    office, _officer = f.office_of(congress)
    prog = f.programme(staff, congress, office, projects=1)
    services.open_solicitation(actor=staff, programme_id=prog.pk)
    proposal = f.proposal(prog, 1)
    body = {"feasibility": "not_feasible", "assessment": "超出本级事权"}
    assert as_user(staff).post(f"{URL}proposals/{proposal.pk}/assess/", body, format="json").status_code == 403


def test_the_office_may_not_name_another_county_department(as_user, staff, congress, elsewhere):
    office, officer = f.office_of(congress)
    prog = f.programme(staff, congress, office, projects=1)
    services.open_solicitation(actor=staff, programme_id=prog.pk)
    proposal = f.proposal(prog, 1)
    theirs = f.department(elsewhere[0], "越秀区民政局")
    body = {"feasibility": "feasible", "cost": "10", "department": theirs.pk, "assessment": "可行"}
    response = as_user(officer).post(f"{URL}proposals/{proposal.pk}/assess/", body, format="json")
    assert response.status_code == 400
    assert "department" in response.json()["error"]["fields"]
    assert Proposal.objects.get(pk=proposal.pk).department_id is None


def test_the_congress_client_with_write_scope_opens_the_vote(api_client, congress, ready):
    prog, _ = ready
    client = token(api_client, congress, "livelihood:read", "livelihood:write")
    f.deputies(congress, 2)
    response = client.post(f"{URL}programmes/{prog.pk}/open-vote/", {"present": 2}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "voting"


def test_the_candidate_list_is_refused_when_a_proposal_of_another_programme_is_named(as_user, staff, elsewhere):
    _other, _other_staff, theirs = elsewhere
    congress = staff.memberships.first().congress
    office, officer = f.office_of(congress)
    prog = f.programme(staff, congress, office, projects=1)
    services.open_solicitation(actor=staff, programme_id=prog.pk)
    mine = f.proposal(prog, 1)
    services.close_solicitation(actor=staff, programme_id=prog.pk)
    f.assess(officer, mine, f.department(congress))
    foreign = theirs.proposals.first()
    body = {"kept": [{"proposal": mine.pk, "reason": "好"}, {"proposal": foreign.pk, "reason": "好"}]}
    response = as_user(staff).post(f"{URL}programmes/{prog.pk}/confirm-candidates/", body, format="json")
    assert response.status_code == 400
    assert not prog.candidates.exists()


# Webhooks and the changes feed


def _hook(congress, *events):
    client, _token = core_services.create_api_client(actor=None, name="省平台", congress=congress,
                                                     scopes=["livelihood:read"], owner=core.UserFactory())  # fmt: skip
    WebhookEndpoint.objects.create(client=client, url="https://example.cn/hook", events=list(events), secret="s" * 32)
    return client


def test_the_confirmed_candidate_list_is_announced(staff, congress):
    _hook(congress, "livelihood.candidates_confirmed")
    prog, candidates = f.with_candidates(staff, congress, n_candidates=4, projects=3)
    [delivery] = WebhookDelivery.objects.all()
    data = delivery.payload["data"]
    assert (data["programme"], [c["id"] for c in data["candidates"]]) == (prog.pk, [c.pk for c in candidates])
    assert "votes" not in data["candidates"][0]


def test_closing_the_vote_and_publishing_are_announced_with_counts(cast, staff, congress, ready):
    prog, candidates = ready
    _hook(congress, "livelihood.vote_closed", "livelihood.published")
    cast(prog, candidates, [[0], [0, 1]])
    services.close_vote(actor=staff, programme_id=prog.pk)
    services.publish(actor=staff, programme_id=prog.pk)
    closed, published = WebhookDelivery.objects.order_by("id")
    assert (closed.event, closed.payload["data"]["voted"]) == ("livelihood.vote_closed", 2)
    assert [c["votes"] for c in closed.payload["data"]["candidates"]] == [2, 1, 0, 0]
    assert published.event == "livelihood.published"
    assert published.payload["data"]["published_at"] is not None


def test_another_county_client_is_not_told(staff, congress, elsewhere):
    _hook(elsewhere[0], "livelihood.candidates_confirmed")
    f.with_candidates(staff, congress, n_candidates=4, projects=3)
    assert not WebhookDelivery.objects.exists()


def test_a_merged_proposal_reaches_the_changes_feed(api_client, staff, congress):
    office, _officer = f.office_of(congress)
    prog = f.programme(staff, congress, office, projects=1)
    services.open_solicitation(actor=staff, programme_id=prog.pk)
    keep, twin = f.proposal(prog, 1), f.proposal(prog, 2)
    services.merge_proposals(actor=staff, keep_id=keep.pk, merged_ids=[twin.pk])
    rows = token(api_client, congress, "livelihood:read").get("/api/v1/changes/").json()["results"]
    assert [(r["resource"], r["object_id"], r["action"], r["merged_into"]) for r in rows] == [
        ("livelihood/proposals", twin.pk, "merged", keep.pk)]  # fmt: skip


def test_the_changes_feed_leaves_livelihood_out_for_a_client_without_the_scope(api_client, staff, congress):
    office, _officer = f.office_of(congress)
    prog = f.programme(staff, congress, office, projects=1)
    prog.delete()
    assert Tombstone.objects.get().resource == "livelihood/programmes"
    assert token(api_client, congress, "activities:read").get("/api/v1/changes/").json()["results"] == []
