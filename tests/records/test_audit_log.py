"""The audit log: admins read it, filtered; nothing in the app changes or deletes an event."""

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

import grants
from grants.accounts.models import Role
from grants.offices.operations.owning import office_owned_model
from grants.offices.operations.scoping import end_office_scope, scope_to_office
from grants.records.models import AuditEvent
from grants.records.operations.audit import record_event
from grants.records.operations.audit_guard import AuditEventIsPermanent
from grants.records.operations.outbox import queue_email
from tests.fixtures.auth import post_form
from tests.fixtures.factories import OfficeFactory


def _event(session, *, actor=None, action="thing.done", entity_type="application", entity_id=1,
           at=None, before=None, after=None):
    """An event written by a session of the first office's (the admin's), about a record that
    is no office's own (ids of no record): the first office's, by its session's scope."""
    office_id = OfficeFactory().id
    if at is None:
        scope_to_office(session, office_id)
        try:
            event = record_event(session, actor_id=actor.id if actor else None, action=action,
                                 entity_type=entity_type, entity_id=entity_id, before=before,
                                 after=after)
        finally:
            end_office_scope(session)
    else:
        # Set before the first flush: afterwards the event can no longer change.
        event = AuditEvent(actor_id=actor.id if actor else None, action=action,
                           entity_type=entity_type, entity_id=entity_id, before=before,
                           after=after, occurred_at=at, office_id=office_id)
        session.add(event)
    session.commit()
    return event


@pytest.fixture
def admin_client(sign_in_as, user_factory):
    return sign_in_as(user_factory(name="Ada Admin", email="admin@example.org",
                                   roles=[Role.ADMIN]))


def _actions(html: str, wanted: list[str]) -> list[str]:
    return [action for action in wanted if f">{action}" in html]


