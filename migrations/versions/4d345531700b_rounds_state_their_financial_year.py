"""Rounds state their financial year

A round's financial year was worked out from its closing time, so a round closing at "1 April
00:00" fell into the next year. Staff now state it on the round (by default that of the opening
date) and reports, round codes and the register read it. Existing rounds are given the year
their closing date gave them, so no report, code or register entry moves.

Revision ID: 4d345531700b
Revises: f65a75111c57
Create Date: 2026-12-06 18:53:45.182056

"""
from datetime import UTC
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4d345531700b'
down_revision = 'f65a75111c57'
branch_labels = None
depends_on = None

funding_round = sa.table('funding_round', sa.column('id', sa.Integer),
                         sa.column('closes_at', sa.DateTime),
                         sa.column('financial_year', sa.String))


def _year_closing(closes_at) -> str:
    """The financial year the closing date gave a round before this change (London date)."""
    if closes_at.tzinfo is None:  # SQLite keeps UTC without a zone
        closes_at = closes_at.replace(tzinfo=UTC)
    day = closes_at.astimezone(ZoneInfo("Europe/London")).date()
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def upgrade():
    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('financial_year', sa.String(length=7), nullable=True))

    conn = op.get_bind()
    for round_id, closes_at in conn.execute(
            sa.select(funding_round.c.id, funding_round.c.closes_at)).all():
        conn.execute(funding_round.update().where(funding_round.c.id == round_id)
                     .values(financial_year=_year_closing(closes_at)))

    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.alter_column('financial_year', existing_type=sa.String(length=7),
                              nullable=False)
        batch_op.create_index(batch_op.f('ix_funding_round_financial_year'), ['financial_year'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_round_financial_year'))
        batch_op.drop_column('financial_year')
