"""Organisations: registering, joining, editing and finding them."""

import logging
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.accounts.models import User
from grants.applications.models import Application
from grants.areas.models import LocalAuthority
from grants.awards.models import Award
from grants.core import clock
from grants.core.errors import NotFound, Refusal, ValidationFailed
from grants.organisations import identifiers
from grants.organisations.models import Membership, MembershipStatus, Organisation
from grants.organisations.types import CharityRegulator, OrganisationType
from grants.records.operations.audit import record_event
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

PAGE_SIZE = 50


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    organisation = session.scalars(
        select(Organisation)
        .where(Organisation.id == organisation_id)
        .options(
            joinedload(Organisation.local_authority),
            selectinload(Organisation.memberships).joinedload(Membership.user),
        )
    ).one_or_none()
    if organisation is None:
        raise NotFound("Organisation not found")
    return organisation


def organisations_of(session: Session, organisation_ids: frozenset[int]) -> list[Organisation]:
    if not organisation_ids:
        return []
    return list(session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(organisation_ids))
        .options(joinedload(Organisation.local_authority))
        .order_by(Organisation.name)
    ))


def search_organisations(
    session: Session, *, name: str = "", page: int = 1
) -> tuple[list[Organisation], int]:
    """One page of every organisation (staff), filtered by a part of the name, and the total."""
    query = select(Organisation)
    name = name.strip()
    if name:
        query = query.where(func.lower(Organisation.name).contains(name.lower(),
                                                                   autoescape=True))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.options(joinedload(Organisation.local_authority))
        .order_by(Organisation.name, Organisation.id)
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    )
    return list(rows), total


def applications_of(session: Session, organisation_ids: frozenset[int]) -> list[Application]:
    """The applications of the given organisations, newest first."""
    if not organisation_ids:
        return []
    return list(session.scalars(
        select(Application)
        .where(Application.organisation_id.in_(organisation_ids))
        .options(joinedload(Application.round), joinedload(Application.organisation))
        .order_by(Application.created_at.desc())
    ))


def active_members(organisation: Organisation) -> list[Membership]:
    return sorted(
        (m for m in organisation.memberships if m.status is MembershipStatus.ACTIVE),
        key=lambda m: m.user.name.lower(),
    )


# --- Registering and joining --------------------------------------------------------------

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


class OrganisationAlreadyRegistered(Refusal):
    """An organisation with the same charity or company number exists; the person may ask to
    join it."""

    def __init__(self, organisation: Organisation, field: str) -> None:
        super().__init__(f"{organisation.name} is already registered", field=field)
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
        errors["name"] = "Enter the organisation's name"
    if details.charity_regulator is not None:
        try:
            values["charity_number"] = identifiers.normalise_charity_number(
                details.charity_regulator, details.charity_number)
            values["charity_regulator"] = details.charity_regulator
        except identifiers.IdentifierError as error:
            errors["charity_number"] = str(error)
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
        errors["local_authority_id"] = "Select the local authority area the organisation is in"
    values["local_authority_id"] = details.local_authority_id
    if errors:
        raise ValidationFailed(errors)
    return values


def find_registered(session: Session, values: dict[str, object],
                    *, other_than: int | None = None) -> tuple[Organisation, str] | None:
    """The organisation already registered with the same charity or company number."""
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


def register_organisation(session: Session, user: User,
                          details: OrganisationDetails) -> Organisation:
    """Register an organisation with the person as its first member.

    One organisation per charity number and per company number: a second registration raises
    OrganisationAlreadyRegistered, naming the first so the person can ask to join it.
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


def ask_to_join(session: Session, user: User, organisation: Organisation,
                *, join_url: str) -> Membership:
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
    for member in active_members(organisation):
        queue_email(
            session, to_address=member.user.email,
            subject=f"{user.name} asked to join {organisation.name}",
            body_text=(
                f"{user.name} ({user.email}) has asked to join {organisation.name} on the "
                f"Thames Valley Police and Crime Commissioner's grants service.\n\n"
                f"If you know them, approve the request here:\n{join_url}\n\n"
                "If you do not know them, reject it."
            ),
            idempotency_key=f"membership-requested:{membership.id}:{member.user_id}",
        )
    return membership


def decide_membership(session: Session, actor: User, membership: Membership,
                      *, approve: bool) -> None:
    """Approve or reject a request to join. Rejecting removes the request."""
    if membership.status is not MembershipStatus.PENDING:
        raise Refusal("This request has already been decided")
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
    queue_email(
        session, to_address=membership.user.email,
        subject=(f"You have joined {organisation.name}" if approve
                 else f"Your request to join {organisation.name}"),
        body_text=(
            f"Your request to join {organisation.name} was approved. You can now work on its "
            "applications." if approve else
            f"Your request to join {organisation.name} was not approved. If you think this is "
            "a mistake, contact the organisation or the grants team."
        ),
    )
    session.flush()


def pending_memberships(organisation: Organisation) -> list[Membership]:
    return [m for m in organisation.memberships if m.status is MembershipStatus.PENDING]


def current_local_authorities(session: Session) -> list[LocalAuthority]:
    """The councils that exist today, for choosing where an organisation is based."""
    today = clock.today_in_london()
    authorities = session.scalars(
        select(LocalAuthority).options(joinedload(LocalAuthority.county))
        .order_by(LocalAuthority.name))
    return [a for a in authorities if a.is_current_on(today)]


def published_awards_of(session: Session, applications: list[Application]) -> dict[int, Award]:
    """The awards of these applications whose round has published its decisions, by
    application id: one query. Unpublished awards are left out, so nothing gives them away."""
    ids = [a.id for a in applications if a.round.decisions_published_at is not None]
    if not ids:
        return {}
    return {award.application_id: award for award in session.scalars(
        select(Award).where(Award.application_id.in_(ids)))}
