"""Applicants register their organisation once; a second registration asks to join it."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.organisations.models import (
    CharityRegulator,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationType,
)
from grants.records.models import AuditEvent, OutboxMessage
from tests.fixtures.auth import post_form


@pytest.fixture
def reading(local_authority_factory, county_factory):
    return local_authority_factory(name="Reading", gss_code="E06000038",
                                   county=county_factory(name="Berkshire"))


def details(authority, **changes):
    data = {
        "name": "  Reading   Street Support ",
        "organisation_type": "registered_charity",
        "charity_number": "1 180 001",
        "company_number": "sc 123456",
        "address": "Community Centre\nReading",
        "postcode": "rg1 2ab",
        "local_authority_id": str(authority.id),
        "annual_income": "£84,000",
        "contact_name": "Jo Patel",
        "contact_email": "Jo@Example.org",
        "contact_phone": "0118 000 0000",
    }
    data.update(changes)
    return data


def test_an_applicant_registers_an_organisation_and_becomes_its_member(
    reading, user_factory, sign_in_as, db_session
):
    user = user_factory(roles=[Role.APPLICANT])
    client = sign_in_as(user)

    response = post_form(client, "/organisations/new", details(reading))

    assert response.status_code == 302
    organisation = db_session.scalars(select(Organisation)).one()
    assert response.headers["Location"] == f"/organisations/{organisation.id}"
    assert (organisation.name, organisation.charity_number, organisation.company_number,
            organisation.postcode, organisation.annual_income_pence,
            organisation.contact_email) == ("Reading Street Support", "1180001", "SC123456",
                                            "RG1 2AB", 8_400_000, "jo@example.org")
    assert organisation.organisation_type is OrganisationType.REGISTERED_CHARITY
    assert organisation.org_id == "GB-CHC-1180001"
    membership = db_session.scalars(select(Membership)).one()
    assert (membership.user_id, membership.status) == (user.id, MembershipStatus.ACTIVE)
    assert "organisation.registered" in db_session.scalars(select(AuditEvent.action)).all()
    assert client.get(f"/organisations/{organisation.id}").status_code == 200


@pytest.mark.parametrize("field,value,message", [
    ("charity_number", "12345", "6 or 7 digits"),
    ("company_number", "XX123456", "8 characters"),
    ("postcode", "RG1", "real postcode"),
    ("annual_income", "1e6", "pounds and pence"),
    ("local_authority_id", "", "Select the local authority"),
    ("organisation_type", "", "Select the type"),
    ("contact_email", "not-an-email", "correct format"),
])
def test_a_bad_answer_is_shown_on_its_field_and_everything_typed_is_kept(
    field, value, message, reading, user_factory, sign_in_as, db_session
):
    client = sign_in_as(user_factory())

    response = post_form(client, "/organisations/new", details(reading, **{field: value}))

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Error: Register your organisation" in page
    assert message in page
    assert "Jo Patel" in page and "Community Centre" in page
    assert db_session.scalars(select(Organisation)).all() == []


def test_no_organisation_can_be_asked_to_join_by_its_id(
    organisation_factory, membership_factory, user_factory, sign_in_as, db_session
):
    """Its id alone neither names an organisation nor emails its members."""
    existing = organisation_factory(name="Reading Street Support")
    membership_factory(user=user_factory(email="member@example.org"), organisation=existing)
    stranger = sign_in_as(user_factory(email="stranger@example.org"))

    answers = [post_form(stranger, path, form_page="/dashboard") for path in (
        f"/organisations/{existing.id}/join", f"/organisations/{existing.id}/join?token=x")]

    assert [answer.status_code for answer in answers] == [404, 404]
    assert not any("Reading Street Support" in answer.get_data(as_text=True)
                   for answer in answers)
    assert db_session.scalars(select(Membership).where(
        Membership.user_id != existing.memberships[0].user_id)).all() == []
    assert db_session.scalars(select(OutboxMessage)).all() == []


def test_a_second_registration_of_a_charity_offers_to_ask_to_join_it_by_its_number(
    reading, organisation_factory, membership_factory, user_factory, sign_in_as, db_session,
    new_client
):
    existing = organisation_factory(name="Reading Street Support",
                                    charity_regulator=CharityRegulator.CCEW,
                                    charity_number="1180001")
    member = user_factory(email="member@example.org")
    membership_factory(user=member, organisation=existing)
    newcomer = user_factory(name="Sam Newcomer", email="sam@example.org")
    client = sign_in_as(newcomer)

    response = post_form(client, "/organisations/new",
                         details(reading, company_number="", charity_number="1180001"))

    page = response.get_data(as_text=True)
    assert "This organisation is already registered" in page
    assert "Reading Street Support" not in page  # the number alone does not name it
    assert len(db_session.scalars(select(Organisation)).all()) == 1
    form = re.search(r'<form method="post" action="/organisations/join".*?</form>', page, re.S)[0]
    fields = dict(re.findall(r'name="(kind|number)" value="([^"]*)"', form))
    assert fields == {"kind": "ccew", "number": "1180001"}

    asked = post_form(client, "/organisations/join", fields, form_page="/organisations/join")
    assert (asked.status_code, asked.headers["Location"]) == (302, "/organisations/join/requested")
    request_ = db_session.scalars(select(Membership).where(
        Membership.user_id == newcomer.id)).one()
    assert request_.status is MembershipStatus.PENDING
    assert client.get(f"/organisations/{existing.id}").status_code == 404
    emails = {e.to_address: e for e in db_session.scalars(select(OutboxMessage))}
    assert sorted(emails) == ["member@example.org", "sam@example.org"]
    assert "A request to join Reading Street Support" in emails["member@example.org"].subject

    member_client = sign_in_as(member, on=new_client())
    page = member_client.get(f"/organisations/{existing.id}").get_data(as_text=True)
    assert "Requests to join" in page
    assert 'Approve<span class="govuk-visually-hidden"> Sam Newcomer</span>' in page
    approved = post_form(member_client,
                         f"/organisations/{existing.id}/requests/{request_.id}/approve",
                         form_page=f"/organisations/{existing.id}")
    assert approved.status_code == 302
    assert request_.status is MembershipStatus.ACTIVE
    assert client.get(f"/organisations/{existing.id}").status_code == 200


def test_a_company_number_already_registered_is_found_too(
    reading, organisation_factory, user_factory, sign_in_as
):
    organisation_factory(name="Milton Keynes Youth Diversion", company_number="09000003")
    client = sign_in_as(user_factory())

    response = post_form(client, "/organisations/new",
                         details(reading, organisation_type="cic", charity_number="",
                                 company_number="09000003"))

    page = response.get_data(as_text=True)
    assert "An organisation with that company number" in page
    assert 'name="kind" value="company"' in page and 'name="number" value="09000003"' in page
    assert "Milton Keynes Youth Diversion" not in page


def test_changing_the_numbers_to_another_organisations_does_not_name_it(
    reading, organisation_factory, membership_factory, user_factory, sign_in_as
):
    organisation_factory(name="Milton Keynes Youth Diversion", company_number="09000003")
    mine = organisation_factory(local_authority=reading)
    member = user_factory()
    membership_factory(user=member, organisation=mine)
    client = sign_in_as(member)

    response = post_form(client, f"/organisations/{mine.id}/edit",
                         details(reading, organisation_type="cic", charity_number="",
                                 company_number="09000003"))

    page = response.get_data(as_text=True)
    assert "An organisation with this number is already registered" in page
    assert "Milton Keynes Youth Diversion" not in page


def test_an_organisation_name_holding_a_web_address_is_refused(
    reading, user_factory, sign_in_as, db_session
):
    client = sign_in_as(user_factory())

    response = post_form(client, "/organisations/new", details(
        reading, name="Grant on hold: confirm bank details at bank-check.example"))

    assert "without a web or email address" in response.get_data(as_text=True)
    assert db_session.scalars(select(Organisation)).all() == []


def test_a_rejected_request_is_removed_and_the_person_told(
    organisation_factory, membership_factory, user_factory, sign_in_as, db_session
):
    organisation = organisation_factory()
    member = user_factory()
    membership_factory(user=member, organisation=organisation)
    pending = membership_factory(user=user_factory(email="asker@example.org"),
                                 organisation=organisation, status=MembershipStatus.PENDING)
    client = sign_in_as(member)

    post_form(client, f"/organisations/{organisation.id}/requests/{pending.id}/reject",
              form_page=f"/organisations/{organisation.id}")

    assert db_session.get(Membership, pending.id) is None
    assert db_session.scalars(select(OutboxMessage.to_address)).all() == ["asker@example.org"]


def test_only_members_and_staff_decide_requests_to_join(
    organisation_factory, membership_factory, user_factory, sign_in_as
):
    organisation = organisation_factory()
    pending = membership_factory(organisation=organisation, status=MembershipStatus.PENDING)
    outsider = sign_in_as(user_factory())

    response = post_form(outsider,
                         f"/organisations/{organisation.id}/requests/{pending.id}/approve",
                         form_page="/dashboard")

    assert response.status_code == 404
    assert pending.status is MembershipStatus.PENDING


def test_a_member_edits_the_details_and_an_outsider_cannot(
    reading, organisation_factory, membership_factory, user_factory, sign_in_as, new_client
):
    organisation = organisation_factory(local_authority=reading)
    member = user_factory()
    membership_factory(user=member, organisation=organisation)
    client = sign_in_as(member)

    response = post_form(client, f"/organisations/{organisation.id}/edit",
                         details(reading, name="Renamed Group", organisation_type="community_group",
                                 charity_number="", company_number=""))

    assert response.status_code == 302
    assert organisation.name == "Renamed Group" and organisation.postcode == "RG1 2AB"
    outsider = sign_in_as(user_factory(), on=new_client())
    assert outsider.get(f"/organisations/{organisation.id}/edit").status_code == 404


# --- The form fits the person -------------------------------------------------------------

def test_charity_status_is_asked_once_and_the_number_says_which_register(
    reading, user_factory, sign_in_as, db_session
):
    client = sign_in_as(user_factory())
    page = client.get("/organisations/new").get_data(as_text=True)
    assert "Is it a registered charity?" not in page
    assert 'name="charity_regulator"' not in page

    response = post_form(client, "/organisations/new", details(
        reading, charity_number="sc 012345", company_number=""))

    assert response.status_code == 302
    organisation = db_session.scalars(select(Organisation)).one()
    assert (organisation.charity_regulator, organisation.charity_number) == (
        CharityRegulator.OSCR, "SC012345")
    assert organisation.org_id == "GB-SC-SC012345"


@pytest.mark.parametrize("number,regulator", [
    ("1180001", CharityRegulator.CCEW), ("SC012345", CharityRegulator.OSCR),
    ("nic 100123", CharityRegulator.CCNI)])
def test_a_charity_numbers_form_says_which_register_it_is_on(number, regulator):
    from grants.organisations.operations.identifiers import charity_regulator_for

    assert charity_regulator_for(number) is regulator


@pytest.mark.parametrize("kind", ["registered_charity", "cio"])
def test_a_registered_charity_gives_its_charity_number(kind, reading, user_factory,
                                                       sign_in_as, db_session):
    client = sign_in_as(user_factory())

    response = post_form(client, "/organisations/new", details(
        reading, organisation_type=kind, charity_number="  "))

    assert response.status_code == 200
    assert "Enter the charity number: a" in response.get_data(as_text=True)
    assert db_session.scalars(select(Organisation)).all() == []


def test_a_group_that_is_not_a_charity_leaves_the_charity_number_empty(
    reading, user_factory, sign_in_as, db_session
):
    client = sign_in_as(user_factory())

    response = post_form(client, "/organisations/new", details(
        reading, organisation_type="community_group", charity_number="", company_number=""))

    assert response.status_code == 302
    organisation = db_session.scalars(select(Organisation)).one()
    assert (organisation.charity_regulator, organisation.charity_number) == (None, None)


def test_a_northern_irish_charity_number_kept_without_nic_shows_with_it_on_the_edit_page(
    reading, organisation_factory, membership_factory, user_factory, sign_in_as
):
    organisation = organisation_factory(local_authority=reading,
                                        charity_regulator=CharityRegulator.CCNI,
                                        charity_number="100123")
    member = user_factory()
    membership_factory(user=member, organisation=organisation)

    page = sign_in_as(member).get(f"/organisations/{organisation.id}/edit").get_data(
        as_text=True)

    assert 'name="charity_number" type="text" spellcheck="false" value="NIC100123"' in page


def test_councils_are_listed_once_each_by_their_own_names_and_only_those_standing_today(
    user_factory, sign_in_as, local_authority_factory, county_factory
):
    bucks = county_factory(name="Buckinghamshire")
    local_authority_factory(name="Buckinghamshire", official_name="Buckinghamshire Council",
                            county=bucks)
    local_authority_factory(name="Wycombe", official_name="Wycombe District Council",
                            county=bucks, valid_to=date(2020, 3, 31))
    local_authority_factory(name="Oxford", official_name="Oxford City Council",
                            county=county_factory(name="Oxfordshire"))
    client = sign_in_as(user_factory())

    page = client.get("/organisations/new").get_data(as_text=True)

    options = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', page)
    assert options == ["Buckinghamshire Council", "Oxford City Council"]


def test_the_main_contact_starts_as_the_person_registering(reading, user_factory,
                                                            sign_in_as):
    client = sign_in_as(user_factory(name="Jo Patel", email="jo.patel@example.org"))

    page = client.get("/organisations/new").get_data(as_text=True)

    assert re.search(r'name="contact_name"[^>]*value="Jo Patel"', page)
    assert re.search(r'name="contact_email"[^>]*value="jo.patel@example.org"', page)


def test_registering_ends_with_a_link_to_the_open_rounds(reading, user_factory, sign_in_as):
    client = sign_in_as(user_factory())

    response = post_form(client, "/organisations/new", details(reading))
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert "Reading Street Support is registered." in page
    assert re.search(r'<a class="govuk-notification-banner__link" href="/rounds">'
                     r'apply to a round that is open</a>', page)


def test_an_organisation_name_in_the_banner_is_not_read_as_markup(reading, user_factory,
                                                                   sign_in_as):
    client = sign_in_as(user_factory())

    response = post_form(client, "/organisations/new", details(
        reading, name="<b>Bold</b> Group", charity_number="1180009", company_number=""))
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert "&lt;b&gt;Bold&lt;/b&gt; Group is registered." in page
