"""Asking to join an organisation by its charity or company number: the answer, and the email
to the person asking, are the same whether or not an organisation has the number; only an
organisation that exists has its members asked."""

import re

import pytest
from sqlalchemy import select

from grants.organisations.models import CharityRegulator, Membership, MembershipStatus
from grants.records.models import OutboxMessage
from tests.fixtures.auth import post_form

JOIN = "/organisations/join"
# Every CSRF token a page holds: in its forms, and for the session timeout warning's script.
CSRF_TOKEN = re.compile(r'(name="csrf_token" value="|data-session-csrf-token=")[^"]*"')
# Headers that differ between any two answers, whatever they answer.
EVERY_ANSWER_ITS_OWN = {"X-Request-Id", "Set-Cookie"}


def without_csrf_tokens(html: str) -> str:
    return CSRF_TOKEN.sub(r'\1"', html)


def ask(client, kind: str, number: str):
    return post_form(client, JOIN, {"kind": kind, "number": number})


def answer_seen(client, response) -> dict:
    """All a person asking sees of an answer: the response, and the page it leads to."""
    page = client.get(response.headers["Location"]) if response.status_code == 302 else None
    return {
        "status": response.status_code,
        "headers": sorted((name, value) for name, value in response.headers.items()
                          if name not in EVERY_ANSWER_ITS_OWN),
        "cookies set": sorted(cookie.partition("=")[0]
                              for cookie in response.headers.getlist("Set-Cookie")),
        "body": without_csrf_tokens(response.get_data(as_text=True)),
        "page status": page.status_code if page else None,
        "page": without_csrf_tokens(page.get_data(as_text=True)) if page else None,
    }


def emails_to(db_session, address: str) -> list[tuple[str, str]]:
    return [(message.subject, message.body_text) for message in db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == address)
        .order_by(OutboxMessage.id))]


def test_the_answer_is_the_same_whether_or_not_an_organisation_has_the_number(
    organisation_factory, membership_factory, user_factory, sign_in_as, db_session
):
    asker = user_factory(email="asker@example.org")
    client = sign_in_as(asker)
    before = answer_seen(client, ask(client, "ccew", "1180001"))
    assert db_session.scalars(select(Membership)).all() == []

    # Now an organisation has that number, and a member to ask.
    registered = organisation_factory(name="Reading Street Support",
                                      charity_regulator=CharityRegulator.CCEW,
                                      charity_number="1180001")
    membership_factory(user=user_factory(email="member@example.org"), organisation=registered)
    after = answer_seen(client, ask(client, "ccew", "1 180 001"))

    assert before == after
    assert before["status"] == 302 and before["page status"] == 200
    assert ("Location", "/organisations/join/requested") in before["headers"]
    assert "If an organisation with that number is registered" in before["page"]
    assert "Reading Street Support" not in after["page"]
    # The person is told the same, in the same words, both times.
    first, second = emails_to(db_session, "asker@example.org")
    assert first == second
    assert "charity number 1180001" in first[1]
    assert "Reading Street Support" not in first[0] + first[1]
    # Only the second request, to an organisation that exists, reached its members.
    assert [subject for subject, _ in emails_to(db_session, "member@example.org")] == [
        "A request to join Reading Street Support"]
    request_ = db_session.scalars(select(Membership).where(
        Membership.user_id == asker.id)).one()
    assert (request_.organisation_id, request_.status) == (registered.id,
                                                           MembershipStatus.PENDING)


def test_nobody_is_asked_when_no_organisation_has_the_number(
    organisation_factory, membership_factory, user_factory, sign_in_as, db_session
):
    other = organisation_factory(company_number="09000003")
    membership_factory(user=user_factory(email="member@example.org"), organisation=other)
    client = sign_in_as(user_factory(email="asker@example.org"))

    response = ask(client, "company", "09000004")

    assert response.status_code == 302
    assert db_session.scalars(select(OutboxMessage.to_address)).all() == ["asker@example.org"]
    assert db_session.scalars(select(Membership).where(
        Membership.status == MembershipStatus.PENDING)).all() == []


