"""Reviews keep their weighted score: a round's ranking reads a row a review

Revision ID: 5b2e9c7d41a3
Revises: 28a6dd6ed57e
Create Date: 2026-12-06 10:55:00

A submitted review's weighted score, Σ(weight × score ÷ maximum) ÷ Σ weight as a percentage,
is stored exactly as a fraction in lowest terms. Reviews already submitted get theirs from
their criterion scores here, before the constraint that every submitted review has one.
"""
from collections import defaultdict
from fractions import Fraction

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5b2e9c7d41a3'
down_revision = '28a6dd6ed57e'
branch_labels = None
depends_on = None

review = sa.table('review', sa.column('id', sa.Integer), sa.column('submitted_at', sa.DateTime),
                  sa.column('score_numerator', sa.BigInteger),
                  sa.column('score_denominator', sa.BigInteger))
criterion_score = sa.table('criterion_score', sa.column('review_id', sa.Integer),
                           sa.column('criterion_id', sa.Integer),
                           sa.column('score', sa.Integer))
scoring_criterion = sa.table('scoring_criterion', sa.column('id', sa.Integer),
                             sa.column('weight', sa.Integer),
                             sa.column('max_score', sa.Integer))


def _scores_of_submitted_reviews(conn) -> dict[int, Fraction]:
    parts: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    rows = conn.execute(
        sa.select(criterion_score.c.review_id, scoring_criterion.c.weight,
                  scoring_criterion.c.max_score, criterion_score.c.score)
        .select_from(criterion_score.join(
            scoring_criterion, scoring_criterion.c.id == criterion_score.c.criterion_id))
        .join(review, review.c.id == criterion_score.c.review_id)
        .where(review.c.submitted_at.is_not(None), criterion_score.c.score.is_not(None)))
    for review_id, weight, max_score, score in rows:
        parts[review_id].append((weight, max_score, score))
    return {review_id: (sum(Fraction(weight * score, max_score)
                            for weight, max_score, score in scored)
                        / sum(weight for weight, _, _ in scored) * 100)
            for review_id, scored in parts.items()}


def upgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('score_numerator', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('score_denominator', sa.BigInteger(), nullable=True))

    conn = op.get_bind()
    for review_id, score in _scores_of_submitted_reviews(conn).items():
        conn.execute(review.update().where(review.c.id == review_id).values(
            score_numerator=score.numerator, score_denominator=score.denominator))
    # A submitted review with no score at all cannot rank: it goes back to its reviewer.
    conn.execute(review.update().where(review.c.submitted_at.is_not(None),
                                       review.c.score_numerator.is_(None))
                 .values(submitted_at=None))

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_review_submitted_review_has_score'),
            "submitted_at IS NULL OR (score_numerator IS NOT NULL AND score_denominator > 0)")


def downgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_review_submitted_review_has_score'), type_='check')
        batch_op.drop_column('score_denominator')
        batch_op.drop_column('score_numerator')
