"""A round's own fields: creating a draft round, and changing its title, dates and money."""

import logging
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.awards.operations.committed import committed_pence
from grants.core import clock
from grants.core.errors import ValidationFailed
from grants.core.formatting import format_london_datetime
from grants.core.locks import lock_row
from grants.core.money import format_pounds
from grants.funds.models import (
    MAX_NAME_LENGTH,
    MAX_ROUND_CODE_LENGTH,
    SET_UP_BY_STAFF,
    Fund,
    MonitoringSchedule,
    Round,
    RoundKind,
    RoundOrganisationType,
    default_financial_year,
)
from grants.funds.operations.codes import code_for_draft, suggest_round_code
from grants.funds.operations.history import round_snapshot
from grants.interest.operations.stage import stage_date_errors
from grants.ledger.operations.guard import check_budget_fits
from grants.offices.operations.scoping import EVERY_OFFICE
from grants.records.operations.audit import record_changes, record_event

logger = logging.getLogger(__name__)

ROUND_CODE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")


@dataclass(frozen=True)
class RoundSettings:
    """A round's own fields as staff type them (money in pence, times aware UTC)."""

    title: str
    kind: RoundKind
    opens_at: datetime
    closes_at: datetime
    budget_pence: int
    min_award_pence: int | None = None
    max_award_pence: int | None = None
    guidance: str = ""
    code: str = ""  # blank: the suggested code
    financial_year: str = ""  # "2026/27"; blank: that of the opening date

    @classmethod
    def of(cls, round_: Round) -> "RoundSettings":
        return cls(title=round_.title, kind=round_.kind, opens_at=round_.opens_at,
                   closes_at=round_.closes_at, budget_pence=round_.budget_pence,
                   min_award_pence=round_.min_award_pence,
                   max_award_pence=round_.max_award_pence, guidance=round_.guidance,
                   code=round_.code, financial_year=round_.financial_year)

    @property
    def year(self) -> str:
        """The financial year the round will belong to: as stated, else the opening date's."""
        return self.financial_year or default_financial_year(self.opens_at)

    def columns(self) -> dict[str, Any]:
        """What the round's own columns hold once these settings are saved (its code apart)."""
        return {"title": self.title.strip(), "kind": self.kind, "opens_at": self.opens_at,
                "closes_at": self.closes_at, "financial_year": self.year,
                "budget_pence": self.budget_pence, "min_award_pence": self.min_award_pence,
                "max_award_pence": self.max_award_pence, "guidance": self.guidance.strip()}


def title_errors(settings: RoundSettings) -> dict[str, str]:
    if not settings.title.strip():
        return {"title": "Enter the round's title"}
    if len(settings.title) > MAX_NAME_LENGTH:
        return {"title": f"Title must be {MAX_NAME_LENGTH} characters or fewer"}
    return {}


def _code_errors(session: Session, code: str, round_: Round | None) -> dict[str, str]:
    if not code:
        return {}
    if len(code) > MAX_ROUND_CODE_LENGTH:
        return {"code": f"Round code must be {MAX_ROUND_CODE_LENGTH} characters or fewer"}
    if not ROUND_CODE.match(code):
        return {"code": "Round code must use only capital letters, digits and single hyphens, "
                        "like PPAF-2026-1"}
    # A round's code is unique across every office (it is its public address).
    other = session.scalars(select(Round).where(Round.code == code)
                            .execution_options(**EVERY_OFFICE)).one_or_none()
    if other is not None and other is not round_:
        return {"code": f"Another round already has the code {code}"}
    return {}


def money_errors(settings: RoundSettings) -> dict[str, str]:
    """Minimum, maximum and budget in order; open rounds must give both award limits."""
    errors = {}
    low, high, budget = settings.min_award_pence, settings.max_award_pence, settings.budget_pence
    if settings.kind is RoundKind.OPEN:
        if low is None:
            errors["min_award"] = "Enter the minimum award for an open round"
        if high is None:
            errors["max_award"] = "Enter the maximum award for an open round"
    if low is not None and high is not None and low > high:
        errors["min_award"] = (f"The minimum award must be no more than the maximum award "
                               f"({format_pounds(high)})")
    if high is not None and high > budget:
        errors["max_award"] = (f"The maximum award must be no more than the budget "
                               f"({format_pounds(budget)})")
    return errors


def date_errors(settings: RoundSettings) -> dict[str, str]:
    if settings.closes_at <= settings.opens_at:
        return {"closes_at": "The closing date and time must be after the opening date and time"}
    return {}


# A round's money may come from the year before its opening or the year after its closing,
# but not from further off: a year further off is a slip of the keyboard.
YEARS_EITHER_SIDE = 1


def financial_year_errors(settings: RoundSettings) -> dict[str, str]:
    """The stated financial year is one ("2026/27") and near the round's dates."""
    if not settings.financial_year:
        return {}
    try:
        start = clock.financial_year_start(settings.financial_year)
    except ValueError:
        return {"financial_year": "Enter the financial year as 4 digits, a slash and 2 digits, "
                                  "like 2026/27"}
    if settings.closes_at <= settings.opens_at:
        return {}
    earliest = clock.financial_year_start(default_financial_year(settings.opens_at))
    latest = clock.financial_year_start(default_financial_year(settings.closes_at))
    earliest, latest = earliest - YEARS_EITHER_SIDE, latest + YEARS_EITHER_SIDE
    if not earliest <= start <= latest:
        return {"financial_year": (
            f"The financial year must be from {earliest}/{(earliest + 1) % 100:02d} to "
            f"{latest}/{(latest + 1) % 100:02d}, near the round's opening and closing dates")}
    return {}


