"""Figures are kept until the data changes

`data_version`: one row whose token every committed write replaces, so a figure worked out
from the data (a report's, the register's count) is kept under the token it was worked out at
(`grants.core.data_version`).

Revision ID: c4e8d2a7b915
Revises: a7d3e5b90c12
Create Date: 2026-12-07 16:05:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8d2a7b915'
down_revision = 'a7d3e5b90c12'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': secrets.token_hex(16)}])


def downgrade():
    op.drop_table('data_version')
