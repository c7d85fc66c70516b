"""The livelihood-project vote's webhook events, emitted by the services inside the transaction of the change they
announce (congress.webhooks stores the deliveries with it): the candidate list confirmed, the vote closed and
counted, the results published. A client of the programme's region tree with `livelihood:read` receives them.

Counts go out once the vote is closed, as the API shows them; no event carries a ballot or who voted."""

from django.utils.translation import gettext_lazy

from congress import webhooks

CANDIDATES_CONFIRMED = "livelihood.candidates_confirmed"
VOTE_CLOSED = "livelihood.vote_closed"
PUBLISHED = "livelihood.published"


def register() -> None:
    """LivelihoodConfig.ready."""
    webhooks.register_event(CANDIDATES_CONFIRMED, gettext_lazy("a livelihood programme's candidate list was confirmed"),
                            scope="livelihood")  # fmt: skip
    webhooks.register_event(VOTE_CLOSED, gettext_lazy("a livelihood programme's vote was closed and counted"),
                            scope="livelihood")  # fmt: skip
    webhooks.register_event(PUBLISHED, gettext_lazy("a livelihood programme's results were published"),
                            scope="livelihood")  # fmt: skip


def _programme(programme) -> dict:
    return {"programme": programme.pk, "congress": programme.congress_id, "year": programme.year,
            "status": programme.status}  # fmt: skip


def _candidates(candidates, *, counted: bool) -> list[dict]:
    rows = []
    for c in sorted(candidates, key=lambda c: c.number):
        row = {"id": c.pk, "number": c.number, "title": c.title, "proposal": c.proposal_id,
               "department": c.department_id, "cost": c.cost}  # fmt: skip
        if counted:
            row.update(votes=c.votes, rank=c.rank, outcome=c.outcome)
        rows.append(row)
    return rows


def candidates_confirmed(programme, candidates) -> None:
    webhooks.emit(
        CANDIDATES_CONFIRMED,
        {**_programme(programme), "candidates": _candidates(candidates, counted=False)},
        region_code=programme.region_code,
    )


def vote_closed(programme, candidates, ballots: int) -> None:
    webhooks.emit(
        VOTE_CLOSED,
        {**_programme(programme), "present": programme.present, "voted": ballots, "tie_slots": programme.tie_slots,
         "vote_closed_at": programme.vote_closed_at, "candidates": _candidates(candidates, counted=True)},
        region_code=programme.region_code,
    )  # fmt: skip


def published(programme) -> None:
    webhooks.emit(
        PUBLISHED,
        {**_programme(programme), "published_at": programme.published_at,
         "candidates": _candidates(programme.candidates.all(), counted=True)},
        region_code=programme.region_code,
    )  # fmt: skip
