"""The awards ceremony and its invitations

Staff plan the awards event for a financial year's recipients (of one fund or every fund) and
invite the organisations with a published award; each invitation holds the organisation's
reply: whether it comes, how many people, their names, access needs and photo consent.
Two new tables; nothing existing changes.

Revision ID: 0b45ee4373b7
Revises: c7d3e5a19b42
Create Date: 2026-12-07 01:48:40.853191

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0b45ee4373b7'
down_revision = 'c7d3e5a19b42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ceremony',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=True),
    sa.Column('financial_year', sa.String(length=7), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_ceremony_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['fund_id'], ['fund.id'], name=op.f('fk_ceremony_fund_id_fund')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ceremony'))
    )
    op.create_index(op.f('ix_ceremony_financial_year'), 'ceremony', ['financial_year'], unique=False)
    op.create_index(op.f('ix_ceremony_fund_id'), 'ceremony', ['fund_id'], unique=False)

    op.create_table('ceremony_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ceremony_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('sent_to', sa.String(length=254), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attending', sa.Boolean(), nullable=True),
    sa.Column('guests', sa.Integer(), nullable=True),
    sa.Column('guest_names', sa.Text(), nullable=False),
    sa.Column('access_needs', sa.Text(), nullable=False),
    sa.Column('photo_consent', sa.Boolean(), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('guests IS NULL OR guests BETWEEN 1 AND 10', name=op.f('ck_ceremony_invitation_guests_in_range')),
    sa.ForeignKeyConstraint(['ceremony_id'], ['ceremony.id'], name=op.f('fk_ceremony_invitation_ceremony_id_ceremony'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_ceremony_invitation_invited_by_id_user_account')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_ceremony_invitation_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['replied_by_id'], ['user_account.id'], name=op.f('fk_ceremony_invitation_replied_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ceremony_invitation')),
    sa.UniqueConstraint('ceremony_id', 'organisation_id', name=op.f('uq_ceremony_invitation_ceremony_id_organisation_id'))
    )
    op.create_index(op.f('ix_ceremony_invitation_ceremony_id'), 'ceremony_invitation', ['ceremony_id'], unique=False)
    op.create_index(op.f('ix_ceremony_invitation_organisation_id'), 'ceremony_invitation', ['organisation_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_ceremony_invitation_organisation_id'), table_name='ceremony_invitation')
    op.drop_index(op.f('ix_ceremony_invitation_ceremony_id'), table_name='ceremony_invitation')
    op.drop_table('ceremony_invitation')
    op.drop_index(op.f('ix_ceremony_fund_id'), table_name='ceremony')
    op.drop_index(op.f('ix_ceremony_financial_year'), table_name='ceremony')
    op.drop_table('ceremony')
