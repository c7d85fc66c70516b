"""The yearly duty score (履职积分评定), pure: no database, so the rule reads and tests on its own.

score = base + Σ min(quantity × points, cap) over the items that add − Σ min(quantity × |points|, cap) over the
deductions, kept within 0–100; the grade bands (policies duty.points_good / duty.points_fair) apply to the score.
"""

from dataclasses import dataclass, field
from decimal import Decimal

TOP = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Item:
    """One catalogue item as a congress counts it."""

    code: str
    name: str
    points: Decimal
    cap: Decimal | None = None


@dataclass(frozen=True)
class Line:
    """What one item counted in a year."""

    code: str
    name: str
    quantity: Decimal
    points: Decimal
    cap: Decimal | None
    earned: Decimal  # quantity × points, before the cap
    counted: Decimal  # what goes into the score (negative for a deduction)

    @property
    def capped(self) -> bool:
        return self.counted != self.earned

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "quantity": str(self.quantity),
            "points": str(self.points),
            "cap": None if self.cap is None else str(self.cap),
            "earned": str(self.earned),
            "counted": str(self.counted),
            "capped": self.capped,
        }


@dataclass
class Evaluation:
    base: Decimal
    lines: list[Line] = field(default_factory=list)
    additions: Decimal = ZERO
    deductions: Decimal = ZERO  # a positive number, subtracted
    score: Decimal = ZERO
    grade: str = ""
    good_from: int = 0  # the bands the grade was read against
    fair_from: int = 0

    def as_dict(self) -> dict:
        return {
            "base": str(self.base),
            "additions": str(self.additions),
            "deductions": str(self.deductions),
            "score": str(self.score),
            "grade": self.grade,
            "lines": [line.as_dict() for line in self.lines],
        }


def count(item: Item, quantity: Decimal) -> Line:
    earned = (quantity * item.points).quantize(CENT)
    counted = earned
    if item.cap is not None and abs(earned) > item.cap:
        counted = item.cap if earned > 0 else -item.cap
    return Line(item.code, item.name, quantity, item.points, item.cap, earned, counted)


def evaluate(base, catalogue: dict[str, Item], quantities: dict[str, Decimal]) -> Evaluation:
    """A year's evaluation from the quantity done of each item (kinds missing from the catalogue count nothing)."""
    base = Decimal(base).quantize(CENT)
    lines = [count(item, Decimal(quantities[code])) for code, item in catalogue.items() if quantities.get(code)]
    additions = sum((line.counted for line in lines if line.counted > 0), ZERO)
    deductions = -sum((line.counted for line in lines if line.counted < 0), ZERO)
    score = min(TOP, max(ZERO, base + additions - deductions)).quantize(CENT)
    return Evaluation(base=base, lines=lines, additions=additions, deductions=deductions, score=score)


def grade(score: Decimal, good, fair) -> str:
    if score >= good:
        return "good"
    if score >= fair:
        return "fair"
    return "poor"
