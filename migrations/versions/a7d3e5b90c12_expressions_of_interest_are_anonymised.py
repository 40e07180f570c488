"""Expressions of interest are anonymised under the retention policy

`expression_of_interest.anonymised_at`: when the retention job removed its words and answers,
as `application.anonymised_at` records an application's.

Revision ID: a7d3e5b90c12
Revises: f1166c619a31
Create Date: 2026-12-07 14:52:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3e5b90c12'
down_revision = 'f1166c619a31'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('expression_of_interest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('expression_of_interest', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
