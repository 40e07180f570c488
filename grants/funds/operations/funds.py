"""Funds: listing them, and adding or changing one."""

import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.core.errors import ValidationFailed, or_not_found
from grants.funds.models import MAX_FUND_CODE_LENGTH, MAX_NAME_LENGTH, Fund, Round
from grants.offices.models import Office
from grants.offices.operations.reading import the_only_office
from grants.records.operations.audit import record_changes, record_event

logger = logging.getLogger(__name__)

FUND_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")


@dataclass(frozen=True)
class FundDetails:
    code: str
    name: str
    description: str = ""
    eligible_recipients: str = ""
    legal_basis: str = ""
    budgets_limited_by_money_paid_in: bool = False


@dataclass(frozen=True)
class FundSummary:
    fund: Fund
    rounds: int


def list_funds(session: Session) -> list[FundSummary]:
    """Every fund, by code, with how many rounds it has (one query)."""
    rows = session.execute(
        select(Fund, func.count(Round.id))
        .outerjoin(Round, Round.fund_id == Fund.id)
        .group_by(Fund.id)
        .order_by(Fund.code)
    )
    return [FundSummary(fund=fund, rounds=count) for fund, count in rows]


def get_fund(session: Session, fund_id: int) -> Fund:
    return or_not_found(session.get(Fund, fund_id), "There is no such fund")


def fund_by_code(session: Session, code: str) -> Fund | None:
    return session.scalars(select(Fund).where(Fund.code == code.strip().upper())).one_or_none()


def _fund_errors(session: Session, details: FundDetails, fund: Fund | None) -> dict[str, str]:
    errors = {}
    if not details.code:
        errors["code"] = "Enter a fund code, like PPAF"
    elif len(details.code) > MAX_FUND_CODE_LENGTH:
        errors["code"] = f"Fund code must be {MAX_FUND_CODE_LENGTH} characters or fewer"
    elif not FUND_CODE.match(details.code):
        errors["code"] = ("Fund code must start with a capital letter and use only capital "
                          "letters, digits and hyphens, like PPAF")
    else:
        other = fund_by_code(session, details.code)
        if other is not None and other is not fund:
            errors["code"] = f"There is already a fund with the code {details.code}"
    if not details.name:
        errors["name"] = "Enter the fund's name"
    elif len(details.name) > MAX_NAME_LENGTH:
        errors["name"] = f"Name must be {MAX_NAME_LENGTH} characters or fewer"
    return errors


def _fund_snapshot(fund: Fund) -> dict[str, Any]:
    return {"code": fund.code, "name": fund.name, "description": fund.description,
            "eligible_recipients": fund.eligible_recipients, "legal_basis": fund.legal_basis,
            "budgets_limited_by_money_paid_in": fund.budgets_limited_by_money_paid_in}


def create_fund(session: Session, details: FundDetails, *, actor_id: int | None,
                office_id: int | None = None) -> Fund:
    """A new fund of the office (the creating staff member's; without one, the service's one
    office)."""
    errors = _fund_errors(session, details, None)
    if errors:
        raise ValidationFailed(errors)
    office = (session.get_one(Office, office_id) if office_id is not None
              else the_only_office(session))
    fund = Fund(**details.__dict__, office=office)
    session.add(fund)
    session.flush()
    record_event(session, actor_id=actor_id, action="fund.created", entity_type="fund",
                 entity_id=fund.id, after=_fund_snapshot(fund))
    logger.info("fund %s created as %s", fund.id, fund.code)
    return fund


def update_fund(session: Session, fund: Fund, details: FundDetails, *,
                actor_id: int | None) -> Fund:
    errors = _fund_errors(session, details, fund)
    if errors:
        raise ValidationFailed(errors)
    before = _fund_snapshot(fund)
    for name, value in details.__dict__.items():
        setattr(fund, name, value)
    session.flush()
    record_changes(session, "fund.updated", "fund", fund.id, before, _fund_snapshot(fund),
                   actor_id)
    return fund
