"""Asking to join an organisation by its number, registering one and inviting people to one
are limited per account and per address, each request counted before its number is looked up,
so trying number after number to learn which organisations use the service soon stops."""

import pytest
from sqlalchemy import func, select

from grants.organisations.models import Membership
from grants.records.models import OutboxMessage
from tests.fixtures.auth import post_form
from tests.organisations.test_registration import details


def ask(client, number: str):
    return post_form(client, "/organisations/join", {"kind": "company", "number": number},
                     form_page="/organisations/join")


def test_requests_to_join_from_one_account_are_limited_whatever_they_find(
    organisation_factory, user_factory, sign_in_as, rate_limits, db_session
):
    rate_limits(JOIN_REQUEST_LIMIT_PER_ACCOUNT="2 per hour")
    organisation_factory(company_number="09000003")
    asker = user_factory(email="asker@example.org")
    client = sign_in_as(asker)

    # One number no organisation has, one an organisation has: both count.
    answers = [ask(client, number).status_code for number in ("09000004", "09000003")]
    refused = ask(client, "09000003")

    assert answers == [302, 302]
    assert refused.status_code == 429
    assert db_session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.to_address == "asker@example.org")) == 2


def test_a_bad_number_counts_too(user_factory, sign_in_as, rate_limits):
    rate_limits(JOIN_REQUEST_LIMIT_PER_ACCOUNT="1 per hour")
    client = sign_in_as(user_factory())

    assert ask(client, "not a number").status_code == 200
    assert ask(client, "09000003").status_code == 429


def test_requests_to_join_from_one_address_are_limited(
    organisation_factory, user_factory, sign_in_as, new_client, rate_limits, db_session
):
    rate_limits(JOIN_REQUEST_LIMIT_PER_ADDRESS="2 per hour")
    organisation_factory(company_number="09000003")
    clients = [sign_in_as(user_factory(), on=new_client()) for _ in range(3)]

    answers = [ask(client, "09000003").status_code for client in clients]

    assert answers == [302, 302, 429]
    assert db_session.scalar(select(func.count(Membership.id))) == 2


def test_registering_organisations_is_limited(
    local_authority_factory, user_factory, sign_in_as, rate_limits
):
    rate_limits(ORGANISATION_REGISTRATION_LIMIT_PER_ACCOUNT="1 per hour")
    client = sign_in_as(user_factory())
    reading = local_authority_factory()

    first = post_form(client, "/organisations/new", details(reading))
    second = post_form(client, "/organisations/new", details(reading, charity_number="1180002",
                                                              company_number=""))

    assert (first.status_code, second.status_code) == (302, 429)


@pytest.mark.parametrize("setting", ["INVITATION_LIMIT_PER_ACCOUNT",
                                     "INVITATION_LIMIT_PER_ADDRESS"])
def test_invitations_are_limited(setting, organisation_factory, membership_factory,
                                 user_factory, sign_in_as, rate_limits, db_session):
    rate_limits(**{setting: "2 per hour"})
    organisation = organisation_factory()
    member = user_factory()
    membership_factory(user=member, organisation=organisation)
    client = sign_in_as(member)
    page = f"/organisations/{organisation.id}/invite"

    answers = [post_form(client, page, {"email": f"p{n}@example.org"}).status_code
               for n in range(3)]

    assert answers == [302, 302, 429]
    assert db_session.scalar(select(func.count(OutboxMessage.id))) == 2
