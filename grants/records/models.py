"""Audit events (append-only) and outbox messages."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from grants.core.clock import created_now
from grants.db import str_enum
from grants.extensions import db
from grants.offices.models import OfficeOwned


class AuditEvent(OfficeOwned, db.Model):
    """Who did what to which record, and when, with the values before and after.

    An event is the office's of the record it is about, or of the session that wrote it; an
    event of no office (a person's own account, an organisation changed by its members) is
    read by no office's staff (grants.records.operations.audit says why)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_entity", "entity_type", "entity_id"),
        # An office's audit log: its events, newest first.
        Index("ix_audit_event_office_occurred_at", "office_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    occurred_at: Mapped[datetime] = mapped_column(default=created_now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(80))
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # e.g. "assisted digital: completed by staff on the organisation's behalf"
    note: Mapped[str] = mapped_column(Text, default="")


class OutboxStatus(enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; kept for staff to see and resend


class OutboxMessage(db.Model):
    """An email waiting to be sent, written in the same transaction as the change it reports."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=created_now)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, 10), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=created_now)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None]
    # Makes "send this email once" safe to repeat, e.g. a resent submission form.
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