def _launched_errors(settings: RoundSettings, round_: Round) -> dict[str, str]:
    """What may no longer change once a round is launched, and only later closing after that."""
    if round_.launched_at is None:
        return {}
    errors = {}
    frozen = (
        ("code", settings.code != round_.code, "The round code"),
        ("financial_year", settings.year != round_.financial_year, "The financial year"),
        ("kind", settings.kind is not round_.kind, "The kind of round"),
        ("opens_at", settings.opens_at != round_.opens_at, "The opening date and time"),
        ("min_award", settings.min_award_pence != round_.min_award_pence, "The minimum award"),
        ("max_award", settings.max_award_pence != round_.max_award_pence, "The maximum award"),
    )
    for field, changed, what in frozen:
        if changed:
            errors[field] = f"{what} cannot change once the round is launched"
    if settings.closes_at != round_.closes_at:
        if round_.assessing_at is not None:
            errors["closes_at"] = "The closing date cannot change once assessment has started"
        elif settings.closes_at < round_.closes_at:
            errors["closes_at"] = ("Once the round is launched its closing date can only move "
                                   f"later than {format_london_datetime(round_.closes_at)}")
    return errors


def _budget_errors(session: Session, settings: RoundSettings, round_: Round) -> dict[str, str]:
    """A budget never goes below what is committed to awards or allocated to counties."""
    if settings.budget_pence >= round_.budget_pence:
        return {}
    committed = committed_pence(session, round_.id)
    if settings.budget_pence < committed:
        return {"budget": f"The budget cannot be less than the {format_pounds(committed)} "
                          "already committed to awards"}
    allocated = sum(a.amount_pence for a in round_.county_allocations)
    if settings.kind is RoundKind.NOMINATION and settings.budget_pence < allocated:
        return {"budget": f"The budget cannot be less than the {format_pounds(allocated)} "
                          "allocated to counties"}
    return {}


# A fund's direct awards of a year are a round the service keeps (grants.direct_awards): its
# budget is what its awards commit, so nobody sets it up or changes it by hand.
DIRECT_AWARDS_KEPT = ("A fund's direct awards are recorded one by one from the fund's page, "
                      "and the round that holds them does not change by hand")


def round_settings_errors(session: Session, settings: RoundSettings,
                          round_: Round | None = None) -> dict[str, str]:
    """Every rule a round's own fields break, by form field (empty when none)."""
    errors: dict[str, str] = {}
    if settings.kind not in SET_UP_BY_STAFF:
        errors["kind"] = DIRECT_AWARDS_KEPT
    errors.update(title_errors(settings))
    errors.update(_code_errors(session, settings.code, round_))
    errors.update(date_errors(settings))
    errors.update(financial_year_errors(settings))
    errors.update(money_errors(settings))
    if round_ is not None:
        errors.update(_budget_errors(session, settings, round_))
        errors.update(_launched_errors(settings, round_))
        if "closes_at" not in errors:
            # A round with an expression-of-interest stage keeps it within its dates.
            errors.update(stage_date_errors(settings.opens_at, settings.closes_at,
                                            round_.interest_closes_at, "closes_at"))
    return errors


def validate_round(session: Session, settings: RoundSettings, round_: Round | None = None
                   ) -> None:
    errors = round_settings_errors(session, settings, round_)
    if errors:
        raise ValidationFailed(errors)




def create_round(session: Session, fund: Fund, settings: RoundSettings, *,
                 actor_id: int | None) -> Round:
    """A new draft round of the fund; a blank code becomes the suggested one. Its budget must
    fit within the money available to the fund in its year, when the fund is so limited."""
    validate_round(session, settings)
    check_budget_fits(session, fund.id, settings.year, settings.budget_pence)
    round_ = Round(fund=fund, code=settings.code or suggest_round_code(
        session, fund, settings.year), **settings.columns())
    if settings.kind is RoundKind.ALLOCATION:
        # Councils and partnerships send twice-yearly returns on their allocations.
        round_.monitoring = MonitoringSchedule.TWICE_YEARLY
    if settings.kind is RoundKind.NOMINATION:
        # Who a High Sheriff may nominate starts as the fund's usual recipients.
        round_.organisation_type_rows = [RoundOrganisationType(organisation_type=kind)
                                         for kind in fund.default_organisation_types]
    session.add(round_)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.created", entity_type="round",
                 entity_id=round_.id, after=round_snapshot(round_))
    logger.info("round %s created as %s with budget %d pence", round_.id, round_.code,
                round_.budget_pence)
    return round_


def update_round(session: Session, round_: Round, settings: RoundSettings, *,
                 actor_id: int | None) -> Round:
    """Change a round's own fields. A blank code on a draft becomes the suggested one. A rise
    in its budget (or a move to another year) must fit within the money available to the fund,
    when the fund is so limited."""
    round_ = lock_row(session, Round, round_.id)
    if not settings.code and round_.launched_at is None and not financial_year_errors(settings):
        settings = replace(settings, code=code_for_draft(session, round_, settings.year))
    validate_round(session, settings, round_)
    check_budget_fits(session, round_.fund_id, settings.year, settings.budget_pence,
                      round_=round_)
    before = round_snapshot(round_)
    round_.code = settings.code
    for name, value in settings.columns().items():
        setattr(round_, name, value)
    session.flush()
    record_changes(session, "round.updated", "round", round_.id, before,
                   round_snapshot(round_), actor_id)
    if before["budget_pence"] != round_.budget_pence:
        logger.info("round %s budget changed from %d to %d pence", round_.id,
                    before["budget_pence"], round_.budget_pence)
    return round_
