"""Fixtures for a fund's money: a PPAF whose budgets are limited by the money paid in, money
paid into it, and rounds, awards, payments and repayments of it."""

from datetime import date

import pytest

from grants.accounts.models import Role
from grants.awards.models import Payment, PaymentStatus
from grants.ledger.operations.paid_in import PaidInEntry, add_entry
from grants.monitoring.models import Repayment
from tests.funds.conftest import (  # noqa: F401  (fixtures used by name)
    NOW,
    audit_actions,
    now,
    staff,
    staff_client,
)


@pytest.fixture
def ppaf(fund_factory):
    return fund_factory(code="PPAF", name="Police Property Act Fund",
                        budgets_limited_by_money_paid_in=True)


@pytest.fixture
def csf(fund_factory):
    return fund_factory(code="CSF", name="Community Safety Fund")


@pytest.fixture
def pay_in(db_session, ppaf):
    """`pay_in(pounds, received_on, fund=…, year=…)`: money recorded as paid into the fund,
    and committed, as the factories commit theirs (a refused request rolls back only its own)."""

    def _pay_in(pounds: int, received_on: date, *, fund=None, year: str = "",
                reference: str | None = None):
        entry = PaidInEntry(received_on=received_on, amount_pence=pounds * 100,
                            source="Proceeds of property",
                            reference=reference or f"Proceeds of property, {received_on}",
                            financial_year=year)
        added = add_entry(db_session, fund or ppaf, entry, actor_id=None)
        db_session.commit()
        return added

    return _pay_in


@pytest.fixture
def ppaf_round(round_factory, ppaf):
    """`ppaf_round(year, pounds, fund=…)`: a round of the fund in the year, with that budget."""

    def _round(year: str, pounds: int, *, fund=None, **values):
        values = {"min_award_pence": 1, "max_award_pence": min(pounds * 100, 500_000),
                  **values}
        return round_factory(fund=fund or ppaf, financial_year=year, budget_pence=pounds * 100,
                             **values)

    return _round


@pytest.fixture
def finance(user_factory):
    """Two members of staff: one records payments, the other approves them."""
    return (user_factory(roles=[Role.STAFF], name="Rec Order"),
            user_factory(roles=[Role.STAFF], name="Ap Prover"))


@pytest.fixture
def pay_out(db_session, award_factory, finance):
    """`pay_out(round_, pounds, paid_on, status=…)`: a payment of an award of the round."""

    def _pay_out(round_, pounds: int, paid_on: date, *,
                 status: PaymentStatus = PaymentStatus.APPROVED, award=None):
        award = award or award_factory(round=round_, amount_pence=pounds * 100)
        recorder, approver = finance
        payment = Payment(award=award, amount_pence=pounds * 100, paid_on=paid_on,
                          reference="BACS", status=status, recorded_by_id=recorder.id,
                          approved_by_id=approver.id if status is PaymentStatus.APPROVED
                          else None)
        db_session.add(payment)
        db_session.flush()
        return payment

    return _pay_out


@pytest.fixture
def pay_back(db_session, finance):
    """`pay_back(award, pounds, received_on)`: money a recipient paid back."""

    def _pay_back(award, pounds: int, received_on: date):
        repayment = Repayment(award_id=award.id, amount_pence=pounds * 100,
                              received_on=received_on, recorded_by_id=finance[0].id)
        db_session.add(repayment)
        db_session.flush()
        return repayment

    return _pay_back
