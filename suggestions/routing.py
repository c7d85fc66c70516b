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

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress import scope, text
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
NOTES = {
    "history": _("Ranked by the words of the suggestion and its category, from the units that answered this "
                 "congress's past suggestions."),
    "category": _("The text is too short to compare, or there is no history yet: ranked by the category alone."),
    "none": _("Nothing to go on yet: no history, and no unit's name matches the category."),
}  # fmt: skip
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
        # This column alone, a batch per statement: no save() side effects, no audit entry for a derived value.
        filled = [Suggestion(pk=pk, terms=text.document(title, content)) for pk, title, content in rows]
        Suggestion.objects.bulk_update(filled, ["terms"])
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
    names = _name_matches(congress_id)
    for key in names:
        unit_docs[key] += 0  # a unit named like a category has a row for it, history or not
    with transaction.atomic():
        # One rebuild of a congress at a time; a reader sees the old model or the new one, never half.
        Congress.objects.select_for_update().filter(pk=congress_id).first()
        for model in (RoutingWord, RoutingUnit, WordFrequency):
            model.objects.filter(congress_id=congress_id).delete()
        WordFrequency.objects.bulk_create(
            [WordFrequency(congress_id=congress_id, word=w, documents=frequency[w]) for w in vocabulary],
            batch_size=BATCH,
        )
        by_word = defaultdict(list)
        for (word, unit_id), value in weights.items():
            if value > 0:
                by_word[word].append(f"{unit_id}:{value:.6g}")
        # In word order, so the rows a text's words ask for lie on few pages.
        RoutingWord.objects.bulk_create(
            [
                RoutingWord(congress_id=congress_id, word=word, units=" ".join(by_word[word]))
                for word in sorted(by_word)
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
                    name_match=names.get((unit_id, category_id), 0.0),
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


def _region_units(congress_id: int) -> list[tuple[int, str]]:
    congress = Congress.objects.filter(pk=congress_id).only("region_id").first()
    if congress is None:
        return []
    return list(
        Organisation.objects.filter(
            region_id=congress.region_id, kind=OrganisationKind.HANDLING_UNIT, is_active=True
        ).values_list("pk", "name")
    )


def _name_matches(congress_id: int) -> dict[tuple[int, int], float]:
    """{(unit, category): match} for the units of the congress's region named like one of its categories."""
    units = _region_units(congress_id)
    matches = {}
    for category_id, name, parent in Category.objects.filter(congress_id=congress_id).values_list(
        "pk", "name", "parent__name"
    ):
        for unit_id, unit_name in units:
            match = max(name_match(n, unit_name) for n in (name, parent) if n)
            if match > 0:
                matches[unit_id, category_id] = match
    return matches


def _name_units(congress_id: int, names: list[str]) -> dict[int, float]:
    """Units of the congress's own region whose name matches the category's (before any model was learnt)."""
    if not names:
        return {}
    matches = {pk: max(name_match(category, name) for category in names) for pk, name in _region_units(congress_id)}
    return {pk: match for pk, match in matches.items() if match > 0}


def units_of(stored: str) -> dict[int, float]:
    """A RoutingWord's units as {unit id: weight}."""
    pairs = (pair.partition(":") for pair in stored.split())
    return {int(unit): float(weight) for unit, _, weight in pairs}


def learnt_weights(congress_id: int, word: str) -> dict[int, float]:
    """What the learnt model holds of a word: {unit id: weight}."""
    row = RoutingWord.objects.filter(congress_id=congress_id, word=word).values_list("units", flat=True).first()
    return units_of(row) if row else {}


def _read(congress_id: int, category_id: int | None, words) -> tuple[tuple | None, dict, dict, dict]:
    """The learnt model's figures a ranking needs, in one statement: (documents, vocabulary) of the model, the
    units' [all documents, category documents, words] and name matches, and the weights of the words."""
    words = sorted(words)
    marks = ", ".join(["%s"] * len(words)) or "NULL"
    sql = (
        f"SELECT 'm', NULL, NULL, 1.0 * documents, 1.0 * vocabulary, NULL, NULL FROM {RoutingModel._meta.db_table} "
        "WHERE congress_id = %s "
        f"UNION ALL SELECT 'u', r.unit_id, r.category_id, r.documents, r.words, r.name_match, NULL "
        f"FROM {RoutingUnit._meta.db_table} r JOIN {Organisation._meta.db_table} o ON o.id = r.unit_id "
        "WHERE r.congress_id = %s AND o.is_active AND (r.category_id IS NULL OR r.category_id = %s) "
        f"UNION ALL SELECT 'w', NULL, NULL, NULL, NULL, NULL, word || ' ' || units FROM {RoutingWord._meta.db_table} "
        f"WHERE congress_id = %s AND word IN ({marks})"
    )
    model, stats, names, hits = None, {}, {}, defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, [congress_id, congress_id, category_id, congress_id, *words])
        for kind, unit_id, cat, value, size, match, word in cursor.fetchall():
            if kind == "m":
                model = (value, size)
            elif kind == "w":
                word, _, units = word.partition(" ")
                hits[word] = units_of(units)
            else:
                entry = stats.setdefault(unit_id, [0.0, 0.0, 0.0])  # all documents, category documents, words
                if cat is None:
                    entry[0], entry[2] = value, size
                else:
                    entry[1] = value
                    if match:
                        names[unit_id] = match
    return model, stats, names, hits


def rank(congress_id: int, terms: str, category_id: int | None, *, limit: int = 3, detail: bool = False):
    """The units that fit best, best first: [(unit id, score)], or with detail=True the Ranking with its reasons."""
    query = Counter(terms.split()) if terms else Counter()
    model, stats, names, hits = _read(congress_id, category_id, query)
    if model is None:  # never learnt: the category's name alone
        names = _name_units(congress_id, _category_names(category_id))
        active = set(Organisation.objects.filter(pk__in=names, is_active=True).values_list("pk", flat=True))
        names = {pk: match for pk, match in names.items() if pk in active}
    units = sorted(set(stats) | set(names))
    if not units:
        ranking = Ranking([], "none")
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
    basis = "category"
    contributions = defaultdict(dict)
    if model is not None and model[0] and not text.too_short(terms or ""):
        basis = "history"
        vocabulary = max(model[1], 1)
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
        # The words that pointed at the unit: in its history, and at least as often as in the others'.
        mine = contributions[unit]
        keywords = sorted((w for w, c in mine.items() if c >= 0 and hits[w].get(unit)), key=lambda w: (-mine[w], w))
        fits.append(
            Fit(unit_id=unit, score=scores[unit], share=math.exp((scores[unit] - top) / temper) / mass,
                category_documents=stats.get(unit, (0, 0, 0))[1], name_matches=unit in names, keywords=keywords[:5])
        )  # fmt: skip
    state = RoutingModel.objects.filter(congress_id=congress_id).first() if model is not None else None
    return Ranking(fits, basis, category_documents=in_category, model=state)


def baseline(congress_id: int, category_id: int | None, *, limit: int = 3) -> list[int]:
    """The units most often used for the category in the learnt history (the bench's baseline)."""
    used = RoutingUnit.objects.filter(congress_id=congress_id, documents__gt=0)
    rows = used.filter(category_id=category_id) if category_id else None
    if rows is None or not rows.exists():
        rows = used.filter(category__isnull=True)
    return list(rows.order_by("-documents", "unit_id").values_list("unit_id", flat=True)[:limit])


def rebuild_all() -> int:
    """Learn the model of every congress that has suggestions; returns how many were learnt."""
    congress_ids = Suggestion.objects.order_by().values_list("congress_id", flat=True).distinct()
    learnt = 0
    for congress_id in list(congress_ids):
        rebuild(congress_id)
        learnt += 1
    return learnt


@dataclass
class Recommended:
    """A recommended unit as people see it: the unit, how clear the choice is, and why."""

    unit: Organisation
    share: float
    category_documents: float
    name_matches: bool
    keywords: list[str]
    similar: list  # past suggestions alike this one that the unit answered, those the reader may see
    similar_hidden: int  # alike ones the reader may not see, counted

    @property
    def category_count(self) -> int:
        return round(self.category_documents)


@dataclass
class Recommendation:
    units: list[Recommended]
    basis: str
    note: str
    category: Category | None
    category_documents: float
    learnt_at: datetime | None
    learnt_from: int


def recommend(user, suggestion, *, limit: int = 3) -> Recommendation:
    """The units that fit a suggestion best, with their reasons, for one who assigns it (scope.require first)."""
    from . import similar

    scope.require(user, "suggestions.recommend", suggestion)
    terms = suggestion.terms if suggestion.terms is not None else text.document(suggestion.title, suggestion.content)
    ranking = rank(suggestion.congress_id, terms, suggestion.category_id, limit=limit, detail=True)
    units = Organisation.objects.in_bulk([fit.unit_id for fit in ranking.fits])
    chosen = []
    for fit in ranking.fits:
        alike = (
            similar.handled_by(user, suggestion.congress_id, terms, fit.unit_id, exclude_id=suggestion.pk)
            if ranking.basis == "history"
            else similar.Similar()
        )
        chosen.append(
            Recommended(unit=units[fit.unit_id], share=fit.share, category_documents=fit.category_documents,
                        name_matches=fit.name_matches, keywords=fit.keywords, similar=alike.items,
                        similar_hidden=alike.hidden)
        )  # fmt: skip
    model = ranking.model
    return Recommendation(
        units=chosen, basis=ranking.basis, note=str(NOTES[ranking.basis]), category=suggestion.category,
        category_documents=ranking.category_documents, learnt_at=model.built_at if model else None,
        learnt_from=model.documents if model else 0,
    )  # fmt: skip