@pytest.mark.parametrize("roles", [[Role.STAFF], [Role.APPLICANT], [Role.REVIEWER]])
def test_only_admins_see_the_audit_log(sign_in_as, user_factory, roles):
    client = sign_in_as(user_factory(roles=roles))

    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/data-export").status_code == 403


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get("/admin/audit")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_admins_see_events_newest_first_with_who_and_the_values(admin_client, db_session,
                                                                 user_factory):
    actor = user_factory(name="Olive Officer", email="olive@example.org")
    _event(db_session, actor=actor, action="award.offered", entity_type="award", entity_id=7,
           before={"status": "draft"}, after={"status": "<offered>"},
           at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    _event(db_session, action="outbox.sent", at=datetime(2026, 3, 3, 9, 0, tzinfo=UTC))

    response = admin_client.get("/admin/audit")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.index(">outbox.sent") < html.index(">award.offered")
    assert "Olive Officer" in html and "olive@example.org" in html
    assert "The service" in html
    assert "award 7" in html
    assert "offered" in html and "<offered>" not in html  # escaped
    assert "2 March 2026" in html
    assert html.count("<h1") == 1


def test_the_log_filters_by_who_did_it(admin_client, db_session, user_factory):
    olive = user_factory(email="olive@example.org")
    other = user_factory()
    _event(db_session, actor=olive, action="by.olive")
    _event(db_session, actor=other, action="by.other")

    by_email = admin_client.get("/admin/audit?user=Olive@Example.org").get_data(as_text=True)
    by_id = admin_client.get(f"/admin/audit?user={other.id}").get_data(as_text=True)

    assert _actions(by_email, ["by.olive", "by.other"]) == ["by.olive"]
    assert _actions(by_id, ["by.olive", "by.other"]) == ["by.other"]


def test_an_unknown_user_in_the_filter_is_an_error_on_that_field(admin_client):
    response = admin_client.get("/admin/audit?user=nobody@example.org")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is no user with that email address" in html
    assert "<title>Error: Audit log" in html


def test_the_log_filters_by_record(admin_client, db_session):
    _event(db_session, action="on.award.7", entity_type="award", entity_id=7)
    _event(db_session, action="on.award.8", entity_type="award", entity_id=8)
    _event(db_session, action="on.application.7", entity_type="application", entity_id=7)

    html = admin_client.get("/admin/audit?entity_type=award&entity_id=7").get_data(as_text=True)
    kinds = admin_client.get("/admin/audit?entity_type=award").get_data(as_text=True)

    wanted = ["on.award.7", "on.award.8", "on.application.7"]
    assert _actions(html, wanted) == ["on.award.7"]
    assert _actions(kinds, wanted) == ["on.award.7", "on.award.8"]


def test_the_log_filters_by_london_dates_both_included(admin_client, db_session):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    _event(db_session, action="late.june.utc", at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    _event(db_session, action="june.29", at=datetime(2026, 6, 29, 12, 0, tzinfo=UTC))
    _event(db_session, action="july.2", at=datetime(2026, 7, 2, 12, 0, tzinfo=UTC))

    html = admin_client.get(
        "/admin/audit?from_day=1&from_day=7&from_day=2026&to_day=1&to_day=7&to_day=2026"
    ).get_data(as_text=True)

    assert _actions(html, ["late.june.utc", "june.29", "july.2"]) == ["late.june.utc"]


def test_an_end_date_before_the_start_is_refused(admin_client):
    response = admin_client.get(
        "/admin/audit?from_day=2&from_day=7&from_day=2026&to_day=1&to_day=7&to_day=2026")

    assert "The end date must be the same as or after the start date" in response.get_data(
        as_text=True)


def test_the_log_is_paged_and_keeps_the_filters(admin_client, db_session):
    for number in range(55):
        _event(db_session, action=f"numbered.{number:02d}", entity_type="award")

    first = admin_client.get("/admin/audit?entity_type=award").get_data(as_text=True)
    second = admin_client.get("/admin/audit?entity_type=award&page=2").get_data(as_text=True)

    assert ">numbered.54" in first and ">numbered.04" not in first
    assert ">numbered.04" in second and ">numbered.54" not in second
    assert "entity_type=award&amp;page=2" in first or "page=2&amp;entity_type=award" in first


def test_the_page_runs_the_same_number_of_queries_however_many_events(
    admin_client, db_session, user_factory, count_queries
):
    def queries_for_page() -> int:
        with count_queries() as log:
            assert admin_client.get("/admin/audit").status_code == 200
        return log.count

    _event(db_session, actor=user_factory())
    few = queries_for_page()
    for _ in range(20):
        _event(db_session, actor=user_factory())
    assert queries_for_page() == few


def test_the_admin_navigation_links_to_the_audit_log(admin_client):
    html = admin_client.get("/admin/audit").get_data(as_text=True)

    assert 'href="/admin/audit"' in html


def test_there_is_no_way_to_change_or_delete_an_event_over_http(admin_client, db_session):
    event = _event(db_session)

    for method in ("post", "put", "patch", "delete"):
        response = getattr(admin_client, method)(f"/admin/audit/{event.id}")
        assert response.status_code in (404, 405)
    assert admin_client.post("/admin/audit").status_code in (400, 405)


def test_changing_an_audit_event_through_the_session_is_refused(db_session):
    event = _event(db_session)

    event.action = "rewritten"
    with pytest.raises(AuditEventIsPermanent):
        db_session.flush()
    db_session.rollback()


def test_deleting_an_audit_event_through_the_session_is_refused(db_session):
    event = _event(db_session)

    db_session.delete(event)
    with pytest.raises(AuditEventIsPermanent):
        db_session.flush()
    db_session.rollback()


@pytest.mark.parametrize("statement", [
    lambda: update(AuditEvent).values(note="rewritten"),
    lambda: delete(AuditEvent),
])
def test_bulk_updates_and_deletes_of_audit_events_are_refused(db_session, statement):
    _event(db_session)

    with pytest.raises(AuditEventIsPermanent):
        db_session.execute(statement())
    db_session.rollback()
    assert db_session.scalar(select(AuditEvent.note)) == ""


def test_adding_events_and_changing_other_records_still_works(db_session):
    _event(db_session)
    message = queue_email(db_session, to_address="a@example.org", subject="Hi", body_text="x")

    message.subject = "Changed"
    _event(db_session, action="second")

    assert len(db_session.scalars(select(AuditEvent)).all()) == 2


def test_an_admin_downloads_a_persons_data_as_json(admin_client, db_session, user_factory):
    person = user_factory(name="Pat Person", email="pat@example.org")
    _event(db_session, actor=person, action="pat.did.something")
    queue_email(db_session, to_address="pat@example.org", subject="Hello Pat", body_text="Hi")
    db_session.commit()

    response = post_form(admin_client, "/admin/data-export", {"email": "PAT@example.org"})

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "pat@example.org"
    assert data["account"]["name"] == "Pat Person"
    assert "password_hash" not in json.dumps(data)
    assert person.password_hash not in response.get_data(as_text=True)
    assert [event["action"] for event in data["audit_events"]] == ["pat.did.something"]
    assert [email["subject"] for email in data["emails_sent"]] == ["Hello Pat"]
    assert data["memberships"] == [] and data["applications_created"] == []
    exported = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "user.data_exported")).one()
    assert exported.entity_id == person.id


