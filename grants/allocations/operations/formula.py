"""The allocation formula, as pure arithmetic: no database, no floats.

Each recipient's proportion is Σ over the factors of weight × (its value ÷ the factor's total),
with the weights in basis points (hundredths of a per cent) adding up to 10,000. The amount
allocated, in whole pounds, is shared by those proportions and rounded by the largest-remainder
method: everyone gets the whole pounds of their exact share, and the pounds left over go one
each to the largest fractions (ties: the recipient whose name sorts first, then the smaller
key). The shares therefore always add up exactly to the amount, and each is within £1 of its
exact share.

A factor with a weight but a total of 0 (nobody has any population, say) would divide by zero.
It is refused, not skipped: skipping would quietly give its weight to the other factors, which
is not what staff chose. Staff either enter the values or set its weight to 0 %; a factor
weighted 0 % is ignored whatever its values.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

FULL_WEIGHT = 10_000  # basis points in 100 %


class FormulaError(ValueError):
    """The formula cannot be worked out from these factors and inputs; the message says why."""


@dataclass(frozen=True)
class Factor:
    key: Hashable
    name: str
    weight_basis_points: int


@dataclass(frozen=True)
class Recipient:
    key: Hashable
    name: str
    # The recipient's value of each factor, by the factor's key.
    values: Mapping[Hashable, Decimal | int]


@dataclass(frozen=True)
class Share:
    key: Hashable
    proportion: Fraction  # of the amount allocated, between 0 and 1
    exact_pounds: Fraction
    pounds: int


def proportions(factors: Sequence[Factor],
                recipients: Sequence[Recipient]) -> dict[Hashable, Fraction]:
    """Each recipient's exact proportion of the amount; together they add up to exactly 1."""
    if not recipients:
        raise FormulaError("Choose at least one recipient")
    if not factors:
        raise FormulaError("Add at least one factor")
    weights = [factor.weight_basis_points for factor in factors]
    if any(weight < 0 or weight > FULL_WEIGHT for weight in weights):
        raise FormulaError("Each weight must be between 0 % and 100 %")
    if sum(weights) != FULL_WEIGHT:
        raise FormulaError(f"The weights must add up to 100 %, not {percent(sum(weights))}")

    result = {recipient.key: Fraction(0) for recipient in recipients}
    for factor in factors:
        if factor.weight_basis_points == 0:
            continue
        values = {recipient.key: _value(recipient, factor) for recipient in recipients}
        total = sum(values.values(), Fraction(0))
        if total == 0:
            raise FormulaError(f"Every recipient's {factor.name} is 0, so it cannot share "
                               f"{percent(factor.weight_basis_points)} of the amount. Enter "
                               "the values or set its weight to 0 %")
        weight = Fraction(factor.weight_basis_points, FULL_WEIGHT)
        for key, value in values.items():
            result[key] += weight * value / total
    return result


def _value(recipient: Recipient, factor: Factor) -> Fraction:
    if factor.key not in recipient.values or recipient.values[factor.key] is None:
        raise FormulaError(f"Enter {recipient.name}'s {factor.name}")
    value = Fraction(recipient.values[factor.key])
    if value < 0:
        raise FormulaError(f"{recipient.name}'s {factor.name} must be 0 or more")
    return value


def allocate(amount_pounds: int, factors: Sequence[Factor],
             recipients: Sequence[Recipient]) -> list[Share]:
    """Share `amount_pounds` among the recipients by the formula, in whole pounds that add up
    to exactly `amount_pounds` (largest remainder). Shares come back in the recipients'
    order."""
    if amount_pounds < 0:
        raise FormulaError("The amount to allocate must be £0 or more")
    keys = [recipient.key for recipient in recipients]
    if len(set(keys)) != len(keys):
        raise FormulaError("Each recipient can appear only once")
    shares = proportions(factors, recipients)
    exact = {key: amount_pounds * share for key, share in shares.items()}
    floors = {key: value.numerator // value.denominator for key, value in exact.items()}
    left_over = amount_pounds - sum(floors.values())
    names = {recipient.key: recipient.name for recipient in recipients}
    position = {key: index for index, key in enumerate(keys)}
    # Largest fraction first; ties by name, then by the order the recipients were given in
    # (callers give them in a stable order, e.g. by id), so the result never depends on chance.
    order = sorted(keys, key=lambda key: (-(exact[key] - floors[key]), names[key],
                                          position[key]))
    extra = set(order[:left_over])
    return [Share(key=key, proportion=shares[key], exact_pounds=exact[key],
                  pounds=floors[key] + (1 if key in extra else 0)) for key in keys]


def percent(basis_points: int) -> str:
    """Basis points as a percentage for people: 5000 -> "50 %", 1250 -> "12.5 %"."""
    whole, rest = divmod(basis_points, 100)
    if rest == 0:
        return f"{whole} %"
    return f"{whole}.{rest:02d}".rstrip("0") + " %"
