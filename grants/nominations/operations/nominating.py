"""A High Sheriff nominates an organisation in their county's allocation: one already
registered, or a new one, whose contact is invited to claim its account."""

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.auth import permissions
from grants.core import clock
from grants.core.errors import NotFound, ValidationFailed
from grants.core.locks import lock_row
from grants.funds.models import Round
from grants.nominations.models import Nomination, NominationStatus
from grants.nominations.operations.finding import (
    MAX_TEXT,
    nominable_types,
    snapshot,
    why_not_nominable,
    why_not_open,
)
from grants.nominations.operations.guard import NominationRefused, OverAllocation, over_allocation
from grants.organisations.models import Organisation
from grants.organisations.operations import claims
from grants.organisations.operations.registration import (
    OrganisationDetails,
    checked_details,
    find_registered,
)
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_PURPOSE = 300
MAX_NAME = 200
MAX_EMAIL = 254


@dataclass(frozen=True)
class NominationInput:
    """What a High Sheriff typed. Either `organisation_id` (found) or `organisation` (new,
    whose contact is invited to claim it); the contact fields are for a found one."""

    amount_pence: int | None
    priority_id: int | None
    purpose: str
    reason: str
    organisation_id: int | None = None
    organisation: OrganisationDetails | None = None
    contact_name: str = ""
    contact_email: str = ""


def text_errors(data: NominationInput, round_: Round) -> tuple[dict[str, str], dict]:
    errors: dict[str, str] = {}
    values = {"purpose": " ".join((data.purpose or "").split()),
              "reason": (data.reason or "").strip(),
              "contact_name": " ".join((data.contact_name or "").split()),
              "contact_email": (data.contact_email or "").strip().lower()}
    if data.amount_pence is None:
        errors["amount"] = "Enter the amount to award, in pounds"
    elif data.amount_pence <= 0:
        errors["amount"] = "Enter an amount of more than £0"
    if data.priority_id not in {priority.id for priority in round_.priorities}:
        errors["priority_id"] = "Select the priority the award supports"
    if not values["purpose"]:
        errors["purpose"] = "Enter what the money is for"
    elif len(values["purpose"]) > MAX_PURPOSE:
        errors["purpose"] = f"What the money is for must be {MAX_PURPOSE} characters or fewer"
    if not values["reason"]:
        errors["reason"] = "Enter why the organisation deserves support"
    elif len(values["reason"]) > MAX_TEXT:
        errors["reason"] = f"The reason must be {MAX_TEXT:,} characters or fewer"
    if len(values["contact_name"]) > MAX_NAME:
        errors["contact_name"] = f"Name must be {MAX_NAME} characters or fewer"
    email = values["contact_email"]
    if email and ("@" not in email or len(email) > MAX_EMAIL or " " in email):
        errors["contact_email"] = ("Enter an email address in the correct format, like "
                                   "name@example.org")
    return errors, values


def _organisation_for(session: Session, round_: Round, data: NominationInput,
                      errors: dict[str, str]) -> tuple[Organisation | None, dict | None]:
    """The found organisation, or the checked values of a new one (errors added to
    `errors`); either of a type the round's awards may go to."""
    if data.organisation is None:
        organisation = (session.get(Organisation, data.organisation_id)
                        if data.organisation_id else None)
        if organisation is None:
            errors["organisation_id"] = "Choose the organisation you are nominating"
        elif why := why_not_nominable(round_, organisation):
            errors["organisation_id"] = why
        return organisation, None
    if data.organisation.organisation_type not in nominable_types(round_):
        errors["organisation_type"] = ("Select a type of organisation this round's awards "
                                       "may go to")
    try:
        values = checked_details(session, data.organisation)
    except ValidationFailed as failure:
        errors.update(failure.errors)
        return None, None
    existing = find_registered(session, values)
    if existing is not None:
        found, field_name = existing
        matched = "at this postcode" if field_name == "name" else "with this number"
        errors[field_name] = (f"{found.name} is already registered {matched}: search "
                              "for it and nominate it instead")
        return None, None
    return None, values


def nominate(session: Session, user: User, round_id: int, data: NominationInput) -> Nomination:
    """A High Sheriff nominates an organisation in their county's allocation. A new
    organisation is created as registration would, and its contact invited to claim it."""
    round_ = lock_row(session, Round, round_id, missing="Round not found")
    if not permissions.may_nominate_in(user, round_):
        raise NotFound("There is no such nomination round")
    NominationRefused.raise_if(why_not_open(round_))
    errors, values = text_errors(data, round_)
    organisation, new_values = _organisation_for(session, round_, data, errors)
    if new_values is not None:
        values["contact_name"] = str(new_values["contact_name"])
        values["contact_email"] = str(new_values["contact_email"])
    if organisation is not None and not values["contact_email"]:
        values["contact_name"] = values["contact_name"] or organisation.contact_name
        values["contact_email"] = organisation.contact_email
    over = "amount" not in errors and over_allocation(session, round_.id, user.county_id,
                                            data.amount_pence)
    if over:
        errors.update(over.nominator_errors())
    if errors:
        raise (OverAllocation if over else ValidationFailed)(errors)

    if new_values is not None:
        organisation = Organisation(**new_values)
        session.add(organisation)
        session.flush()
        record_event(session, actor_id=user.id, action="organisation.registered",
                     entity_type="organisation", entity_id=organisation.id,
                     after=_plain(new_values), note="Entered with a High Sheriff's nomination")
    now = clock.utcnow()
    nomination = Nomination(
        round_id=round_.id, county_id=user.county_id, nominated_by_id=user.id,
        organisation=organisation, amount_pence=data.amount_pence,
        priority_id=data.priority_id, purpose=values["purpose"], reason=values["reason"],
        contact_name=values["contact_name"], contact_email=values["contact_email"],
        status=NominationStatus.SUBMITTED, created_at=now, updated_at=now)
    session.add(nomination)
    session.flush()
    record_event(session, actor_id=user.id, action="nomination.submitted",
                 entity_type="nomination", entity_id=nomination.id,
                 after=snapshot(nomination))
    logger.info("nomination %s in round %s: county %s holds %d pence for organisation %s",
                nomination.id, round_.id, user.county_id, nomination.amount_pence,
                organisation.id)
    if new_values is not None and nomination.contact_email:
        claims.invite_to_claim(
            session, organisation, name=nomination.contact_name,
            email=nomination.contact_email, invited_by=user,
            reason=f"the High Sheriff of {user.county.name} nominated it for a grant",
            key=f"nomination-claim-invitation:{nomination.id}")
        nomination.invitation_sent_at = now
        session.flush()
    return nomination


def _plain(values: dict) -> dict:
    return {key: getattr(value, "value", value) for key, value in values.items()}
