"""Councils' official names and org-ids; partnerships' dates

Councils carry their official name and their identifier in the Local Authorities for England
register (GB-LAE-…), which 360Giving uses; partnerships, like councils, the dates they existed.
`flask seed-reference` fills them in on a database loaded before.

Revision ID: 8ad493f6d565
Revises: 6dcf713b5804
Create Date: 2026-12-06 18:28:38.035351

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8ad493f6d565'
down_revision = '6dcf713b5804'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('community_safety_partnership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('valid_to', sa.Date(), nullable=True))

    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        batch_op.add_column(sa.Column('official_name', sa.String(length=160), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('org_id', sa.String(length=40), nullable=True))



def downgrade():
    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        batch_op.drop_column('org_id')
        batch_op.drop_column('official_name')

    with op.batch_alter_table('community_safety_partnership', schema=None) as batch_op:
        batch_op.drop_column('valid_to')
        batch_op.drop_column('valid_from')

