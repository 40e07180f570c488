"""Offices own their plans, funds and areas

Each Police and Crime Commissioner's office owns its plans, funds, counties, local authorities
and Community Safety Partnerships (and, through them, rounds, priorities and key aims). A
database that already holds any of them is Thames Valley's: the migration makes Thames Valley
the first office, from the settings the service read until now (FUNDER_NAME, FUNDER_ORG_ID,
GRANT_ID_PREFIX, CONTACT_EMAIL, with their defaults of today), and gives it every row. An empty
database gets no office: `flask seed-reference` or `flask offices create` makes the first.

Codes and names that were unique across the service become unique within an office (a fund's
code, a plan's code, a county's and a partnership's name); a council's GSS code stays unique
across every office, since each council belongs to one police area.

Revision ID: bec3ba9e98a3
Revises: c4e8d2a7b915
Create Date: 2026-12-07 18:23:32.026838

"""
import os
from contextlib import contextmanager
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bec3ba9e98a3'
down_revision = 'c4e8d2a7b915'
branch_labels = None
depends_on = None

# The tables an office owns at the top, and the column each was unique on across the service
# and is now unique on within its office (None: stays as it was).
OWNED = {
    'community_safety_partnership': 'name',
    'county': 'name',
    'fund': 'code',
    'local_authority': None,
    'plan': 'code',
}


def _thames_valley() -> dict:
    """Thames Valley as the service knew it until now: config.py's settings, read from the
    environment with the defaults they had when offices came (a frozen copy: later changes to
    config.py must not change what this migration wrote)."""
    funder_name = os.environ.get(
        'FUNDER_NAME', 'Office of the Police and Crime Commissioner for Thames Valley')
    return {
        'name': 'Office of the Police and Crime Commissioner for Thames Valley',
        'short_name': 'Thames Valley',
        'slug': 'thames-valley',
        'funder_org_id': os.environ.get('FUNDER_ORG_ID', 'GB-GOR-PC000117'),
        'grant_id_prefix': os.environ.get('GRANT_ID_PREFIX', '360G-tvopcc'),
        'funder_name': funder_name,
        'contact_email': os.environ.get('CONTACT_EMAIL', 'grants@thamesvalley.pcc.police.uk'),
        'postal_address': ('The Farmhouse, Thames Valley Police Headquarters, Oxford Road, '
                           'Kidlington, Oxfordshire OX5 2NX'),
        'logo': 'images/favicon.svg',
        'brand_colour': '#3f2577',
        'financial_year_start_month': 4,
        'financial_year_start_day': 1,
        'welsh': False,
        'created_at': datetime.now(UTC),
    }


@contextmanager
def _foreign_keys_checked_at_the_end():
    """On SQLite, rebuilding a table that others refer to (every table here) deletes its old
    rows, which its children's foreign keys refuse, and the check cannot be turned off inside a
    transaction: end Alembic's, rebuild with the check off in a transaction of our own, check
    every foreign key once at the end (SQLite's own procedure for changing a table), and leave
    a transaction open for Alembic to commit. PostgreSQL alters the tables in place."""
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
    office = op.create_table('office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=80), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('funder_org_id', sa.String(length=40), nullable=False),
    sa.Column('grant_id_prefix', sa.String(length=40), nullable=False),
    sa.Column('funder_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('postal_address', sa.Text(), nullable=False),
    sa.Column('logo', sa.String(length=200), nullable=False),
    sa.Column('brand_colour', sa.String(length=7), nullable=False),
    sa.Column('financial_year_start_month', sa.Integer(), nullable=False),
    sa.Column('financial_year_start_day', sa.Integer(), nullable=False),
    sa.Column('welsh', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("brand_colour LIKE '#______'", name=op.f('ck_office_brand_colour_shape')),
    sa.CheckConstraint('financial_year_start_day BETWEEN 1 AND 31', name=op.f('ck_office_financial_year_start_day_in_range')),
    sa.CheckConstraint('financial_year_start_month BETWEEN 1 AND 12', name=op.f('ck_office_financial_year_start_month_in_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office')),
    sa.UniqueConstraint('funder_org_id', name=op.f('uq_office_funder_org_id')),
    sa.UniqueConstraint('grant_id_prefix', name=op.f('uq_office_grant_id_prefix')),
    sa.UniqueConstraint('name', name=op.f('uq_office_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_office_slug'))
    )

    for table in OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))

    conn = op.get_bind()
    if any(conn.scalar(sa.select(sa.func.count()).select_from(sa.table(table)))
           for table in OWNED):
        op.bulk_insert(office, [_thames_valley()])
        office_id = conn.scalar(sa.text("SELECT id FROM office WHERE slug = 'thames-valley'"))
        for table in OWNED:
            conn.execute(sa.table(table, sa.column('office_id')).update()
                         .values(office_id=office_id))

    with _foreign_keys_checked_at_the_end():
        for table, unique_column in OWNED.items():
            _own_by_office(table, unique_column)


def _own_by_office(table: str, unique_column: str | None) -> None:
    """The office column becomes required, indexed and a foreign key, and the table's unique
    column unique within each office."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column('office_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f(f'ix_{table}_office_id'), ['office_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f(f'fk_{table}_office_id_office'), 'office',
                                    ['office_id'], ['id'])
        if unique_column:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_{unique_column}'),
                                     type_='unique')
            batch_op.create_unique_constraint(
                batch_op.f(f'uq_{table}_office_id_{unique_column}'),
                ['office_id', unique_column])


def downgrade():
    """Back to one office's service: the office columns go, and the codes and names must again
    be unique across the service (a database holding a second office's may refuse)."""
    with _foreign_keys_checked_at_the_end():
        for table, unique_column in reversed(OWNED.items()):
            _owned_by_no_office(table, unique_column)
    op.drop_table('office')


def _owned_by_no_office(table: str, unique_column: str | None) -> None:
    """The office column goes, and the unique column is unique across the service again."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(f'fk_{table}_office_id_office'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f(f'ix_{table}_office_id'))
        if unique_column:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_office_id_{unique_column}'),
                                     type_='unique')
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_{unique_column}'),
                                              [unique_column])
        batch_op.drop_column('office_id')
