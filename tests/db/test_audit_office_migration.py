"""a7d3c9e1f205: every audit event a database holds takes the office today's code would give
it (grants.records.operations.audit): the office of the record it names, else of the member of
staff who wrote it, else none."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from grants.accounts.models import Role
from grants.extensions import db
from grants.offices.operations.scoping import end_office_scope, scope_to_office
from grants.records.operations.audit import record_event
from tests.db.test_migrations import _app_on, _empty_database, _revision_before
from tests.fixtures.factories import (
    ApplicationFactory,
    AwardFactory,
    FundFactory,
    KeyAimFactory,
    OfficeFactory,
    OrganisationFactory,
    PlanFactory,
    PriorityFactory,
    RoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.own_database

REVISION = "a7d3c9e1f205"


@pytest.fixture
def fresh_app(app, tmp_path, monkeypatch):
    """An app on a new, empty database (as tests/db/test_migrations.py's)."""
    for url in _empty_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path):
        yield from _app_on(url, monkeypatch)


def _offices() -> dict[str, int | None]:
    with db.engine.connect() as conn:
        return dict(conn.execute(text("SELECT action, office_id FROM audit_event")).all())


def _write(session, action: str, kind: str, record_id: int | None, *, actor=None,
           scope: int | None = None) -> None:
    """An event as today's code writes it: from a session scoped to `scope`, if given."""
    if scope is not None:
        scope_to_office(session, scope)
    record_event(session, actor_id=actor.id if actor else None, action=action,
                 entity_type=kind, entity_id=record_id)
    end_office_scope(session)


def test_events_take_the_office_of_their_record_else_of_the_staff_who_wrote_them(fresh_app):
    upgrade()
    session = db.session
    first, second = OfficeFactory(), OfficeFactory(slug="dyfed-powys")
    first_round = RoundFactory(fund=FundFactory(office=first))
    second_fund = FundFactory(office=second, code="DPF")
    second_round = RoundFactory(fund=second_fund, code="DP-1")
    application = ApplicationFactory(round=first_round)
    award = AwardFactory(round=second_round)
    plan = PlanFactory(office=second, code="DP-PLAN")
    priority = PriorityFactory(plan=plan)
    key_aim = KeyAimFactory(priority=priority)
    first_staff = UserFactory(roles=[Role.STAFF], roles__office=first)
    second_staff = UserFactory(roles=[Role.ADMIN], roles__office=second)
    applicant = UserFactory()
    organisation = OrganisationFactory()
    gone = application.id + 1000

    _write(session, "round.by.command", "round", second_round.id)
    _write(session, "application.by.applicant", "application", application.id, actor=applicant)
    _write(session, "award.by.staff", "award", award.id, actor=second_staff, scope=second.id)
    _write(session, "fund.by.command", "fund", second_fund.id)
    _write(session, "plan.by.staff", "plan", plan.id, actor=second_staff, scope=second.id)
    _write(session, "priority.by.command", "priority", priority.id)
    _write(session, "key_aim.by.command", "key_aim", key_aim.id)
    _write(session, "office.by.command", "office", second.id)
    _write(session, "staff.by.command", "user", second_staff.id)
    _write(session, "applicant.by.applicant", "user", applicant.id, actor=applicant)
    _write(session, "organisation.by.applicant", "organisation", organisation.id,
           actor=applicant)
    _write(session, "organisation.by.staff", "organisation", organisation.id,
           actor=second_staff, scope=second.id)
    _write(session, "deleted.by.staff", "application", gone, actor=first_staff, scope=first.id)
    _write(session, "keys.by.command", "encryption_keys", None)
    session.commit()
    first_id, second_id = first.id, second.id
    session.remove()
    written = _offices()
    downgrade(revision=_revision_before(REVISION))

    upgrade()

    assert _offices() == written
    assert written == {
        "round.by.command": second_id, "application.by.applicant": first_id,
        "award.by.staff": second_id, "fund.by.command": second_id,
        "plan.by.staff": second_id, "priority.by.command": second_id,
        "key_aim.by.command": second_id, "office.by.command": second_id,
        "staff.by.command": second_id, "applicant.by.applicant": None,
        "organisation.by.applicant": None, "organisation.by.staff": second_id,
        "deleted.by.staff": first_id, "keys.by.command": None,
    }
