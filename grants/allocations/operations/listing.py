"""What the allocation pages read: the round, its factors and recipients, the money, and the
shares, in a fixed number of queries whatever the number of recipients."""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from grants.allocations.models import AllocationFactor, AllocationRecipient
from grants.areas.operations.on_day import round_day, stands_on
from grants.awards.models import RELEASED_STATUSES, Award, AwardSource
from grants.awards.operations.committed import committed_pence
from grants.core.errors import NotFound, or_not_found
from grants.decisions.operations.remaining import remaining_of
from grants.funds.models import Round, RoundKind
from grants.organisations.models import Organisation, OrganisationType

RECIPIENT_TYPES = frozenset({OrganisationType.LOCAL_AUTHORITY,
                             OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP})


def require_allocation(round_: Round | None) -> Round:
    if round_ is None or round_.kind is not RoundKind.ALLOCATION:
        raise NotFound("There is no such allocation round")
    return round_


def get_round(session: Session, round_id: int) -> Round:
    """The allocation round with its fund (any other kind of round is not found here)."""
    return require_allocation(session.get(Round, round_id, options=[joinedload(Round.fund)]))


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
        return max(remaining_of(self.top_slice_pence, self.top_slice_committed_pence), 0)


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


def recipient_choices(session: Session, round_: Round) -> list[Organisation]:
    """The councils and Community Safety Partnerships that may be chosen as recipients: those
    that stand on the round's closing date (Buckinghamshire's district councils and their
    partnerships until 31 March 2020, the unitary council and its partnership after). One
    chosen already stays on offer, so what was chosen before is kept."""
    day = round_day(round_)
    chosen = set(session.scalars(select(AllocationRecipient.organisation_id)
                                 .where(AllocationRecipient.round_id == round_.id)))
    organisations = session.scalars(
        select(Organisation).where(Organisation.organisation_type.in_(RECIPIENT_TYPES))
        .options(selectinload(Organisation.areas))
        .order_by(Organisation.name, Organisation.id))
    return [organisation for organisation in organisations
            if organisation.id in chosen or stands_on(organisation, day)]


def is_confirmed(session: Session, round_id: int) -> bool:
    return session.scalar(
        select(func.count(AllocationRecipient.id))
        .where(AllocationRecipient.round_id == round_id,
               AllocationRecipient.award_id.is_not(None))) > 0


def get_recipient(session: Session, round_id: int, recipient_id: int) -> AllocationRecipient:
    recipient = session.scalars(
        select(AllocationRecipient)
        .where(AllocationRecipient.id == recipient_id, AllocationRecipient.round_id == round_id)
        .options(joinedload(AllocationRecipient.organisation))).one_or_none()
    return or_not_found(recipient, "There is no such recipient in this round")
