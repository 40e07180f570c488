"""The demo allocation round: confirmed shares that add up, and an award from the
top-slice, signed off and published so that the awards are public."""

from sqlalchemy import select

from grants.allocations.operations.listing import allocated_pence
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.demo.operations.allocations import CODE, seed_demo_allocations
from grants.funds.models import Round
from grants.reference.operations.seed import seed_reference


def test_the_demo_allocation_round_is_confirmed_and_adds_up(db_session, staff, approver):
    seed_reference(db_session)

    round_ = seed_demo_allocations(db_session, staff, approver)

    assert round_.code == CODE and round_.financial_year == "2019/20"
    awards = db_session.scalars(select(Award).where(Award.round_id == round_.id)).all()
    shares = [a.amount_pence for a in awards if a.source is AwardSource.ALLOCATION]
    assert len(shares) == 14 and sum(shares) == allocated_pence(round_) == 99_000_000
    top = [a for a in awards if a.source is AwardSource.TOP_SLICE]
    assert [(a.title, a.amount_pence, a.key_aims[0].code) for a in top] == [
        ("Cybercrime awareness for older people", 10_000_000, "P2.1")]
    assert round_.decisions_signed_off_by_id == approver.id
    assert round_.decisions_published_at is not None
    assert {a.status for a in awards} == {AwardStatus.OFFERED}


def test_the_demo_allocation_round_is_made_once(db_session, staff, approver):
    seed_reference(db_session)
    seed_demo_allocations(db_session, staff, approver)

    assert seed_demo_allocations(db_session, staff, approver) is None
    assert len(db_session.scalars(select(Round).where(Round.code == CODE)).all()) == 1
