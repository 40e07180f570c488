"""Finding a nomination or a nomination round, locking a nomination's round before a change,
and what the record keeps of a nomination."""

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.accounts.models import User
from grants.auth import permissions
from grants.core.errors import NotFound, only_if_visible, or_not_found
from grants.core.locks import lock_row
from grants.funds.models import Round, RoundKind, RoundStatus
from grants.nominations.models import Nomination, NominationStatus
from grants.organisations.models import Organisation, OrganisationType

MAX_TEXT = 5000


def _with_parts():
    return (joinedload(Nomination.round).selectinload(Round.county_allocations),
            joinedload(Nomination.round).joinedload(Round.fund),
            joinedload(Nomination.county), joinedload(Nomination.organisation),
            joinedload(Nomination.priority), joinedload(Nomination.nominated_by),
            joinedload(Nomination.award))


def get_nomination(session: Session, nomination_id: int) -> Nomination:
    nomination = session.get(Nomination, nomination_id, options=_with_parts())
    return or_not_found(nomination, "There is no such nomination")


def nomination_for(session: Session, user: User, nomination_id: int) -> Nomination:
    """The nomination, for someone who may see it; to anyone else it does not exist."""
    nomination = get_nomination(session, nomination_id)
    return only_if_visible(nomination, permissions.may_view_nomination(user, nomination),
                           "There is no such nomination")


def get_nomination_round(session: Session, round_id: int) -> Round:
    round_ = session.scalars(
        select(Round).where(Round.id == round_id, Round.kind == RoundKind.NOMINATION)
        .options(selectinload(Round.priorities), selectinload(Round.county_allocations),
                 joinedload(Round.fund))).one_or_none()
    return or_not_found(round_, "There is no such nomination round")


def why_not_open(round_: Round) -> str | None:
    """Why nominations cannot be made in the round now, or None when they can."""
    if round_.kind is not RoundKind.NOMINATION:
        return "This is not a nomination round"
    if round_.archived_at is not None:
        return "This round is archived"
    status = round_.status
    if status is RoundStatus.OPEN:
        return None
    if status in (RoundStatus.DRAFT, RoundStatus.UPCOMING):
        return "This round is not open for nominations yet"
    return "This round has closed for nominations"


def nominable_types(round_: Round) -> list[OrganisationType]:
    """The types of organisation the round's awards may go to, in the usual order: those
    staff set on the round, else its fund's default (councils left out of the Police Property
    Act Fund's)."""
    allowed = round_.organisation_types or frozenset(round_.fund.default_organisation_types)
    return [kind for kind in OrganisationType if kind in allowed]


def why_not_nominable(round_: Round, organisation: Organisation) -> str | None:
    """Why the round's awards cannot go to this organisation, or None when they can."""
    allowed = nominable_types(round_)
    if organisation.organisation_type in allowed:
        return None
    kinds = ", ".join(kind.label.lower() for kind in allowed)
    return (f"{organisation.name} is a {organisation.organisation_type.label.lower()}, and "
            f"this round's awards go only to: {kinds}. Choose another organisation")


def locked_nomination(session: Session, nomination_id: int) -> tuple[Round, Nomination]:
    """The nomination's round locked first, then the nomination read afresh."""
    round_id = session.scalar(select(Nomination.round_id).where(Nomination.id == nomination_id))
    if round_id is None:
        raise NotFound("There is no such nomination")
    round_ = lock_row(session, Round, round_id, missing="Round not found")
    nomination = session.scalars(
        select(Nomination).where(Nomination.id == nomination_id)
        .execution_options(populate_existing=True)).one()
    return round_, nomination


def why_not_changeable(nomination: Nomination) -> str:
    return {
        NominationStatus.APPROVED: "This nomination has been approved",
        NominationStatus.DECLINED: "This nomination has been declined",
        NominationStatus.WITHDRAWN: "This nomination has been withdrawn",
    }.get(nomination.status, "This nomination cannot be changed now")


def snapshot(nomination: Nomination) -> dict:
    return {"round_id": nomination.round_id, "county_id": nomination.county_id,
            "organisation_id": nomination.organisation_id,
            "amount_pence": nomination.amount_pence, "priority_id": nomination.priority_id,
            "purpose": nomination.purpose, "reason": nomination.reason,
            "contact_name": nomination.contact_name,
            "contact_email": nomination.contact_email, "status": nomination.status.value,
            "staff_comment": nomination.staff_comment, "award_id": nomination.award_id}
