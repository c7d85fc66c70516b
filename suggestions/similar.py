"""Suggestions like a given text: the duplicate search (并案 candidates on the review page, "already raised" on the
deputy's draft) and the examples behind a unit recommendation.

The index is asked for the suggestions sharing the text's rarest words (Postgres: the GIN index of migration
0014, ranked by ts_rank; elsewhere a scan), and the pool it returns is ordered by the cosine of tf-idf vectors, a
score from 0 to 1 that people can read as "how alike". Nothing here blocks anything: the pages show, people decide.

Scope: the search itself knows no user. The functions that take a user show only what the user may see and count
the rest (`Similar.hidden`), so a deputy learns that a topic was raised without learning by whom."""

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, FloatField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from congress import scope, text
from congress.models import Session

from .models import (
    Assignment,
    AssignmentStatus,
    Reply,
    Result,
    RoutingModel,
    Status,
    Suggestion,
    UnitRole,
    WordFrequency,
)

SEARCH_WORDS = 24  # the rarest words of a text that select candidates
POOL = 200  # candidates the index returns, then ordered by cosine
COMMON = 0.2  # a word in more than this share of the congress's suggestions does not select candidates
COMMON_FROM = 50  # suggestions from which a share says a word is common
SHOWN = 0.3  # below this cosine, suggestions are not alike enough to show (docs/intake-help.md: the measured trade)
PLAIN_WORD = re.compile(r"^\w+$")
VECTOR = "to_tsvector('simple', coalesce(suggestions_suggestion.terms, ''))"


class Frequencies:
    """Document frequencies of a congress's words, from the learnt model (the nightly task keeps them)."""

    def __init__(self, congress_id: int, words):
        state = RoutingModel.objects.filter(congress_id=congress_id).first()
        self.total = state.suggestions if state else 0
        self.documents = dict(
            WordFrequency.objects.filter(congress_id=congress_id, word__in=list(words)).values_list("word", "documents")
        )

    def idf(self, word: str) -> float:
        return math.log((self.total + 1) / (self.documents.get(word, 0) + 1)) + 1

    def selecting(self, words) -> list[str]:
        """The words that pick candidates: the rarest, leaving out those nearly every suggestion has (in a
        history large enough to tell). Words the model has not seen come first: they may be new since it was
        learnt, and a suggestion written since shares them."""
        plain = [w for w in set(words) if PLAIN_WORD.match(w)]
        if self.total >= COMMON_FROM:
            plain = [w for w in plain if self.documents.get(w, 0) <= COMMON * self.total] or plain
        return sorted(plain, key=lambda w: (self.documents.get(w, 0), w))[:SEARCH_WORDS]


def _sharing(queryset, words: list[str]):
    """The suggestions of `queryset` that have at least one of the words, most alike first, at most POOL."""
    if connection.vendor == "postgresql":
        query = " | ".join(words)
        return (
            queryset.alias(
                hit=RawSQL(f"{VECTOR} @@ to_tsquery('simple', %s)", [query], output_field=BooleanField()),
                rank=RawSQL(f"ts_rank({VECTOR}, to_tsquery('simple', %s))", [query], output_field=FloatField()),
            )
            .filter(hit=True)
            .order_by("-rank", "-pk")
        )
    anyword = Q()
    for word in words:
        anyword |= Q(terms__contains=word)
    return queryset.filter(anyword).order_by("-pk")


def candidates(congress_id: int, terms: str, *, session_ids=None, since: datetime | None = None, exclude_id=None,
               queryset=None, limit: int = 10, threshold: float = 0.0) -> list[tuple[int, float]]:  # fmt: skip
    """Suggestions of the congress most like the words `terms`: [(id, cosine)], best first, none below threshold."""
    words = (terms or "").split()
    if not words:
        return []
    frequencies = Frequencies(congress_id, words)
    selecting = frequencies.selecting(words)
    if not selecting:
        return []
    pool = (queryset if queryset is not None else Suggestion.objects.all()).filter(
        congress_id=congress_id, terms__isnull=False, submitted_at__isnull=False
    )
    if session_ids is not None:
        pool = pool.filter(session_id__in=session_ids)
    if since is not None:
        pool = pool.filter(submitted_at__gte=since)
    if exclude_id is not None:
        pool = pool.exclude(pk=exclude_id)
    found = list(_sharing(pool, selecting).values_list("pk", "terms")[:POOL])
    others = {w for _, stored in found for w in stored.split()} - set(frequencies.documents)
    if others:
        frequencies.documents.update(
            WordFrequency.objects.filter(congress_id=congress_id, word__in=others).values_list("word", "documents")
        )
    mine = text.weights(terms, frequencies.idf)
    scored = [(pk, text.cosine(mine, text.weights(stored, frequencies.idf))) for pk, stored in found]
    scored = [(pk, round(score, 4)) for pk, score in scored if score >= threshold]
    return sorted(scored, key=lambda item: (-item[1], -item[0]))[:limit]


