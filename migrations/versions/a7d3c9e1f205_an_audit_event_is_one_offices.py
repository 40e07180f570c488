"""An audit event is one office's

Each event holds the office it belongs to, so an office's staff read their own office's events
alone (grants.records.operations.audit gives the rule). An event already written takes the
office of the record it names (a round's through its fund, an application's through its
round, a member of staff's through their roles...); an event naming a record every office
shares (an organisation), or one since deleted, takes the office of the member of staff who
did it, as the session they wrote it from was scoped to their office; the rest (a person's own
account, the commands' work) are no office's.

Revision ID: a7d3c9e1f205
Revises: 8c2f4e6a1d90
Create Date: 2026-12-08 00:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3c9e1f205'
down_revision = '8c2f4e6a1d90'
branch_labels = None
depends_on = None

# The office of a round, a person, and of each kind of record an event names: SQL giving the
# office of the row whose id is {id}. Frozen here, as the tables stand at this revision.
_ROUND = ('SELECT f.office_id FROM funding_round r JOIN fund f ON f.id = r.fund_id '
          'WHERE r.id = {id}')
_AWARD = 'SELECT a.round_id FROM award a WHERE a.id = {id}'
_PLAN = 'SELECT p.office_id FROM plan p WHERE p.id = {id}'
# A person is one office's when their staff-side roles are held for it (an applicant's is
# held for none).
_PERSON = ('SELECT CASE WHEN count(DISTINCT ur.office_id) = 1 THEN min(ur.office_id) END '
           'FROM user_role ur WHERE ur.user_id = {id} AND ur.office_id IS NOT NULL')
_OFFICE_OF_KIND = {
    'office': 'SELECT o.id FROM office o WHERE o.id = {id}',
    'fund': 'SELECT f.office_id FROM fund f WHERE f.id = {id}',
    'plan': _PLAN,
    'priority': _PLAN.format(id='(SELECT pr.plan_id FROM priority pr WHERE pr.id = {id})'),
    'key_aim': _PLAN.format(id='(SELECT pr.plan_id FROM priority pr JOIN key_aim k '
                               'ON k.priority_id = pr.id WHERE k.id = {id})'),
    'ceremony': 'SELECT c.office_id FROM ceremony c WHERE c.id = {id}',
    'ceremony_invitation': ('SELECT c.office_id FROM ceremony c JOIN ceremony_invitation i '
                            'ON i.ceremony_id = c.id WHERE i.id = {id}'),
    'round': _ROUND,
    'application': _ROUND.format(id='(SELECT a.round_id FROM application a WHERE a.id = {id})'),
    'nomination': _ROUND.format(id='(SELECT n.round_id FROM nomination n WHERE n.id = {id})'),
    'interest': _ROUND.format(
        id='(SELECT e.round_id FROM expression_of_interest e WHERE e.id = {id})'),
    'award': _ROUND.format(id='(' + _AWARD + ')'),
    'payment': _ROUND.format(id='(' + _AWARD.format(
        id='(SELECT p.award_id FROM payment p WHERE p.id = {id})') + ')'),
    'monitoring_report': _ROUND.format(id='(' + _AWARD.format(
        id='(SELECT m.award_id FROM monitoring_report m WHERE m.id = {id})') + ')'),
    'user': _PERSON,
}


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_event_office_id_office'), 'office',
                                    ['office_id'], ['id'])

    conn = op.get_bind()
    update = ('UPDATE audit_event SET office_id = ({office}) '
              'WHERE entity_type = :kind AND office_id IS NULL')
    for kind, office in _OFFICE_OF_KIND.items():
        conn.execute(sa.text(update.format(office=office.format(id='audit_event.entity_id'))),
                     {'kind': kind})
    # A record every office shares, or one since deleted: the office of whoever did it.
    conn.execute(sa.text(
        'UPDATE audit_event SET office_id = ({office}) WHERE office_id IS NULL'.format(
            office=_PERSON.format(id='audit_event.actor_id'))))
    # An office's audit log: its events, newest first (built once they hold their office).
    op.create_index('ix_audit_event_office_occurred_at', 'audit_event',
                    ['office_id', 'occurred_at'], unique=False)


def downgrade():
    op.drop_index('ix_audit_event_office_occurred_at', table_name='audit_event')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_event_office_id_office'),
                                 type_='foreignkey')
        batch_op.drop_column('office_id')
