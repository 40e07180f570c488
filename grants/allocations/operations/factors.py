"""The factors the formula weighs and their weights, which must add up to 100 %."""

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.allocations.models import AllocationFactor, AllocationInput
from grants.allocations.operations import formula
from grants.allocations.operations.guard import check_not_confirmed, clear_proposal, locked
from grants.allocations.operations.listing import factors_of
from grants.core.errors import ValidationFailed
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_FACTORS = 6
MAX_FACTOR_NAME = 100


@dataclass(frozen=True)
class FactorRow:
    """One factor as staff typed it; both blank means no factor on that line."""

    name: str
    weight_basis_points: int | None


def parse_percentage(text: str | None) -> int | None:
    """Basis points from a percentage typed as "50", "12.5" or "33.33 %" (None when blank)."""
    value = (text or "").strip().rstrip("%").strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,2})?", value):
        raise ValueError("Enter a percentage between 0 and 100, like 50 or 12.5")
    whole, _, rest = value.partition(".")
    basis_points = int(whole) * 100 + int(rest.ljust(2, "0") or 0)
    if basis_points > formula.FULL_WEIGHT:
        raise ValueError("Enter a percentage between 0 and 100, like 50 or 12.5")
    return basis_points


def _factor_name_error(name: str, index: int, seen: set[str]) -> str | None:
    if not name:
        return f"Enter the name of factor {index + 1}"
    if len(name) > MAX_FACTOR_NAME:
        return f"The name of factor {index + 1} must be {MAX_FACTOR_NAME} characters or fewer"
    if name.casefold() in seen:
        return f"There is already a factor called {name}"
    return None


def _chosen_factors(rows: Sequence[FactorRow]) -> list[tuple[str, int]]:
    """The factors typed, as (name, weight); raises ValidationFailed by field."""
    errors: dict[str, str] = {}
    chosen: list[tuple[str, int]] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        name = " ".join((row.name or "").split())
        if not name and row.weight_basis_points is None:
            continue
        name_error = _factor_name_error(name, index, seen)
        if name_error:
            errors[f"name_{index}"] = name_error
        if row.weight_basis_points is None:
            errors[f"weight_{index}"] = f"Enter the weight of {name or f'factor {index + 1}'}"
        seen.add(name.casefold())
        chosen.append((name, row.weight_basis_points or 0))
    if not chosen:
        errors["name_0"] = "Enter at least one factor, like population"
    elif len(chosen) > MAX_FACTORS:
        errors["name_0"] = f"Enter {MAX_FACTORS} factors or fewer"
    total = sum(weight for _, weight in chosen)
    if chosen and not errors and total != formula.FULL_WEIGHT:
        errors["weights"] = (f"The weights add up to {formula.percent(total)}. They must add up "
                             "to 100 %")
    if errors:
        raise ValidationFailed(errors)
    return chosen


def set_factors(session: Session, user: User, round_id: int,
                rows: Sequence[FactorRow]) -> list[AllocationFactor]:
    """The factors the formula weighs and their weights, which must add up to 100 %. A factor
    kept under the same name keeps its inputs; a factor taken away loses them."""
    round_ = locked(session, user, round_id)
    check_not_confirmed(session, round_)
    chosen = _chosen_factors(rows)

    existing = {f.name.casefold(): f for f in factors_of(session, round_.id)}
    before = [{"name": f.name, "weight_basis_points": f.weight_basis_points}
              for f in existing.values()]
    after = [{"name": name, "weight_basis_points": weight} for name, weight in chosen]
    if before == after:
        return list(existing.values())
    kept = {name.casefold() for name, _ in chosen}
    removed = [f for key, f in existing.items() if key not in kept]
    if removed:
        session.execute(delete(AllocationInput).where(
            AllocationInput.factor_id.in_([f.id for f in removed])))
        for factor in removed:
            session.delete(factor)
    for position, (name, weight) in enumerate(chosen):
        factor = existing.get(name.casefold())
        if factor is None:
            session.add(AllocationFactor(round_id=round_.id, position=position, name=name,
                                         weight_basis_points=weight))
        else:
            factor.name, factor.position, factor.weight_basis_points = name, position, weight
    session.flush()
    session.expire_all()
    cleared = clear_proposal(session, round_.id)
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.factors_changed",
                 entity_type="round", entity_id=round_.id, before={"factors": before},
                 after={"factors": after, "shares_cleared": cleared})
    logger.info("round %s: %d allocation factors set by user %s", round_.id, len(chosen),
                user.id)
    return factors_of(session, round_.id)
