"""The office a page, an email or a file speaks for (offices.operations.speaking)."""

from sqlalchemy import select

from grants.applications import notifications
from grants.offices.operations.speaking import (
    office_of_request,
    office_of_round,
    shipped_office_facts,
)
from grants.records.models import OutboxMessage


def test_a_database_with_no_office_yet_speaks_as_the_shipped_first_office(db_session):
    office = office_of_request(db_session)

    assert office == shipped_office_facts()
    assert office.id is None
    assert office.service_name == office.commissioner + " — Grants"


def test_the_request_speaks_for_the_first_office(db_session, office_factory):
    first = office_factory(slug="dyfed-powys", welsh=True)
    office_factory(slug="surrey")

    office = office_of_request(db_session)

    assert (office.id, office.short_name, office.welsh) == (first.id, "Dyfed Powys", True)
    assert office.commissioner_for == "Police and Crime Commissioner for Dyfed Powys"
    assert office.whole_area == "The whole of Dyfed Powys"
    assert office.file_prefix == "DYFEDPOWYS"


def test_an_email_about_a_round_signs_with_and_gives_the_address_of_its_funds_office(
        db_session, office_factory, fund_factory, round_factory, application_factory,
        user_factory):
    office_factory()  # the first office, whose name the pages carry
    surrey = office_factory(slug="surrey")
    round_ = round_factory(fund=fund_factory(office=surrey, code="CSF"))
    application = application_factory(round=round_, reference="CSF-2026-1-0001", sequence=1)
    user = user_factory()

    application.withdrawal_reason = "We found other funding"
    notifications.application_withdrawn(db_session, user, application)

    body = db_session.scalars(select(OutboxMessage.body_text)
                              .where(OutboxMessage.to_address == user.email)).one()
    assert office_of_round(db_session, round_).name in body
    assert "Office of the Police and Crime Commissioner for Surrey" in body
    assert "grants@surrey.example.org" in body  # its contact address, not the first office's
    assert "Thames Valley" not in body and "thamesvalley" not in body


def test_the_pages_name_the_office_of_the_request(client, office_factory):
    office_factory(slug="surrey")

    html = client.get("/").text

    assert "Surrey Police and Crime Commissioner <span" in html
    assert "© Office of the Police and Crime Commissioner for Surrey" in html
    assert "<title>Apply for a grant — Surrey Police and Crime Commissioner — Grants" in html


def test_a_page_that_reads_nothing_else_names_its_office_without_a_query(
        client, db_session, office_factory, count_queries):
    office_factory(slug="dyfed-powys")
    db_session.commit()
    assert "Dyfed Powys" in client.get("/rounds").text  # reads the office with the rounds

    with count_queries() as log:
        page = client.get("/privacy")

    assert page.status_code == 200 and "Dyfed Powys" in page.text
    assert log.count == 0, str(log)