@pytest.mark.parametrize(("registered", "kind", "typed"), [
    ({"company_number": "SC123456"}, "company", "sc 123456"),
    ({"charity_regulator": CharityRegulator.OSCR, "charity_number": "SC012345"}, "oscr",
     "sc012345"),
    ({"charity_regulator": CharityRegulator.CCNI, "charity_number": "NIC100123"}, "ccni",
     "100123"),
    ({"charity_regulator": CharityRegulator.CCNI, "charity_number": "100123"}, "ccni",
     "NIC100123"),
])
def test_every_kind_of_number_finds_its_organisation(
    registered, kind, typed, organisation_factory, user_factory, sign_in_as, db_session
):
    organisation = organisation_factory(**registered)
    asker = user_factory()
    client = sign_in_as(asker)

    assert ask(client, kind, typed).status_code == 302

    assert db_session.scalars(select(Membership.organisation_id).where(
        Membership.user_id == asker.id)).all() == [organisation.id]


def test_the_same_number_with_another_regulator_is_another_organisation(
    organisation_factory, user_factory, sign_in_as, db_session
):
    organisation_factory(charity_regulator=CharityRegulator.CCEW, charity_number="1001234")
    asker = user_factory()
    client = sign_in_as(asker)

    ask(client, "ccni", "100123")

    assert db_session.scalars(select(Membership).where(Membership.user_id == asker.id)).all() == []


@pytest.mark.parametrize(("kind", "typed", "message"), [
    ("ccew", "12345", "6 or 7 digits"),
    ("company", "XX123456", "8 characters"),
    ("ccew", "", "Enter the organisation&#39;s number"),
    ("", "1180001", "Select which number you will give"),
])
def test_a_number_of_the_wrong_form_is_refused_on_the_page_and_nothing_is_sent(
    kind, typed, message, user_factory, sign_in_as, db_session
):
    client = sign_in_as(user_factory())

    response = ask(client, kind, typed)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Error: Ask to join an organisation" in page
    assert message in page
    assert db_session.scalars(select(OutboxMessage)).all() == []


def test_asking_again_is_one_request_and_a_member_asking_changes_nothing(
    organisation_factory, membership_factory, user_factory, sign_in_as, db_session, new_client
):
    organisation = organisation_factory(company_number="09000003")
    member = user_factory(email="member@example.org")
    membership_factory(user=member, organisation=organisation)
    asker = user_factory(email="asker@example.org")
    client = sign_in_as(asker)

    ask(client, "company", "09000003")
    ask(client, "company", "09000003")

    assert db_session.scalars(select(Membership.status).where(
        Membership.user_id == asker.id)).all() == [MembershipStatus.PENDING]
    assert len(emails_to(db_session, "member@example.org")) == 1
    member_client = sign_in_as(member, on=new_client())
    assert ask(member_client, "company", "09000003").status_code == 302
    assert db_session.scalars(select(Membership.status).where(
        Membership.user_id == member.id)).all() == [MembershipStatus.ACTIVE]


def test_a_refused_request_is_told_without_the_organisations_name(
    organisation_factory, membership_factory, user_factory, sign_in_as, db_session, new_client
):
    organisation = organisation_factory(name="Reading Street Support", company_number="09000003")
    member = user_factory()
    membership_factory(user=member, organisation=organisation)
    asker = user_factory(email="asker@example.org")
    ask(sign_in_as(asker), "company", "09000003")
    request_ = db_session.scalars(select(Membership).where(Membership.user_id == asker.id)).one()

    post_form(sign_in_as(member, on=new_client()),
              f"/organisations/{organisation.id}/requests/{request_.id}/reject",
              form_page=f"/organisations/{organisation.id}")

    subject, body = emails_to(db_session, "asker@example.org")[-1]
    assert "was not approved" in body and "company number 09000003" in body
    assert "Reading Street Support" not in subject + body


def test_the_form_is_reached_from_the_dashboard(user_factory, sign_in_as):
    client = sign_in_as(user_factory())

    dashboard = client.get("/dashboard").get_data(as_text=True)

    assert f'href="{JOIN}">Ask to join an organisation</a>' in dashboard
    assert "Which number will you give?" in client.get(JOIN).get_data(as_text=True)
