"""Help at intake, honestly measured (issue 28): the unit recommendation trained on the earlier part of each
congress's history and tested on the later part, by submission date (never a random split), against the baseline
of the units most used for the category; the duplicate search against the pairs staff merged; and the time of one
recommendation against a plain indexed full-text search over the same history.

The history is seed_scale's (seeding/scale/suggestions.py, described in docs/intake-help.md): issues with their
right units, several phrasings each, shared vocabulary, noise, re-assignments and merges."""

import time
from collections import defaultdict

from django.db import connection

from seeding.scale.issues import ISSUES
from suggestions.models import Assignment, AssignmentStatus, Suggestion, UnitRole

from .harness import SCALE, Result, median_ms, scaled
from .suggestion_cases import PROVINCE, SIZES, grow

CONGRESSES = scaled(full=12, small=8, tiny=3)  # the congresses with the most history are evaluated
MIN_HISTORY = scaled(full=500, small=200, tiny=20)  # assigned suggestions a congress needs to be evaluated
TESTS_PER_CONGRESS = scaled(full=400, small=250, tiny=30)  # test suggestions per congress (evenly spread)
QUERIES_PER_CONGRESS = scaled(full=150, small=100, tiny=20)  # merged suggestions asked for their duplicates
TRAIN_SHARES = (0.1, 0.3, 0.8)  # history used for training; the test is always the last 20%
TEST_FROM = 0.8
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
TOP_K = (1, 3, 5)
SHOWN_AT_MOST = 50  # candidates asked for at a threshold: more than a merged group's usual size
SEARCH = (
    "SELECT id FROM suggestions_suggestion WHERE congress_id = %s "
    "AND to_tsvector('simple', coalesce(terms, '')) @@ to_tsquery('simple', %s) LIMIT 10"
)


def _history(congress_id: int) -> list[tuple]:
    """(id, submitted_at, terms, category id, right units) of the congress's assigned suggestions in submission
    order; the right units are those that answer (lead or separate) and were not released."""
    right = defaultdict(set)
    for suggestion_id, unit_id in (
        Assignment.objects.filter(congress_id=congress_id, role__in=[UnitRole.LEAD, UnitRole.SEPARATE])
        .exclude(status=AssignmentStatus.RELEASED)
        .values_list("suggestion_id", "unit_id")
    ):
        right[suggestion_id].add(unit_id)
    rows = Suggestion.objects.filter(
        congress_id=congress_id, merged_into__isnull=True, assigned_on__isnull=False, submitted_at__isnull=False
    ).values_list("id", "submitted_at", "terms", "category_id")
    return sorted(
        ((pk, at, terms or "", category, frozenset(right[pk])) for pk, at, terms, category in rows if right[pk]),
        key=lambda row: (row[1], row[0]),
    )


def _spread(rows: list, most: int) -> list:
    step = max(len(rows) / most, 1)
    return [rows[int(n * step)] for n in range(min(most, len(rows)))]


def _congresses() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT congress_id, COUNT(*) FROM suggestions_suggestion WHERE region_code LIKE %s "
            "AND assigned_on IS NOT NULL AND merged_into_id IS NULL GROUP BY congress_id HAVING COUNT(*) >= %s "
            "ORDER BY COUNT(*) DESC, congress_id LIMIT %s",
            [PROVINCE + "%", 10, CONGRESSES],
        )
        rows = cursor.fetchall()
    # A tiny run may have no congress with the history wanted: it evaluates the largest, to prove the case works.
    return [congress_id for congress_id, count in rows if count >= MIN_HISTORY] or [pk for pk, _ in rows[:1]]


