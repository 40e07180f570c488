"""Each recipient's value of each factor, as typed on the inputs page."""

import logging
import re
from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.allocations.models import AllocationInput
from grants.allocations.operations.guard import check_not_confirmed, clear_proposal, locked
from grants.allocations.operations.listing import factors_of, recipients_of
from grants.core.errors import NotFound, ValidationFailed
from grants.funds.models import Round
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

# Inputs are stored as NUMERIC(20, 4).
INPUT_PLACES = 4
MAX_INPUT = Decimal("9999999999999999")


def parse_input(text: str | None) -> Decimal | None:
    """A recipient's value for a factor, typed as "125000", "125,000" or "12.5" (None when
    blank). Raises ValueError with a message for people."""
    value = (text or "").strip().replace(" ", "")
    if not value:
        return None
    if not re.fullmatch(r"-?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?", value):
        raise ValueError("Enter a number of 0 or more, like 125000 or 12.5")
    number = Decimal(value.replace(",", ""))
    if number < 0:
        raise ValueError("Enter a number of 0 or more, like 125000 or 12.5")
    if number != number.quantize(Decimal(1).scaleb(-INPUT_PLACES)):
        raise ValueError(f"Enter a number with {INPUT_PLACES} decimal places or fewer")
    if number > MAX_INPUT:
        raise ValueError("Enter a smaller number")
    return number


def save_inputs(session: Session, user: User, round_id: int,
                values: Mapping[tuple[int, int], Decimal | None]) -> int:
    """Store each recipient's value of each factor, keyed by (recipient id, factor id); None
    clears a value. Returns how many values changed."""
    round_ = locked(session, user, round_id)
    check_not_confirmed(session, round_)
    return store_inputs(session, user, round_, values, source="form")


def store_inputs(session: Session, user: User, round_: Round,
                  values: Mapping[tuple[int, int], Decimal | None], *, source: str) -> int:
    factors = {f.id: f for f in factors_of(session, round_.id)}
    recipients = {r.id: r for r in recipients_of(session, round_.id)}
    for recipient_id, factor_id in values:
        if recipient_id not in recipients or factor_id not in factors:
            raise NotFound("There is no such recipient or factor in this round")
    changes = []
    for (recipient_id, factor_id), value in values.items():
        if value is not None and (value < 0 or value > MAX_INPUT):
            raise ValidationFailed({f"input_{recipient_id}_{factor_id}":
                                    "Enter a number of 0 or more"})
        recipient = recipients[recipient_id]
        current = next((i for i in recipient.inputs if i.factor_id == factor_id), None)
        old = current.value if current is not None else None
        if old == value:
            continue
        if value is None:
            recipient.inputs.remove(current)
        elif current is None:
            recipient.inputs.append(AllocationInput(factor_id=factor_id, value=value))
        else:
            current.value = value
        changes.append({"recipient_id": recipient_id, "factor_id": factor_id,
                        "from": _text(old), "to": _text(value)})
    if not changes:
        return 0
    session.flush()
    cleared = clear_proposal(session, round_.id)
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.inputs_changed",
                 entity_type="round", entity_id=round_.id,
                 after={"source": source, "changes": changes, "shares_cleared": cleared})
    logger.info("round %s: %d allocation inputs changed by user %s (%s)", round_.id,
                len(changes), user.id, source)
    return len(changes)


def format_input(value: Decimal | None) -> str:
    """An input for people: 200000.0000 -> "200,000", 12.5000 -> "12.5"."""
    return "" if value is None else format(value.normalize(), ",f")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")
