"""Rounds ask their own questions, in sections of the task list

Staff add questions to a round (`round_question`), grouped into extra task-list sections
(`question_section`); each application keeps its checked answers in `question_answer`.
New tables only, so the upgrade touches no table other tables refer to.

Revision ID: 6ba5e04e0cf1
Revises: b4e1c8d2a6f3
Create Date: 2026-12-07 01:04:07.491076

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6ba5e04e0cf1'
down_revision = 'b4e1c8d2a6f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['funding_round.id'], name=op.f('fk_question_section_round_id_funding_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_section')),
    sa.UniqueConstraint('round_id', 'position', name=op.f('uq_question_section_round_id_position'))
    )
    op.create_index(op.f('ix_question_section_round_id'), 'question_section', ['round_id'], unique=False)

    op.create_table('round_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('short_text', 'long_text', 'number', 'money', 'yes_no', 'one_choice', 'several_choices', 'date', name='questionkind', native_enum=False, length=20), nullable=False),
    sa.Column('wording', sa.Text(), nullable=False),
    sa.Column('hint', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('word_limit', sa.Integer(), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('show_to_screeners', sa.Boolean(), nullable=False),
    sa.Column('condition_question_id', sa.Integer(), nullable=True),
    sa.Column('condition_answer', sa.String(length=200), nullable=False),
    sa.CheckConstraint('word_limit IS NULL OR word_limit > 0', name=op.f('ck_round_question_word_limit_positive')),
    sa.ForeignKeyConstraint(['condition_question_id'], ['round_question.id'], name=op.f('fk_round_question_condition_question_id_round_question'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['section_id'], ['question_section.id'], name=op.f('fk_round_question_section_id_question_section'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_question')),
    sa.UniqueConstraint('section_id', 'position', name=op.f('uq_round_question_section_id_position'))
    )
    op.create_index(op.f('ix_round_question_section_id'), 'round_question', ['section_id'], unique=False)

    op.create_table('question_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('number', sa.BigInteger(), nullable=True),
    sa.Column('amount_pence', sa.BigInteger(), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_question_answer_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['round_question.id'], name=op.f('fk_question_answer_question_id_round_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_answer')),
    sa.UniqueConstraint('application_id', 'question_id', name=op.f('uq_question_answer_application_id_question_id'))
    )
    op.create_index(op.f('ix_question_answer_application_id'), 'question_answer', ['application_id'], unique=False)
    op.create_index(op.f('ix_question_answer_question_id'), 'question_answer', ['question_id'], unique=False)



def downgrade():
    op.drop_index(op.f('ix_question_answer_question_id'), table_name='question_answer')
    op.drop_index(op.f('ix_question_answer_application_id'), table_name='question_answer')

    op.drop_table('question_answer')
    op.drop_index(op.f('ix_round_question_section_id'), table_name='round_question')

    op.drop_table('round_question')
    op.drop_index(op.f('ix_question_section_round_id'), table_name='question_section')

    op.drop_table('question_section')
