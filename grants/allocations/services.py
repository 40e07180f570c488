"""Allocation rounds: the top-slice, the recipients, the factors and their weights, each
recipient's inputs (typed or uploaded as CSV), the shares the formula proposes, staff's
overrides, confirming the shares as awards, and awards from the top-slice.

Every change locks the round's row first (`grants.awards.decisions.lock_round`), so two staff
working on the same round never interleave, and the money guard reads committed money only
after the lock: the formula's awards never exceed the budget less the top-slice, the top-slice
awards never exceed the top-slice, and together with any other award they never exceed the
round's budget.

Changing the top-slice, recipients, factors or inputs after shares were proposed clears the
proposed shares (and any overrides): they were worked out from figures that no longer hold.
Once the shares are confirmed none of it can change.
"""

import csv
import io
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flask import render_template
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from grants.accounts.models import User
from grants.allocations import formula
from grants.allocations.models import AllocationFactor, AllocationInput, AllocationRecipient
from grants.auth import permissions
from grants.awards.decisions import lock_round
from grants.awards.models import RELEASED_STATUSES, Award, AwardSource, AwardStatus
from grants.awards.services import committed_pence
from grants.core import clock
from grants.core.errors import NotFound, Refusal, ValidationFailed
from grants.core.formatting import format_pounds
from grants.core.links import external_url
from grants.funds.models import Round, RoundKind
from grants.organisations.models import Organisation
from grants.organisations.types import OrganisationType
from grants.plans.models import KeyAim, Plan, Priority
from grants.records.operations.audit import record_event
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

RECIPIENT_TYPES = frozenset({OrganisationType.LOCAL_AUTHORITY,
                             OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP})
MAX_FACTORS = 6
MAX_FACTOR_NAME = 100
MAX_REASON = 1000
MAX_TITLE = 300
MAX_DESCRIPTION = 5000
# Inputs are stored as NUMERIC(20, 4).
INPUT_PLACES = 4
MAX_INPUT = Decimal("9999999999999999")
MAX_CSV_BYTES = 1_000_000
MAX_CSV_PROBLEMS = 20


class AllocationRefused(Refusal):
    """The allocation cannot change now; the message says why."""

    status_code = 409


class InputsFileRejected(ValidationFailed):
    """An inputs file with problems, each naming its row and column; nothing was saved."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__({"inputs_file": problems[0]})
        self.problems = list(problems)


# --- Reading ------------------------------------------------------------------------------

def _require_allocation(round_: Round | None) -> Round:
    if round_ is None or round_.kind is not RoundKind.ALLOCATION:
        raise NotFound("There is no such allocation round")
    return round_


def get_round(session: Session, round_id: int) -> Round:
    """The allocation round with its fund (any other kind of round is not found here)."""
    return _require_allocation(session.scalars(
        select(Round).where(Round.id == round_id).options(joinedload(Round.fund))
    ).one_or_none())


def top_slice_pence(round_: Round) -> int:
    return round_.top_slice_pence or 0


def allocated_pence(round_: Round) -> int:
    """The amount the formula shares out: the budget less the top-slice."""
    return round_.budget_pence - top_slice_pence(round_)


def factors_of(session: Session, round_id: int) -> list[AllocationFactor]:
    return list(session.scalars(
        select(AllocationFactor).where(AllocationFactor.round_id == round_id)
        .order_by(AllocationFactor.position, AllocationFactor.id)))


def recipients_of(session: Session, round_id: int) -> list[AllocationRecipient]:
    """The round's recipients by name, with their organisation, inputs and award."""
    return list(session.scalars(
        select(AllocationRecipient).join(Organisation)
        .where(AllocationRecipient.round_id == round_id)
        .options(contains_eager(AllocationRecipient.organisation),
                 selectinload(AllocationRecipient.inputs),
                 joinedload(AllocationRecipient.award))
        .order_by(Organisation.name, AllocationRecipient.id)).unique())


