"""Direct awards, made outside any round

Staff record an award made outside any round (an urgent need), decided by the Commissioner or
a named delegate and signed off by a second member of staff. The award is an ordinary award
row in its fund's direct awards round of the year (a round of the new kind "direct", which
needs no DDL: kinds are stored as text); `direct_award` keeps who decided it, who recorded it
and who signed it off, never the same person twice.

Every award gains `public_reason`: the reason for the award in plain words, written for
publication. Existing awards have none yet, so they start empty.

Revision ID: 65c652372325
Revises: a7c3e5f19d42
Create Date: 2026-12-09 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '65c652372325'
down_revision = 'a7c3e5f19d42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('direct_award',
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('decision_maker', sa.Enum('commissioner', 'delegate', name='decisionmaker', native_enum=False, length=20), nullable=False),
    sa.Column('delegate_name', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signed_off_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_off_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("decision_maker = 'commissioner' OR delegate_name != ''", name=op.f('ck_direct_award_delegate_named')),
    sa.CheckConstraint('signed_off_by_id IS NULL OR signed_off_by_id != recorded_by_id', name=op.f('ck_direct_award_signed_off_by_someone_else')),
    sa.ForeignKeyConstraint(['award_id'], ['award.id'], name=op.f('fk_direct_award_award_id_award'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_direct_award_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['signed_off_by_id'], ['user_account.id'], name=op.f('fk_direct_award_signed_off_by_id_user_account')),
    sa.PrimaryKeyConstraint('award_id', name=op.f('pk_direct_award'))
    )
    # A plain ALTER TABLE ... ADD COLUMN on SQLite too: the award table is never rebuilt, as
    # payments and bank details cascade from it.
    op.add_column('award', sa.Column('public_reason', sa.Text(), nullable=False,
                                     server_default=''))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), not a rebuilt table: see above.
    op.drop_column('award', 'public_reason')
    op.drop_table('direct_award')
