"""seed-demo's High Sheriff awards: a High Sheriff per county acting in an open nomination
round, with nominations waiting and one approved."""

from sqlalchemy import select

from grants.accounts.models import Role, User
from grants.auth import permissions
from grants.demo.operations.seed import seed_demo
from grants.funds.models import Round, RoundKind, RoundStatus
from grants.nominations.models import Nomination, NominationStatus
from grants.nominations.operations import guard
from grants.reference.operations.seed import seed_reference
from tests.fixtures.factories import account_settings


def test_seed_demo_gives_each_county_a_high_sheriff_and_an_open_nomination_round(db_session):
    seed_reference(db_session)
    people = seed_demo(db_session, account_settings(), allowed=True)

    (round_,) = [r for r in db_session.scalars(select(Round).where(
        Round.kind == RoundKind.NOMINATION)) if r.status is RoundStatus.OPEN]
    emails = {person.email for person in people}
    sheriffs = db_session.scalars(select(User).where(User.email.like("high-sheriff-%"))).all()
    assert {s.county.name for s in sheriffs} == {"Berkshire", "Buckinghamshire", "Oxfordshire"}
    assert all(s.email in emails and s.has_role(Role.HIGH_SHERIFF) for s in sheriffs)
    assert all(permissions.may_nominate_in(s, round_) for s in sheriffs)
    outgoing = db_session.scalars(select(User).where(
        User.email == "sheriff.berkshire@example.org")).one()
    assert not permissions.may_nominate_in(outgoing, round_)

    nominations = db_session.scalars(select(Nomination).where(
        Nomination.round_id == round_.id)).all()
    assert sorted(n.status.value for n in nominations) == ["approved", "submitted",
                                                           "submitted", "submitted"]
    approved = next(n for n in nominations if n.status is NominationStatus.APPROVED)
    assert approved.award.nominating_county_id == approved.county_id
    assert all(p.remaining_pence >= 0 for p in guard.county_positions(db_session,
                                                                         round_.id))