def top_slice_awards(session: Session, round_id: int) -> list[Award]:
    return list(session.scalars(
        select(Award).where(Award.round_id == round_id, Award.source == AwardSource.TOP_SLICE)
        .options(joinedload(Award.organisation), joinedload(Award.priority),
                 selectinload(Award.key_aims))
        .order_by(Award.created_at, Award.id)).unique())


def top_slice_committed_pence(session: Session, round_id: int) -> int:
    """Money awarded from the top-slice and not released (declined or withdrawn)."""
    return int(session.scalar(
        select(func.coalesce(func.sum(Award.amount_pence), 0))
        .where(Award.round_id == round_id, Award.source == AwardSource.TOP_SLICE,
               Award.status.not_in(RELEASED_STATUSES))))


@dataclass(frozen=True)
class RecipientRow:
    recipient: AllocationRecipient
    values: dict[int, Decimal | None]  # by factor id

    @property
    def overridden(self) -> bool:
        return bool(self.recipient.override_reason)


@dataclass(frozen=True)
class Allocation:
    """What the allocation page shows: the money, the formula and each recipient's share."""

    round: Round
    factors: list[AllocationFactor]
    rows: list[RecipientRow]
    top_slice_pence: int
    allocated_pence: int
    top_slice_committed_pence: int
    committed_pence: int
    weights_total: int = field(init=False)
    shares_total_pence: int = field(init=False)
    proposed_total_pence: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights_total",
                           sum(f.weight_basis_points for f in self.factors))
        object.__setattr__(self, "shares_total_pence",
                           sum(r.recipient.share_pence or 0 for r in self.rows))
        object.__setattr__(self, "proposed_total_pence",
                           sum(r.recipient.proposed_pence or 0 for r in self.rows))

    @property
    def confirmed(self) -> bool:
        return any(row.recipient.award_id is not None for row in self.rows)

    @property
    def proposed(self) -> bool:
        return bool(self.rows) and all(r.recipient.share_pence is not None for r in self.rows)

    @property
    def inputs_complete(self) -> bool:
        return bool(self.rows) and bool(self.factors) and all(
            value is not None for row in self.rows for value in row.values.values())

    @property
    def difference_pence(self) -> int:
        """The amount allocated less the shares: above 0 is left unallocated, below 0 over."""
        return self.allocated_pence - self.shares_total_pence

    @property
    def top_slice_left_pence(self) -> int:
        return max(self.top_slice_pence - self.top_slice_committed_pence, 0)


def allocation(session: Session, round_id: int) -> Allocation:
    """The round's allocation, in a fixed number of queries whatever the number of
    recipients."""
    round_ = get_round(session, round_id)
    factors = factors_of(session, round_id)
    recipients = recipients_of(session, round_id)
    rows = []
    for recipient in recipients:
        values = {i.factor_id: i.value for i in recipient.inputs}
        rows.append(RecipientRow(recipient=recipient,
                                 values={f.id: values.get(f.id) for f in factors}))
    return Allocation(round=round_, factors=factors, rows=rows,
                      top_slice_pence=top_slice_pence(round_),
                      allocated_pence=allocated_pence(round_),
                      top_slice_committed_pence=top_slice_committed_pence(session, round_id),
                      committed_pence=committed_pence(session, round_id))


def recipient_choices(session: Session) -> list[Organisation]:
    """The councils and Community Safety Partnerships that may be chosen as recipients."""
    return list(session.scalars(
        select(Organisation).where(Organisation.organisation_type.in_(RECIPIENT_TYPES))
        .order_by(Organisation.name, Organisation.id)))


# --- Guards -------------------------------------------------------------------------------

def _check_staff(user: User) -> None:
    if not permissions.may_manage_allocations(user):
        raise AllocationRefused("Only staff can manage allocations")


def _locked(session: Session, user: User, round_id: int) -> Round:
    """The allocation round, locked, while it can still change."""
    _check_staff(user)
    round_ = _require_allocation(lock_round(session, round_id))
    if round_.archived_at is not None:
        raise AllocationRefused("This round is archived, so its allocation cannot change")
    return round_


