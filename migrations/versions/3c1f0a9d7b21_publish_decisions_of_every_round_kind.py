"""Every kind of round publishes its decisions: mark the rounds already told as published

Nomination and allocation rounds now have the same sign-off and publish step as open rounds,
and an award is public (and its offer page its recipient's) only once its round's decisions
are published. Before this, approving a nomination or confirming an allocation offered the
award at once, so rounds that have finished that way hold offered awards whose recipients were
told, in a round never published.

- An allocation round with offered awards, and a nomination round that has closed with no
  nomination waiting, are marked published when their last award was offered: what was told
  stays told and public, and nothing more can be decided in them, as before.
- In any other nomination or allocation round (still open, or with nominations waiting), the
  offers not yet answered go back to proposed: staff sign the round's decisions off and
  publish them, which offers them again (the emails already sent are not sent twice).

No table changes. Downgrading leaves the data as it is: the older code reads it correctly.

Revision ID: 3c1f0a9d7b21
Revises: 3af2b9acb7d4
Create Date: 2026-12-06 19:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3c1f0a9d7b21'
down_revision = '3af2b9acb7d4'
branch_labels = None
depends_on = None

_LAST_OFFER = ("(SELECT MAX(award.offered_at) FROM award "
               "WHERE award.round_id = funding_round.id AND award.offered_at IS NOT NULL)")
_HAS_OFFER = ("EXISTS (SELECT 1 FROM award WHERE award.round_id = funding_round.id "
              "AND award.offered_at IS NOT NULL)")
_NOTHING_WAITING = ("NOT EXISTS (SELECT 1 FROM nomination "
                    "WHERE nomination.round_id = funding_round.id "
                    "AND nomination.status IN ('submitted', 'changes_requested'))")


def upgrade():
    op.execute(
        f"UPDATE funding_round SET decisions_published_at = {_LAST_OFFER} "
        f"WHERE decisions_published_at IS NULL AND {_HAS_OFFER} AND ("
        f"kind = 'allocation' OR (kind = 'nomination' AND closes_at < CURRENT_TIMESTAMP "
        f"AND {_NOTHING_WAITING}))")
    op.execute(
        "UPDATE award SET status = 'proposed', offered_at = NULL, awarded_on = NULL "
        "WHERE status = 'offered' AND source IN ('nomination', 'allocation', 'top_slice') "
        "AND round_id IN (SELECT id FROM funding_round "
        "WHERE decisions_published_at IS NULL AND kind IN ('nomination', 'allocation'))")


def downgrade():
    pass
