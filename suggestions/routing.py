"""Which handling units fit a suggestion (交办精准): learnt from the congress's own assignments.

The model is a multinomial naive Bayes over the suggestion's content words (congress.text), with a prior from
its category. It was chosen over nearest-neighbour voting because its learnt state is a small table of counts per
(word, unit), so a recommendation reads a few indexed rows whatever the size of the history, and the reason for a
unit is plain to show: the words that pointed at it and how often the category went to it.

- The label of a past suggestion is the unit it ended with: its lead unit, or each unit it was separately
  assigned to. Suggestions merged into another take their primary's units.
- A unit released on re-assignment was the wrong one: its counts for that suggestion's words are taken away, and
  the unit that took over counts double (REASSIGNED).
- With no history, the category decides: units whose name shares a word with the category's name (教育 → 教育局)
  come first. Each learnt suggestion then counts as much as NAME_PRIOR of those, so history takes over quickly.

The model is rebuilt per congress by a nightly task (tasks.learn_routing); `rebuild(until=…)` learns only from what
was known before a date, which the bench uses to test on later suggestions (a time split)."""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congress import text
from congress.models import Congress, Organisation, OrganisationKind

from .models import (
    Assignment,
    AssignmentStatus,
    Category,
    RoutingModel,
    RoutingUnit,
    RoutingWord,
    Suggestion,
    UnitRole,
    WordFrequency,
)

ALPHA = 0.1  # add-α smoothing of the word counts
PRIOR_STRENGTH = 3.0  # pseudo-suggestions the congress-wide share of a unit is worth within a category
NAME_PRIOR = 2.0  # pseudo-suggestions a unit's name matching the category is worth
REASSIGNED = 2.0  # weight of the unit a suggestion ended with after a re-assignment
MIN_DOCUMENTS = 2  # a word in fewer suggestions than this says nothing about units, and is not stored
BATCH = 5000
ANSWERING = [UnitRole.LEAD, UnitRole.SEPARATE]


def fill_terms(congress_id: int | None = None, batch: int = 2000) -> int:
    """Segment the suggestions whose words were never computed (rows from before, bulk loads); returns how many."""
    done = 0
    pending = Suggestion.objects.filter(terms__isnull=True)
    if congress_id is not None:
        pending = pending.filter(congress_id=congress_id)
    while True:
        rows = list(pending.order_by("pk").values_list("pk", "title", "content")[:batch])
        if not rows:
            return done
        for pk, title, content in rows:
            # An update of this column alone: no save() side effects, no audit entry for a derived value.
            Suggestion.objects.filter(pk=pk).update(terms=text.document(title, content))
        done += len(rows)


def _labels(congress_id: int, until: datetime | None) -> dict[int, tuple[list[int], list[int]]]:
    """For each assigned suggestion: the units it ended with, and the units released from it."""
    assignments = Assignment.objects.filter(congress_id=congress_id, role__in=ANSWERING)
    if until is not None:
        assignments = assignments.filter(assigned_on__lt=timezone.localdate(until))
    labels = defaultdict(lambda: ([], []))
    for suggestion_id, unit_id, status in assignments.values_list("suggestion_id", "unit_id", "status").iterator(
        chunk_size=BATCH
    ):
        labels[suggestion_id][1 if status == AssignmentStatus.RELEASED else 0].append(unit_id)
    return labels


def _history(congress_id: int, until: datetime | None):
    history = Suggestion.objects.filter(congress_id=congress_id, terms__isnull=False, submitted_at__isnull=False)
    if until is not None:
        history = history.filter(submitted_at__lt=until)
    return history


