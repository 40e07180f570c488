"""Expressions of interest

A round may have an expression-of-interest stage, closing at `funding_round.interest_closes_at`
(between its opening and closing, as the
operations keep it); a section of the round's questions may be asked in it
(`question_section.in_interest`). `expression_of_interest` holds each organisation's first
stage, and `interest_answer` its answers to those questions.

Revision ID: f1166c619a31
Revises: 5e2c81d0a7f3
Create Date: 2026-12-07 13:16:04.141082

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1166c619a31'
down_revision = '5e2c81d0a7f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('expression_of_interest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'sent', 'invited', 'declined', name='intereststatus', native_enum=False, length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.CheckConstraint('amount_pence IS NULL OR amount_pence > 0', name=op.f('ck_expression_of_interest_amount_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_expression_of_interest_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_expression_of_interest_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_expression_of_interest_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['round_id'], ['funding_round.id'], name=op.f('fk_expression_of_interest_round_id_funding_round')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['user_account.id'], name=op.f('fk_expression_of_interest_sent_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expression_of_interest')),
    sa.UniqueConstraint('round_id', 'organisation_id', name=op.f('uq_expression_of_interest_round_id_organisation_id'))
    )
    with op.batch_alter_table('expression_of_interest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expression_of_interest_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expression_of_interest_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expression_of_interest_status'), ['status'], unique=False)

    op.create_table('interest_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interest_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('number', sa.BigInteger(), nullable=True),
    sa.Column('amount_pence', sa.BigInteger(), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['interest_id'], ['expression_of_interest.id'], name=op.f('fk_interest_answer_interest_id_expression_of_interest'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['round_question.id'], name=op.f('fk_interest_answer_question_id_round_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_answer')),
    sa.UniqueConstraint('interest_id', 'question_id', name=op.f('uq_interest_answer_interest_id_question_id'))
    )
    with op.batch_alter_table('interest_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interest_answer_interest_id'), ['interest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interest_answer_question_id'), ['question_id'], unique=False)

    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interest_closes_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('question_section', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_interest', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))



def downgrade():
    with op.batch_alter_table('question_section', schema=None) as batch_op:
        batch_op.drop_column('in_interest')

    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.drop_column('interest_closes_at')

    with op.batch_alter_table('interest_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interest_answer_question_id'))
        batch_op.drop_index(batch_op.f('ix_interest_answer_interest_id'))

    op.drop_table('interest_answer')
    with op.batch_alter_table('expression_of_interest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expression_of_interest_status'))
        batch_op.drop_index(batch_op.f('ix_expression_of_interest_round_id'))
        batch_op.drop_index(batch_op.f('ix_expression_of_interest_organisation_id'))

    op.drop_table('expression_of_interest')
