"""The one row-lock helper: what it returns, what it refuses, how it locks on SQLite, and that no
module of grants/ locks rows another way."""

from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select, update

from grants.applications.models import Application
from grants.core.errors import NotFound
from grants.core.locks import lock_row, lock_rows
from grants.extensions import db
from grants.plans.models import KeyAim, Plan
from tests.fixtures import source

# The only places that may say FOR UPDATE: the helper itself, and the outbox, whose
# `skip_locked` claim takes queued emails as work, not rows to guard.
MAY_LOCK = {"core/locks.py", "records/operations/outbox.py"}


@contextmanager
def statements_sent():
    sent: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        statement = " ".join(statement.split()).lower()
        if statement.startswith(("select", "update")):  # not the test's savepoints
            sent.append(statement)

    engine = db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


def sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def test_lock_row_returns_the_row_read_afresh(plan_factory):
    plan = plan_factory(title="Before")
    db.session.execute(update(Plan).where(Plan.id == plan.id).values(title="After")
                       .execution_options(synchronize_session=False))
    assert plan.title == "Before"  # the session has not seen the change

    locked = lock_row(db.session, Plan, plan.id)

    assert locked is plan
    assert plan.title == "After"


def test_lock_row_raises_not_found_for_a_missing_id(plan_factory):
    missing = plan_factory().id + 1000

    with pytest.raises(NotFound) as raised:
        lock_row(db.session, Plan, missing, missing="There is no such plan")
    assert raised.value.message == "There is no such plan"


def test_lock_row_locks_with_select_for_update_or_on_sqlite_a_write_first(plan_factory):
    plan_id = plan_factory(title="Kept").id

    with statements_sent() as sent:
        lock_row(db.session, Plan, plan_id)

    if sqlite():
        assert sent[0].startswith('update "plan" set id="plan".id where "plan".id =')
        assert sent[1].startswith("select")
    else:
        assert [s for s in sent if s.startswith("select") and s.endswith(" for update of plan")]
        assert not [s for s in sent if s.startswith("update")]
    assert db.session.get(Plan, plan_id).title == "Kept"


def test_the_sqlite_write_stamps_nothing(application_factory):
    stamped = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    application_id = application_factory(updated_at=stamped).id

    with statements_sent() as sent:
        lock_row(db.session, Application, application_id)

    if sqlite():
        assert sent[0].startswith("update application set id=application.id, "
                                  "updated_at=application.updated_at where")
    stored = db.session.scalar(select(Application.updated_at)
                               .where(Application.id == application_id))
    assert stored.replace(tzinfo=UTC) == stamped


def test_lock_rows_returns_the_chosen_rows_in_the_statements_order(key_aim_factory,
                                                                      priority_factory):
    priority, other = priority_factory(), priority_factory()
    aims = [key_aim_factory(priority=priority, number=n) for n in (2, 1, 3)]
    key_aim_factory(priority=other)

    locked = lock_rows(db.session, select(KeyAim).where(KeyAim.priority_id == priority.id)
                       .order_by(KeyAim.number))

    assert locked == sorted(aims, key=lambda aim: aim.number)


def test_lock_rows_without_criteria_locks_the_whole_table(plan_factory):
    plans = [plan_factory(), plan_factory()]
    db.session.expire_all()

    with statements_sent() as sent:
        locked = lock_rows(db.session, select(Plan).order_by(Plan.id))

    assert locked[-2:] == plans
    if sqlite():
        assert sent[0] == 'update "plan" set id="plan".id'


def test_no_module_locks_rows_but_through_core_locks():
    others = [module.relative for module in source.modules()
              if module.relative not in MAY_LOCK and "with_for_update" in module.text]

    assert others == []
