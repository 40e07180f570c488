"""The organisations and applications the pages list, and an organisation with its members."""

import functools
from dataclasses import dataclass

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session, joinedload, load_only, selectinload

from grants.applications.models import Application
from grants.areas.models import LocalAuthority
from grants.areas.operations.on_day import local_authorities_on
from grants.assessment.operations.clarifications import unanswered_count_column
from grants.assessment.operations.screening import ineligible_reason_column
from grants.awards.models import Award
from grants.awards.operations.publicity import PUBLICATION_COLUMNS, told_recipients
from grants.core import clock
from grants.core.errors import or_not_found
from grants.core.paging import Page, page_of
from grants.funds.models import Round
from grants.organisations.models import Membership, MembershipStatus, Organisation

PAGE_SIZE = 50


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    organisation = session.get(Organisation, organisation_id, options=[
        joinedload(Organisation.local_authority),
        selectinload(Organisation.memberships).joinedload(Membership.user),
    ])
    return or_not_found(organisation, "Organisation not found")


def organisations_of(session: Session, organisation_ids: frozenset[int]) -> list[Organisation]:
    if not organisation_ids:
        return []
    return list(session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(organisation_ids))
        .options(joinedload(Organisation.local_authority))
        .order_by(Organisation.name)
    ))


def search_organisations(session: Session, *, name: str = "", page: int = 1) -> Page[Organisation]:
    """One page of every organisation (staff), filtered by a part of the name, and the total."""
    query = select(Organisation)
    name = name.strip()
    if name:
        query = query.where(func.lower(Organisation.name).contains(name.lower(),
                                                                   autoescape=True))
    return page_of(session, query.options(joinedload(Organisation.local_authority))
                   .order_by(Organisation.name, Organisation.id), page, PAGE_SIZE)


@dataclass(frozen=True)
class ApplicationsOf:
    """Organisations' applications, newest first, with why each not-eligible one is not
    eligible and how many questions from staff wait for each (by application id)."""

    applications: list[Application]
    ineligible_reasons: dict[int, str]
    questions_waiting: dict[int, int]


@functools.cache
def _applications_statement() -> Select:
    """The query of `applications_of`, built once (the dashboard runs it on every view)."""
    return (
        select(Application, ineligible_reason_column(),
               unanswered_count_column(Application.id))
        .where(Application.organisation_id.in_(bindparam("organisation_ids", expanding=True)))
        .options(
            # Only what the dashboard shows: an application's row also holds its long answers,
            # a round's its guidance.
            load_only(Application.title, Application.reference, Application.status,
                      Application.submitted_at, Application.created_at,
                      Application.organisation_id, Application.round_id),
            joinedload(Application.round).load_only(
                Round.title, Round.opens_at, Round.closes_at, *PUBLICATION_COLUMNS),
            joinedload(Application.organisation).load_only(Organisation.name))
        .order_by(Application.created_at.desc()))


def applications_of(session: Session, organisation_ids: frozenset[int]) -> ApplicationsOf:
    """The applications of the given organisations, newest first, in one query."""
    if not organisation_ids:
        return ApplicationsOf([], {}, {})
    rows = session.execute(_applications_statement(),
                           {"organisation_ids": list(organisation_ids)}).all()
    return ApplicationsOf(
        applications=[application for application, _, _ in rows],
        ineligible_reasons={application.id: reason for application, reason, _ in rows
                            if reason},
        questions_waiting={application.id: waiting for application, _, waiting in rows
                           if waiting})


def active_members(organisation: Organisation) -> list[Membership]:
    return sorted(
        (m for m in organisation.memberships if m.status is MembershipStatus.ACTIVE),
        key=lambda m: m.user.name.lower(),
    )


def pending_memberships(organisation: Organisation) -> list[Membership]:
    return [m for m in organisation.memberships if m.status is MembershipStatus.PENDING]


def current_local_authorities(session: Session) -> list[LocalAuthority]:
    """The councils that exist today, for choosing where an organisation is based."""
    return local_authorities_on(session, clock.today_in_london())


@functools.cache
def _told_awards_statement() -> Select:
    """The query of `told_awards`, built once (the dashboard runs it on every view)."""
    return (
        select(Award)
        .where(told_recipients(), or_(
            Award.application_id.in_(bindparam("application_ids", expanding=True)),
            and_(Award.organisation_id.in_(bindparam("organisation_ids", expanding=True)),
                 Award.application_id.is_(None))))
        .options(load_only(Award.title, Award.status, Award.amount_pence, Award.application_id,
                           Award.round_id, Award.organisation_id, Award.offered_at),
                 joinedload(Award.round).load_only(Round.title),
                 joinedload(Award.organisation).load_only(Organisation.name))
        .order_by(Award.offered_at.desc(), Award.id.desc()))


def told_awards(session: Session, organisation_ids: frozenset[int],
                applications: list[Application]) -> tuple[dict[int, Award], list[Award]]:
    """The awards of these organisations whose recipients have been told of them
    (`publicity.told_recipients`), in one query: those of the applications, by application id,
    and those made without an application (a High Sheriff's nomination, an allocation's share
    or top-slice), newest first. Unpublished awards are left out, so nothing gives them away."""
    ids = [a.id for a in applications]
    if not organisation_ids:
        return {}, []
    found = session.scalars(_told_awards_statement(), {
        "application_ids": ids, "organisation_ids": list(organisation_ids)}).all()
    on_applications = {award.application_id: award for award in found
                       if award.application_id is not None}
    return on_applications, [award for award in found if award.application_id is None]
