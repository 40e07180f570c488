"""A development server on SQLite answers two writing requests at once: the second waits its
turn instead of failing with "database is locked" (a 503)."""

import threading

from sqlalchemy import create_engine, text

from config import CONFIGS
from grants.db import configure_sqlite


def _two_writers_at_once(path, *, immediate: bool) -> list[str]:
    """Each writer reads, waits for the other to have read, then writes: SQLite cannot turn
    a reading transaction into a writing one while another does the same."""
    engine = create_engine(f"sqlite:///{path}")
    configure_sqlite(engine, busy_timeout_ms=2000, immediate=immediate)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS counter (n INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    both_read = threading.Barrier(2, timeout=1)
    failures: list[str] = []

    def writer():
        try:
            with engine.begin() as connection:
                connection.execute(text("SELECT n FROM counter")).all()
                try:
                    both_read.wait()
                except threading.BrokenBarrierError:
                    pass  # the other waits for our lock: it will read after we commit
                connection.execute(text("UPDATE counter SET n = n + 1"))
        except Exception as error:  # noqa: BLE001 - what the writer would have answered
            failures.append(type(error).__name__)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    return failures


def test_taking_the_write_lock_first_lets_both_writers_finish(tmp_path):
    assert _two_writers_at_once(tmp_path / "immediate.sqlite", immediate=True) == []


def test_without_it_one_of_two_writers_fails_at_once(tmp_path):
    """What the development server did before: the test that the setting is needed."""
    assert _two_writers_at_once(tmp_path / "deferred.sqlite", immediate=False) == [
        "OperationalError"]


def test_only_development_takes_the_write_lock_first():
    assert [name for name, config in CONFIGS.items()
            if config.SQLITE_IMMEDIATE_TRANSACTIONS] == ["development"]
