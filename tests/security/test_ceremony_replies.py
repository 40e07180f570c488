"""Replies to the awards ceremony are personal data: the person who gave one gets it in their
personal-data export, and the retention job removes the people of a ceremony's replies
(names, access needs, photo consent, the address invited) once it was held long enough ago,
keeping whether they came and how many."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from grants.ceremonies.models import Ceremony, CeremonyInvitation
from grants.security.operations.export import personal_data

NOW = datetime.now(UTC)
LONG_AGO = NOW - timedelta(days=7 * 365)
RECENTLY = NOW - timedelta(days=30)


@pytest.fixture
def reply_to(db_session, user_factory, organisation_factory, office_factory):
    """`reply_to(starts_at)`: a ceremony held then, and a member's reply to its invitation."""
    member = user_factory(email="jo@example.org", name="Jo Member")

    def make(starts_at: datetime) -> CeremonyInvitation:
        ceremony = Ceremony(title=f"Awards {starts_at.year}", starts_at=starts_at,
                            place="Oxford Town Hall", financial_year="2019/20",
                            office=office_factory())
        invitation = CeremonyInvitation(
            ceremony=ceremony, organisation=organisation_factory(), sent_to="jo@example.org",
            attending=True, guests=2, guest_names="Jo and Sam Bloggs",
            access_needs="Sam uses a wheelchair", photo_consent=True, replied_at=starts_at,
            replied_by_id=member.id)
        db_session.add(invitation)
        db_session.commit()
        return invitation

    make.member = member
    return make


def test_the_personal_data_export_holds_the_persons_ceremony_replies(db_session, reply_to):
    reply_to(RECENTLY)

    data = json.loads(json.dumps(personal_data(db_session, reply_to.member), default=str))

    [reply] = data["ceremony_replies"]
    assert (reply["guest_names"], reply["access_needs"], reply["photo_consent"],
            reply["replied_by_this_person"]) == (
        "Jo and Sam Bloggs", "Sam uses a wheelchair", True, True)


def test_retention_removes_the_people_of_long_past_ceremonies_replies(
        runner, db_session, reply_to):
    old, recent = reply_to(LONG_AGO), reply_to(RECENTLY)

    result = runner.invoke(args=["retention", "run"])

    assert result.exit_code == 0, result.output
    assert "Anonymised 1 ceremony reply (names, access needs and photo consent removed)" in (
        result.output)
    db_session.expire_all()
    assert (old.guest_names, old.access_needs, old.photo_consent, old.sent_to,
            old.attending, old.guests) == ("", "", None, "", True, 2)
    assert old.anonymised_at is not None
    assert (recent.guest_names, recent.access_needs) == (
        "Jo and Sam Bloggs", "Sam uses a wheelchair")
