"""Livelihood-project vote benchmark case: deputies voting at the session through the real ballot page.

A congress of its own (Tibet's code, apart from the other cases' provinces) with as many signed-in deputies as
the run sends ballots, a programme whose vote is open on 13 candidates, and a second open programme for the bare
view. Each deputy POSTs their ballot once to `livelihood:ballot` (the form, the mandate and window checks, the
secret ballot written apart from the turnout, the machine's audit record) under gunicorn with the production
settings, against a bare Django view on the same server that writes the same three kinds of row (turnout,
ballot, marks) in one statement with no checks. Reported: the ratio of ballots per second, and whether the
stored counts equal the marks the deputies sent."""

import secrets
from collections import Counter
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from .harness import Result, scaled

PROVINCE = "54"  # Tibet: apart from the other cases' provinces
CANDIDATES = 13
PROJECTS = 10
REQUESTS = scaled(full=1_500, small=600, tiny=20)
WARMUP = scaled(full=100, small=60, tiny=4)
CSRF = "e" * 32


def _deputies(congress, term, count: int) -> list:
    """`count` deputies of the congress, each with an account (bulk: the bench needs hundreds of voters)."""
    from congress.models import Role, RoleMembership, User
    from deputies import idnumbers
    from deputies.models import Mandate, Person

    have = list(Mandate.objects.filter(congress=congress, status="active").select_related("person__user"))
    missing = count - len(have)
    if missing > 0:
        run = secrets.token_hex(3)
        users = User.objects.bulk_create(
            [User(username=f"bench_lv_{run}_{n}", name=f"代表{n}") for n in range(missing)], batch_size=2000
        )
        born = date(1970, 1, 1)
        persons = Person.objects.bulk_create(
            [Person(name=f"代表{run}{n}", gender="M", ethnic_group_id="01", birth_date=born + timedelta(days=n),
                    id_number=idnumbers.make("540102", born + timedelta(days=n), len(have) + n), party_id="01",
                    education="undergraduate", occupation="other", work_unit="某单位", user=user)
             for n, user in enumerate(users)],
            batch_size=2000,
        )  # fmt: skip
        Mandate.objects.bulk_create(
            [Mandate(person=person, congress=congress, term=term, level="provincial", region_code=PROVINCE,
                     start_date=term.start_date) for person in persons],
            batch_size=2000,
        )  # fmt: skip
        RoleMembership.objects.bulk_create(
            [RoleMembership(user=user, role=Role.DEPUTY, congress=congress) for user in users], batch_size=2000
        )
        have = list(Mandate.objects.filter(congress=congress, status="active").select_related("person__user"))
    return have[:count]


def _programme(congress, office, year: int, voters: int):
    """An open vote on 13 assessed candidates, the deputies present being the voters."""
    from livelihood.models import Candidate, Programme, Proposal

    today = timezone.localdate()
    programme, created = Programme.objects.get_or_create(
        congress=congress, year=year,
        defaults={"title": f"{year}年民生实事项目票决（基准）", "solicit_from": today - timedelta(days=90),
                  "solicit_until": today - timedelta(days=30), "screen_until": today - timedelta(days=10),
                  "vote_on": today, "carry_until": date(year, 12, 31), "projects": PROJECTS,
                  "office": office, "status": "voting", "present": voters, "vote_opened_at": timezone.now()},
    )  # fmt: skip
    if created:
        for number in range(1, CANDIDATES + 1):
            proposal = Proposal.objects.create(
                programme=programme, number=number, source="citizen", title=f"民生项目{number}",
                description="新建社区养老服务站。", area="城关区", phone="13900000000", status="candidate",
                feasibility="feasible", cost=100, department=office, assessment="可行。",
            )  # fmt: skip
            Candidate.objects.create(programme=programme, proposal=proposal, number=number, title=proposal.title,
                                     department=office, cost=100)  # fmt: skip
    Programme.objects.filter(pk=programme.pk).update(present=max(programme.present or 0, voters))
    return programme, list(programme.candidates.order_by("number").values_list("pk", flat=True))


