"""What the direct awards pages read: one direct award, a fund's direct awards a page at a
time, and the choices the recording form offers."""

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.areas.models import LocalAuthority
from grants.awards.models import Award
from grants.core import clock
from grants.core.errors import NotFound, or_not_found
from grants.core.paging import Page, page_of
from grants.direct_awards.models import DirectAward, DirectAwardKind
from grants.funds.models import Fund, Round
from grants.organisations.models import Organisation
from grants.plans.models import Plan, Priority

PAGE_SIZE = 25


def _with_award():
    return (joinedload(DirectAward.award).options(
                joinedload(Award.round).joinedload(Round.fund),
                joinedload(Award.organisation), joinedload(Award.priority),
                selectinload(Award.key_aims)),
            joinedload(DirectAward.recorded_by), joinedload(DirectAward.signed_off_by))


def direct_award_of(session: Session, award_id: int) -> DirectAward:
    """The direct award of the award with this id, with what its pages show; NotFound when
    the award is not a direct one (or there is none)."""
    direct = session.scalars(select(DirectAward).where(DirectAward.award_id == award_id)
                             .options(*_with_award())).unique().one_or_none()
    return or_not_found(direct, "There is no such direct award")


def delegated_award_of(session: Session, award_id: int) -> DirectAward:
    """The Community Foundation allocation of the award with this id; NotFound when the award
    is not one (or there is none)."""
    direct = direct_award_of(session, award_id)
    if direct.kind is not DirectAwardKind.DELEGATED:
        raise NotFound("There is no such Community Foundation allocation")
    return direct


def delegated_award_ids():
    """SQL: the ids of the awards that are Community Foundation allocations (granted onward):
    the one rule the reports and the 360Giving export ask."""
    return select(DirectAward.award_id).where(DirectAward.kind == DirectAwardKind.DELEGATED)


def get_fund(session: Session, fund_id: int) -> Fund:
    return or_not_found(session.get(Fund, fund_id), "There is no such fund")


def fund_direct_awards(session: Session, fund: Fund, page: int) -> Page[DirectAward]:
    """The fund's direct awards, the latest decided first, a page at a time: three queries
    whatever the page."""
    query = (select(DirectAward).join(DirectAward.award).join(Award.round)
             .where(Round.fund_id == fund.id)
             .options(*_with_award())
             .order_by(Award.awarded_on.desc(), DirectAward.recorded_at.desc(),
                       DirectAward.award_id.desc()))
    return page_of(session, query, page, PAGE_SIZE, within=True)


def organisation_choices(session: Session) -> list[tuple[int, str]]:
    """Every organisation, by name, as (id, name)."""
    return [(organisation_id, name) for organisation_id, name in session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name, Organisation.id))]


def area_choices(session: Session) -> list[LocalAuthority]:
    """The councils' areas in use today, by name."""
    today = clock.today_in_london()
    return [authority for authority in session.scalars(
        select(LocalAuthority).order_by(LocalAuthority.name)) if authority.is_current_on(today)]


def priority_choices(session: Session) -> list[Priority]:
    """The current plan's priorities still in use, with their key aims."""
    return list(session.scalars(
        select(Priority).join(Plan).where(Plan.is_current, Priority.retired_at.is_(None))
        .options(selectinload(Priority.key_aims)).order_by(Priority.number)))
