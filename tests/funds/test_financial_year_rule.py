"""A round's financial year is stated on the round, and every page, report, export and code
reads it there: none works it out again from the round's dates."""

import ast
from datetime import UTC, date, datetime

from grants.awards.models import AwardStatus
from grants.core.formatting import format_london_datetime
from grants.funds.operations.codes import suggest_round_code
from grants.opendata.operations import export, register
from grants.reports.operations import figures, selection
from grants.staff.operations.dashboard import rounds_dashboard
from tests.fixtures import source

# The only calls that turn a day into a financial year: the round's default (from its opening
# date, in funds/models.py), the dashboard's "this year" (from the clock), and money's year in
# a fund's ledger.
ALLOWED_DERIVATIONS = {
    ("funds/models.py", "clock.financial_year_of(clock.to_london(opens_at).date())"),
    ("staff/operations/dashboard.py", "clock.financial_year_of(clock.to_london(now).date())"),
    # The Police and Crime Plan's first year (a plan's, not a round's), for "Year 3" stamps.
    ("reports/operations/plan_period.py", "clock.financial_year_of(plan.valid_from)"),
    # Money's year by the day it moved (paid in, paid out, paid back): a ledger's, not a
    # round's.
    ("ledger/models.py", "clock.financial_year_of(day)"),
    # The years an awards ceremony may be for, this year first: a ceremony's, not a round's.
    ("ceremonies/operations/planning.py", "clock.financial_year_of(today)"),
}


def _derivations() -> set[tuple[str, str]]:
    found = set()
    for module in source.modules():
        for node in module.nodes:
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                    node.func, "id", "")
                if name == "financial_year_of":
                    found.add((module.relative, ast.unparse(node)))
    return found


def test_no_code_works_a_rounds_financial_year_out_from_its_dates_but_the_default():
    assert _derivations() == ALLOWED_DERIVATIONS


def test_no_code_picks_a_years_rounds_by_their_closing_or_opening_times():
    offending = []
    for module in source.modules():
        for number, line in enumerate(module.text.splitlines(), 1):
            by_dates = any(f"Round.{column} {sign}" in line for column in ("opens_at", "closes_at")
                           for sign in ("<", ">"))
            if "financial_year_bounds" in line or (by_dates and "year" in line.lower()):
                offending.append(f"{module.relative}:{number}: {line.strip()}")
    assert offending == []


def test_a_round_closing_at_midnight_into_april_stays_in_its_stated_year_everywhere(
    db_session, round_factory, award_factory, ppaf
):
    # Opens in March 2027 and closes at 00:30 BST on 1 April 2027: by its closing time it
    # would be 2027/28, but it belongs to 2026/27.
    round_ = round_factory(
        fund=ppaf, code="PPAF-2026-1", opens_at=datetime(2027, 3, 1, 9, tzinfo=UTC),
        closes_at=datetime(2027, 3, 31, 23, 30, tzinfo=UTC),
        launched_at=datetime(2027, 2, 1, tzinfo=UTC),
        decisions_published_at=datetime(2027, 5, 1, tzinfo=UTC))
    award_factory(round=round_, status=AwardStatus.OFFERED, amount_pence=500_000,
                  awarded_on=date(2027, 5, 1))
    db_session.flush()
    assert round_.financial_year == "2026/27"

    report = figures.report_figures(db_session, selection.year_selection(db_session, "2026/27"))
    assert (report.awards, report.amount_awarded_pence) == (1, 500_000)
    assert figures.report_figures(
        db_session, selection.year_selection(db_session, "2027/28")).awards == 0
    assert selection.selection_choices(db_session)[2] == ["2026/27"]

    assert [row.round for row in rounds_dashboard(
        db_session, fund_code="all", year="2026/27").rows] == [round_]
    assert rounds_dashboard(db_session, fund_code="all", year="2027/28").rows == []

    assert register.register_choices(db_session).years == ["2026/27"]
    assert export.count_awards(db_session, export.Selection(year="2026/27")) == 1
    assert export.count_awards(db_session, export.Selection(year="2027/28")) == 0

    assert suggest_round_code(db_session, ppaf, round_.financial_year) == "PPAF-2026-2"


def test_the_end_of_a_day_is_shown_as_1159pm():
    end_of_day = datetime(2027, 3, 31, 22, 59, 59, tzinfo=UTC)  # 23:59:59 BST

    assert format_london_datetime(end_of_day) == "11:59pm on 31 March 2027 (BST)"
