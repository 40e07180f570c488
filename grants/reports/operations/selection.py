"""What a report covers: one round, or the rounds of a financial year of one fund or all;
how it is named in addresses and files, and the choices staff pick a report from.

A round or fund that does not exist is NotFound (a report's address names no report); the
reports page's chooser and the CLI turn that into a refusal of the value given.
"""

import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload

from grants.core import clock
from grants.core.errors import NotFound, Refusal
from grants.funds.models import Fund, Round, financial_years_with_rounds

logger = logging.getLogger(__name__)

_YEAR = re.compile(r"^([0-9]{4})[/-]([0-9]{2})$")


class ReportError(Refusal):
    """What was asked for cannot be reported on, e.g. a badly written financial year."""


@dataclass(frozen=True)
class Selection:
    """One round, or the rounds of a financial year (as the rounds state it) of one fund or
    all; with `first_year`, the rounds of every year from that one to `year` (a plan's
    period so far)."""

    round: Round | None = None
    year: str | None = None
    fund: Fund | None = None
    first_year: str | None = None

    @property
    def years(self) -> str:
        """"2019/20", or "2017/18 to 2019/20" over several years."""
        if self.first_year and self.first_year != self.year:
            return f"{self.first_year} to {self.year}"
        return self.year or ""

    @property
    def title(self) -> str:
        if self.round is not None:
            return f"{self.round.title} ({self.round.code})"
        return f"{self.fund.name if self.fund else 'All funds'}, {self.years}"

    @property
    def awards_named(self) -> str:
        """Whose awards the report counts, as its figures' labels say it."""
        if self.round is not None:
            return "this round's awards"
        return "these years' awards" if self.years != self.year else "this year's awards"

    @property
    def year_slug(self) -> str:
        """The year as it is written in addresses and file names: "2019-20"."""
        return (self.year or "").replace("/", "-")

    @property
    def file_stem(self) -> str:
        if self.round is not None:
            return f"report-{self.round.code}"
        return f"report-{self.year_slug}-{self.fund.code if self.fund else 'all-funds'}"

    @property
    def kind(self) -> str:
        """How the rounds are picked, which settles the shape of the report's queries."""
        if self.round is not None:
            return "round"
        if self.first_year is not None:
            return "fund years" if self.fund is not None else "years"
        return "fund year" if self.fund is not None else "year"

    def parameters(self) -> dict[str, Any]:
        """The values of the bound parameters of the kind's round clauses."""
        if self.round is not None:
            return {"round_id": self.round.id}
        fund = {"fund_id": self.fund.id} if self.fund is not None else {}
        first = {"first_year": self.first_year} if self.first_year is not None else {}
        return {"year": self.year, **first, **fund}

    def round_clauses(self) -> list[Any]:
        """The WHERE clauses on Round that pick the rounds reported on."""
        return round_clauses_of(self.kind, self.parameters())


def round_clauses_of(kind: str, values: dict[str, Any] | None = None) -> list[Any]:
    """The WHERE clauses on Round of a kind of selection, with `values` bound, or with their
    values left to bind when a query runs."""

    def value(name: str):
        return bindparam(name) if values is None else bindparam(name, values[name])

    if kind == "round":
        return [Round.id == value("round_id")]
    if kind in ("years", "fund years"):
        # Years written "2019/20" sort as the years they name.
        clauses = [Round.financial_year.between(value("first_year"), value("year"))]
    else:
        clauses = [Round.financial_year == value("year")]
    if kind in ("fund year", "fund years"):
        clauses.append(Round.fund_id == value("fund_id"))
    return clauses


def parse_year(text: str | None) -> str:
    """A financial year written "2019/20" (or "2019-20", as in addresses) as "2019/20"."""
    value = (text or "").strip()
    match = _YEAR.match(value)
    if match is None:
        raise ReportError("Write the financial year as 4 digits, a slash and 2 digits, like "
                          "2019/20", field="year")
    label = f"{match[1]}/{match[2]}"
    try:
        clock.financial_year_start(label)
    except ValueError:
        raise ReportError(f"{value} is not a financial year: the second year must be the one "
                          "after the first, like 2019/20", field="year") from None
    return label


def round_selection(session: Session, reference: str | int) -> Selection:
    """The report of one round, named by its id or its code, with its fund, which the
    report's heading names (joined, rather than a query of its own)."""
    text = str(reference).strip()
    round_ = None
    with_fund = joinedload(Round.fund)
    if text.isdigit():
        round_ = session.get(Round, int(text), options=[with_fund])
    if round_ is None and text:
        round_ = session.scalar(select(Round).options(with_fund)
                                .where(func.upper(Round.code) == text.upper()))
    if round_ is None:
        raise NotFound(f"There is no round with the id or code {text!r}")
    return Selection(round=round_)


def year_selection(session: Session, year: str | None, fund_code: str | None = None
                   ) -> Selection:
    """The report of a financial year's rounds, of the fund with this code or of every fund."""
    label = parse_year(year)
    fund = None
    if fund_code:
        fund = session.scalar(select(Fund).where(func.upper(Fund.code)
                                                 == fund_code.strip().upper()))
        if fund is None:
            raise NotFound(f"There is no fund with the code {fund_code.strip()!r}")
    return Selection(year=label, fund=fund)


def addressed_year_selection(session: Session, year: str, fund_code: str | None = None
                             ) -> Selection:
    """The report a year page's address names ("2019-20", and a fund code or none): an
    address whose year is not a financial year names no report, so it is NotFound too."""
    try:
        label = parse_year(year)
    except ReportError as error:
        raise NotFound(error.message) from None
    return year_selection(session, label, fund_code)


def chosen_round(session: Session, reference: str) -> Selection:
    """The round chosen on the reports page; a choice naming no round is refused."""
    try:
        return round_selection(session, reference)
    except NotFound:
        raise ReportError("Choose a round", field="round") from None


def chosen_year(session: Session, year: str, fund_code: str | None) -> Selection:
    """The year and fund chosen on the reports page; a fund that does not exist is refused
    on the fund field, a badly written year on the year field."""
    try:
        return year_selection(session, year, fund_code)
    except NotFound as error:
        raise ReportError(error.message, field="fund") from None


def selection_choices(session: Session) -> tuple[list[Round], list[Fund], list[str]]:
    """What staff choose a report from: every round (newest first), fund and year with
    rounds. Three queries."""
    rounds = list(session.scalars(select(Round).order_by(Round.closes_at.desc(), Round.code)))
    funds = list(session.scalars(select(Fund).order_by(Fund.code)))
    return rounds, funds, financial_years_with_rounds(session)
