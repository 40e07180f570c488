"""Claiming a nominated organisation's account from the emailed invitation."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.accounts.operations.tokens import ExpiredToken, InvalidToken
from grants.extensions import db
from grants.organisations.models import Membership, MembershipStatus
from grants.organisations.notifications import make_claim_token, read_claim_token
from grants.organisations.operations import claims
from tests.fixtures.auth import post_form
from tests.fixtures.factories import UserFactory
from tests.nominations.conftest import NOW, organisation

pytestmark = pytest.mark.usefixtures("fixed_clock")


def _token(org, email="pat@example.org") -> str:
    return make_claim_token(org.id, email)


def _membership(user, org):
    return db.session.scalars(select(Membership).where(
        Membership.user_id == user.id, Membership.organisation_id == org.id)).one_or_none()


def test_the_invited_person_signed_in_with_that_address_becomes_an_approved_member(
        sign_in_as):
    org = organisation(name="Slough Boxing Club")
    person = UserFactory(email="pat@example.org", roles=[Role.REVIEWER])
    client = sign_in_as(person)
    path = f"/organisations/claim/{_token(org, 'Pat@Example.org')}"

    assert "Join Slough Boxing Club" in client.get(path).get_data(as_text=True)
    response = post_form(client, path)

    assert response.status_code == 302
    membership = _membership(person, org)
    assert membership.status is MembershipStatus.ACTIVE and membership.approved_at == NOW
    assert person.has_role(Role.APPLICANT)
    assert post_form(client, path).status_code == 302  # claiming again changes nothing


def test_someone_signed_in_with_another_address_cannot_claim(sign_in_as):
    org = organisation()
    intruder = UserFactory(email="someone@example.org")
    client = sign_in_as(intruder)
    path = f"/organisations/claim/{_token(org)}"

    assert "sent to a different email address" in client.get(path).get_data(as_text=True)
    with pytest.raises(claims.ClaimRefused):
        claims.claim(db.session, intruder, _token(org))
    assert _membership(intruder, org) is None


def test_someone_not_signed_in_is_asked_to_sign_in_with_the_invited_address(client):
    org = organisation()

    page = client.get(f"/organisations/claim/{_token(org)}").get_data(as_text=True)

    assert "pat@example.org" in page and "/sign-in?next=" in page


def test_an_invitation_expires(monkeypatch):
    org = organisation()
    token = _token(org)
    monkeypatch.setattr("grants.core.clock.utcnow", lambda: NOW + timedelta(days=31))

    with pytest.raises(ExpiredToken):
        read_claim_token(token)


def test_an_altered_invitation_is_refused(client):
    token = _token(organisation())

    with pytest.raises(InvalidToken):
        read_claim_token(token[:-2] + "xx")
    assert client.get(f"/organisations/claim/{token[:-2]}xx").status_code == 400
