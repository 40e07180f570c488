"""Retention: `flask retention run` anonymises old unsuccessful applications and unused
accounts, keeping figures, references and audit ids; a dry run changes nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from grants.accounts.models import User
from grants.accounts.operations.passwords import verify_password
from grants.applications.models import (
    Application,
    ApplicationSection,
    ApplicationStatus,
    BudgetLine,
    Document,
    DocumentKind,
)
from grants.documents.operations.storage import LocalFolderStorage, MissingFile
from grants.records.models import AuditEvent
from grants.records.operations.audit import record_event
from grants.records.operations.outbox import queue_email
from grants.security.operations.retention import cutoff_for
from tests.fixtures.factories import TEST_PASSWORD

NOW = datetime.now(UTC)
LONG_AGO = NOW - timedelta(days=7 * 365)
RECENTLY = NOW - timedelta(days=365)


@pytest.fixture
def storage(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return LocalFolderStorage(str(tmp_path))


@pytest.fixture
def old_round(round_factory):
    return round_factory(opens_at=LONG_AGO - timedelta(days=30), closes_at=LONG_AGO)


@pytest.fixture
def make_application(application_factory, db_session, user_factory):
    """An application with words, a budget line, an answered section and (optionally) a file."""

    def make(round_, status, *, storage=None, reference=None):
        application = application_factory(
            round=round_, status=status, reference=reference, sequence=1 if reference else None,
            title="Help for Jo Bloggs",
            summary="Jo Bloggs, 07700 900123", description="Personal story",
            outcomes="Jo feels safer", declared_by_name="Jo Bloggs",
            declared_by_position="Chair", amount_requested_pence=123_400,
            withdrawal_reason="Jo moved away", created_by=user_factory(),
        )
        application.budget_lines.append(
            BudgetLine(position=1, description="Jo's taxi", amount_pence=5_000))
        application.sections.append(ApplicationSection(key="project", answers={"name": "Jo"}))
        if storage is not None:
            key = storage.save(b"%PDF-1.4 personal")
            application.documents.append(Document(
                kind=DocumentKind.SAFEGUARDING_POLICY,
                original_filename="jo-bloggs.pdf", storage_key=key,
                content_type="application/pdf", size_bytes=17, sha256="0" * 64))
        db_session.commit()
        return application

    return make


def _run(runner, *args):
    result = runner.invoke(args=["retention", "run", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_cut_off_is_the_configured_number_of_years_ago():
    assert cutoff_for(6, datetime(2030, 5, 1, tzinfo=UTC)) == datetime(2024, 5, 1, tzinfo=UTC)
    assert cutoff_for(1, datetime(2028, 2, 29, tzinfo=UTC)) == datetime(2027, 2, 28, tzinfo=UTC)


@pytest.mark.parametrize("status", [ApplicationStatus.DECLINED, ApplicationStatus.INELIGIBLE,
                                    ApplicationStatus.WITHDRAWN, ApplicationStatus.DRAFT])
def test_an_old_unsuccessful_application_loses_its_words_but_keeps_its_figures(
    runner, db_session, old_round, make_application, storage, status
):
    application = make_application(old_round, status, storage=storage,
                                   reference=f"PPAF-OLD-{status.value}")
    key = application.documents[0].storage_key

    output = _run(runner)

    db_session.expire_all()
    application = db_session.get(Application, application.id)
    assert "Anonymised 1 application (1 document removed)" in output
    assert application.anonymised_at is not None
    assert application.title == f"Application PPAF-OLD-{status.value} (anonymised)"
    for name in ("summary", "description", "outcomes", "declared_by_name",
                 "declared_by_position", "withdrawal_reason"):
        assert getattr(application, name) == "", name
    assert application.budget_lines[0].description == "Budget line 1"
    assert application.budget_lines[0].amount_pence == 5_000
    assert application.sections[0].answers == {}
    assert application.documents == []
    with pytest.raises(MissingFile):
        storage.open(key)
    assert application.status is status
    assert application.amount_requested_pence == 123_400
    assert application.reference == f"PPAF-OLD-{status.value}"
    assert db_session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == "application", AuditEvent.entity_id == application.id)
    ).all() == ["application.anonymised"]


@pytest.mark.parametrize("status", [ApplicationStatus.AWARDED, ApplicationStatus.PAID,
                                    ApplicationStatus.SUBMITTED, ApplicationStatus.CLOSED])
def test_successful_or_live_applications_are_kept(runner, db_session, old_round,
                                                  make_application, status):
    application = make_application(old_round, status)

    _run(runner)

    db_session.expire_all()
    kept = db_session.get(Application, application.id)
    assert kept.anonymised_at is None and kept.summary == "Jo Bloggs, 07700 900123"


def test_applications_of_rounds_closed_recently_are_kept(runner, db_session, round_factory,
                                                         make_application):
    recent = round_factory(opens_at=RECENTLY - timedelta(days=30), closes_at=RECENTLY)
    application = make_application(recent, ApplicationStatus.DECLINED)

    _run(runner)

    db_session.expire_all()
    assert db_session.get(Application, application.id).anonymised_at is None


def test_an_unused_account_is_replaced_by_placeholders(runner, db_session, user_factory):
    user = user_factory(name="Jo Bloggs", email="jo@example.org", created_at=LONG_AGO,
                        last_signed_in_at=LONG_AGO, totp_secret="JBSWY3DPEHPK3PXP",
                        totp_confirmed_at=LONG_AGO)
    record_event(db_session, actor_id=user.id, action="thing.done", entity_type="award",
                 entity_id=3)
    queue_email(db_session, to_address="jo@example.org", subject="Hi", body_text="Dear Jo")
    db_session.commit()

    output = _run(runner)

    db_session.expire_all()
    user = db_session.get(User, user.id)
    assert "1 account (1 email redacted)" in output
    assert user.email == f"deleted-user-{user.id}@invalid"
    assert user.name == "Deleted user"
    assert not user.is_active_account
    assert not verify_password(user.password_hash, TEST_PASSWORD)
    assert user.totp_secret is None and user.anonymised_at is not None
    # The audit trail keeps pointing at the same id.
    assert db_session.scalars(select(AuditEvent.actor_id).where(
        AuditEvent.action == "thing.done")).one() == user.id


def test_an_account_never_signed_in_counts_from_its_creation(runner, db_session,
                                                             user_factory):
    old = user_factory(created_at=LONG_AGO, last_signed_in_at=None)
    new = user_factory(created_at=RECENTLY, last_signed_in_at=None)
    used = user_factory(created_at=LONG_AGO, last_signed_in_at=RECENTLY)

    _run(runner)

    db_session.expire_all()
    assert db_session.get(User, old.id).anonymised_at is not None
    assert db_session.get(User, new.id).anonymised_at is None
    assert db_session.get(User, used.id).anonymised_at is None


def test_a_dry_run_counts_and_changes_nothing(runner, db_session, old_round, make_application,
                                              user_factory, storage):
    application = make_application(old_round, ApplicationStatus.DECLINED, storage=storage)
    user = user_factory(created_at=LONG_AGO, last_signed_in_at=LONG_AGO)
    events_before = db_session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))

    output = _run(runner, "--dry-run")

    db_session.expire_all()
    assert "Would anonymise 1 application (1 document removed) and" in output
    assert "Dry run: nothing was changed." in output
    assert db_session.get(Application, application.id).anonymised_at is None
    assert db_session.get(Application, application.id).documents
    assert db_session.get(User, user.id).anonymised_at is None
    assert db_session.scalar(
        select(AuditEvent.id).order_by(AuditEvent.id.desc())) == events_before


def test_running_twice_changes_nothing_the_second_time(runner, db_session, old_round,
                                                       make_application):
    make_application(old_round, ApplicationStatus.WITHDRAWN)
    _run(runner)

    assert "Anonymised 0 applications" in _run(runner)


def test_the_years_come_from_the_setting(runner, app, db_session, round_factory,
                                         make_application, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_YEARS", 10)
    application = make_application(
        round_factory(opens_at=LONG_AGO - timedelta(days=9), closes_at=LONG_AGO),
        ApplicationStatus.DECLINED)

    _run(runner)

    db_session.expire_all()
    assert db_session.get(Application, application.id).anonymised_at is None


def test_the_personal_data_command_exports_json(runner, db_session, user_factory, tmp_path):
    import json
    user_factory(email="pat@example.org", name="Pat Person")
    target = tmp_path / "pat.json"

    result = runner.invoke(args=["personal-data", "export", "PAT@example.org", "-o",
                                 str(target)])

    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text())
    assert data["account"]["name"] == "Pat Person"
    assert runner.invoke(args=["personal-data", "export", "nobody@example.org"]).exit_code != 0
