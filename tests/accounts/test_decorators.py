"""The view decorators: who is sent to sign in, and who is refused with 403."""

import pytest
from flask_login import login_user
from werkzeug.exceptions import Forbidden

from grants.accounts.models import Role
from grants.auth.decorators import (
    admin_required,
    login_required,
    roles_required,
    staff_required,
)


@roles_required(Role.REVIEWER, "high_sheriff")
def reviewers_and_sheriffs_page():
    return "reviewers and sheriffs"


@staff_required
def staff_page():
    return "staff"


@admin_required
def admin_page():
    return "admin"


@login_required
def anyone_signed_in_page():
    return "signed in"


GUARDED_PAGES = [reviewers_and_sheriffs_page, staff_page, admin_page, anyone_signed_in_page]


def call_as(app, user, view, path="/somewhere?page=2"):
    with app.test_request_context(path):
        if user is not None:
            login_user(user)
        return view()


@pytest.mark.parametrize("view", GUARDED_PAGES)
def test_someone_not_signed_in_is_sent_to_sign_in_and_back(app, view):
    response = call_as(app, None, view)

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=%2Fsomewhere%3Fpage%3D2"


@pytest.mark.parametrize("view", [reviewers_and_sheriffs_page, staff_page, admin_page])
def test_a_signed_in_applicant_is_refused_with_403(app, user_factory, view):
    applicant = user_factory(roles=[Role.APPLICANT])

    with pytest.raises(Forbidden):
        call_as(app, applicant, view)


def test_a_signed_in_applicant_may_see_a_page_that_needs_only_signing_in(app, user_factory):
    assert call_as(app, user_factory(), anyone_signed_in_page) == "signed in"


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.HIGH_SHERIFF])
def test_roles_required_lets_in_any_of_its_roles(app, user_factory, county_factory, role):
    extra = {"county": county_factory(), "term_year": 2026} if role is Role.HIGH_SHERIFF else {}
    user = user_factory(roles=[role], **extra)

    assert call_as(app, user, reviewers_and_sheriffs_page) == "reviewers and sheriffs"


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_required_lets_in_staff_and_admins(app, user_factory, role):
    assert call_as(app, user_factory(roles=[role]), staff_page) == "staff"


def test_admin_required_refuses_staff_who_are_not_admins(app, user_factory):
    with pytest.raises(Forbidden):
        call_as(app, user_factory(roles=[Role.STAFF]), admin_page)


def test_admin_required_lets_in_admins(app, user_factory):
    assert call_as(app, user_factory(roles=[Role.ADMIN]), admin_page) == "admin"


def test_roles_required_refuses_an_unknown_role_when_the_view_is_defined():
    with pytest.raises(ValueError):
        roles_required("superuser")


def test_the_staff_pages_send_anonymous_people_to_sign_in(client):
    response = client.get("/staff/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_the_staff_pages_refuse_a_signed_in_applicant_with_403(sign_in_as, user_factory):
    client = sign_in_as(user_factory(roles=[Role.APPLICANT]))

    assert client.get("/staff/").status_code == 403