def _accuracy(routing, congresses: list[int]) -> dict:
    """Top-1 and top-3 hits of the model and of the baseline, by share of history trained on."""
    hits = {share: defaultdict(int) for share in TRAIN_SHARES}
    per_congress = []
    for congress_id in congresses:
        history = _history(congress_id)
        test_from = int(len(history) * TEST_FROM)
        tests = _spread(history[test_from:], TESTS_PER_CONGRESS)
        cut_at = history[test_from][1]
        mine = {"congress": congress_id, "history": len(history), "tested": len(tests)}
        for share in TRAIN_SHARES:
            until = history[min(int(len(history) * share), test_from)][1]
            counts = hits[share]
            counts["learnt"] += routing.rebuild(congress_id, until=until).documents
            for _pk, _at, terms, category, right in tests:
                ranked = [unit for unit, _score in routing.rank(congress_id, terms, category, limit=3)]
                base = routing.baseline(congress_id, category, limit=3)
                counts["tested"] += 1
                counts["top1"] += bool(ranked[:1] and ranked[0] in right)
                counts["top3"] += bool(right & set(ranked[:3]))
                counts["baseline_top1"] += bool(base[:1] and base[0] in right)
                counts["baseline_top3"] += bool(right & set(base[:3]))
            if share == TEST_FROM:
                mine["cut"] = cut_at.isoformat()
        per_congress.append(mine)
        routing.rebuild(congress_id)  # the full history again, as the nightly task leaves it
    figures = {}
    for share, counts in hits.items():
        tested = counts["tested"] or 1
        figures[f"train_{int(share * 100)}pct"] = {
            "tested": counts["tested"],
            "learnt_from": counts["learnt"],  # assigned before the cut: what the model and the baseline knew
            **{key: round(counts[key] / tested, 3) for key in ("top1", "top3", "baseline_top1", "baseline_top3")},
        }
    return {"by_history": figures, "congresses": per_congress}


def _issue(title: str) -> int | None:
    """The generator's issue a title names (a diagnostic the real data would not have)."""
    return next((n for n, issue in enumerate(ISSUES) for topic in issue.topics if topic in title), None)


