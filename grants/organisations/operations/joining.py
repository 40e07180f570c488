"""Joining an organisation: asking to join it by its charity or company number, and a member
or staff deciding the request.

Asking by number answers the same whether or not an organisation has the number: the asker is
emailed the same words either way, and only an organisation that exists has its members asked.
So nobody learns from asking which organisations use the service, nor their names.
"""

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.core import clock
from grants.core.errors import Refusal, ValidationFailed
from grants.core.translatable import N_
from grants.organisations import notifications
from grants.organisations.models import (
    CharityRegulator,
    Membership,
    MembershipStatus,
    Organisation,
)
from grants.organisations.operations import identifiers
from grants.organisations.operations.listing import active_members
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

# The kind of number a person gives: a charity regulator's value, or this.
COMPANY = "company"


@dataclass(frozen=True)
class OrganisationNumber:
    """A charity number with its regulator, or a company number, as the registers write it."""

    regulator: CharityRegulator | None
    number: str

    def described(self) -> str:
        """The number in words, for the email that confirms the request."""
        if self.regulator is None:
            return f"company number {self.number}"
        return f"charity number {self.number} ({self.regulator.label})"


def checked_number(kind: str | None, typed: str | None) -> OrganisationNumber:
    """The number in its registered form; ValidationFailed on its field otherwise."""
    if kind == COMPANY:
        try:
            return OrganisationNumber(None, identifiers.normalise_company_number(typed))
        except identifiers.IdentifierError as error:
            raise ValidationFailed({"number": str(error)}) from None
    try:
        regulator = CharityRegulator(kind)
    except ValueError:
        raise ValidationFailed({"kind": N_("Select which number you will give")}) from None
    try:
        return OrganisationNumber(regulator,
                                  identifiers.normalise_charity_number(regulator, typed))
    except identifiers.IdentifierError as error:
        raise ValidationFailed({"number": str(error)}) from None


def find_by_number(session: Session, number: OrganisationNumber) -> Organisation | None:
    if number.regulator is None:
        condition = Organisation.company_number == number.number
    else:
        # A Northern Ireland number is registered with or without its NIC.
        bare = number.number.removeprefix("NIC")
        forms = ({bare, f"NIC{bare}"} if number.regulator is CharityRegulator.CCNI
                 else {number.number})
        condition = ((Organisation.charity_regulator == number.regulator)
                     & Organisation.charity_number.in_(sorted(forms)))
    return session.scalars(select(Organisation).where(condition)
                           .order_by(Organisation.id)).first()


def ask_to_join_by_number(session: Session, user: User, kind: str | None,
                          typed: str | None) -> None:
    """Ask the members of the organisation with this number, if one is registered, to approve
    the person; email the person the same words either way. Returns nothing, so that no page
    can answer differently."""
    number = checked_number(kind, typed)
    organisation = find_by_number(session, number)
    if organisation is not None:
        ask_to_join(session, user, organisation)
    notifications.join_requested(session, user, number.described())


def ask_to_join(session: Session, user: User, organisation: Organisation) -> Membership:
    """A pending membership that an existing member or staff approves. Asking twice is one
    request; a member asking changes nothing."""
    membership = session.scalars(select(Membership).where(
        Membership.user_id == user.id, Membership.organisation_id == organisation.id)
    ).one_or_none()
    if membership is not None:
        return membership
    membership = Membership(user=user, organisation=organisation,
                            status=MembershipStatus.PENDING)
    session.add(membership)
    session.flush()
    record_event(session, actor_id=user.id, action="membership.requested",
                 entity_type="organisation", entity_id=organisation.id,
                 after={"user_id": user.id})
    logger.info("user %s asked to join organisation %s", user.id, organisation.id)
    for member in active_members(organisation):
        notifications.membership_requested(session, membership, member)
    return membership


def decide_membership(session: Session, actor: User, membership: Membership,
                      *, approve: bool) -> None:
    """Approve or reject a request to join. Rejecting removes the request."""
    if membership.status is not MembershipStatus.PENDING:
        raise Refusal(N_("This request has already been decided"))
    organisation = membership.organisation
    if approve:
        membership.status = MembershipStatus.ACTIVE
        membership.approved_at = clock.utcnow()
        membership.approved_by_id = actor.id
    else:
        session.delete(membership)
    record_event(session, actor_id=actor.id,
                 action="membership.approved" if approve else "membership.rejected",
                 entity_type="organisation", entity_id=organisation.id,
                 after={"user_id": membership.user_id})
    if approve:
        notifications.membership_approved(session, membership)
    else:
        notifications.membership_rejected(session, membership)
    session.flush()