def is_confirmed(session: Session, round_id: int) -> bool:
    return session.scalar(
        select(func.count(AllocationRecipient.id))
        .where(AllocationRecipient.round_id == round_id,
               AllocationRecipient.award_id.is_not(None))) > 0


def _check_not_confirmed(session: Session, round_: Round) -> None:
    if is_confirmed(session, round_.id):
        raise AllocationRefused("The shares are confirmed as awards, so the allocation cannot "
                                "change")


def _clear_proposal(session: Session, round_id: int) -> int:
    """Forget proposed shares and overrides worked out from figures that changed."""
    cleared = 0
    for recipient in session.scalars(select(AllocationRecipient).where(
            AllocationRecipient.round_id == round_id,
            AllocationRecipient.share_pence.is_not(None))):
        recipient.proposed_pence = None
        recipient.share_pence = None
        recipient.override_reason = ""
        cleared += 1
    return cleared


# --- The top-slice ------------------------------------------------------------------------

def top_slice_for_percentage(budget_pence: int, basis_points: int) -> int:
    """The top-slice for a percentage of the budget: the percentage, rounded up to the penny
    that leaves the formula a whole number of pounds to share."""
    allocated = budget_pence * (formula.FULL_WEIGHT - basis_points) // formula.FULL_WEIGHT
    return budget_pence - allocated // 100 * 100


def set_top_slice(session: Session, user: User, round_id: int, *, amount_pence: int | None = None,
                  basis_points: int | None = None) -> Round:
    """Keep part of the budget for targeted priorities, as an amount or a percentage; the
    rest is shared by formula."""
    round_ = _locked(session, user, round_id)
    _check_not_confirmed(session, round_)
    budget = round_.budget_pence
    if basis_points is not None:
        if not 0 <= basis_points <= formula.FULL_WEIGHT:
            raise ValidationFailed({"percentage": "Enter a percentage between 0 and 100"})
        amount_pence = top_slice_for_percentage(budget, basis_points)
        field_name = "percentage"
    elif amount_pence is not None:
        field_name = "amount"
        if amount_pence < 0 or amount_pence > budget:
            raise ValidationFailed({"amount": "The top-slice must be between £0 and the "
                                              f"budget of {format_pounds(budget)}"})
        if (budget - amount_pence) % 100:
            lower = budget - (budget - amount_pence + 99) // 100 * 100
            raise ValidationFailed({"amount": (
                "The budget less the top-slice must be whole pounds, so that the formula "
                f"shares whole pounds: make the top-slice {format_pounds(max(lower, 0))} or "
                f"{format_pounds(budget - (budget - amount_pence) // 100 * 100)}")})
    else:
        raise ValidationFailed({"how": "Choose whether the top-slice is an amount or a "
                                       "percentage"})
    committed_top = top_slice_committed_pence(session, round_.id)
    if amount_pence < committed_top:
        raise ValidationFailed({field_name: (
            f"The top-slice cannot be less than the {format_pounds(committed_top)} already "
            "awarded from it")})

    before = {"top_slice_pence": round_.top_slice_pence,
              "top_slice_basis_points": round_.top_slice_basis_points}
    after = {"top_slice_pence": amount_pence, "top_slice_basis_points": basis_points}
    if before == after:
        return round_
    round_.top_slice_pence = amount_pence
    round_.top_slice_basis_points = basis_points
    cleared = _clear_proposal(session, round_.id) if before["top_slice_pence"] != amount_pence \
        else 0
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.top_slice_set",
                 entity_type="round", entity_id=round_.id, before=before,
                 after={**after, "allocated_pence": allocated_pence(round_),
                        "shares_cleared": cleared})
    logger.info("round %s: top-slice set to %d pence by user %s; %d pence to allocate by "
                "formula", round_.id, amount_pence, user.id, allocated_pence(round_))
    return round_


# --- Recipients ---------------------------------------------------------------------------