def rebuild(congress_id: int, *, until: datetime | None = None) -> RoutingModel:
    """Learn a congress's model from its suggestions submitted (and units assigned) before `until` (None: all)."""
    fill_terms(congress_id)
    history = _history(congress_id, until)
    frequency, counted = Counter(), 0
    for terms in history.values_list("terms", flat=True).iterator(chunk_size=BATCH):
        frequency.update(set(terms.split()))
        counted += 1
    vocabulary = {word for word, n in frequency.items() if n >= MIN_DOCUMENTS}
    labels = _labels(congress_id, until)
    weights, unit_docs, unit_words, released = defaultdict(float), defaultdict(float), defaultdict(float), Counter()
    learnt = 0
    rows = history.values_list("pk", "merged_into_id", "category_id", "terms")
    for pk, merged_into_id, category_id, terms in rows.iterator(chunk_size=BATCH):
        final, gone = labels.get(merged_into_id or pk, ((), ()))
        if not final:
            continue
        learnt += 1
        weight = REASSIGNED if gone else 1.0
        words = Counter(word for word in terms.split() if word in vocabulary)
        size = sum(words.values())
        for unit_id in final:
            unit_docs[unit_id, category_id] += weight
            unit_docs[unit_id, None] += weight
            unit_words[unit_id] += weight * size
            for word, n in words.items():
                weights[word, unit_id] += weight * n
        for unit_id in gone:
            released[unit_id] += 1
            unit_docs[unit_id, None] += 0  # kept on record even when the unit has nothing else
            for word, n in words.items():
                weights[word, unit_id] -= n
    with transaction.atomic():
        # One rebuild of a congress at a time; a reader sees the old model or the new one, never half.
        Congress.objects.select_for_update().filter(pk=congress_id).first()
        for model in (RoutingWord, RoutingUnit, WordFrequency):
            model.objects.filter(congress_id=congress_id).delete()
        WordFrequency.objects.bulk_create(
            [WordFrequency(congress_id=congress_id, word=w, documents=frequency[w]) for w in vocabulary],
            batch_size=BATCH,
        )
        RoutingWord.objects.bulk_create(
            [
                RoutingWord(congress_id=congress_id, word=word, unit_id=unit_id, weight=value)
                for (word, unit_id), value in weights.items()
                if value > 0
            ],
            batch_size=BATCH,
        )
        RoutingUnit.objects.bulk_create(
            [
                RoutingUnit(
                    congress_id=congress_id,
                    unit_id=unit_id,
                    category_id=category_id,
                    documents=documents,
                    words=unit_words[unit_id] if category_id is None else 0,
                    released=released[unit_id] if category_id is None else 0,
                )  # fmt: skip
                for (unit_id, category_id), documents in unit_docs.items()
            ],
            batch_size=BATCH,
        )
        state, _ = RoutingModel.objects.update_or_create(
            congress_id=congress_id,
            defaults={"built_at": timezone.now(), "until": until, "documents": learnt, "suggestions": counted,
                      "vocabulary": len(vocabulary)},
        )  # fmt: skip
    return state


def _bigrams(name: str) -> set[str]:
    return {name[i : i + 2] for i in range(len(name) - 1)}


def name_match(category_name: str, unit_name: str) -> float:
    """How much of the category's name a unit's name carries (医疗卫生 → 卫生健康局: 1 of 3 bigrams)."""
    grams = _bigrams(category_name)
    return sum(gram in unit_name for gram in grams) / len(grams) if grams else 0.0


@dataclass
class Fit:
    unit_id: int
    score: float  # log-probability, up to a constant
    share: float = 0.0  # the posterior share among the ranked units
    category_documents: float = 0.0  # learnt suggestions of this category that went to the unit
    name_matches: bool = False
    keywords: list[str] = field(default_factory=list)


@dataclass
class Ranking:
    fits: list[Fit]
    basis: str  # "history": words and category; "category": the category alone; "none": nothing to go on
    category_documents: float = 0.0  # learnt suggestions of the category, all units
    model: RoutingModel | None = None


def _category_names(category_id: int | None) -> list[str]:
    if category_id is None:
        return []
    category = Category.objects.filter(pk=category_id).select_related("parent").first()
    if category is None:
        return []
    return [category.name] + ([category.parent.name] if category.parent_id else [])


def _name_units(congress_id: int, names: list[str]) -> dict[int, float]:
    """Units of the congress's own region whose name matches the category's."""
    if not names:
        return {}
    congress = Congress.objects.filter(pk=congress_id).only("region_id").first()
    if congress is None:
        return {}
    units = Organisation.objects.filter(
        region_id=congress.region_id, kind=OrganisationKind.HANDLING_UNIT, is_active=True
    ).values_list("pk", "name")
    matches = {pk: max(name_match(category, name) for category in names) for pk, name in units}
    return {pk: match for pk, match in matches.items() if match > 0}


