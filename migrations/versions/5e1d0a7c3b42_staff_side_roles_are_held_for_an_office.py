"""Staff-side roles are held for an office

A person's staff-side roles (staff, admin, reviewer, High Sheriff) are held for one office,
whose records alone they then see; an applicant's role is held for none (applicants' accounts
are the service's, shared by every office). Every staff-side role a database holds already is
the first office's (and one written later without an office, by a bulk load, counts as the
first office's: the models' `User.staff_office_id`); a database holding staff-side roles but no office yet (users made before
any reference data) gets the first office, as the migration that brought offices makes it.

Revision ID: 5e1d0a7c3b42
Revises: bec3ba9e98a3
Create Date: 2026-12-07 21:10:00.000000

"""
import os
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1d0a7c3b42'
down_revision = 'bec3ba9e98a3'
branch_labels = None
depends_on = None


def _thames_valley() -> dict:
    """The first office as bec3ba9e98a3 makes it (a frozen copy of its settings' defaults)."""
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


def upgrade():
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))

    conn = op.get_bind()
    roles = sa.table('user_role', sa.column('role', sa.String), sa.column('office_id', sa.Integer))
    staff_side = roles.c.role != 'applicant'
    if conn.scalar(sa.select(sa.func.count()).select_from(roles).where(staff_side)):
        office = sa.table('office', sa.column('id', sa.Integer), *(
            sa.column(name) for name in _thames_valley()))
        first = conn.scalar(sa.select(sa.func.min(office.c.id)))
        if first is None:
            conn.execute(office.insert().values(**_thames_valley()))
            first = conn.scalar(sa.select(sa.func.min(office.c.id)))
        conn.execute(roles.update().where(staff_side).values(office_id=first))

    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_role_office_id'), ['office_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_role_office_id_office'), 'office',
                                    ['office_id'], ['id'])
        batch_op.create_check_constraint(
            op.f('ck_user_role_applicants_hold_no_office'),
            "role <> 'applicant' OR office_id IS NULL")


def downgrade():
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_role_applicants_hold_no_office'),
                                 type_='check')
        batch_op.drop_constraint(batch_op.f('fk_user_role_office_id_office'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_role_office_id'))
        batch_op.drop_column('office_id')
