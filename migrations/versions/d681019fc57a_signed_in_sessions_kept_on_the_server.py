"""Signed-in sessions kept on the server, so that signing out ends them

Signing out, a new password, a reset second factor or an admin ends a session here.

The session cookie alone used to say who was signed in, so a copy of it kept working after
sign-out until the 12-hour limit. Each signed-in browser now has a row here, named by its
cookie; ending the row ends the session. There are no rows to fill: cookies from before this
change name no row, so everyone signed in when it is deployed signs in once more.

Revision ID: d681019fc57a
Revises: c31555e01cf2
Create Date: 2026-12-06 19:39:37.975598

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd681019fc57a'
down_revision = 'c31555e01cf2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signed_in_session',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_signed_in_session_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signed_in_session'))
    )
    with op.batch_alter_table('signed_in_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signed_in_session_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('signed_in_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signed_in_session_user_id'))

    op.drop_table('signed_in_session')
