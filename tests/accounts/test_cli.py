"""`flask users create`."""

import re

import pytest
from sqlalchemy import func, select

from grants.accounts.models import Role, User
from grants.accounts.operations.passwords import verify_password
from grants.core import clock
from grants.records.models import AuditEvent
from tests.fixtures.auth import sign_in

STRONG_PASSWORD = "Quiet-Otter-Lighthouse-58"


@pytest.fixture(autouse=True)
def first_office(office_factory):
    """The office seed-reference makes first: `users create` comes after it."""
    return office_factory()


@pytest.fixture
def counties(county_factory):
    return {name: county_factory(name=name)
            for name in ("Berkshire", "Buckinghamshire", "Oxfordshire")}


def create(runner, *args, password: str | None = STRONG_PASSWORD):
    arguments = ["users", "create", *args]
    if password is not None:
        arguments.append("--password-stdin")
        return runner.invoke(args=arguments, input=password + "\n")
    return runner.invoke(args=arguments)


def find_user(session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).one_or_none()


def test_create_with_a_password_from_standard_input(runner, db_session):
    result = create(runner, "--email", "Officer@Example.org", "--name", "Grace Officer",
                    "--role", "staff")

    assert result.exit_code == 0, result.output
    user = find_user(db_session, "officer@example.org")
    assert user.name == "Grace Officer"
    assert user.roles == {Role.STAFF}
    assert user.email_verified
    assert verify_password(user.password_hash, STRONG_PASSWORD)
    assert STRONG_PASSWORD not in result.output
    assert f"Created user {user.id}" in result.output


def test_create_with_several_roles(runner, db_session):
    result = create(runner, "--email", "lead@example.org", "--name", "Lead Officer",
                    "--role", "staff", "--role", "reviewer", "--role", "admin")

    assert result.exit_code == 0, result.output
    assert find_user(db_session, "lead@example.org").roles == {
        Role.STAFF, Role.REVIEWER, Role.ADMIN
    }


def test_create_without_a_password_prints_a_generated_strong_one(runner, db_session):
    result = create(runner, "--email", "admin@example.org", "--name", "Ada Admin",
                    "--role", "admin", password=None)

    assert result.exit_code == 0, result.output
    printed = re.search(r"^Password: (\S+)$", result.output, re.MULTILINE).group(1)
    assert len(printed) >= 20
    assert verify_password(find_user(db_session, "admin@example.org").password_hash, printed)


def test_create_writes_an_audit_event_without_the_password(runner, db_session):
    create(runner, "--email", "officer@example.org", "--name", "Grace Officer",
           "--role", "staff")

    user = find_user(db_session, "officer@example.org")
    event = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "user.created", AuditEvent.entity_id == user.id)).one()
    assert event.after["roles"] == ["staff"]
    assert STRONG_PASSWORD not in str(event.after)


def test_create_a_high_sheriff_with_a_county_and_term_year(runner, db_session, counties):
    result = create(runner, "--email", "sheriff@example.org", "--name", "Henry Sheriff",
                    "--role", "high_sheriff", "--county", "Oxfordshire", "--term-year", "2025")

    assert result.exit_code == 0, result.output
    user = find_user(db_session, "sheriff@example.org")
    assert user.roles == {Role.HIGH_SHERIFF}
    assert user.county.name == "Oxfordshire"
    assert user.term_year == 2025


def test_a_high_sheriffs_term_year_defaults_to_this_year_in_london(runner, db_session,
                                                                   counties):
    result = create(runner, "--email", "sheriff@example.org", "--name", "Henry Sheriff",
                    "--role", "high_sheriff", "--county", "Berkshire")

    assert result.exit_code == 0, result.output
    assert find_user(db_session, "sheriff@example.org").term_year == clock.today_in_london().year


def test_an_unknown_county_is_refused(runner, db_session, counties):
    result = create(runner, "--email", "sheriff@example.org", "--name", "Henry Sheriff",
                    "--role", "high_sheriff", "--county", "Kent")

    assert result.exit_code == 1
    assert "no High Sheriff county called 'Kent'" in result.output
    assert "Berkshire, Buckinghamshire, Oxfordshire" in result.output
    assert find_user(db_session, "sheriff@example.org") is None


