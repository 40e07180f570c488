"""Members invite people to join their organisation

An approved member sends an invitation to one email address; its link joins the account with
that address to the organisation, once, within a time limit. Only a hash of the link's token is
kept, so reading this table lets nobody join. New table only: nothing to fill.

Revision ID: d3ba749055d9
Revises: f26f5cb1bec4
Create Date: 2026-12-06 21:35:19.331808

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3ba749055d9'
down_revision = 'f26f5cb1bec4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('membership_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_membership_invitation_invited_by_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_membership_invitation_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['used_by_id'], ['user_account.id'], name=op.f('fk_membership_invitation_used_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_membership_invitation_token_hash'))
    )
    with op.batch_alter_table('membership_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_invitation_invited_by_id'), ['invited_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_invitation_organisation_id'), ['organisation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('membership_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_invitation_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_membership_invitation_invited_by_id'))

    op.drop_table('membership_invitation')
