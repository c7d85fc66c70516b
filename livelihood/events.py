"""The livelihood-project vote's webhook events, emitted by the services inside the transaction of the change they
announce (congress.webhooks stores the deliveries with it): the candidate list confirmed, the vote closed and
counted, the results published; then a project's quarterly progress reported (or corrected) and the year-end
appraisal closed. A client of the programme's region tree with `livelihood:read` receives them.

Counts go out once the vote is closed, as the API shows them; no event carries a ballot or who voted, nor which
deputy rated a project how: the appraisal goes out as each project's counts, like a vote's."""

from django.utils.translation import gettext_lazy

from congress import webhooks

CANDIDATES_CONFIRMED = "livelihood.candidates_confirmed"
VOTE_CLOSED = "livelihood.vote_closed"
PUBLISHED = "livelihood.published"
PROGRESS_REPORTED = "livelihood.progress_reported"
APPRAISAL_CLOSED = "livelihood.appraisal_closed"


def register() -> None:
    """LivelihoodConfig.ready."""
    webhooks.register_event(CANDIDATES_CONFIRMED, gettext_lazy("a livelihood programme's candidate list was confirmed"),
                            scope="livelihood")  # fmt: skip
    webhooks.register_event(VOTE_CLOSED, gettext_lazy("a livelihood programme's vote was closed and counted"),
                            scope="livelihood")  # fmt: skip
    webhooks.register_event(PUBLISHED, gettext_lazy("a livelihood programme's results were published"),
                            scope="livelihood")  # fmt: skip
    webhooks.register_event(PROGRESS_REPORTED, gettext_lazy("a livelihood project's quarterly progress was reported"),
                            scope="livelihood")  # fmt: skip
    webhooks.register_event(APPRAISAL_CLOSED, gettext_lazy("a livelihood programme's year-end appraisal was closed"),
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


def progress_reported(report, *, corrected: bool, photos: int) -> None:
    """A quarter's report filed, or corrected within its window (`corrected`); the photos are counted, not linked:
    they are read through the pages, with their permission."""
    project = report.project
    webhooks.emit(
        PROGRESS_REPORTED,
        {"report": report.pk, "project": project.pk, "programme": project.programme_id, "year": report.year,
         "quarter": report.quarter, "spent": report.spent, "photos": photos, "corrected": corrected,
         "updated_at": report.updated_at},
        region_code=project.programme.region_code,
    )  # fmt: skip


def appraisal_closed(programme, appraisals) -> None:
    """Each chosen project's counts and outcome; `correcting` names the projects sent back for correction."""
    rows = [{"appraisal": a.pk, "project": a.candidate_id, "number": a.candidate.number, "title": a.candidate.title,
             "satisfied": a.satisfied, "basically_satisfied": a.basically_satisfied, "dissatisfied": a.dissatisfied,
             "status": a.status, "correct_by": a.correct_by}
            for a in sorted(appraisals, key=lambda a: a.candidate.number)]  # fmt: skip
    webhooks.emit(
        APPRAISAL_CLOSED,
        {**_programme(programme), "projects": rows,
         "correcting": [row["project"] for row in rows if row["correct_by"] is not None]},
        region_code=programme.region_code,
    )  # fmt: skip
