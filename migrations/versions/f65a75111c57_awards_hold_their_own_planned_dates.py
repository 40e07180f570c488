"""Awards hold their own planned dates

360Giving grants carry plannedDates (when the funded activity starts and ends). An award from an
application runs on the application's dates; an award without one (imported from a 360Giving
file, nominated, allocated) now keeps the dates it came with, so that importing a file and
exporting it again gives the same grants. Existing awards are left without dates: none of them
was given any, and an award from an application keeps reading the application's.

The importer checks that an end is not before its start. There is no CHECK constraint for it:
on SQLite adding one rebuilds the award table, and dropping a table that payments and bank
details cascade from would delete them.

Revision ID: f65a75111c57
Revises: 8ad493f6d565
Create Date: 2026-12-06 18:55:18.101709

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f65a75111c57'
down_revision = '8ad493f6d565'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('award', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('planned_end', sa.Date(), nullable=True))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), not a rebuilt table: see above.
    op.drop_column('award', 'planned_end')
    op.drop_column('award', 'planned_start')
