"""Figures kept until the data changes: every committed write replaces the token they are kept
under, a write not yet committed keeps nothing, a rollback brings no old token back, and only
grants/core/data_version.py touches the token's table."""

from sqlalchemy import text, update

from grants.accounts.operations import sessions
from grants.core import clock, data_version
from grants.extensions import db
from grants.plans.models import Plan
from tests.fixtures import source


class Counter:
    """A figure that says how often it was worked out."""

    def __init__(self):
        self.times = 0

    def __call__(self):
        self.times += 1
        return self.times


def test_a_figure_is_worked_out_once_while_nothing_changes():
    work_out = Counter()
    assert data_version.kept(db.session, ("figure", 1), work_out) == 1
    assert data_version.kept(db.session, ("figure", 1), work_out) == 1
    assert data_version.kept(db.session, ("figure", 2), work_out) == 2


def test_a_committed_write_replaces_the_token_and_the_figure_is_worked_out_again(plan_factory):
    work_out = Counter()
    data_version.kept(db.session, "figure", work_out)
    before = data_version.current_token(db.session)

    plan_factory(title="A new plan")  # added and committed

    assert data_version.current_token(db.session) != before
    assert data_version.kept(db.session, "figure", work_out) == 2


def test_a_change_left_for_the_commit_to_write_counts_too(plan_factory):
    plan = plan_factory(title="Before")
    before = data_version.current_token(db.session)
    plan.title = "After"
    db.session.commit()
    assert data_version.current_token(db.session) != before


def test_an_update_statement_counts_as_a_write(plan_factory):
    plan = plan_factory()
    before = data_version.current_token(db.session)
    db.session.execute(update(Plan).where(Plan.id == plan.id).values(title="Changed"))
    db.session.commit()
    assert data_version.current_token(db.session) != before


def test_written_sql_counts_as_a_write_unless_it_only_reads(plan_factory):
    plan = plan_factory()
    before = data_version.current_token(db.session)
    db.session.execute(text("SELECT count(*) FROM plan"))
    db.session.commit()
    assert data_version.current_token(db.session) == before
    db.session.execute(text("UPDATE plan SET title = 'Changed' WHERE id = :id"), {"id": plan.id})
    db.session.commit()
    assert data_version.current_token(db.session) != before


def test_nothing_is_kept_while_a_write_waits_to_be_committed(plan_factory):
    plan = plan_factory()
    work_out = Counter()
    plan.title = "Not committed yet"
    db.session.flush()
    assert [data_version.kept(db.session, "figure", work_out) for _ in range(2)] == [1, 2]
    db.session.rollback()
    # The figures of the undone write were not kept: worked out again now.
    assert data_version.kept(db.session, "figure", work_out) == 3
    assert data_version.kept(db.session, "figure", work_out) == 3


def test_a_rolled_back_write_leaves_the_token_as_it_was(plan_factory):
    plan = plan_factory()
    before = data_version.current_token(db.session)
    plan.title = "Undone"
    db.session.flush()
    db.session.rollback()
    assert data_version.current_token(db.session) == before


def test_bookkeeping_writes_change_nothing_kept(user_factory):
    user = user_factory()
    record = sessions.begin(db.session, user, user_agent="Firefox")
    db.session.commit()
    before = data_version.current_token(db.session)
    sessions.seen_now(record, now=clock.utcnow() + sessions.LAST_SEEN_PRECISION * 2)
    db.session.commit()
    assert data_version.current_token(db.session) == before


def test_with_keeping_off_every_figure_is_worked_out_afresh():
    work_out = Counter()
    data_version.install(keeping=False)
    try:
        assert [data_version.kept(db.session, "afresh", work_out) for _ in range(2)] == [1, 2]
    finally:
        data_version.install(keeping=True)
    assert data_version.kept(db.session, "afresh", work_out) == 3
    assert data_version.kept(db.session, "afresh", work_out) == 3


def test_tokens_are_random_never_a_count():
    assert len({data_version.new_token() for _ in range(100)}) == 100


def test_what_is_kept_is_bounded(monkeypatch):
    monkeypatch.setattr(data_version, "MAX_KEPT", 3)
    for number in range(5):
        data_version.kept(db.session, ("bounded", number), Counter())
    kept = [key for key, _ in data_version._kept if isinstance(key, tuple) and key[0] == "bounded"]
    assert kept == [("bounded", 2), ("bounded", 3), ("bounded", 4)]


def test_only_the_data_version_module_touches_its_table():
    touching = sorted(source.modules_matching(
        r"(update|insert|delete|select)\(\s*data_version\b|data_version\.c\.|\"data_version\""))
    # (all_models names every table, so that the migrations see it.)
    assert touching == ["all_models.py", "core/data_version.py"]
