"""Expressions of interest in each state, made through the operations, for the tests."""

from grants.extensions import db
from grants.interest.models import Interest
from grants.interest.operations import deciding, drafting


def sent_interest(round_, organisation, member, *, title="Safer streets", values=None
                  ) -> Interest:
    """The organisation's expression of interest, answered and sent by `member`."""
    interest, _ = drafting.start_interest(db.session, member, round_, organisation)
    drafting.save_interest(db.session, interest, drafting.InterestAnswers(
        title=title, summary="Patrols and training for volunteers.", amount_pence=500_000,
        values=values or {}), complete=True, actor_id=member.id)
    drafting.send_interest(db.session, member, interest)
    db.session.commit()
    return interest


def invited_interest(round_, organisation, member, staff, **kwargs) -> Interest:
    interest = sent_interest(round_, organisation, member, **kwargs)
    deciding.invite(db.session, staff, interest)
    db.session.commit()
    return interest
