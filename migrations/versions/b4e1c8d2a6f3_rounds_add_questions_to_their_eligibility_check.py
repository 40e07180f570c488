"""Rounds add yes/no questions to their public eligibility check

Anyone may check whether they can apply to a round before making an account. Besides the
questions every round asks (organisation type, where the work happens, amount, priority),
staff may add yes/no questions before the round opens: the question, the answer needed, and
the reason shown to someone who gives the other answer.

Revision ID: b4e1c8d2a6f3
Revises: b5e2a9c47d13
Create Date: 2026-12-07 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4e1c8d2a6f3'
down_revision = 'b5e2a9c47d13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('check_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('needed_answer', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['funding_round.id'], name=op.f('fk_check_question_round_id_funding_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_question')),
    sa.UniqueConstraint('round_id', 'position', name=op.f('uq_check_question_round_id_position'))
    )


def downgrade():
    op.drop_table('check_question')
