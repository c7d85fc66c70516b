"""Topics (热点话题): what citizens' opinions and deputies' suggestions of a congress keep raising, with keywords,
per region and month.

Apps register their texts here from AppConfig.ready() (`register(Source(...))`), so the core reads opinions and
suggestions without importing the apps that hold them.

How items are grouped. Each item is its stored content words (congress.text) weighted by tf-idf over the period's
items. Items are read oldest first and each joins the group whose centroid it is most similar to (cosine at least
SIMILARITY), or starts a group of its own (leader clustering). It is one pass, deterministic for a given set of
items, needs no number of topics chosen in advance, and its groups are explained by their shared words; a topic
model (LDA) would need that number and gives groups no one can explain at a reception desk.

Persistence. A recomputation never replaces the topics: each new group is matched to a stored topic whose keywords
or items overlap it (Jaccard at least MATCH), so the topic keeps its id, the name staff gave it and its merges. A
group matching a topic that staff merged into another counts under that other topic.

Personal data. text.words already drops personal names, phone and ID numbers; on top of that a word becomes a
keyword only if items of at least MIN_AUTHORS different authors use it, so a rare surname, a house number written
as words or a neighbour's nickname raised by one person never surfaces."""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import audit, scope, text
from .errors import RuleViolation
from .models import Congress, Topic, TopicItem

SIMILARITY = 0.3  # cosine between an item and a group's centroid to join it: sharing about two topic words
MATCH = 0.5  # Jaccard of keywords or of items for a new group to be a stored topic again
MIN_AUTHORS = 3  # authors whose items use a word before it may be a keyword (personal data rule)
MIN_ITEMS = 3  # items in a group before it is a topic
KEYWORDS = 6
PERIOD_MONTHS = 12


@dataclass(frozen=True)
class Source:
    """A model whose rows are texts to group: which columns hold the congress, the date, the region, the stored
    words and the author (whatever tells two people apart), and how to segment a row stored before the words
    were kept."""

    model: type
    date_field: str
    region_field: str = "region_code"
    terms_field: str = "terms"
    author_field: str = "pk"
    congress_field: str = "congress"
    text_fields: tuple = ("content",)
    label: str = ""


_sources: list[Source] = []


def register(source: Source) -> None:
    if all(s.model is not source.model for s in _sources):
        _sources.append(source)


def sources() -> list[Source]:
    return list(_sources)


@dataclass
class Item:
    key: tuple  # (content type id, object id)
    day: date
    region_code: str
    author: tuple
    words: str


