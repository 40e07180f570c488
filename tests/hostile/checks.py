"""What a hostile post may and may not do: snapshots of the database and the app's log."""

import io
import logging
from contextlib import contextmanager

from sqlalchemy import select, text
from werkzeug.datastructures import MultiDict

from grants.extensions import db

# The table each URL argument names a row of: its columns must not change when a post is
# refused.
ARGUMENT_TABLES = {
    "application_id": "application", "award_id": "award", "round_id": "funding_round",
    "organisation_id": "organisation", "nomination_id": "nomination",
    "report_id": "monitoring_report", "plan_id": "plan", "priority_id": "priority",
    "key_aim_id": "key_aim", "fund_id": "fund", "payment_id": "payment",
    "assignment_id": "review_assignment", "review_id": "review",
    "criterion_id": "scoring_criterion", "question_id": "eligibility_question",
    "details_id": "bank_details", "recipient_id": "allocation_recipient",
    "membership_id": "membership", "question_section_id": "question_section",
    "round_question_id": "round_question",
}


@contextmanager
def undone():
    """Undo, when the block ends, everything the requests inside it committed.

    Each test runs in an outer transaction on one connection (tests/conftest.py); a savepoint
    on that connection holds the savepoints the app's commits release.
    """
    db.session.remove()
    savepoint = db.engines[None].begin_nested()
    try:
        yield
    finally:
        db.session.remove()
        savepoint.rollback()


def row_counts() -> dict[str, int]:
    """The number of rows in every table, in one query."""
    tables = [table.name for table in db.metadata.sorted_tables]
    query = " UNION ALL ".join(f"SELECT '{name}', COUNT(*) FROM \"{name}\"" for name in tables)
    return dict(db.session.execute(text(query)).all())


def contents() -> dict[str, list[str]]:
    """Every row of every table, read on the test's connection: what a request flushed or
    committed there shows, whatever its session holds."""
    connection = db.engines[None]
    return {table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for table in db.metadata.sorted_tables}


def records(values: dict) -> dict[str, tuple | None]:
    """The rows the form's address names, column by column."""
    rows = {}
    for name, value in values.items():
        table = ARGUMENT_TABLES.get(name)
        if table is not None:
            row = db.session.execute(text(f'SELECT * FROM "{table}" WHERE id = :id'),
                                     {"id": value}).first()
            rows[f"{table} {value}"] = tuple(row) if row is not None else None
    return rows


def form_data(pairs: list, csrf_token: str) -> MultiDict:
    """The pairs as the test client posts them: dates as three boxes, bytes as a file."""
    data = MultiDict([("csrf_token", csrf_token)])
    for name, value in pairs:
        if isinstance(value, tuple):
            for part in value:
                data.add(name, part)
        elif isinstance(value, bytes):
            data.add(name, (io.BytesIO(value), "<script>.html"))
        else:
            data.add(name, value)
    return data


def shorten(pairs: list) -> str:
    """The post, readable in a failure message."""
    def short(value):
        text_value = repr(value)
        return text_value if len(text_value) <= 60 else f"{text_value[:40]}…({len(text_value)})"
    return ", ".join(f"{name}={short(value)}" for name, value in pairs) or "(no fields)"


class ErrorLog(logging.Handler):
    """Keeps the ERROR records any logger writes while it is installed."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self):
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc_info):
        logging.getLogger().removeHandler(self)
