"""An opinion that repeats an open one from the same area (同一诉求重复反映): flagged for the station, never refused.

Each new opinion is compared, after its intake commits (tasks.flag_repeat, through the outbox), with the open
opinions of the same station (of the same division when it came without one) received in the REPEAT_DAYS before
it. The words are those stored on the opinion (congress.text); the score is the cosine of their tf-idf vectors,
with the idf of that small pool. The most alike one at or above REPEAT_SCORE is kept on the opinion, so the
ledger and the opinion's page show the flag without searching again."""

import math
from collections import Counter
from datetime import timedelta

from congress import text

from .models import CitizenOpinion, OpinionStatus

REPEAT_DAYS = 180
REPEAT_SCORE = 0.5
# Still being dealt with: a repeat of one of these is the same matter coming in again, not a new one.
OPEN = [OpinionStatus.RECEIVED, OpinionStatus.REFERRED, OpinionStatus.UNIT_REPLIED, OpinionStatus.TO_SUGGESTION]


def _pool(opinion: CitizenOpinion):
    earlier = CitizenOpinion.objects.filter(
        congress_id=opinion.congress_id, status__in=OPEN, received_at__lt=opinion.received_at,
        received_at__gte=opinion.received_at - timedelta(days=REPEAT_DAYS),
    ).exclude(pk=opinion.pk)  # fmt: skip
    if opinion.station_id:
        return earlier.filter(station_id=opinion.station_id)
    return earlier.filter(station__isnull=True, region_code=opinion.region_code)


def most_alike(opinion: CitizenOpinion) -> tuple[int, float] | None:
    """The open opinion of the same area this one repeats, with the score, or None."""
    mine = opinion.terms if opinion.terms is not None else text.document("", opinion.content)
    if text.too_short(mine):
        return None
    pool = [(pk, terms if terms is not None else text.document("", content))
            for pk, terms, content in _pool(opinion).values_list("pk", "terms", "content")]  # fmt: skip
    if not pool:
        return None
    frequency = Counter(word for _, terms in pool for word in set(terms.split()))
    size = len(pool) + 1
    frequency.update(set(mine.split()))

    def idf(word):
        return math.log((size + 1) / (frequency.get(word, 0) + 1)) + 1

    vector = text.weights(mine, idf)
    scored = [(text.cosine(vector, text.weights(terms, idf)), pk) for pk, terms in pool]
    score, pk = max(scored, key=lambda item: (item[0], -item[1]))
    return (pk, round(score, 4)) if score >= REPEAT_SCORE else None


def flag(opinion_id: int) -> bool:
    """Record which open opinion this one repeats (idempotent: the same answer each time); True when flagged."""
    opinion = CitizenOpinion.objects.filter(pk=opinion_id).first()
    if opinion is None:
        return False
    found = most_alike(opinion)
    repeat_of, score = found if found else (None, None)
    # Only these two derived columns: no save() side effects, and no audit entry for the system's own reading.
    CitizenOpinion.objects.filter(pk=opinion_id).update(repeat_of_id=repeat_of, repeat_score=score)
    return found is not None
