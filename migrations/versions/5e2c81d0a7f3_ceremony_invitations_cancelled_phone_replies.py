"""Ceremony invitations: cancelled, replies taken by phone, replies anonymised

Staff may cancel an invitation (its contact is told and its link stops answering), record a
reply taken by phone on the organisation's behalf, and the retention job removes a long-past
ceremony's replies' people. Four new columns on ceremony_invitation; existing rows are
invitations not cancelled, replied (if at all) online, not anonymised.

Revision ID: 5e2c81d0a7f3
Revises: 7462db1076b8
Create Date: 2026-12-07 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e2c81d0a7f3'
down_revision = '7462db1076b8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ceremony_invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replied_by_phone', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_ceremony_invitation_cancelled_by_id_user_account'), 'user_account',
            ['cancelled_by_id'], ['id'])
    with op.batch_alter_table('ceremony_invitation', schema=None) as batch_op:
        batch_op.alter_column('replied_by_phone', server_default=None)


def downgrade():
    with op.batch_alter_table('ceremony_invitation', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_ceremony_invitation_cancelled_by_id_user_account'),
            type_='foreignkey')
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('replied_by_phone')
