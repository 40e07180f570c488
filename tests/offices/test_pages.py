"""Admins list the offices and add one."""

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.offices.models import Office
from tests.fixtures.auth import post_form
from tests.funds.conftest import error_messages

NEW_OFFICE = {
    "name": "Office of the Police and Crime Commissioner for Dyfed-Powys",
    "short_name": "Dyfed-Powys",
    "slug": "dyfed-powys",
    "funder_org_id": "GB-GOR-PC000105",
    "grant_id_prefix": "360G-dppcc",
    "contact_email": "grants@dyfedpowys.example.org",
    "postal_address": "PO Box 99, Llangunnor, Carmarthen SA31 2PF",
    "brand_colour": "#1D5B3A",
    "financial_year_start_day": "1",
    "financial_year_start_month": "4",
    "welsh": "y",
}


@pytest.fixture
def admin_client(sign_in_as, user_factory):
    return sign_in_as(user_factory(roles=[Role.ADMIN]))


def test_admins_see_every_office(admin_client, office_factory):
    office_factory()
    office_factory(slug="dyfed-powys")

    page = admin_client.get("/admin/offices").text

    assert "Office of the Police and Crime Commissioner for Thames Valley" in page
    assert "dyfed-powys" in page and "360G-dyfedpowys" in page


def test_an_admin_adds_an_office(admin_client, db_session):
    response = post_form(admin_client, "/admin/offices/new", NEW_OFFICE)

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/offices"
    office = db_session.scalars(select(Office).where(Office.slug == "dyfed-powys")).one()
    assert (office.short_name, office.funder_name, office.brand_colour, office.welsh,
            office.postal_address) == (
        "Dyfed-Powys", NEW_OFFICE["name"], "#1d5b3a", True, NEW_OFFICE["postal_address"])
    assert "Dyfed-Powys added" in admin_client.get("/admin/offices").text


def test_a_new_office_is_refused_on_each_field_that_is_wrong(admin_client, office_factory,
                                                            db_session):
    office_factory(slug="dyfed-powys")

    response = post_form(admin_client, "/admin/offices/new",
                         {**NEW_OFFICE, "brand_colour": "green",
                          "financial_year_start_day": "31", "financial_year_start_month": "2"})

    assert response.status_code == 200
    messages = error_messages(response.text)
    assert "There is already an office with the slug dyfed-powys" in messages
    assert "Brand colour must be # and six hexadecimal digits, like #3f2577" in messages
    assert "The financial year must start on a real day, like 1 April" in messages
    assert response.text.count("<h1") == 1
    # Dyfed-Powys once, beside the admin's own office.
    assert db_session.scalars(select(Office.slug).order_by(Office.slug)).all() == [
        "dyfed-powys", "thames-valley"]


@pytest.mark.parametrize("role", [Role.STAFF, Role.REVIEWER, Role.APPLICANT])
def test_only_admins_reach_the_offices_pages(sign_in_as, user_factory, role):
    client = sign_in_as(user_factory(roles=[role]))

    assert client.get("/admin/offices").status_code == 403
    assert client.get("/admin/offices/new").status_code == 403
