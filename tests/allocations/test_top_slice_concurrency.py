"""Two staff recording awards from the top-slice at the same moment, from separate
connections: the awards never come to more than the top-slice (PostgreSQL: SQLite lets one
writer in at a time)."""

import pytest
from sqlalchemy import func, select

from grants.accounts.models import User
from grants.allocations.operations.top_slice import set_top_slice
from grants.allocations.operations.top_slice_awards import TopSliceAward, record_top_slice_award
from grants.awards.models import Award
from grants.extensions import db
from grants.funds.models import Round
from tests.allocations.conftest import SHARES_REASON
from tests.fixtures.concurrency import race

pytestmark = [pytest.mark.committing, pytest.mark.usefixtures("postgresql_only")]


def test_two_staff_recording_top_slice_awards_at_once_never_overspend_it(
    app, staff, csf_round, key_aim_factory, organisation_factory,
):
    aim = key_aim_factory()
    entry = TopSliceAward(organisation_id=organisation_factory().id,
                                   amount_pence=6_000_000, priority_id=aim.priority_id,
                                   key_aim_ids=[aim.id], title="Cybercrime initiatives",
                                   public_reason=SHARES_REASON)
    round_id, staff_id = csf_round.id, staff.id
    db.session.commit()

    def set_and_award(session):
        user = session.get(User, staff_id)
        set_top_slice(session, user, round_id, amount_pence=10_000_000)
        record_top_slice_award(session, user, round_id, entry)

    def award_again(session):
        record_top_slice_award(session, session.get(User, staff_id), round_id, entry)

    errors = race(set_and_award, award_again, app=app)

    assert len(errors) == 1
    assert errors[0].errors == {"amount": "Only £40,000 of the top-slice of £100,000 is left "
                                          "(£60,000 is already awarded from it)"}
    with db.engine.connect() as conn:
        assert conn.scalar(select(func.sum(Award.amount_pence))
                           .where(Award.round_id == round_id)) == 6_000_000
        assert conn.scalar(select(Round.top_slice_pence).where(Round.id == round_id)) \
            == 10_000_000
