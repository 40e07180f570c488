"""Registering an organisation, and editing its details: one organisation per charity number
and per company number."""

import logging
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.accounts.operations.users import holds_an_address
from grants.areas.models import LocalAuthority
from grants.core import clock
from grants.core.errors import Refusal, ValidationFailed
from grants.core.translatable import N_, Words
from grants.organisations.models import (
    CharityRegulator,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationType,
)
from grants.organisations.operations import identifiers
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


@dataclass
class OrganisationDetails:
    """What a person types about their organisation, before checking."""

    name: str
    organisation_type: OrganisationType
    charity_regulator: CharityRegulator | None
    charity_number: str
    company_number: str
    address: str
    postcode: str
    local_authority_id: int | None
    annual_income_pence: int | None
    contact_name: str
    contact_email: str
    contact_phone: str


# The types of organisation that are on a charity register, so have a charity number.
REGISTERED_CHARITY_TYPES = frozenset({OrganisationType.REGISTERED_CHARITY, OrganisationType.CIO})


class OrganisationAlreadyRegistered(Refusal):
    """An organisation with the same charity or company number exists; the person may ask to
    join it."""

    def __init__(self, organisation: Organisation, field: str) -> None:
        # No name: the number alone must not tell a stranger which organisation holds it.
        super().__init__(N_("An organisation with this name is already registered at this "
                            "postcode") if field == "name"
                         else N_("An organisation with this number is already registered"),
                         field=field)
        self.organisation = organisation


def checked_details(session: Session, details: OrganisationDetails) -> dict[str, object]:
    """The column values for an organisation, normalised; every problem at once otherwise."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {
        "name": " ".join(details.name.split()),
        "organisation_type": details.organisation_type,
        "address": details.address.strip(),
        "annual_income_pence": details.annual_income_pence,
        "contact_name": details.contact_name.strip(),
        "contact_email": details.contact_email.strip().lower(),
        "contact_phone": details.contact_phone.strip(),
        "charity_regulator": None,
        "charity_number": None,
        "company_number": None,
    }
    if not values["name"]:
        errors["name"] = N_("Enter the organisation's name")
    elif holds_an_address(str(values["name"])):
        # The name goes into emails, invitations to strangers among them.
        errors["name"] = N_(
            "Enter the organisation's name only, without a web or email address")
    _check_charity(details, values, errors)
    if details.company_number.strip():
        try:
            values["company_number"] = identifiers.normalise_company_number(
                details.company_number)
        except identifiers.IdentifierError as error:
            errors["company_number"] = str(error)
    try:
        values["postcode"] = identifiers.normalise_postcode(details.postcode)
    except identifiers.IdentifierError as error:
        errors["postcode"] = str(error)
    authority = (session.get(LocalAuthority, details.local_authority_id)
                 if details.local_authority_id else None)
    if authority is None:
        errors["local_authority_id"] = N_(
            "Select the local authority area the organisation is in")
    values["local_authority_id"] = details.local_authority_id
    if errors:
        raise ValidationFailed(errors)
    return values


def _check_charity(details: OrganisationDetails, values: dict[str, object],
                   errors: dict[str, str]) -> None:
    """The charity number on its register; a registered charity or CIO must give one."""
    if details.charity_regulator is not None:
        try:
            values["charity_number"] = identifiers.normalise_charity_number(
                details.charity_regulator, details.charity_number)
            values["charity_regulator"] = details.charity_regulator
        except identifiers.IdentifierError as error:
            errors["charity_number"] = str(error)
    elif details.organisation_type in REGISTERED_CHARITY_TYPES:
        errors["charity_number"] = Words(
            N_("Enter the charity number: a %(kind)s is on a charity register. For example, "
               "1123456"), kind=details.organisation_type.label.lower())


def find_registered(session: Session, values: dict[str, object],
                    *, other_than: int | None = None) -> tuple[Organisation, str] | None:
    """The organisation already registered with the same charity or company number, and the
    field that matched; without either number, one with the same name (as `name_key` reads
    it) at the same postcode, so a group is not registered twice."""
    if not values.get("charity_number") and not values.get("company_number"):
        same_name = _same_name_and_postcode(session, values, other_than)
        return (same_name, "name") if same_name is not None else None
    checks = []
    if values.get("charity_number"):
        checks.append(("charity_number", and_(
            Organisation.charity_regulator == values["charity_regulator"],
            Organisation.charity_number == values["charity_number"])))
    if values.get("company_number"):
        checks.append(("company_number", Organisation.company_number == values["company_number"]))
    for field_name, condition in checks:
        query = select(Organisation).where(condition)
        if other_than is not None:
            query = query.where(Organisation.id != other_than)
        existing = session.scalars(query).first()
        if existing is not None:
            return existing, field_name
    return None


def _same_name_and_postcode(session: Session, values: dict[str, object],
                            other_than: int | None) -> Organisation | None:
    if not values.get("postcode"):
        return None
    key = identifiers.name_key(str(values["name"]))
    query = select(Organisation).where(Organisation.postcode == values["postcode"])
    if other_than is not None:
        query = query.where(Organisation.id != other_than)
    return next((organisation for organisation in session.scalars(query.order_by(Organisation.id))
                 if identifiers.name_key(organisation.name) == key), None)


def register_organisation(session: Session, user: User,
                          details: OrganisationDetails) -> Organisation:
    """Register an organisation with the person as its first member.

    One organisation per charity number and per company number, and, without either, per name
    and postcode: a second registration raises OrganisationAlreadyRegistered, holding the first,
    so the person can be offered to ask to join it.
    """
    values = checked_details(session, details)
    existing = find_registered(session, values)
    if existing is not None:
        raise OrganisationAlreadyRegistered(*existing)
    organisation = Organisation(**values)
    organisation.memberships.append(Membership(
        user=user, status=MembershipStatus.ACTIVE, approved_at=clock.utcnow()))
    session.add(organisation)
    session.flush()
    record_event(session, actor_id=user.id, action="organisation.registered",
                 entity_type="organisation", entity_id=organisation.id,
                 after=_audit_values(values))
    logger.info("organisation %s registered by user %s", organisation.id, user.id)
    return organisation


def update_organisation(session: Session, user: User, organisation: Organisation,
                        details: OrganisationDetails) -> Organisation:
    values = checked_details(session, details)
    existing = find_registered(session, values, other_than=organisation.id)
    if existing is not None:
        raise OrganisationAlreadyRegistered(*existing)
    before = {key: getattr(organisation, key) for key in values}
    changed = {key: value for key, value in values.items() if before[key] != value}
    for key, value in changed.items():
        setattr(organisation, key, value)
    session.flush()
    if changed:
        record_event(session, actor_id=user.id, action="organisation.updated",
                     entity_type="organisation", entity_id=organisation.id,
                     before=_audit_values({k: before[k] for k in changed}),
                     after=_audit_values(changed))
    return organisation


def _audit_values(values: dict[str, object]) -> dict[str, object]:
    return {key: (value.value if isinstance(value, Enum) else value)
            for key, value in values.items()}
