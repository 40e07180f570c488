"""Organisations keep their documents once, for every application

An organisation keeps its safeguarding policy, accounts, governing document and supporting
documents, each with its own date (when the policy was last reviewed, the accounts' year end);
an application that uses one takes its own copy, and records the document's date too.

Revision ID: c7d3e5a19b42
Revises: 6ba5e04e0cf1
Create Date: 2026-12-07 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'c7d3e5a19b42'
down_revision = '6ba5e04e0cf1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('safeguarding_policy', 'latest_accounts', 'governing_document', 'supporting_document', name='documentkind', native_enum=False, length=30), nullable=False),
    sa.Column('document_date', sa.Date(), nullable=True),
    sa.Column('original_filename', sa.String(length=255), nullable=False),
    sa.Column('storage_key', sa.String(length=100), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_organisation_document_size_positive')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_document_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_organisation_document_uploaded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_document')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_organisation_document_storage_key'))
    )
    op.create_index(op.f('ix_organisation_document_organisation_id'), 'organisation_document', ['organisation_id'], unique=False)
    op.add_column('document', sa.Column('document_date', sa.Date(), nullable=True))


def downgrade():
    op.drop_column('document', 'document_date')
    op.drop_index(op.f('ix_organisation_document_organisation_id'), table_name='organisation_document')
    op.drop_table('organisation_document')
