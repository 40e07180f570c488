"""A ceremony is one office's

A ceremony invites the recipients of one fund or of every fund: of every fund of one office.
Each ceremony holds its office: its fund's, and for a ceremony of every fund (the only office's
until now) the first office.

Revision ID: 8c2f4e6a1d90
Revises: 5e1d0a7c3b42
Create Date: 2026-12-07 21:00:00.000000

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c2f4e6a1d90'
down_revision = '5e1d0a7c3b42'
branch_labels = None
depends_on = None


@contextmanager
def _foreign_keys_checked_at_the_end():
    """On SQLite, rebuilding the ceremony table (which its invitations refer to, deleted with
    it) must not delete them: rebuild with the check off in a transaction of our own, check
    every foreign key once at the end, and leave a transaction open for Alembic to commit (as
    bec3ba9e98a3 does). PostgreSQL alters the table in place."""
    conn = op.get_bind()
    if conn.dialect.name != 'sqlite':
        yield
        return
    conn.exec_driver_sql('COMMIT')
    conn.exec_driver_sql('PRAGMA foreign_keys = OFF')
    conn.exec_driver_sql('BEGIN IMMEDIATE')
    try:
        yield
        broken = conn.exec_driver_sql('PRAGMA foreign_key_check').fetchall()
        if broken:
            raise RuntimeError(f'foreign keys broken by the rebuild: {broken[:5]}')
        conn.exec_driver_sql('COMMIT')
    except BaseException:
        conn.exec_driver_sql('ROLLBACK')
        raise
    finally:
        conn.exec_driver_sql('PRAGMA foreign_keys = ON')
        conn.exec_driver_sql('BEGIN IMMEDIATE')


def upgrade():
    with op.batch_alter_table('ceremony', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))

    conn = op.get_bind()
    ceremony = sa.table('ceremony', sa.column('office_id', sa.Integer),
                        sa.column('fund_id', sa.Integer))
    fund = sa.table('fund', sa.column('id', sa.Integer), sa.column('office_id', sa.Integer))
    conn.execute(ceremony.update().where(ceremony.c.fund_id.is_not(None)).values(
        office_id=sa.select(fund.c.office_id).where(fund.c.id == ceremony.c.fund_id)
        .scalar_subquery()))
    first = conn.scalar(sa.text('SELECT min(id) FROM office'))
    if first is not None:
        conn.execute(ceremony.update().where(ceremony.c.office_id.is_(None))
                     .values(office_id=first))

    with _foreign_keys_checked_at_the_end():
        with op.batch_alter_table('ceremony', schema=None) as batch_op:
            batch_op.alter_column('office_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f('ix_ceremony_office_id'), ['office_id'],
                                  unique=False)
            batch_op.create_foreign_key(batch_op.f('fk_ceremony_office_id_office'), 'office',
                                        ['office_id'], ['id'])


def downgrade():
    with _foreign_keys_checked_at_the_end():
        with op.batch_alter_table('ceremony', schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f('fk_ceremony_office_id_office'),
                                     type_='foreignkey')
            batch_op.drop_index(batch_op.f('ix_ceremony_office_id'))
            batch_op.drop_column('office_id')