def test_a_high_sheriff_without_a_county_is_refused(runner, db_session, counties):
    result = create(runner, "--email", "sheriff@example.org", "--name", "Henry Sheriff",
                    "--role", "high_sheriff")

    assert result.exit_code == 1
    assert "A High Sheriff needs a county" in result.output


def test_a_county_for_someone_who_is_not_a_high_sheriff_is_refused(runner, db_session, counties):
    result = create(runner, "--email", "officer@example.org", "--name", "Grace Officer",
                    "--role", "staff", "--county", "Berkshire")

    assert result.exit_code == 1
    assert "Only a High Sheriff has a county" in result.output
    assert find_user(db_session, "officer@example.org") is None


def test_a_duplicate_email_in_another_case_is_refused(runner, db_session, user_factory):
    user_factory(email="officer@example.org")
    db_session.commit()  # the command rolls back its own work when it refuses

    result = create(runner, "--email", "OFFICER@example.org", "--name", "Second Officer",
                    "--role", "staff")

    assert result.exit_code == 1
    assert "There is already a user with that email address" in result.output
    count = db_session.scalar(select(func.count()).select_from(User)
                              .where(User.email == "officer@example.org"))
    assert count == 1


def test_a_weak_password_is_refused(runner, db_session):
    result = create(runner, "--email", "officer@example.org", "--name", "Grace Officer",
                    "--role", "staff", password="password123")

    assert result.exit_code == 1
    assert "Password is too easy to guess" in result.output
    assert find_user(db_session, "officer@example.org") is None


def test_an_unknown_role_is_refused(runner, db_session):
    result = create(runner, "--email", "officer@example.org", "--name", "Grace Officer",
                    "--role", "superuser")

    assert result.exit_code == 2
    assert find_user(db_session, "officer@example.org") is None


def test_a_user_made_on_the_command_line_can_sign_in(runner, client, db_session):
    create(runner, "--email", "officer@example.org", "--name", "Grace Officer",
           "--role", "staff")

    response = sign_in(client, "officer@example.org", STRONG_PASSWORD)

    assert response.status_code == 302
    assert response.headers["Location"].rstrip("/") == "/staff"


def test_staff_side_roles_are_held_for_the_first_office_unless_another_is_named(
        runner, db_session, first_office, office_factory):
    other = office_factory(slug="dyfed-powys")
    create(runner, "--email", "first@example.org", "--name", "First Officer", "--role", "staff",
           "--role", "reviewer")
    result = create(runner, "--email", "other@example.org", "--name", "Other Officer",
                    "--role", "admin", "--office", "dyfed-powys")

    assert result.exit_code == 0, result.output
    first, second = (find_user(db_session, f"{name}@example.org") for name in ("first", "other"))
    assert {row.office_id for row in first.role_rows} == {first_office.id}
    assert {row.office_id for row in second.role_rows} == {other.id}


def test_an_applicant_holds_no_office(runner, db_session):
    result = create(runner, "--email", "someone@example.org", "--name", "Some One",
                    "--role", "applicant")

    assert result.exit_code == 0, result.output
    assert [row.office_id for row in find_user(db_session, "someone@example.org").role_rows] == [
        None]


def test_an_unknown_office_is_refused(runner, db_session):
    result = create(runner, "--email", "other@example.org", "--name", "Other Officer",
                    "--role", "staff", "--office", "nowhere")

    assert result.exit_code == 1
    assert "no office with the slug nowhere" in result.output


def test_a_high_sheriffs_county_is_one_of_the_offices_own(runner, db_session, counties,
                                                          office_factory):
    office_factory(slug="dyfed-powys")
    result = create(runner, "--email", "sheriff@example.org", "--name", "Henry Sheriff",
                    "--role", "high_sheriff", "--county", "Berkshire", "--office", "dyfed-powys")

    assert result.exit_code == 1
    assert "no High Sheriff county called 'Berkshire'" in result.output