def _data(voters: int):
    from congress.models import Congress, Organisation, Region, Term

    with transaction.atomic():
        country = Region.objects.get(code="")
        region, _ = Region.objects.get_or_create(
            code=PROVINCE, defaults={"name": "西藏自治区", "level": "province", "parent": country}
        )
        congress, _ = Congress.objects.get_or_create(region=region, defaults={"name": "西藏自治区人民代表大会"})
        today = timezone.localdate()
        term, _ = Term.objects.get_or_create(
            congress=congress, number=12,
            defaults={"start_date": today - timedelta(days=700), "end_date": today + timedelta(days=1100)},
        )  # fmt: skip
        office, _ = Organisation.objects.get_or_create(
            region=region, name="自治区人民政府办公厅",
            defaults={"kind": "handling_unit", "unit_category": "government"},
        )  # fmt: skip
        mandates = _deputies(congress, term, voters)
        # A fresh pair of programmes each run, so every deputy still has their one vote in each.
        year = 3000 + secrets.randbelow(6000)
        app = _programme(congress, office, year, voters)
        bare = _programme(congress, office, year + 1, voters)
    return mandates, app, bare


def _cookies(mandates) -> list[str]:
    """A signed-in session per deputy, as the sign-in page leaves it (written in bulk: hundreds of sign-ins through
    the login machinery would dominate the run)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils.crypto import get_random_string

    store = SessionStore()
    expires = timezone.now() + timedelta(hours=2)
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    rows, cookies = [], []
    for mandate in mandates:
        user = mandate.person.user
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: user.get_session_auth_hash()}
        key = get_random_string(32)
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        cookies.append(f"{settings.CSRF_COOKIE_NAME}={CSRF}; {settings.SESSION_COOKIE_NAME}={key}")
    Session.objects.bulk_create(rows, batch_size=2000)
    return cookies


def livelihood_vote_throughput() -> Result:
    from django.utils.http import urlencode

    from livelihood.models import Ballot, BallotMark, Turnout

    from . import load

    voters = WARMUP + REQUESTS
    mandates, (programme, candidates), (bare_programme, bare_candidates) = _data(voters)
    cookies = _cookies(mandates)

    def picks(n: int, among: list[int]) -> list[int]:
        # Ten of thirteen, the popular ones more often, as at a session.
        return [among[(n + k * k) % CANDIDATES] for k in range(PROJECTS)]

    def plan(first: int, count: int, among: list[int], extra: dict) -> list[tuple[dict, str]]:
        made = []
        for n in range(first, first + count):
            headers = {"Cookie": cookies[n], "X-CSRFToken": CSRF, "Content-Type": "application/x-www-form-urlencoded"}
            body = urlencode({"candidates": sorted(set(picks(n, among))), **extra}, doseq=True)
            made.append((headers, body))
        return made

    app_path = f"/livelihood/{programme.pk}/ballot/"
    bare_extra = {"programme": bare_programme.pk}
    with load.as_deployed() as tasks, load.gunicorn() as port:
        load.post_each(port, "/bench/bare-ballot", plan(0, WARMUP, bare_candidates, bare_extra))
        load.post_each(port, app_path, plan(0, WARMUP, candidates, {}))
        bare = load.post_each(port, "/bench/bare-ballot", plan(WARMUP, REQUESTS, bare_candidates, bare_extra))
        app = load.post_each(port, app_path, plan(WARMUP, REQUESTS, candidates, {}))

    accepted = sum(1 for status in app["statuses"] if status == 302)
    sent = Counter(pk for n in range(voters) for pk in set(picks(n, candidates)))
    stored = Counter(
        BallotMark.objects.filter(ballot__programme=programme).values_list("candidate_id", flat=True).iterator()
    )
    turnout = Turnout.objects.filter(programme=programme).count()
    ballots = Ballot.objects.filter(programme=programme).count()
    bare_ballots = Ballot.objects.filter(programme=bare_programme).count()
    exact = stored == sent and turnout == ballots == voters
    assert bare_ballots == voters, ("bare view lost ballots", Counter(bare["statuses"]))
    assert accepted == REQUESTS and exact, {"accepted": accepted, "turnout": turnout, "ballots": ballots,
                                            "statuses": Counter(app["statuses"])}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE livelihood_ballotmark, livelihood_ballot, livelihood_turnout")
    return Result(
        name="livelihood vote throughput",
        app="livelihood",
        size=voters,
        figure_ms=1000 / app["rps"],
        reference="bare Django view: the signed-in deputy's turnout, ballot and marks in one statement, no checks "
        "(2 gunicorn workers, 8 threads)",
        reference_ms=1000 / bare["rps"],
        ratio=app["rps"] / bare["rps"],
        queries=0,
        target_min=0.5,
        notes={
            "app_rps": round(app["rps"], 1),
            "bare_rps": round(bare["rps"], 1),
            "ballots": REQUESTS,
            "candidates": CANDIDATES,
            "marks_per_ballot": PROJECTS,
            "counts_exact": exact,
            "tasks": tasks,
        },  # fmt: skip
    )


CASES = [livelihood_vote_throughput]