def set_recipients(session: Session, user: User, round_id: int,
                   organisation_ids: Iterable[int]) -> list[AllocationRecipient]:
    """Choose the councils and partnerships the formula shares among."""
    round_ = _locked(session, user, round_id)
    _check_not_confirmed(session, round_)
    wanted = set(organisation_ids)
    if not wanted:
        raise ValidationFailed({"organisations": "Choose at least one recipient"})
    found = {o.id: o for o in session.scalars(
        select(Organisation).where(Organisation.id.in_(wanted)))}
    if set(found) != wanted or any(o.organisation_type not in RECIPIENT_TYPES
                                   for o in found.values()):
        raise ValidationFailed({"organisations": "Choose councils and Community Safety "
                                                 "Partnerships from the list"})
    current = {r.organisation_id: r for r in session.scalars(
        select(AllocationRecipient).where(AllocationRecipient.round_id == round_.id))}
    added = sorted(wanted - set(current))
    removed = sorted(set(current) - wanted)
    if not added and not removed:
        return recipients_of(session, round_.id)
    for organisation_id in removed:
        session.delete(current[organisation_id])
    for organisation_id in added:
        session.add(AllocationRecipient(round_id=round_.id, organisation_id=organisation_id))
    session.flush()
    cleared = _clear_proposal(session, round_.id)
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.recipients_changed",
                 entity_type="round", entity_id=round_.id,
                 before={"organisation_ids": sorted(current)},
                 after={"organisation_ids": sorted(wanted), "shares_cleared": cleared})
    logger.info("round %s: allocation recipients changed by user %s (+%d, -%d)", round_.id,
                user.id, len(added), len(removed))
    return recipients_of(session, round_.id)


# --- Factors and weights ------------------------------------------------------------------

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
    round_ = _locked(session, user, round_id)
    _check_not_confirmed(session, round_)
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
    cleared = _clear_proposal(session, round_.id)
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.factors_changed",
                 entity_type="round", entity_id=round_.id, before={"factors": before},
                 after={"factors": after, "shares_cleared": cleared})
    logger.info("round %s: %d allocation factors set by user %s", round_.id, len(chosen),
                user.id)
    return factors_of(session, round_.id)


# --- Inputs -------------------------------------------------------------------------------

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
    round_ = _locked(session, user, round_id)
    _check_not_confirmed(session, round_)
    return _store_inputs(session, user, round_, values, source="form")


