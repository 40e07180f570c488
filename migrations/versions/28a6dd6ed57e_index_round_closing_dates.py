"""Index round closing dates: the public register reads awards newest round first

Revision ID: 28a6dd6ed57e
Revises: 48cf2441fa0d
Create Date: 2026-11-23 15:13:54.935971

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '28a6dd6ed57e'
down_revision = '48cf2441fa0d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_round_closes_at'), ['closes_at'], unique=False)


def downgrade():
    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_round_closes_at'))
