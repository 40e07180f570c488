"""One "remaining" figure and ties: money already committed counts against the budget first on
every page that draws the funding line, every page shows the same remaining figure, equal scores
share a rank, and a tie split across the funding line needs a recorded reason."""

import ast
import re

import pytest

from grants.assessment.operations import ranking
from grants.core.errors import ValidationFailed
from grants.decisions.models import DecisionOutcome
from grants.decisions.operations.board import board as decisions_board
from grants.decisions.operations.guard import decide
from grants.decisions.operations.proposal import propose_in_rank_order
from grants.decisions.operations.remaining import remaining_pence
from grants.decisions.operations.rules import DecisionInput, OverBudget
from grants.extensions import db
from grants.reports.operations import figures, selection
from grants.staff.operations.dashboard import rounds_dashboard
from tests.assessment.screening_data import words
from tests.awards.decisions_data import (  # noqa: F401  (fixed_clock is a fixture)
    PUBLIC_REASON,
    decided,
    deciding_round,
    declared,
    eligible,
    fixed_clock,
    staff_member,
)
from tests.fixtures import source

FULL = DecisionOutcome.AWARD_IN_FULL
DECLINE = DecisionOutcome.DECLINE

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def sam():
    return staff_member("Sam Staff")


@pytest.fixture
def pat():
    return staff_member("Pat Partner")


@pytest.fixture
def committed_round(sam):
    """Budget £6,000; rank 1 awarded £4,000; ranks 2 and 3 ask for £2,000 and £3,000."""
    round_ = deciding_round(budget_pence=600_000, max_award_pence=500_000)
    first = eligible(round_, 1, amount_pence=400_000)
    eligible(round_, 2, amount_pence=200_000)
    eligible(round_, 3, amount_pence=300_000)
    decided(sam, first, FULL)
    return round_


def test_the_ranking_counts_money_already_committed_against_the_budget(committed_round):
    rows = ranking.load_ranking(db.session, committed_round.id).rows
    assert [(row.rank, row.running_total_pence, row.within_budget) for row in rows] == [
        (1, 200_000, True), (2, 500_000, False)]


def test_the_what_if_line_runs_from_what_is_left(committed_round, sam):
    line = decisions_board(db.session, sam, committed_round.id).line
    assert line.remaining_pence == 200_000
    assert [(cut.rank, cut.cumulative_pence, cut.fits, cut.left_pence)
            for cut in line.cut_offs] == [(1, 200_000, True, 0), (2, 500_000, False, -300_000)]


def test_every_page_shows_the_same_remaining_figure_for_a_round(
        committed_round, sam, sign_in_as):
    round_ = committed_round
    remaining = remaining_pence(db.session, round_)
    assert remaining == 200_000
    client = sign_in_as(sam)

    def page(path: str) -> str:
        response = client.get(path)
        assert response.status_code == 200, path
        return words(response.get_data(as_text=True))

    ranking_page = page(f"/staff/rounds/{round_.id}/ranking")
    assert "Remaining £2,000" in ranking_page
    assert "The remaining budget covers the top 1 of 2 applications in full" in ranking_page
    board_page = page(f"/staff/rounds/{round_.id}/decisions")
    assert "Remaining £2,000" in board_page
    assert "(£2,000 of £6,000)" in board_page  # the what-if table's starting point
    assert "The remaining £2,000 covers the top 1 application (£2,000)" in board_page
    dashboard_page = page("/staff/?fund=all&year=2026/27")
    assert "£6,000 £4,000 £2,000" in dashboard_page  # budget, committed, remaining
    report_page = page(f"/staff/reports/rounds/{round_.id}")
    assert "Remaining £2,000" in report_page

    board = decisions_board(db.session, sam, round_.id)
    dashboard = rounds_dashboard(db.session, fund_code="all", year="2026/27")
    report = figures.report_figures(db.session,
                                    selection.round_selection(db.session, round_.code))
    shown = ranking.load_ranking(db.session, round_.id)
    assert {board.remaining_pence, board.line.remaining_pence, shown.remaining_pence,
            dashboard.rows[0].remaining_pence, report.remaining_pence} == {remaining}

    application = board.rows[2].application
    declared(sam, application)
    with pytest.raises(OverBudget) as refused:
        decide(db.session, sam, application, DecisionInput(public_reason=PUBLIC_REASON,
            outcome=FULL, reason="Strong", out_of_rank_reason="Reaches a rural area"))
    assert "Only £2,000 of the round's £6,000 budget is left" in str(refused.value)


# Subtractions of a budget that are not "budget − committed": the CSF formula's pot is the
# budget less the top-slice, and top_slice.py works out the top-slice from the budget.
FORMULA_POT = ("allocations/operations/listing.py",
               "round_.budget_pence - top_slice_pence(round_)")
FORMULA_MODULE = "allocations/operations/top_slice.py"
# A fund's ledger takes what rounds commit off the money paid in: its own one rule, checked by
# tests/ledger/test_one_rule.py.
LEDGER_MODULE = "ledger/operations/figures.py"


def test_no_code_but_the_one_rule_takes_committed_money_off_a_budget():
    found = []
    for module in source.modules():
        relative = module.relative
        if relative in ("decisions/operations/remaining.py", FORMULA_MODULE, LEDGER_MODULE):
            continue
        for node in module.nodes:
            if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub)):
                continue
            text = module.segment(node)
            left = module.segment(node.left).lower()
            right = module.segment(node.right).lower()
            if ((re.search(r"budget|allocation", left) or "committed" in right)
                    and (relative, text) != FORMULA_POT):
                found.append(f"{relative}: {text}")
    for path, template in source.templates():
        for line in template.splitlines():
            if re.search(r"(budget|allocation)_pence\s*-", line):
                found.append(f"{path.name}: {line.strip()}")
    assert found == []


