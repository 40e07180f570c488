"""In development (`make run`) an email goes out, to the log without SMTP, as soon as the
request that queued it has committed: a newcomer can read their confirmation link."""

import logging

from sqlalchemy import select

from grants.records.models import OutboxMessage, OutboxStatus
from tests.accounts.test_registration import register


def test_the_confirmation_email_is_in_the_log_once_registration_is_done(
        app, client, db_session, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "SEND_EMAILS_AFTER_EACH_REQUEST", True)
    caplog.set_level(logging.INFO, logger="grants.records")

    register(client)

    message = db_session.scalars(select(OutboxMessage)).one()
    assert message.status is OutboxStatus.SENT
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("email to")]
    assert len(logged) == 1 and "rosalind@example.org" in logged[0]
    assert "/account/verify/" in logged[0]


def test_elsewhere_emails_wait_for_the_sending_command(client, db_session):
    register(client)
    assert db_session.scalars(select(OutboxMessage)).one().status is OutboxStatus.PENDING
