"""Star ratings (星级评定): a station scored against its congress's checklist for a year, and the honours on its
star record."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, policies, scope
from congress.errors import RuleViolation

from ..models import CriterionScore, RatingCriterion, StarRating, StationHonour
from ..reference import CHECKLIST
from .common import lock_station

# The star ladder: the policy holding the lowest score for each number of stars, highest first.
STAR_LADDER = [
    (5, "station.star_5_score"),
    (4, "station.star_4_score"),
    (3, "station.star_3_score"),
    (2, "station.star_2_score"),
    (1, "station.star_1_score"),
]


def stars_for(score, congress) -> int:
    """The stars a score earns on the congress's ladder; below the one-star score a station gets none."""
    for stars, key in STAR_LADDER:
        if score >= policies.policy(congress, key):
            return stars
    return 0


def seed_checklist(congress) -> int:
    """Give a congress without a star-rating checklist the standard one; returns the items added."""
    if RatingCriterion.objects.filter(congress=congress).exists():
        return 0
    RatingCriterion.objects.bulk_create(
        [
            RatingCriterion(congress=congress, name=name, weight=weight, position=position)
            for position, (name, weight) in enumerate(CHECKLIST)
        ]
    )
    return len(CHECKLIST)


def evaluate_station(*, actor, station_id: int, year: int, scores: dict, note: str = "") -> StarRating:
    """Score a station against its congress's checklist for a year; the weighted score gives its stars."""
    with transaction.atomic(), audit.acting_as(actor):
        station = lock_station(station_id)
        scope.require(actor, "liaison_stations.evaluate", station)
        if year > timezone.localdate().year:
            raise RuleViolation(fields={"year": [_("A year still to come cannot be evaluated.")]})
        criteria = list(RatingCriterion.objects.filter(congress=station.congress, is_active=True))
        if not criteria:
            raise RuleViolation(_("The congress has no star-rating checklist yet."))
        missing = [c.name for c in criteria if c.pk not in scores]
        if missing:
            raise RuleViolation(
                fields={"scores": [_("Score every criterion: %(names)s") % {"names": "、".join(missing)}]}
            )
        if any(not 0 <= int(scores[c.pk]) <= 100 for c in criteria):
            raise RuleViolation(fields={"scores": [_("Scores run from 0 to 100.")]})
        total_weight = sum(c.weight for c in criteria)
        score = (Decimal(sum(c.weight * int(scores[c.pk]) for c in criteria)) / total_weight).quantize(Decimal("0.01"))
        stars = stars_for(score, station.congress)
        before = StarRating.objects.filter(station=station, year=year).values_list("stars", flat=True).first()
        rating, _created = StarRating.objects.update_or_create(
            station=station, year=year, defaults={"score": score, "stars": stars, "note": note, "evaluated_by": actor}
        )
        rating.scores.all().delete()
        CriterionScore.objects.bulk_create(
            [CriterionScore(rating=rating, criterion=c, weight=c.weight, score=int(scores[c.pk])) for c in criteria]
        )
        latest = station.ratings.order_by("-year").first()
        station.stars = latest.stars
        station.save(update_fields=["stars", "updated_at"])
        audit.record(actor, rating, "evaluate", {"stars": (before or "", stars)}, score=str(score))
    return rating


def record_honour(*, station_id: int, year: int, title: str, on: date, source: str, link: str = "") -> StationHonour:
    """Put an honour on a station's star record (a demonstration-station selection, say); with the same
    source it is recorded once, so a retried task adds nothing."""
    with transaction.atomic():
        honour, created = StationHonour.objects.get_or_create(
            source=source, defaults={"station_id": station_id, "year": year, "title": title[:300], "awarded_on": on,
                                     "link": link},
        )  # fmt: skip
        if created:
            audit.record(None, honour.station, "honour", {"honour": ("", honour.title)}, source=source)
    return honour
