"""The arithmetic of scores, kept apart from the ranking and from the scores kept for it.

A review's weighted score is Σ(weight × score ÷ maximum) ÷ Σ weight, as a percentage. The
arithmetic is exact (fractions), so the order of criteria or reviews never changes a result;
values are rounded half up to one decimal place only to be shown or stored (a moderated score
is stored in tenths of a point).
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from grants.assessment.models import Review
from grants.funds.models import ScoringCriterion

HUNDRED = Fraction(100)


@dataclass(frozen=True)
class Part:
    """One criterion's share of a review: its weight, its maximum and the score given."""

    weight: int
    max_score: int
    score: int


def weighted_score(parts: Iterable[Part | tuple[int, int, int]]) -> Fraction:
    """The review's weighted score as an exact percentage from 0 to 100.

    Each part is (weight, max_score, score) with weight > 0, max_score > 0 and
    0 ≤ score ≤ max_score; anything else is a ValueError, as is a review with no parts.
    """
    numerator = Fraction(0)
    total_weight = 0
    for part in parts:
        weight, max_score, score = (part.weight, part.max_score, part.score) \
            if isinstance(part, Part) else part
        if weight <= 0 or max_score <= 0:
            raise ValueError("weights and maximum scores must be greater than 0")
        if not 0 <= score <= max_score:
            raise ValueError(f"score {score} is outside 0 to {max_score}")
        numerator += Fraction(weight * score, max_score)
        total_weight += weight
    if total_weight == 0:
        raise ValueError("a weighted score needs at least one criterion")
    return HUNDRED * numerator / total_weight


def mean(values: Sequence[Fraction]) -> Fraction | None:
    """The exact mean, or None when there are no values."""
    if not values:
        return None
    # In integers over a common denominator: a national ranking takes thousands of means.
    denominator = math.lcm(*(value.denominator for value in values))
    numerator = sum(value.numerator * (denominator // value.denominator) for value in values)
    return Fraction(numerator, denominator * len(values))


def spread(values: Sequence[Fraction]) -> Fraction | None:
    """Highest minus lowest, or None when there are no values."""
    if not values:
        return None
    denominator = math.lcm(*(value.denominator for value in values))
    numerators = [value.numerator * (denominator // value.denominator) for value in values]
    return Fraction(max(numerators) - min(numerators), denominator)


def to_tenths(value: Fraction) -> int:
    """The value in tenths, rounded half up: 73.45 is 735, 73.44 is 734 (for the
    percentages here, which are never negative)."""
    # floor(n/d × 10 + 1/2) in integers.
    return (20 * value.numerator + value.denominator) // (2 * value.denominator)


def one_decimal(value: Fraction | None) -> str:
    """The value as people read it, to one decimal place: "73.5"; "" for None."""
    if value is None:
        return ""
    return tenths_text(to_tenths(value))


def tenths_text(tenths: int) -> str:
    sign = "-" if tenths < 0 else ""
    whole, rest = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{rest}"


def parse_score_tenths(text: str | None) -> int:
    """An agreed score typed by staff ("73.5", "80") as tenths, or ValueError with a message."""
    value = (text or "").strip().removesuffix("%").strip()
    if not value:
        raise ValueError("Enter the agreed score, like 72.5")
    whole, dot, decimals = value.partition(".")
    if not whole.isdigit() or (dot and (len(decimals) != 1 or not decimals.isdigit())) \
            or len(whole) > 3:
        raise ValueError("Agreed score must be a number from 0 to 100 with at most one "
                         "decimal place, like 72.5")
    tenths = int(whole) * 10 + (int(decimals) if dot else 0)
    if tenths > 1000:
        raise ValueError("Agreed score must be a number from 0 to 100 with at most one "
                         "decimal place, like 72.5")
    return tenths


def is_disagreement(spread_value: Fraction | None, threshold: int) -> bool:
    """Reviewers disagree when their scores, as shown to one decimal place, are at least the
    threshold apart: a spread shown as 25.0 is flagged by a threshold of 25."""
    return spread_value is not None and to_tenths(spread_value) >= threshold * 10


def review_weighted_score(review: Review, criteria: Sequence[ScoringCriterion]) -> Fraction:
    """A review's weighted score over the round's criteria it has scores for."""
    scores = {score.criterion_id: score.score for score in review.scores}
    parts = [Part(criterion.weight, criterion.max_score, scores[criterion.id])
             for criterion in criteria if scores.get(criterion.id) is not None]
    return weighted_score(parts)