@dataclass
class Similar:
    """Alike suggestions a user may see, with their scores, and how many alike ones they may not."""

    # Suggestion objects, each with .similarity (and .public_only when only its published copy may be shown)
    items: list = field(default_factory=list)
    hidden: int = 0


def _shown(user, found: list[tuple[int, float]], *, published: bool = False) -> Similar:
    """The found suggestions the user may read, best first; with published=True also the published ones,
    by their published copy (`public_only`), as anyone may read them on the public pages."""
    if not found:
        return Similar()
    ids = [pk for pk, _ in found]
    by_id = {s.pk: s for s in scope.visible(user, Suggestion).filter(pk__in=ids).select_related("session")}
    if published:
        for s in Suggestion.objects.filter(pk__in=set(ids) - set(by_id), published_at__isnull=False):
            s.public_only = True
            by_id[s.pk] = s
    result = Similar(hidden=sum(pk not in by_id for pk in ids))
    for pk, score in found:
        if pk in by_id:
            by_id[pk].similarity = score
            result.items.append(by_id[pk])
    _attach_replies(result.items)
    return result


def _attach_replies(items) -> None:
    """Each alike suggestion's latest reply (its primary's, when merged): the result and the text the reader may
    read, the published one for a suggestion shown by its published copy."""
    primary = {s.pk: s.merged_into_id or s.pk for s in items}
    replies = (
        Reply.objects.filter(assignment__suggestion_id__in=set(primary.values()),
                             assignment__role__in=[UnitRole.LEAD, UnitRole.SEPARATE])
        .exclude(assignment__status=AssignmentStatus.RELEASED)
        .order_by("replied_on", "pk")
        .values_list("assignment__suggestion_id", "result", "text", "public_text")
    )  # fmt: skip
    latest = {suggestion_id: rest for suggestion_id, *rest in replies} if items else {}
    for item in items:
        found = latest.get(primary[item.pk])
        if found:
            result, text, public_text = found
            item.reply_result = Result(result).label
            item.reply_text = public_text if getattr(item, "public_only", False) else text


def since_last_session(suggestion) -> datetime | None:
    """The start of the session before this one (before the latest, between sessions): "this session and the
    last one" reach back to it. None when the congress has had no session yet (then all of its history)."""
    sessions = Session.objects.filter(term__congress_id=suggestion.congress_id, start_date__lte=timezone.localdate())
    if suggestion.session_id:
        anchor = Session.objects.filter(pk=suggestion.session_id).values_list("start_date", flat=True).first()
        if anchor:
            sessions = sessions.filter(start_date__lte=anchor)
    starts = list(sessions.order_by("-start_date").values_list("start_date", flat=True)[:2])
    if not starts:
        return None
    return timezone.make_aware(datetime.combine(starts[-1], datetime.min.time()))


def like_draft(user, suggestion, *, limit: int = 5) -> Similar:
    """For a deputy writing: alike suggestions of this session and the last one, in any state past review."""
    terms = suggestion.terms if suggestion.terms is not None else text.document(suggestion.title, suggestion.content)
    if text.too_short(terms):
        return Similar()
    queryset = Suggestion.objects.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN, Status.RETURNED])
    found = candidates(suggestion.congress_id, terms, since=since_last_session(suggestion), exclude_id=suggestion.pk,
                       queryset=queryset, limit=limit, threshold=SHOWN)  # fmt: skip
    return _shown(user, found, published=True)


def merge_candidates(user, suggestion, *, limit: int = 10) -> Similar:
    """For staff reviewing: accepted, unmerged suggestions of the congress alike enough to merge (并案)."""
    queryset = Suggestion.objects.filter(status=Status.ACCEPTED, merged_into__isnull=True)
    found = candidates(suggestion.congress_id, suggestion.terms or "", exclude_id=suggestion.pk, queryset=queryset,
                       limit=limit, threshold=SHOWN)  # fmt: skip
    return _shown(user, found)


def handled_by(user, congress_id: int, terms: str, unit_id: int, *, exclude_id=None, limit: int = 2) -> Similar:
    """Past suggestions alike this text that the unit answered (the example behind a recommended unit)."""
    answered = Assignment.objects.filter(unit_id=unit_id, role__in=[UnitRole.LEAD, UnitRole.SEPARATE]).exclude(
        status=AssignmentStatus.RELEASED
    )
    queryset = Suggestion.objects.filter(pk__in=answered.values("suggestion_id"))
    found = candidates(congress_id, terms, exclude_id=exclude_id, queryset=queryset, limit=limit * 3,
                       threshold=SHOWN)  # fmt: skip
    shown = _shown(user, found)
    shown.items = shown.items[:limit]
    return shown