def _store_inputs(session: Session, user: User, round_: Round,
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
    cleared = _clear_proposal(session, round_.id)
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


def column_letter(index: int) -> str:
    """A spreadsheet's name for the column at `index` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def import_inputs_csv(session: Session, user: User, round_id: int, data: bytes) -> int:
    """Read the inputs from a CSV file: a first column naming each recipient (by name, or by
    organisation id) and one column per factor, headed with its name. Every problem is
    reported with its row and column, and nothing is saved unless the whole file is right.
    Returns how many values changed."""
    round_ = _locked(session, user, round_id)
    _check_not_confirmed(session, round_)
    factors = factors_of(session, round_.id)
    recipients = recipients_of(session, round_.id)
    if not factors or not recipients:
        raise AllocationRefused("Set the factors and choose the recipients before uploading "
                                "their inputs")
    values, problems = read_inputs_csv(data, factors, recipients)
    if problems:
        if len(problems) > MAX_CSV_PROBLEMS:
            more = len(problems) - MAX_CSV_PROBLEMS
            problems = [*problems[:MAX_CSV_PROBLEMS], f"… and {more} more problems"]
        raise InputsFileRejected(problems)
    return _store_inputs(session, user, round_, values, source="csv")


def read_inputs_csv(data: bytes, factors: Sequence[AllocationFactor],
                    recipients: Sequence[AllocationRecipient]
                    ) -> tuple[dict[tuple[int, int], Decimal | None], list[str]]:
    """The values in the file by (recipient id, factor id), and its problems."""
    if len(data) > MAX_CSV_BYTES:
        return {}, [f"The file must be smaller than {MAX_CSV_BYTES // 1_000_000}MB"]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, ["The file must be a CSV file saved as UTF-8"]
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        return {}, [f"The file is not a CSV file that can be read: {error}"]
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return {}, ["The file is empty. Add a header row and a row for each recipient"]

    header = [cell.strip() for cell in rows[0]]
    columns, problems = _read_header(header, factors)
    values, row_problems = _read_rows(rows[1:], len(header), columns, recipients)
    return values, problems + row_problems


def _read_header(header: Sequence[str], factors: Sequence[AllocationFactor]
                 ) -> tuple[dict[int, AllocationFactor], list[str]]:
    """Which column holds which factor, and what is wrong with the header row."""
    by_name = {f.name.casefold(): f for f in factors}
    problems: list[str] = []
    columns: dict[int, AllocationFactor] = {}
    for index, title in enumerate(header[1:], start=1):
        factor = by_name.get(title.casefold())
        where = f"Row 1, column {column_letter(index)}"
        if not title:
            problems.append(f"{where}: enter the factor's name as the column's heading")
        elif factor is None:
            problems.append(f"{where}: “{title}” is not a factor of this round. The factors "
                            f"are {', '.join(f.name for f in factors)}")
        elif factor in columns.values():
            problems.append(f"{where}: there is already a column for {factor.name}")
        else:
            columns[index] = factor
    problems += [f"Row 1: there is no column for {factor.name}" for factor in factors
                 if factor not in columns.values()]
    return columns, problems


def _read_rows(rows: Sequence[Sequence[str]], width: int,
               columns: Mapping[int, AllocationFactor],
               recipients: Sequence[AllocationRecipient]
               ) -> tuple[dict[tuple[int, int], Decimal | None], list[str]]:
    """The values of the rows after the header (row 2 onwards), and their problems."""
    by_name = {r.organisation.name.casefold(): r for r in recipients}
    by_id = {str(r.organisation_id): r for r in recipients}
    values: dict[tuple[int, int], Decimal | None] = {}
    problems: list[str] = []
    seen: dict[int, int] = {}
    for number, row in enumerate(rows, start=2):
        label = (row[0] if row else "").strip()
        recipient = by_id.get(label) or by_name.get(label.casefold())
        if not label:
            problems.append(f"Row {number}, column A: enter the recipient's name")
        elif recipient is None:
            problems.append(f"Row {number}, column A: “{label}” is not a recipient of this "
                            "round")
        elif recipient.id in seen:
            problems.append(f"Row {number}, column A: {recipient.organisation.name} is "
                            f"already in row {seen[recipient.id]}")
        else:
            seen[recipient.id] = number
            if len(row) > width:
                problems.append(f"Row {number}: it has more cells than the header row")
            for index, factor in columns.items():
                try:
                    value = _cell_value(row, index, recipient, factor)
                except ValueError as error:
                    problems.append(f"Row {number}, column {column_letter(index)} "
                                    f"({factor.name}): {error}")
                else:
                    values[(recipient.id, factor.id)] = value
    return values, problems


def _cell_value(row: Sequence[str], index: int, recipient: AllocationRecipient,
                factor: AllocationFactor) -> Decimal:
    value = parse_input(row[index] if index < len(row) else "")
    if value is None:
        raise ValueError(f"enter {recipient.organisation.name}'s {factor.name}")
    return value


# --- Proposing and overriding shares ------------------------------------------------------

def propose_shares(session: Session, user: User, round_id: int) -> list[AllocationRecipient]:
    """Work out each recipient's share by formula, in whole pounds that add up to the amount
    allocated. Proposing again replaces every share, overrides included."""
    round_ = _locked(session, user, round_id)
    _check_not_confirmed(session, round_)
    factors = factors_of(session, round_.id)
    recipients = recipients_of(session, round_.id)
    amount = allocated_pence(round_)
    if amount % 100:
        raise AllocationRefused(
            f"The amount to allocate, {format_pounds(amount)}, is not whole pounds. Set a "
            f"top-slice of at least {format_pounds(amount % 100)} first")
    try:
        shares = formula.allocate(
            amount // 100,
            [formula.Factor(f.id, f.name, f.weight_basis_points) for f in factors],
            [formula.Recipient(r.id, r.organisation.name,
                               {i.factor_id: i.value for i in r.inputs}) for r in recipients])
    except formula.FormulaError as error:
        raise AllocationRefused(str(error)) from None
    by_id = {share.key: share for share in shares}
    before = {r.id: (r.proposed_pence, r.share_pence) for r in recipients}
    for recipient in recipients:
        recipient.proposed_pence = recipient.share_pence = by_id[recipient.id].pounds * 100
        recipient.override_reason = ""
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.shares_proposed",
                 entity_type="round", entity_id=round_.id,
                 before={"shares": [{"recipient_id": rid, "proposed_pence": p,
                                     "share_pence": s} for rid, (p, s) in before.items()]},
                 after={"allocated_pence": amount,
                        "shares": [{"recipient_id": r.id, "organisation_id": r.organisation_id,
                                    "share_pence": r.share_pence} for r in recipients]})
    logger.info("round %s: %d shares of %d pence proposed by user %s", round_.id,
                len(recipients), amount, user.id)
    return recipients


def get_recipient(session: Session, round_id: int, recipient_id: int) -> AllocationRecipient:
    recipient = session.scalars(
        select(AllocationRecipient)
        .where(AllocationRecipient.id == recipient_id, AllocationRecipient.round_id == round_id)
        .options(joinedload(AllocationRecipient.organisation))).one_or_none()
    if recipient is None:
        raise NotFound("There is no such recipient in this round")
    return recipient


def override_share(session: Session, user: User, round_id: int, recipient_id: int, *,
                   amount_pence: int | None, reason: str) -> AllocationRecipient:
    """Give a recipient a share other than the formula's, saying why. The shares together
    can never come to more than the amount allocated."""
    round_ = _locked(session, user, round_id)
    _check_not_confirmed(session, round_)
    recipient = get_recipient(session, round_.id, recipient_id)
    session.refresh(recipient)
    if recipient.proposed_pence is None:
        raise AllocationRefused("Propose the shares by formula before changing one")
    reason = (reason or "").strip()
    errors = {}
    if amount_pence is None or amount_pence < 0:
        errors["amount"] = "Enter the share, in pounds, of £0 or more"
    if not reason:
        errors["reason"] = "Enter why this share differs from the formula's"
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"The reason must be {MAX_REASON} characters or fewer"
    if errors:
        raise ValidationFailed(errors)
    others = int(session.scalar(
        select(func.coalesce(func.sum(AllocationRecipient.share_pence), 0))
        .where(AllocationRecipient.round_id == round_.id,
               AllocationRecipient.id != recipient.id)))
    total, allocated = others + amount_pence, allocated_pence(round_)
    if total > allocated:
        raise ValidationFailed({"amount": (
            f"The shares would add up to {format_pounds(total)}, which is "
            f"{format_pounds(total - allocated)} over the {format_pounds(allocated)} to "
            f"allocate. This share can be at most {format_pounds(allocated - others)}")})
    before = {"share_pence": recipient.share_pence, "override_reason": recipient.override_reason}
    recipient.share_pence = amount_pence
    recipient.override_reason = reason
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.share_overridden",
                 entity_type="round", entity_id=round_.id, before=before,
                 after={"recipient_id": recipient.id,
                        "organisation_id": recipient.organisation_id,
                        "proposed_pence": recipient.proposed_pence,
                        "share_pence": amount_pence, "override_reason": reason,
                        "shares_total_pence": total})
    logger.info("round %s: share of recipient %s overridden to %d pence by user %s (formula "
                "%d pence)", round_.id, recipient.id, amount_pence, user.id,
                recipient.proposed_pence)
    return recipient


# --- Confirming ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Confirmation:
    awards: list[Award]
    already: bool = False


def award_title(round_: Round) -> str:
    return f"{round_.fund.name} allocation {round_.financial_year}"


def confirm_allocation(session: Session, user: User, round_id: int) -> Confirmation:
    """Make each share an award offered to its recipient, whose members then accept the grant
    agreement on the offer pages. Confirming again (a double click) changes nothing."""
    round_ = _locked(session, user, round_id)
    recipients = recipients_of(session, round_.id)
    if any(r.award_id is not None for r in recipients):
        return Confirmation(awards=[r.award for r in recipients if r.award is not None],
                            already=True)
    if not recipients or any(r.share_pence is None for r in recipients):
        raise AllocationRefused("Propose the shares by formula before confirming them")
    total, allocated = sum(r.share_pence for r in recipients), allocated_pence(round_)
    if total > allocated:
        raise AllocationRefused(
            f"The shares add up to {format_pounds(total)}, {format_pounds(total - allocated)} "
            f"over the {format_pounds(allocated)} to allocate. Lower a share first")
    committed = committed_pence(session, round_.id)
    if committed + total > round_.budget_pence:
        left = max(round_.budget_pence - committed, 0)
        raise AllocationRefused(
            f"The shares add up to {format_pounds(total)}, but only {format_pounds(left)} of "
            f"the budget of {format_pounds(round_.budget_pence)} is left")

    now, today = clock.utcnow(), clock.today_in_london()
    awards = []
    for recipient in recipients:
        if not recipient.share_pence:
            continue
        organisation = recipient.organisation
        award = Award(round_id=round_.id, organisation=organisation, source=AwardSource.ALLOCATION,
                      status=AwardStatus.OFFERED, amount_pence=recipient.share_pence,
                      offered_at=now, awarded_on=today, title=award_title(round_),
                      description=recipient.override_reason, areas=list(organisation.areas))
        session.add(award)
        session.flush()
        recipient.award = award
        awards.append(award)
        record_event(session, actor_id=user.id, action="award.allocated", entity_type="award",
                     entity_id=award.id,
                     after={"round_id": round_.id, "organisation_id": organisation.id,
                            "amount_pence": award.amount_pence,
                            "proposed_pence": recipient.proposed_pence,
                            "override_reason": recipient.override_reason,
                            "status": award.status.value})
        _email_offer(session, award)
        logger.info("award %s allocated: %d pence to organisation %s from round %s",
                    award.id, award.amount_pence, organisation.id, round_.id)
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.confirmed", entity_type="round",
                 entity_id=round_.id,
                 after={"award_ids": [a.id for a in awards], "total_pence": total,
                        "allocated_pence": allocated, "committed_before_pence": committed})
    return Confirmation(awards=awards)


def _email_offer(session: Session, award: Award) -> None:
    address = (award.organisation.contact_email or "").strip()
    if not address:
        logger.warning("award %s: no contact address for the offer email", award.id)
        return
    body = render_template("allocations/emails/offered.txt", award=award,
                           offer_url=external_url("awards.view_offer", award_id=award.id))
    queue_email(session, to_address=address, subject=f"Grant offer: {award.title}",
                body_text=body, idempotency_key=f"award-offered:{award.id}")


# --- Awards from the top-slice ------------------------------------------------------------

@dataclass(frozen=True)
class TopSliceAward:
    """A top-slice award as staff typed it."""

    organisation_id: int | None
    amount_pence: int | None
    priority_id: int | None
    key_aim_ids: Sequence[int]
    title: str
    description: str = ""
    serves_whole_thames_valley: bool = True


def priority_choices(session: Session) -> list[Priority]:
    """The current plan's priorities still in use, with their key aims."""
    return list(session.scalars(
        select(Priority).join(Plan).where(Plan.is_current, Priority.retired_at.is_(None))
        .options(selectinload(Priority.key_aims)).order_by(Priority.number)))


def organisation_choices(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.name,
                                                              Organisation.id)))