def _duplicates(similar, congresses: list[int]) -> dict:
    """Precision and recall of the duplicate search against the pairs staff merged, within the session; and, as a
    diagnostic, the precision had every suggestion of the session on the same issue counted as a duplicate."""
    queries, asked, issues = [], [], {}
    for congress_id in congresses:
        groups = defaultdict(set)
        for pk, primary in Suggestion.objects.filter(congress_id=congress_id, merged_into__isnull=False).values_list(
            "id", "merged_into_id"
        ):
            groups[primary].update((pk, primary))
        members = {pk: group for group in groups.values() for pk in group}
        rows = Suggestion.objects.filter(pk__in=list(members)).values_list("id", "session_id", "terms").order_by("id")
        for pk, session_id, terms in _spread(list(rows), QUERIES_PER_CONGRESS):
            found = similar.candidates(
                congress_id, terms or "", session_ids=[session_id], exclude_id=pk, limit=SHOWN_AT_MOST
            )
            queries.append((members[pk] - {pk}, found))
            asked.append(pk)
            issues[pk] = None
            issues.update(dict.fromkeys(pk for pk, _ in found))
    for pk, title in Suggestion.objects.filter(pk__in=list(issues)).values_list("id", "title"):
        issues[pk] = _issue(title)
    truth = sum(len(true) for true, _ in queries) or 1
    at_threshold = {}
    for threshold in THRESHOLDS:
        predicted = [[pk for pk, score in found if score >= threshold] for _, found in queries]
        right = sum(len(set(p) & true) for p, (true, _) in zip(predicted, queries, strict=True))
        shown = sum(len(p) for p in predicted)
        alike = sum(
            issues[pk] is not None and issues[pk] == issues[query]
            for p, query in zip(predicted, asked, strict=True)
            for pk in p
        )
        at_threshold[str(threshold)] = {
            "precision": round(right / shown, 3) if shown else None,
            "same_issue_precision": round(alike / shown, 3) if shown else None,
            "recall": round(right / truth, 3),
            "shown": shown,
        }
    at_k = {}
    for k in TOP_K:
        right = sum(len({pk for pk, _ in found[:k]} & true) for true, found in queries)
        shown = sum(len(found[:k]) for _, found in queries)
        reachable = sum(min(k, len(true)) for true, _ in queries) or 1  # k places hold at most k partners
        at_k[str(k)] = {"precision": round(right / shown, 3) if shown else None, "recall": round(right / truth, 3),
                        "recall_of_reachable": round(right / reachable, 3)}  # fmt: skip
    partners = sorted(len(true) for true, _ in queries) or [0]
    median = partners[len(partners) // 2]
    return {"queries": len(queries), "merged_pairs_asked": truth, "median_merged_partners": median,
            "at_threshold": at_threshold, "at_top_k": at_k}  # fmt: skip


def _tsquery(terms: str) -> str:
    words = list(dict.fromkeys(word for word in terms.split() if word.isalnum()))
    return " | ".join(words) or "x"


def intake_recommendation() -> list[Result]:
    """Accuracy of the unit recommendation and of the duplicate search on a time split, and the speed of one
    recommendation against a plain indexed full-text search over the same congress's history."""
    from suggestions import routing, similar

    total = grow(SIZES[-1])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE suggestions_suggestion")
    congresses = _congresses()
    started = time.perf_counter()
    accuracy = _accuracy(routing, congresses)
    accuracy_s = time.perf_counter() - started
    duplicates = _duplicates(similar, congresses)
    # Speed on the congress with the most history, its model trained on all of it.
    biggest = congresses[0]
    history = _history(biggest)
    samples = _spread(history, scaled(full=40, small=30, tiny=5))
    queue = iter(samples * 1000)

    def recommend():
        _pk, _at, terms, category, _right = next(queue)
        routing.rank(biggest, terms, category, limit=3)

    plain = iter(samples * 1000)

    def search():
        terms = next(plain)[2]
        with connection.cursor() as cursor:
            cursor.execute(SEARCH, [biggest, _tsquery(terms)])
            cursor.fetchall()

    rank_ms = median_ms(recommend, runs=len(samples), warmup=3)
    search_ms = median_ms(search, runs=len(samples), warmup=3)
    rank_times = []
    for sample in samples[:10]:
        start = time.perf_counter()
        routing.rank(biggest, sample[2], sample[3], limit=3)
        rank_times.append((time.perf_counter() - start) * 1000)
    final = accuracy["by_history"][f"train_{int(TEST_FROM * 100)}pct"]
    common = {"suggestions": total, "congresses_evaluated": len(congresses), "scale": SCALE}
    return [
        Result(
            name="unit recommendation vs indexed search",
            app="suggestions",
            size=len(history),
            figure_ms=rank_ms,
            reference="raw SQL: the GIN-indexed full-text search of the same congress for the text's words, LIMIT 10",
            reference_ms=search_ms,
            ratio=rank_ms / search_ms,
            queries=0,
            target_max=3.0,
            notes=common
            | {"congress": biggest, "history": len(history), "rank_ms_max_of_10": round(max(rank_times), 2)},
        ),  # fmt: skip
        Result(
            name="unit recommendation top-3 accuracy",
            app="suggestions",
            size=final["tested"],
            figure_ms=rank_ms,
            reference="baseline: the units most often used for the category (ratio: the model's top-3 accuracy)",
            reference_ms=0.0,
            ratio=final["top3"],
            queries=0,
            target_min=0.85,
            notes=common
            | {
                "split": "by submission date; trained before the 80th percentile, tested after",
                "evaluation_s": round(accuracy_s, 1),
                **accuracy,
            },
        ),  # fmt: skip
        Result(
            name="duplicate search vs staff merges",
            app="suggestions",
            size=duplicates["queries"],
            figure_ms=0.0,
            reference="pairs staff merged (并案) in the session (ratio: recall of the top 3)",
            reference_ms=0.0,
            ratio=duplicates["at_top_k"]["3"]["recall"],
            queries=0,
            notes=common | duplicates,
        ),
    ]


CASES = [intake_recommendation]
