"""The declarative base, column types, enum, link-table, child-row and number-check helpers
shared by every model."""

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Engine,
    Enum,
    ForeignKey,
    MetaData,
    Table,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Relationship, registry, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored in UTC on every database.

    SQLite keeps no zone, so values are stored as naive UTC and come back aware; naive values
    are refused on the way in so that a local time can never be stored by mistake.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime; use an aware UTC one")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class LabelledEnum(enum.Enum):
    """An enum whose members carry the words people read for them, declared side by side:
    `AWARD_IN_PART = "award_in_part", "Award in part"`. The value alone is stored."""

    label: str

    def __new__(cls, value: str, label: str) -> "LabelledEnum":
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        return member


def str_enum(enum_class: type[enum.Enum], length: int = 40) -> Enum:
    """A non-native enum column that stores each member's value, so new values need no DDL."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    # Every datetime column is a UTCDateTime, so times are UTC whatever the database.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def link_table(name: str, owner: tuple[str, str], linked: tuple[str, str], *,
               delete_with_linked: bool = False) -> Table:
    """A many-to-many table of (column, "table.id") pairs; deleting the owner's row deletes
    its links (and so does deleting the linked row, with `delete_with_linked`)."""
    owner_column, owner_key = owner
    linked_column, linked_key = linked
    return Table(
        name,
        Base.metadata,
        Column(owner_column, ForeignKey(owner_key, ondelete="CASCADE"), primary_key=True),
        Column(linked_column,
               ForeignKey(linked_key, ondelete="CASCADE" if delete_with_linked else None),
               primary_key=True),
    )


def not_negative_if_given(column: str, name: str) -> CheckConstraint:
    """A check that an optional number column, when it holds one, is zero or more."""
    return CheckConstraint(f"{column} IS NULL OR {column} >= 0", name=name)


def positive_if_given(column: str, name: str) -> CheckConstraint:
    """A check that an optional number column, when it holds one, is more than zero."""
    return CheckConstraint(f"{column} IS NULL OR {column} > 0", name=name)


def child_rows(back_populates: str | None = None, **options: Any) -> Relationship[Any]:
    """A relationship to the rows that belong to this one: saved with it, and deleted with it or
    when taken from it."""
    return relationship(back_populates=back_populates, cascade="all, delete-orphan", **options)


def configure_sqlite(engine: Engine, *, busy_timeout_ms: int = 5000,
                     immediate: bool = False) -> None:
    """Make SQLite behave as the service needs: enforce foreign keys, wait for a busy writer
    rather than fail at once ("database is locked"), and let SQLAlchemy (not the pysqlite
    driver) begin transactions so that SAVEPOINTs work (SQLAlchemy's documented recipe for
    pysqlite).

    `immediate`: every transaction takes the write lock as it begins. SQLite cannot make a
    reading transaction a writing one while another writes (it answers "locked" at once, past
    any timeout), so a development server taking two requests at once would answer 503;
    taking the lock first makes the second wait its turn instead.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# The job queue's tables (procrastinate's, made by a migration for `flask worker`) share the
# database but are not models of ours.
FOREIGN_TABLE_PREFIXES = ("procrastinate_",)


def is_own_table(name: str | None, type_: str, parent_names: Any = None) -> bool:
    """Whether Alembic compares this name with the models: everything but the job queue's
    tables (an `include_name` hook for autogenerate and the migrations check)."""
    return not (type_ == "table" and name is not None
                and name.startswith(FOREIGN_TABLE_PREFIXES))
