"""The public register of awards: public awards a page at a time, and the filters' choices."""

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.applications.models import Application
from grants.areas.models import LocalAuthority
from grants.awards.models import Award
from grants.awards.operations.public_reasons import NOT_RECORDED
from grants.awards.operations.publicity import public_awards
from grants.core import data_version
from grants.core.paging import Page, number_within, start_of
from grants.funds.models import Fund, Round, financial_years_with_rounds
from grants.offices.operations.speaking import OfficeFacts, office_of_request
from grants.opendata.operations.export import (
    WHOLE_THAMES_VALLEY,
    Selection,
    count_awards,
    counted_awards,
)
from grants.opendata.operations.threesixty import (
    award_areas,
    award_date,
    award_description,
    award_priority,
    award_title,
)
from grants.plans.models import Plan, Priority

logger = logging.getLogger(__name__)

PAGE_SIZE = 25


@dataclass(frozen=True)
class RegisterRow:
    """What the register shows of one award: nothing about people."""

    recipient: str
    amount_pence: int
    awarded_on: date
    round_title: str
    fund_name: str
    purpose: str
    description: str
    conditions: str
    reason: str
    priority: str
    areas: list[str]


@dataclass(frozen=True)
class Choices:
    years: list[str]
    funds: list[tuple[str, str]]
    priorities: list[tuple[int, str]]
    areas: list[tuple[str, str]]


def _row(award: Award, office: OfficeFacts) -> RegisterRow:
    whole, areas = award_areas(award)
    names = ([f"All of {office.short_name}"] if whole else []) + sorted(a.name for a in areas)
    priority = award_priority(award)
    return RegisterRow(
        recipient=award.organisation.name, amount_pence=award.amount_pence,
        awarded_on=award_date(award), round_title=award.round.title,
        fund_name=award.round.fund.name, purpose=award_title(award),
        description=award_description(award),
        conditions=award.conditions.strip() or NOT_RECORDED,
        reason=award.public_reason.strip() or NOT_RECORDED,
        priority=f"{priority.code} {priority.title}" if priority else "",
        areas=names)


def register_page(session: Session, selection: Selection, page: int) -> Page[RegisterRow]:
    """One page of counted awards, newest round first (a page past the last is the last):
    the same queries whatever the page; kept until the data changes
    (`grants.core.data_version`)."""
    return data_version.kept(session, ("register page", selection, page),
                             lambda: _work_out_page(session, selection, page))


def _work_out_page(session: Session, selection: Selection, page: int) -> Page[RegisterRow]:
    total = count_awards(session, selection)
    page = number_within(page, total, PAGE_SIZE)
    newest_first = (Round.closes_at.desc(), Award.awarded_on.desc(), Award.id.desc())
    # The page's ids first, from narrow rows the round's closing-date index reads in order;
    # joining every counted award's wide rows before sorting took half a second at 28,000.
    # A join, not IN (...): PostgreSQL plans IN as a semi join after joining every award.
    page_ids = (
        counted_awards(selection).order_by(None).with_only_columns(Award.id)
        .order_by(*newest_first).offset(start_of(page, PAGE_SIZE)).limit(PAGE_SIZE)
    ).subquery()
    query = (
        select(Award).join(page_ids, page_ids.c.id == Award.id).join(Award.round)
        .order_by(*newest_first)
        .options(
            joinedload(Award.round).joinedload(Round.fund),
            joinedload(Award.organisation),
            joinedload(Award.priority),
            selectinload(Award.areas),
            joinedload(Award.application).options(
                selectinload(Application.areas), joinedload(Application.primary_priority)),
        )
    )
    awards = session.scalars(query).unique().all()
    office = office_of_request(session)
    return Page(items=[_row(a, office) for a in awards], total=total, number=page, size=PAGE_SIZE)


def register_choices(session: Session) -> Choices:
    """The filters' options: years and funds with counted awards, priorities, councils; kept
    until the data changes."""
    return data_version.kept(session, "register choices", lambda: _work_out_choices(session))


def _work_out_choices(session: Session) -> Choices:
    # A probe of each round's awards, not a join of every award.
    years = financial_years_with_rounds(session, select(Award.id).where(
        Award.round_id == Round.id, public_awards()).exists())
    funds = [(code, name) for code, name in session.execute(
        select(Fund.code, Fund.name).order_by(Fund.name))]
    priorities = [
        (priority.id, f"{priority.code} {priority.title} ({plan_code})")
        for priority, plan_code in session.execute(
            select(Priority, Plan.code).join(Priority.plan)
            .order_by(Plan.valid_from.desc(), Priority.number))]
    areas = [(WHOLE_THAMES_VALLEY, f"All of {office_of_request(session).short_name}")] + [
        (gss, name) for gss, name in session.execute(
            select(LocalAuthority.gss_code, LocalAuthority.name)
            .order_by(func.lower(LocalAuthority.name)))]
    return Choices(years=years, funds=funds, priorities=priorities, areas=areas)
