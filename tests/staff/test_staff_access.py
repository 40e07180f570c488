"""Staff pages refuse every role but staff and admin; user management is for admins."""

import pytest

from grants.accounts.models import Role

NOT_STAFF = [Role.APPLICANT, Role.REVIEWER, Role.HIGH_SHERIFF]


def make_user(user_factory, county_factory, role):
    if role is Role.HIGH_SHERIFF:
        return user_factory(roles=[role], county=county_factory(), term_year=2026)
    return user_factory(roles=[role])


@pytest.mark.parametrize("path", ["/staff/", "/staff/users"])
def test_anonymous_people_are_sent_to_sign_in_from_staff_pages(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", NOT_STAFF)
@pytest.mark.parametrize("path", ["/staff/", "/staff/users"])
def test_staff_pages_refuse_other_roles(role, path, user_factory, county_factory, sign_in_as):
    client = sign_in_as(make_user(user_factory, county_factory, role))

    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_admins_see_the_rounds_dashboard(role, user_factory, round_factory,
                                                   sign_in_as):
    round_ = round_factory(title="PPAF 2026/27 Round 2")
    client = sign_in_as(user_factory(roles=[role]))

    # The round's own year: the dashboard shows the current one unless asked.
    page = client.get(f"/staff/?year={round_.financial_year}")

    assert page.status_code == 200
    assert "PPAF 2026/27 Round 2" in page.text


def test_only_admins_manage_people(user_factory, sign_in_as, new_client):
    user_factory(name="Hilary Example", email="hilary@example.org")

    assert sign_in_as(user_factory(roles=[Role.STAFF])).get("/staff/users").status_code == 403
    admin = sign_in_as(user_factory(roles=[Role.ADMIN]), on=new_client())
    page = admin.get("/staff/users?q=hilary")
    assert page.status_code == 200
    assert "hilary@example.org" in page.text
