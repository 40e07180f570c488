"""The demo's direct award: one the Commissioner made outside any round this financial year,
recorded by the demo's staff member and signed off by its admin, so it is offered and public.
Never in production."""

import logging
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.core import clock
from grants.direct_awards.models import DecisionMaker
from grants.direct_awards.operations.recording import DirectAwardEntry, record_direct_award
from grants.direct_awards.operations.signing_off import sign_off_direct_award
from grants.funds.models import Fund
from grants.ledger.models import money_year_of
from grants.organisations.models import Organisation
from grants.plans.models import KeyAim, Plan, Priority

logger = logging.getLogger(__name__)

RECIPIENT = "Banbury Mosque Community Trust"
POUNDS = 4_500
TITLE = "Repairs and security after a hate crime attack"
REASON = ("The trust's community centre had its windows and door smashed and its walls daubed "
          "with hate graffiti. The centre runs a food bank and youth sessions most days, and "
          "could not wait for the next bidding round to reopen safely. The Commissioner made "
          "this award so that it could be repaired at once, with cameras and lighting to deter "
          "another attack, and so that the community knows such crimes are taken seriously.")
PRIORITY, KEY_AIM = "P2", 4  # Improved reporting and understanding of hate crime
DAYS_AGO = 14


def seed_demo_direct_award(session: Session, fund: Fund, recorder: User, signer: User) -> None:
    """A direct award from the fund decided a fortnight ago (or on the year's first day, early
    in a financial year), recorded and signed off: the fund's ledger must hold the money."""
    today = clock.today_in_london()
    first_day = date(clock.financial_year_start(money_year_of(today)), 4, 1)
    organisation = session.scalars(select(Organisation).where(
        Organisation.name == RECIPIENT)).one()
    priority = session.scalars(select(Priority).join(Plan).where(
        Plan.is_current, Priority.code == PRIORITY)).one()
    aim = session.scalars(select(KeyAim).where(KeyAim.priority_id == priority.id,
                                               KeyAim.number == KEY_AIM)).one()
    direct = record_direct_award(session, recorder, fund.id, DirectAwardEntry(
        organisation_id=organisation.id, amount_pence=POUNDS * 100,
        decided_on=max(today - timedelta(days=DAYS_AGO), first_day),
        decision_maker=DecisionMaker.COMMISSIONER, delegate_name="", title=TITLE,
        public_reason=REASON, priority_id=priority.id, key_aim_ids=[aim.id],
        serves_whole_thames_valley=False))
    sign_off_direct_award(session, signer, direct.award_id, confirmed=True)
    logger.info("seed-demo: direct award %s to %s", direct.award_id, RECIPIENT)