def record_top_slice_award(session: Session, user: User, round_id: int,
                           entry: TopSliceAward) -> Award:
    """An award from the top-slice against a priority and its key aims, offered to the
    organisation. It can never take the top-slice, or the round, over what is left."""
    _check_staff(user)
    title, description = (entry.title or "").strip(), (entry.description or "").strip()
    organisation = (session.get(Organisation, entry.organisation_id)
                    if entry.organisation_id else None)
    priority = session.get(Priority, entry.priority_id) if entry.priority_id else None
    aims = list(session.scalars(select(KeyAim).where(KeyAim.id.in_(set(entry.key_aim_ids)))))
    errors = _top_slice_errors(entry, title, description, organisation, priority, aims)
    if errors:
        raise ValidationFailed(errors)

    round_ = _locked(session, user, round_id)
    top, used = top_slice_pence(round_), top_slice_committed_pence(session, round_.id)
    if entry.amount_pence > top - used:
        raise ValidationFailed({"amount": (
            f"Only {format_pounds(max(top - used, 0))} of the top-slice of {format_pounds(top)} "
            f"is left ({format_pounds(used)} is already awarded from it)")})
    committed = committed_pence(session, round_.id)
    if committed + entry.amount_pence > round_.budget_pence:
        raise ValidationFailed({"amount": (
            f"Only {format_pounds(max(round_.budget_pence - committed, 0))} of the round's "
            f"budget of {format_pounds(round_.budget_pence)} is left")})

    award = Award(round_id=round_.id, organisation=organisation, source=AwardSource.TOP_SLICE,
                  status=AwardStatus.OFFERED, amount_pence=entry.amount_pence,
                  offered_at=clock.utcnow(), awarded_on=clock.today_in_london(), title=title,
                  description=description, priority=priority, key_aims=aims,
                  serves_whole_thames_valley=entry.serves_whole_thames_valley,
                  areas=[] if entry.serves_whole_thames_valley else _areas_of(organisation))
    session.add(award)
    session.flush()
    record_event(session, actor_id=user.id, action="award.top_slice_recorded",
                 entity_type="award", entity_id=award.id,
                 after={"round_id": round_.id, "organisation_id": organisation.id,
                        "amount_pence": award.amount_pence, "title": title,
                        "priority_id": priority.id, "key_aim_ids": sorted(a.id for a in aims),
                        "top_slice_pence": top,
                        "top_slice_committed_pence": used + award.amount_pence,
                        "status": award.status.value})
    _email_offer(session, award)
    logger.info("award %s from the top-slice of round %s: %d pence to organisation %s by "
                "user %s", award.id, round_.id, award.amount_pence, organisation.id, user.id)
    return award


def _top_slice_errors(entry: TopSliceAward, title: str, description: str,
                      organisation: Organisation | None, priority: Priority | None,
                      aims: list[KeyAim]) -> dict[str, str]:
    errors = {}
    if organisation is None:
        errors["organisation"] = "Choose the organisation the award is made to"
    if entry.amount_pence is None or entry.amount_pence <= 0:
        errors["amount"] = "Enter an amount of more than £0"
    if not title:
        errors["title"] = "Enter what the award is for, like Cybercrime initiatives"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"What the award is for must be {MAX_TITLE} characters or fewer"
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = f"The description must be {MAX_DESCRIPTION} characters or fewer"
    if priority is None:
        errors["priority"] = "Choose the priority the award supports"
    elif not aims:
        errors["key_aims"] = "Choose at least one key aim the award supports"
    elif (any(aim.priority_id != priority.id for aim in aims)
          or len(aims) != len(set(entry.key_aim_ids))):
        errors["key_aims"] = f"Choose key aims of {priority.code} {priority.title}"
    return errors


def _areas_of(organisation: Organisation) -> list:
    if organisation.areas:
        return list(organisation.areas)
    return [organisation.local_authority] if organisation.local_authority else []
