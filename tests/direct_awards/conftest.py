"""Fixtures for direct awards: a PPAF limited by the money paid into it, the current plan, an
organisation with a contact, two members of staff (one records, the other signs off) and a
direct award as staff type it. The clock stands at noon on 1 June 2026 (2026/27)."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.direct_awards.models import DecisionMaker
from grants.direct_awards.operations.recording import DirectAwardEntry, record_direct_award
from grants.direct_awards.operations.signing_off import sign_off_direct_award
from grants.ledger.operations.paid_in import PaidInEntry, add_entry
from grants.plans.models import KeyAim
from tests.funds.conftest import (  # noqa: F401  (fixtures used by name)
    NOW,
    audit_actions,
    now,
)

YEAR = "2026/27"


@pytest.fixture
def ppaf(fund_factory):
    return fund_factory(code="PPAF", name="Police Property Act Fund",
                        budgets_limited_by_money_paid_in=True)


@pytest.fixture
def pay_in(db_session, ppaf):
    """`pay_in(pounds, received_on, year=…)`: money recorded as paid into the PPAF."""

    def _pay_in(pounds: int, received_on: date = date(2026, 4, 20), *, year: str = "",
                fund=None):
        return add_entry(db_session, fund or ppaf, PaidInEntry(
            received_on=received_on, amount_pence=pounds * 100, source="Proceeds of property",
            reference=f"Proceeds of property, {received_on} {pounds}", financial_year=year),
            actor_id=None)

    return _pay_in


@pytest.fixture
def plan(plan_factory, priority_factory, key_aim_factory):
    """The current plan with two priorities, each with two key aims."""
    current = plan_factory(is_current=True)
    for number, title in [(1, "Vulnerability"), (2, "Prevention and Early Intervention")]:
        priority = priority_factory(plan=current, number=number, code=f"P{number}",
                                    title=title)
        key_aim_factory(priority=priority, number=1, text=f"{title}: first aim")
        key_aim_factory(priority=priority, number=2, text=f"{title}: second aim")
    return current


@pytest.fixture
def recorder(user_factory):
    return user_factory(roles=[Role.STAFF], name="Rita Recorder", email="rita@example.org")


@pytest.fixture
def signer(user_factory):
    return user_factory(roles=[Role.STAFF], name="Sam Signer", email="sam@example.org")


@pytest.fixture
def charity(organisation_factory, local_authority_factory):
    return organisation_factory(name="Reading Street Support",
                                contact_email="jo@example.org",
                                local_authority=local_authority_factory(name="Reading"))


@pytest.fixture
def entry(db_session, plan, charity):
    """`entry(**changes)`: a direct award of £2,500 to Reading Street Support, decided by the
    Commissioner on 20 May 2026, against P2 and its first key aim."""
    priority = plan.priorities[1]
    aim = db_session.scalars(select(KeyAim).where(KeyAim.priority_id == priority.id)
                             .order_by(KeyAim.number)).first()
    typed = DirectAwardEntry(
        organisation_id=charity.id, amount_pence=2_500_00, decided_on=date(2026, 5, 20),
        decision_maker=DecisionMaker.COMMISSIONER, delegate_name="",
        title="Emergency repairs after a flood",
        public_reason="The night shelter flooded and had to close; repairing it at once kept "
                      "people off the streets.",
        priority_id=priority.id, key_aim_ids=[aim.id],
        description="New flooring and wiring for the night shelter.")

    def _entry(**changes) -> DirectAwardEntry:
        return replace(typed, **changes)

    return _entry


@pytest.fixture
def record(db_session, ppaf, recorder, entry):
    """`record(**changes)`: the entry recorded by the recorder (a DirectAward)."""

    def _record(*, fund=None, by=None, **changes):
        return record_direct_award(db_session, by or recorder, (fund or ppaf).id,
                                   entry(**changes))

    return _record


@pytest.fixture
def signed_off(db_session, record, signer):
    """`signed_off(**changes)`: a direct award recorded, then signed off by the signer."""

    def _signed_off(**changes):
        direct = record(**changes)
        return sign_off_direct_award(db_session, signer, direct.award_id, confirmed=True)

    return _signed_off
