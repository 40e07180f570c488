"""The worker's job queue: procrastinate's tables and functions, on PostgreSQL only

`flask worker` (procrastinate) keeps its jobs in the service's own PostgreSQL database, so
building or updating the database builds the queue too. The schema is procrastinate 3.10's own
schema.sql, kept beside the migrations (migrations/procrastinate/) so that this migration
always builds the same thing; a procrastinate release that changes its schema ships migration
files, which a later migration of ours applies in the same way.

Its tables are not our models: the check that models and migrations agree leaves out every
table named procrastinate_* (grants.db.is_own_table). SQLite (development) has no worker, so
nothing is made there.

Revision ID: f26f5cb1bec4
Revises: d681019fc57a
Create Date: 2026-12-07 09:00:00.000000

"""
from pathlib import Path

from alembic import op


# revision identifiers, used by Alembic.
revision = 'f26f5cb1bec4'
down_revision = 'd681019fc57a'
branch_labels = None
depends_on = None

SCHEMA = Path(__file__).resolve().parents[1] / "procrastinate" / "schema-3.10.0.sql"

DROP = """
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
    procrastinate_workers CASCADE;
DO $$
DECLARE routine regprocedure;
BEGIN
    FOR routine IN
        SELECT p.oid::regprocedure FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE 'DROP ROUTINE ' || routine;
    END LOOP;
END;
$$;
DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type,
    procrastinate_job_status;
"""


def _run_script(sql):
    """Several statements, with PL/pgSQL's own % signs, sent as they are (no parameters)."""
    op.get_bind().connection.driver_connection.execute(sql)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _run_script(SCHEMA.read_text(encoding="utf-8"))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _run_script(DROP)
