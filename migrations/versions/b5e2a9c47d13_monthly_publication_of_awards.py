"""Monthly publication of awards

Each month's 360Giving file is kept as it was published (`monthly_publication`): a correction
is the month's next version, and every version stays listed.

Revision ID: b5e2a9c47d13
Revises: a7c3e91d5b20
Create Date: 2026-12-07 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5e2a9c47d13'
down_revision = 'a7c3e91d5b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monthly_publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('grant_count', sa.Integer(), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_monthly_publication_published_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_publication')),
    sa.UniqueConstraint('month', 'version', name=op.f('uq_monthly_publication_month_version'))
    )
    op.create_index(op.f('ix_monthly_publication_month'), 'monthly_publication', ['month'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_monthly_publication_month'), table_name='monthly_publication')
    op.drop_table('monthly_publication')
