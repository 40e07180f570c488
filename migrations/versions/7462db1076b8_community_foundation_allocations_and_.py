"""Community Foundation allocations and their onward grants

A Community Foundation allocation is a direct award of the new kind "delegated": the fund gives a
sum to an intermediary, which grants it onward. Existing direct awards are of the kind
"direct". `onward_grant` holds the intermediary's grants under the award (typed by staff or
read from its 360Giving file), with the priority, key aim and areas each serves where known;
`onward_grant_area` the areas.

Revision ID: 7462db1076b8
Revises: 0b45ee4373b7
Create Date: 2026-12-07 04:36:46.025050

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7462db1076b8'
down_revision = '0b45ee4373b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('onward_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=200), nullable=True),
    sa.Column('recipient_name', sa.String(length=200), nullable=False),
    sa.Column('recipient_org_id', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.Column('awarded_on', sa.Date(), nullable=False),
    sa.Column('priority_id', sa.Integer(), nullable=True),
    sa.Column('key_aim_id', sa.Integer(), nullable=True),
    sa.Column('serves_whole_thames_valley', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_pence > 0', name=op.f('ck_onward_grant_amount_positive')),
    sa.ForeignKeyConstraint(['award_id'], ['award.id'], name=op.f('fk_onward_grant_award_id_award'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['key_aim_id'], ['key_aim.id'], name=op.f('fk_onward_grant_key_aim_id_key_aim')),
    sa.ForeignKeyConstraint(['priority_id'], ['priority.id'], name=op.f('fk_onward_grant_priority_id_priority')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_onward_grant_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onward_grant')),
    sa.UniqueConstraint('award_id', 'identifier', name=op.f('uq_onward_grant_award_id_identifier'))
    )
    with op.batch_alter_table('onward_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_onward_grant_award_id'), ['award_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_onward_grant_key_aim_id'), ['key_aim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_onward_grant_priority_id'), ['priority_id'], unique=False)

    op.create_table('onward_grant_area',
    sa.Column('onward_grant_id', sa.Integer(), nullable=False),
    sa.Column('local_authority_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authority.id'], name=op.f('fk_onward_grant_area_local_authority_id_local_authority')),
    sa.ForeignKeyConstraint(['onward_grant_id'], ['onward_grant.id'], name=op.f('fk_onward_grant_area_onward_grant_id_onward_grant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('onward_grant_id', 'local_authority_id', name=op.f('pk_onward_grant_area'))
    )
    # A plain ALTER TABLE ... ADD COLUMN on SQLite too, with a default for the direct awards
    # already recorded: the table is never rebuilt.
    op.add_column('direct_award', sa.Column(
        'kind', sa.Enum('direct', 'delegated', name='directawardkind', native_enum=False,
                        length=20),
        nullable=False, server_default='direct'))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), not a rebuilt table.
    op.drop_column('direct_award', 'kind')
    op.drop_table('onward_grant_area')
    with op.batch_alter_table('onward_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_onward_grant_priority_id'))
        batch_op.drop_index(batch_op.f('ix_onward_grant_key_aim_id'))
        batch_op.drop_index(batch_op.f('ix_onward_grant_award_id'))
    op.drop_table('onward_grant')
