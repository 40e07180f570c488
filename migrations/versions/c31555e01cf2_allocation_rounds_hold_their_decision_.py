"""Allocation rounds hold the date their allocation was decided

The Commissioner's progress report dates an allocation round's paragraph ("In June 2019,
£900,000 was allocated by formula to …") by the day the allocation was decided, e.g. at the
Commissioner's decision meeting. That day is not the day staff keyed the shares in or a second
member of staff signed them off, so staff enter it on the allocation page.

Existing rounds are left without one (NULL): no date the service holds is that day, and a
paragraph without a date is better than one with the wrong date. Staff enter it when they
know it.

Revision ID: c31555e01cf2
Revises: 09652a47395f
Create Date: 2026-12-06 19:37:46.046879

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c31555e01cf2'
down_revision = '09652a47395f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allocation_decided_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.drop_column('allocation_decided_on')
