"""Funds keep a ledger of the money paid in

Staff record money paid into a fund (the PPAF holds the proceeds of property), and a fund may
limit its rounds' budgets to the money available in their financial year. Every existing fund
starts unlimited, so no existing round becomes invalid and nothing changes until staff turn
the limit on; budgets set before are never checked again.

Revision ID: a7c3e5f19d42
Revises: d3ba749055d9
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e5f19d42'
down_revision = 'd3ba749055d9'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ALTER, not a batch: SQLite would rebuild the table, which rounds refer to, and
    # refuse to drop it once a database holds rounds.
    op.add_column('fund', sa.Column('budgets_limited_by_money_paid_in', sa.Boolean(),
                                    nullable=False, server_default=sa.false()))

    op.create_table('money_paid_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('financial_year', sa.String(length=7), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_pence > 0', name=op.f('ck_money_paid_in_amount_positive')),
    sa.ForeignKeyConstraint(['fund_id'], ['fund.id'], name=op.f('fk_money_paid_in_fund_id_fund')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_money_paid_in_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_money_paid_in'))
    )
    with op.batch_alter_table('money_paid_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_money_paid_in_financial_year'), ['financial_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_money_paid_in_fund_id'), ['fund_id'], unique=False)


def downgrade():
    with op.batch_alter_table('money_paid_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_money_paid_in_fund_id'))
        batch_op.drop_index(batch_op.f('ix_money_paid_in_financial_year'))

    op.drop_table('money_paid_in')

    op.drop_column('fund', 'budgets_limited_by_money_paid_in')