def test_exporting_an_unknown_email_is_an_error_on_the_field(admin_client):
    response = post_form(admin_client, "/admin/data-export", {"email": "nobody@example.org"})

    assert response.status_code == 200
    assert "There is no user with that email address" in response.get_data(as_text=True)


def test_a_persons_export_holds_their_events_of_this_office_and_of_none_never_anothers(
        admin_client, db_session, user_factory, office_factory):
    """An applicant's own account's events are no office's: every office's admin exports them
    to the person; what another office's people did is not this office's to give."""
    person = user_factory(email="pat@example.org")
    _event(db_session, actor=person, action="pat.did.something.here")
    record_event(db_session, actor_id=person.id, action="pat.changed.their.name",
                 entity_type="user", entity_id=person.id)
    other = office_factory(slug="dyfed-powys")
    scope_to_office(db_session, other.id)
    record_event(db_session, actor_id=person.id, action="pat.did.something.there",
                 entity_type="organisation", entity_id=1)
    end_office_scope(db_session)
    db_session.commit()

    response = post_form(admin_client, "/admin/data-export", {"email": "pat@example.org"})

    actions = [event["action"] for event in json.loads(response.get_data(as_text=True))[
        "audit_events"]]
    assert actions == ["pat.did.something.here", "pat.changed.their.name"]
    audit = admin_client.get("/admin/audit").get_data(as_text=True)
    assert _actions(audit, ["pat.did.something.here", "pat.changed.their.name",
                            "pat.did.something.there"]) == ["pat.did.something.here"]


# Kinds of record events name that are no one office's (grants.records.operations.audit).
KINDS_NO_OFFICE_OWNS = {"organisation", "monthly_publication", "encryption_keys"}


def _sources() -> dict[Path, str]:
    return {path: path.read_text() for path in Path(grants.__file__).parent.rglob("*.py")}


def test_every_kind_of_record_an_event_names_is_an_office_owned_model_or_no_offices(app):
    """A kind that names no office-owned model by mistake ("applications") would leave the
    events of applicants about an office's records with no office."""
    kinds = {kind for text in _sources().values()
             for kind in re.findall(r'entity_type="([a-z_]+)"', text)}

    assert {"application", "round", "user", "organisation"} <= kinds
    assert sorted(kind for kind in kinds - KINDS_NO_OFFICE_OWNS
                  if office_owned_model(kind) is None) == []


def test_events_are_made_only_where_they_are_given_their_office():
    makers = {path.relative_to(Path(grants.__file__).parent).as_posix()
              for path, text in _sources().items() if re.search(r"(?<!class )AuditEvent\(", text)}

    assert makers == {"records/operations/audit.py"}