# --- Ties -------------------------------------------------------------------------------------

@pytest.fixture
def tied_round(sam):
    """Budget £6,000: rank 1 asks £3,000; two applications tie at rank 2 for £2,000 each, so
    the line falls between them."""
    round_ = deciding_round(budget_pence=600_000, max_award_pence=500_000)
    eligible(round_, 1, amount_pence=300_000, score_tenths=800, moderator=sam)
    eligible(round_, 3, amount_pence=200_000, score_tenths=700, moderator=sam)
    eligible(round_, 2, amount_pence=200_000, score_tenths=700, moderator=sam)
    return round_


def test_equal_scores_share_a_rank_and_a_tie_across_the_line_is_flagged(
        tied_round, sam, sign_in_as):
    rows = ranking.rank_round(db.session, tied_round.id).rows
    assert [(row.application.reference[-1], row.rank_text, row.within_budget,
             row.tie_straddles) for row in rows] == [
        ("1", "1", True, False), ("2", "=2", True, True), ("3", "=2", False, True)]
    client = sign_in_as(sam)
    ranking_page = words(client.get(f"/staff/rounds/{tied_round.id}/ranking")
                         .get_data(as_text=True))
    assert "=2 (tied) Tied across the funding line" in ranking_page
    assert "Applications with equal scores fall on both sides of the funding line" \
        in ranking_page
    board_page = words(client.get(f"/staff/rounds/{tied_round.id}/decisions")
                       .get_data(as_text=True))
    assert "=2 (tied) Tied across the funding line" in board_page
    assert "Applications with equal scores fall on both sides of the funding line" \
        in board_page


def test_the_decision_page_of_a_tied_application_names_the_applications_it_is_tied_with(
        tied_round, sam, sign_in_as):
    first, tie_a, tie_b = ranking.rank_round(db.session, tied_round.id).rows
    for row in (first, tie_a):
        declared(sam, row.application)
    client = sign_in_as(sam)
    tied_page = words(client.get(f"/staff/applications/{tie_a.application.id}/decision")
                      .get_data(as_text=True))
    assert (f"Ranked =2: tied with {tie_b.application.reference}. Funding one of them and not "
            "another needs a recorded reason.") in tied_page
    first_page = words(client.get(f"/staff/applications/{first.application.id}/decision")
                       .get_data(as_text=True))
    assert "Ranked 1 in the round." in first_page and "tied with" not in first_page


def test_the_ranking_page_sorted_by_the_database_shows_the_same_ties(tied_round):
    from grants.assessment.operations.ranking_pages import load_ranking_page
    shown = load_ranking_page(db.session, tied_round.id, 1)
    assert [(row.rank_text, row.within_budget, row.tie_straddles)
            for row in shown.page.items] == [("1", True, False), ("=2", True, True),
                                             ("=2", False, True)]
    assert shown.tie_straddles and shown.remaining_pence == 600_000


def test_funding_one_of_a_tie_and_declining_the_other_needs_a_reason(tied_round, sam):
    first, tie_a, tie_b = ranking.rank_round(db.session, tied_round.id).rows
    decided(sam, first.application, FULL)
    # Funding one of the tie while the other waits splits nothing yet.
    assert decided(sam, tie_a.application, FULL).out_of_rank_reason == ""
    declared(sam, tie_b.application)
    with pytest.raises(ValidationFailed) as refused:
        decide(db.session, sam, tie_b.application, DecisionInput(public_reason=PUBLIC_REASON,
            outcome=DECLINE, reason="Budget spent", feedback="The budget ran out"))
    assert refused.value.errors == {"out_of_rank_reason": (
        "Enter why this application is declined out of rank order: "
        f"{tie_a.application.reference}, tied with this application, is funded")}
    db.session.rollback()
    decision = decided(sam, tie_b.application, DECLINE,
                       out_of_rank_reason="The other serves an area with no provision")
    assert decision.out_of_rank_reason == "The other serves an area with no provision"
    board = decisions_board(db.session, sam, tied_round.id)
    assert [row.row.tie_straddles for row in board.rows] == [False, True, True]


def test_the_proposal_leaves_a_tie_across_the_line_to_staff(tied_round, sam):
    for row in ranking.rank_round(db.session, tied_round.id).rows:
        declared(sam, row.application)
    proposal = propose_in_rank_order(db.session, sam, tied_round.id)
    assert [(item.row.rank_text, item.outcome, item.note) for item in proposal.items] == [
        ("1", FULL, "Funded in full, in rank order, within the round's budget"),
        ("=2", None, "Tied with another application across the funding line: decide it "
                     "yourself, with a reason"),
        ("=2", None, "Tied with another application across the funding line: decide it "
                     "yourself, with a reason")]


def test_a_tie_that_the_budget_covers_is_funded_in_full_by_the_proposal(sam):
    round_ = deciding_round(budget_pence=2_000_000)
    for number in (1, 2):
        declared(sam, eligible(round_, number, score_tenths=700, moderator=sam))
    proposal = propose_in_rank_order(db.session, sam, round_.id)
    assert [(item.row.rank_text, item.outcome) for item in proposal.items] == [
        ("=1", FULL), ("=1", FULL)]
