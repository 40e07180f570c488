"""Nomination rounds say which types of organisation a High Sheriff may nominate

A fund says whether councils and Community Safety Partnerships may receive its money
(`fund.for_councils`: the Community Safety Fund's, not the Police Property Act Fund's). A
nomination round keeps the types of organisation it may award in `round_organisation_type`,
as an open round keeps who may apply; a nomination round made before had none, so it gets the
default: every type, less councils and partnerships unless its fund is for them.

Revision ID: a7c3e91d5b20
Revises: 65c652372325
Create Date: 2026-12-07 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e91d5b20'
down_revision = '65c652372325'
branch_labels = None
depends_on = None

TYPES = ("registered_charity", "cio", "charitable_company", "cic", "community_group",
         "local_authority", "community_safety_partnership", "school", "faith_group", "other")
COUNCIL_TYPES = ("local_authority", "community_safety_partnership")


def upgrade():
    # A plain ALTER, not a batch: SQLite would rebuild the table, which rounds refer to.
    op.add_column('fund', sa.Column('for_councils', sa.Boolean(), nullable=False,
                                    server_default=sa.false()))
    op.execute(sa.text("UPDATE fund SET for_councils = :yes WHERE code = 'CSF'").bindparams(
        yes=True))

    connection = op.get_bind()
    rounds = connection.execute(sa.text(
        "SELECT r.id, f.for_councils FROM funding_round r JOIN fund f ON f.id = r.fund_id "
        "WHERE r.kind = 'nomination' AND NOT EXISTS "
        "(SELECT 1 FROM round_organisation_type t WHERE t.round_id = r.id)")).all()
    rows = [{"round_id": round_id, "organisation_type": kind}
            for round_id, for_councils in rounds
            for kind in TYPES if for_councils or kind not in COUNCIL_TYPES]
    if rows:
        connection.execute(sa.text(
            "INSERT INTO round_organisation_type (round_id, organisation_type) "
            "VALUES (:round_id, :organisation_type)"), rows)


def downgrade():
    # The nomination rounds' types are kept: before this revision they were allowed and
    # unused, so they change nothing.
    op.drop_column('fund', 'for_councils')