def period_start(today: date, months: int = PERIOD_MONTHS) -> date:
    """The first day of the month `months - 1` months before today's: the last `months` calendar months."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def read_items(congress: Congress, start: date) -> list[Item]:
    """Every registered text of the congress dated from `start`, oldest first."""
    since = timezone.make_aware(datetime.combine(start, time.min))
    items = []
    for source in _sources:
        content_type = ContentType.objects.get_for_model(source.model)
        columns = ["pk", source.date_field, source.region_field, source.author_field, source.terms_field]
        columns += list(source.text_fields)
        rows = source.model._default_manager.filter(
            **{source.congress_field: congress, f"{source.date_field}__gte": since}
        ).values_list(*dict.fromkeys(columns))
        names = list(dict.fromkeys(columns))
        for row in rows.iterator(chunk_size=2000):
            values = dict(zip(names, row, strict=True))
            words = values[source.terms_field]
            if words is None:
                words = text.document("", " ".join(str(values[f] or "") for f in source.text_fields))
            moment = values[source.date_field]
            day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
            items.append(
                Item(
                    key=(content_type.pk, values["pk"]),
                    day=day,
                    region_code=values[source.region_field] or "",
                    author=(content_type.pk, values[source.author_field]),
                    words=words or "",
                )
            )
    items.sort(key=lambda item: (item.day, item.key))
    return items


def _idf(items: list[Item]):
    frequency = Counter()
    for item in items:
        frequency.update(set(item.words.split()))
    total = len(items)
    table = {word: math.log((total + 1) / (n + 1)) + 1 for word, n in frequency.items()}
    return lambda word: table.get(word, 1.0)


def cluster(items: list[Item]) -> list[list[int]]:
    """Groups of item indexes, by leader clustering on tf-idf cosine (see the module's docstring)."""
    idf = _idf(items)
    centroids: list[dict[str, float]] = []
    norms: list[float] = []
    groups: list[list[int]] = []
    postings: dict[str, set[int]] = defaultdict(set)  # word -> groups whose centroid holds it
    for index, item in enumerate(items):
        if text.too_short(item.words):
            continue
        vector = text.weights(item.words, idf)
        candidates = set().union(*(postings.get(word, ()) for word in vector))
        best, best_score = None, 0.0
        for group in sorted(candidates):
            centroid = centroids[group]
            score = sum(v * centroid.get(word, 0.0) for word, v in vector.items()) / norms[group]
            if score >= SIMILARITY and (best is None or score > best_score):
                best, best_score = group, score
        if best is None:
            best = len(groups)
            groups.append([])
            centroids.append({})
            norms.append(1.0)
        groups[best].append(index)
        centroid = centroids[best]
        for word, v in vector.items():
            centroid[word] = centroid.get(word, 0.0) + v
            postings[word].add(best)
        norms[best] = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    return [group for group in groups if len(group) >= MIN_ITEMS]


def keywords(items: list[Item], members: list[int], idf=None) -> list[str]:
    """A group's top words by summed tf-idf, among the words items of at least MIN_AUTHORS authors use."""
    idf = idf or _idf(items)
    authors: dict[str, set] = defaultdict(set)
    score: Counter = Counter()
    for index in members:
        item = items[index]
        for word, weight in text.weights(item.words, idf).items():
            authors[word].add(item.author)
            score[word] += weight
    allowed = [word for word in score if len(authors[word]) >= MIN_AUTHORS]
    allowed.sort(key=lambda word: (-round(score[word], 9), word))
    return allowed[:KEYWORDS]


def _jaccard(a, b) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 0.0


def root(topic: Topic, topics: dict[int, Topic]) -> Topic:
    seen = set()
    while topic.merged_into_id and topic.merged_into_id in topics and topic.pk not in seen:
        seen.add(topic.pk)
        topic = topics[topic.merged_into_id]
    return topic


def recompute(congress_id: int, today: date | None = None) -> int:
    """Regroup the congress's texts of the last PERIOD_MONTHS months into its topics; returns the topics found.
    Running it twice gives the same topics: it is what the nightly task and the staff's button call."""
    today = today or timezone.localdate()
    start = period_start(today)
    congress = Congress.objects.select_related("region").get(pk=congress_id)
    items = read_items(congress, start)
    idf = _idf(items)
    found = []
    for members in cluster(items):
        words = keywords(items, members, idf)
        if words:
            found.append((words, members))
    now = timezone.now()
    with transaction.atomic():
        # One recomputation of a congress at a time, and staff's edits wait for it (or it for them).
        Congress.objects.select_for_update().filter(pk=congress_id).first()
        topics = {t.pk: t for t in Topic.objects.select_for_update().filter(congress_id=congress_id).order_by("pk")}
        # Items by the topic whose group brought them last time (a merged topic's items count under another).
        old_items: dict[int, set] = defaultdict(set)
        for origin_id, type_id, object_id in TopicItem.objects.filter(topic__congress_id=congress_id).values_list(
            "origin_id", "content_type_id", "object_id"
        ):
            old_items[origin_id].add((type_id, object_id))
        # Best matches first, each stored topic taken once.
        pairs = []
        for number, (words, members) in enumerate(found):
            keys = {items[i].key for i in members}
            for topic in topics.values():
                score = max(_jaccard(words, topic.keywords), _jaccard(keys, old_items.get(topic.pk, ())))
                if score >= MATCH:
                    pairs.append((-score, number, topic.pk))
        pairs.sort()
        matched: dict[int, Topic] = {}
        taken = set()
        for _score, number, topic_id in pairs:
            if number in matched or topic_id in taken:
                continue
            matched[number] = topics[topic_id]
            taken.add(topic_id)
        TopicItem.objects.filter(topic__congress_id=congress_id).delete()
        placed: dict[int, dict] = defaultdict(dict)
        for number, (words, members) in enumerate(found):
            topic = matched.get(number)
            if topic is None:
                topic = Topic.objects.create(congress=congress, region_code=congress.region.code)
                topics[topic.pk] = topic
            topic.keywords, topic.label = words, "、".join(words[:3])
            target = root(topic, topics)
            for index in members:
                placed[target.pk].setdefault(items[index].key, (items[index], topic.pk))
        rows = []
        for topic in topics.values():
            # A topic no group matched keeps its keywords and edits, empty: its group may come back and find it.
            members = placed.get(topic.pk, {})
            days = [item.day for item, _origin in members.values()]
            topic.item_count = len(members)
            topic.first_seen = min(days) if days else None
            topic.last_seen = max(days) if days else None
            topic.computed_at = now
            rows += [
                TopicItem(topic_id=topic.pk, origin_id=origin, content_type_id=key[0], object_id=key[1],
                          day=item.day, region_code=item.region_code)
                for key, (item, origin) in members.items()
            ]  # fmt: skip
        Topic.objects.bulk_update(
            topics.values(), ["keywords", "label", "item_count", "first_seen", "last_seen", "computed_at"]
        )
        TopicItem.objects.bulk_create(rows, batch_size=2000)
    return sum(1 for topic in topics.values() if topic.item_count)


def recompute_all(today: date | None = None) -> None:
    for congress_id in Congress.objects.order_by("pk").values_list("pk", flat=True):
        recompute(congress_id, today)


# Staff's edits ---------------------------------------------------------------------------------------------------


def rename(*, actor, topic_id: int, name: str) -> Topic:
    """Give a topic a name of staff's choosing; an empty name brings the computed one back."""
    name = (name or "").strip()
    if len(name) > 100:
        raise RuleViolation(fields={"name": [_("At most 100 characters.")]})
    with transaction.atomic():
        topic = _locked_for(actor, topic_id)
        old = topic.staff_label
        topic.staff_label = name
        topic.save(update_fields=["staff_label", "updated_at"])
        audit.record(actor, topic, "rename_topic", {"staff_label": (old, name)})
    return topic


def merge(*, actor, topic_id: int, into_id: int) -> Topic:
    """Count a topic under another of the same congress from now on, through every recomputation."""
    with transaction.atomic():
        topic = _locked_for(actor, topic_id)
        same_congress = scope.visible(actor, Topic).filter(congress_id=topic.congress_id)
        target = scope.referenced(same_congress, into_id, field="into")
        locked = Topic.objects.select_for_update().filter(congress_id=topic.congress_id).order_by("pk")
        topics = {t.pk: t for t in locked}
        target = root(topics[target.pk], topics)
        if target.pk == topic.pk:
            raise RuleViolation(fields={"into": [_("A topic cannot be merged into itself.")]})
        Topic.objects.filter(merged_into=topic).update(merged_into=target)
        topic.merged_into = target
        topic.save(update_fields=["merged_into", "updated_at"])
        moving = TopicItem.objects.filter(topic=topic)
        present = set(TopicItem.objects.filter(topic=target).values_list("content_type_id", "object_id"))
        moving.filter(
            pk__in=[pk for pk, t, o in moving.values_list("pk", "content_type_id", "object_id") if (t, o) in present]
        ).delete()
        moving.update(topic=target)
        _recount(target)
        _recount(topic)
        audit.record(actor, topic, "merge_topic", {"merged_into": ("", target.name)})
    return target


def _recount(topic: Topic) -> None:
    span = topic.items.aggregate(n=Count("pk"), first=Min("day"), last=Max("day"))
    topic.item_count, topic.first_seen, topic.last_seen = span["n"], span["first"], span["last"]
    topic.save(update_fields=["item_count", "first_seen", "last_seen", "updated_at"])


def _locked_for(actor, topic_id) -> Topic:
    visible = scope.visible(actor, Topic).filter(pk=topic_id).values_list("pk", flat=True)
    topic = Topic.objects.select_for_update().filter(pk__in=visible).first()
    if topic is None:
        raise Topic.DoesNotExist
    scope.require(actor, "congress.edit_topic", topic)
    return topic


# Reads -----------------------------------------------------------------------------------------------------------


def hot(congress_id: int, *, region_code: str = "", limit: int = 10, today: date | None = None) -> list[dict]:
    """The congress's topics with the most items in the period (in a region and below, if given), each with
    its count this month and last month: what the dashboard's and a station's panels show."""
    today = today or timezone.localdate()
    items = TopicItem.objects.filter(
        topic__congress_id=congress_id, topic__merged_into__isnull=True, day__gte=period_start(today)
    )
    if region_code:
        items = items.filter(region_code__startswith=region_code)
    this_month = today.replace(day=1)
    last_month = period_start(today, 2)
    counts = (
        items.values("topic_id")
        .annotate(
            n=Count("pk"),
            now=Count("pk", filter=Q(day__gte=this_month)),
            before=Count("pk", filter=Q(day__gte=last_month, day__lt=this_month)),
        )
        .order_by("-n", "topic_id")[:limit]
    )
    counts = list(counts)
    topics = Topic.objects.in_bulk([row["topic_id"] for row in counts])
    return [{"topic": topics[row["topic_id"]], **row} for row in counts if row["topic_id"] in topics]


def months(today: date, count: int = PERIOD_MONTHS) -> list[date]:
    first = period_start(today, count)
    out = []
    for step in range(count):
        index = first.year * 12 + first.month - 1 + step
        out.append(date(index // 12, index % 12 + 1, 1))
    return out


def trends(topic_ids, today: date) -> dict[int, list[int]]:
    """Items per calendar month of the period, per topic, in one query."""
    columns = months(today)
    position = {month: i for i, month in enumerate(columns)}
    out = {pk: [0] * len(columns) for pk in topic_ids}
    rows = (
        TopicItem.objects.filter(topic_id__in=list(topic_ids), day__gte=columns[0])
        .annotate(month=TruncMonth("day"))
        .values_list("topic_id", "month")
        .annotate(n=Count("pk"))
    )
    for topic_id, month, n in rows:
        month = month.date() if isinstance(month, datetime) else month
        if month in position:
            out[topic_id][position[month]] += n
    return out


def listed(user, congress_id: int):
    """The congress's current topics the user may see: not merged away, found by the last computation."""
    return (
        scope.visible(user, Topic)
        .filter(congress_id=congress_id, merged_into__isnull=True, item_count__gt=0)
        .order_by("-item_count", "pk")
    )


def as_of(congress_id: int):
    return (
        Topic.objects.filter(congress_id=congress_id, computed_at__isnull=False)
        .order_by("-computed_at")
        .values_list("computed_at", flat=True)
        .first()
    )


# Pages --------------------------------------------------------------------------------------------------------


def panels(view) -> list:
    """The dashboard's hot topics: the congress's busiest topics of the last 12 months."""
    from django.urls import reverse

    from .dashboard import Panel, Row

    rows = []
    for row in hot(view.congress.pk, limit=8, today=view.today):
        url = reverse("topic", args=[row["topic"].pk])
        rows.append(Row(str(row["topic"].name), [row["n"], row["now"], row["before"]], url))
    total = TopicItem.objects.filter(topic__congress_id=view.congress.pk, topic__merged_into__isnull=True).count()
    return [
        Panel(
            key="hot-topics",
            title=_("Hot topics"),
            columns=[_("in the last 12 months"), _("this month"), _("last month")],
            rows=rows,
            chart="hbar",
            summary=_("%(items)s opinions and suggestions grouped into topics") % {"items": total} if rows else "",
            link=reverse("topics") + f"?congress={view.congress.pk}",
            link_label=_("All topics"),
            empty=_("No topics yet: they are computed each night from opinions and suggestions."),
            as_of=as_of(view.congress.pk),
        )
    ]


def table(user, congress, today: date) -> list[dict]:
    """The topics page's and the export's rows: each current topic with its keywords, counts by kind, the
    topics merged into it and its trend by month."""
    shown = list(listed(user, congress.pk).prefetch_related("merged")[:200])
    trend = trends([t.pk for t in shown], today)
    by_kind = defaultdict(Counter)
    for topic_id, type_id, n in (
        TopicItem.objects.filter(topic__in=shown)
        .values_list("topic_id", "content_type_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_kind[topic_id][type_id] = n
    order = [pk for pk, _name in kind_columns()]
    return [
        {
            "topic": t,
            "trend": trend[t.pk],
            "by_kind": [by_kind[t.pk].get(pk, 0) for pk in order],
            "merged": sorted(t.merged.all(), key=lambda m: m.pk),
        }
        for t in shown
    ]


def kind_columns() -> list[tuple[int, str]]:
    """The registered sources as (content type id, plural name), for the columns counting each kind."""
    return [(ContentType.objects.get_for_model(s.model).pk, str(s.model._meta.verbose_name_plural)) for s in _sources]


def workbook(congress, rows: list[dict], columns: list[date], kinds: list[tuple[int, str]], computed_at) -> bytes:
    """The topics as .xlsx for the yearly report: one row per topic, its keywords, its items by kind and month."""
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Hot topics"))
    stamp = timezone.localtime(computed_at).strftime("%Y-%m-%d %H:%M") if computed_at else "—"
    sheet.append([str(congress), _("computed at %(time)s") % {"time": stamp}])
    sheet.append([
        pgettext("hot topics", "topic"), _("keywords"), _("merged topics"), _("items"), *[name for _pk, name in kinds],
        _("first raised"), _("last raised"), *[f"{month:%Y-%m}" for month in columns],
    ])  # fmt: skip
    for row in rows:
        topic = row["topic"]
        sheet.append([
            str(topic.name), "、".join(topic.keywords), "；".join(str(m.name) for m in row["merged"]),
            topic.item_count, *row["by_kind"],
            topic.first_seen.isoformat() if topic.first_seen else "",
            topic.last_seen.isoformat() if topic.last_seen else "", *row["trend"],
        ])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
