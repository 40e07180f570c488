"""Monitoring returns no longer owed are cancelled

When a variation shortens a grant, the twice-yearly returns for periods now outside it were
left due, went overdue and sent reminders. They are now kept but marked cancelled (a new
status value, which needs no change to the column), and this records when. No existing return
is cancelled by the migration: a grant's returns are recomputed when its dates next change.

Revision ID: 3af2b9acb7d4
Revises: 4d345531700b
Create Date: 2026-12-06 19:08:27.730125

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3af2b9acb7d4'
down_revision = '4d345531700b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('monitoring_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # The older code knows no cancelled status: a cancelled return that was sent once goes
    # back to waiting for more information; one never sent is removed, as it is not owed.
    op.execute("UPDATE monitoring_report SET status = 'more_information_requested' "
               "WHERE status = 'cancelled' AND submitted_at IS NOT NULL")
    op.execute("DELETE FROM monitoring_report WHERE status = 'cancelled'")
    with op.batch_alter_table('monitoring_report', schema=None) as batch_op:
        batch_op.drop_column('cancelled_at')