def rank(congress_id: int, terms: str, category_id: int | None, *, limit: int = 3, detail: bool = False):
    """The units that fit best, best first: [(unit id, score)], or with detail=True the Ranking with its reasons."""
    model = RoutingModel.objects.filter(congress_id=congress_id).first()
    stats = {}
    for unit_id, cat, documents, words in RoutingUnit.objects.filter(
        Q(category_id=category_id) | Q(category__isnull=True), congress_id=congress_id
    ).values_list("unit_id", "category_id", "documents", "words"):
        entry = stats.setdefault(unit_id, [0.0, 0.0, 0.0])  # all documents, category documents, words
        if cat is None:
            entry[0], entry[2] = documents, words
        else:
            entry[1] = documents
    names = _name_units(congress_id, _category_names(category_id))
    active = set(
        Organisation.objects.filter(pk__in=set(stats) | set(names), is_active=True).values_list("pk", flat=True)
    )
    units = [pk for pk in sorted(set(stats) | set(names)) if pk in active]
    if not units:
        ranking = Ranking([], "none", model=model)
        return ranking if detail else []
    total = sum(stats.get(u, (0, 0, 0))[0] for u in units)
    in_category = sum(stats.get(u, (0, 0, 0))[1] for u in units)
    name_total = sum(names.values())
    scores = {}
    for unit in units:
        everything, category, _ = stats.get(unit, (0.0, 0.0, 0.0))
        overall = (everything + 1.0) / (total + len(units))
        pseudo = PRIOR_STRENGTH * overall + NAME_PRIOR * names.get(unit, 0.0)
        scores[unit] = math.log((category + pseudo) / (in_category + PRIOR_STRENGTH + NAME_PRIOR * name_total))
    query = Counter(terms.split()) if terms else Counter()
    basis = "category"
    contributions = defaultdict(dict)
    if model is not None and model.documents and not text.too_short(terms or ""):
        basis = "history"
        vocabulary = max(model.vocabulary, 1)
        hits = defaultdict(dict)
        for word, unit, weight in RoutingWord.objects.filter(congress_id=congress_id, word__in=list(query)).values_list(
            "word", "unit_id", "weight"
        ):
            hits[word][unit] = weight
        all_words = sum(stats.get(u, (0, 0, 0))[2] for u in units)
        for word, n in query.items():
            if word not in hits:
                continue  # unknown to the history: says nothing for or against any unit
            tf = 1 + math.log(n)
            background = (sum(hits[word].values()) + ALPHA) / (all_words + ALPHA * vocabulary)
            for unit in units:
                learnt = stats.get(unit, (0, 0, 0))[2]
                # A unit with no history yet is neither for nor against a word: it gets the background rate.
                likely = (hits[word].get(unit, 0.0) + ALPHA) / (learnt + ALPHA * vocabulary) if learnt else background
                scores[unit] += tf * math.log(likely)
                contributions[unit][word] = tf * math.log(likely / background)
    if basis == "category" and not in_category and not names:
        basis = "none"
    best = sorted(units, key=lambda u: (-scores[u], u))[:limit]
    if not detail:
        return [(u, scores[u]) for u in best]
    # Naive Bayes multiplies words as if independent, so its raw posterior is near 1 for the first unit; shown
    # shares are tempered by the square root of the text's length to say how clear the choice is.
    temper = math.sqrt(max(sum(query.values()), 1)) if basis == "history" else 1.0
    top = max(scores.values())
    mass = sum(math.exp((s - top) / temper) for s in scores.values())
    fits = []
    for unit in best:
        keywords = sorted((w for w, c in contributions[unit].items() if c > 0), key=lambda w: -contributions[unit][w])
        fits.append(
            Fit(unit_id=unit, score=scores[unit], share=math.exp((scores[unit] - top) / temper) / mass,
                category_documents=stats.get(unit, (0, 0, 0))[1], name_matches=unit in names, keywords=keywords[:5])
        )  # fmt: skip
    return Ranking(fits, basis, category_documents=in_category, model=model)


def baseline(congress_id: int, category_id: int | None, *, limit: int = 3) -> list[int]:
    """The units most often used for the category in the learnt history (the bench's baseline)."""
    rows = RoutingUnit.objects.filter(congress_id=congress_id, category_id=category_id) if category_id else None
    if rows is None or not rows.exists():
        rows = RoutingUnit.objects.filter(congress_id=congress_id, category__isnull=True)
    return list(rows.order_by("-documents", "unit_id").values_list("unit_id", flat=True)[:limit])
