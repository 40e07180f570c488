"""Staff change one invitation: cancel it (its contact is emailed and its link stops
answering), send it again to another address, or record a reply the organisation gave by
phone (audited as such); a cancelled organisation may be invited again."""

import pytest
from sqlalchemy import select

from grants.ceremonies.operations import guests, inviting
from grants.extensions import db
from grants.records.models import AuditEvent, OutboxMessage
from tests.assessment.screening_data import words
from tests.ceremonies.conftest import invitation_of
from tests.fixtures.auth import post_form
from tests.funds.conftest import error_messages

pytestmark = pytest.mark.usefixtures("now")  # 11am on 1 June 2026: 2026/27

PHONED = {"attending": "yes", "guests": "3", "guest_names": "Jo, Sam and Ali",
          "access_needs": "Step-free access", "photo_consent": "no"}


def emails_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == address).order_by(OutboxMessage.id)))


@pytest.fixture
def street(db_session, invited, year):
    """Reading Street Support's invitation; committed inside the test's outer transaction, so
    a refused request rolls back only its own work."""
    db_session.commit()
    return invitation_of(invited, year.street_support)


def test_a_cancelled_invitation_emails_its_contact_and_its_link_stops_working(
        app, staff_client, sign_in_as, member, street, ceremony, audit_actions):
    reply_path = f"/ceremonies/invitations/{street.id}"
    member_client = sign_in_as(member, on=app.test_client())
    assert member_client.get(reply_path).status_code == 200
    assert f'href="{reply_path}"' in member_client.get("/dashboard").text

    response = post_form(staff_client, f"/staff/ceremonies/invitations/{street.id}/cancel",
                         {"message": "We are sorry: the hall is smaller than we hoped."})

    assert response.headers["Location"] == f"/staff/ceremonies/{ceremony.id}"
    *_, cancelled = emails_to("jo@example.org")
    assert cancelled.subject == "Invitation cancelled: Community awards 2026/27"
    assert "the hall is smaller" in cancelled.body_text
    assert "The certificate of your award is still yours to download" in cancelled.body_text
    assert member_client.get(reply_path).status_code == 404
    assert post_form(member_client, reply_path, PHONED).status_code == 404
    assert f'href="{reply_path}"' not in member_client.get("/dashboard").text
    assert audit_actions("ceremony_invitation", street.id)[-1] == (
        "ceremony.invitation_cancelled")
    page = words(staff_client.get(f"/staff/ceremonies/{ceremony.id}").text)
    assert "Organisations invited 1" in page  # the shelter's alone
    assert "Reading Street Support Emailed 1 June 2026 Cancelled 1 June 2026" in page


def test_a_cancelled_organisation_can_be_invited_again(
        db_session, staff, staff_client, street, ceremony, year):
    post_form(staff_client, f"/staff/ceremonies/invitations/{street.id}/cancel", {})

    [again] = inviting.send_invitations(db_session, staff, ceremony, [year.street_support.id])

    assert again.id == street.id and not again.cancelled
    assert [email.subject for email in emails_to("jo@example.org")] == [
        "Invitation: Community awards 2026/27", "Invitation cancelled: Community awards 2026/27",
        "Invitation: Community awards 2026/27"]


def test_staff_send_an_invitation_again_to_a_new_address(staff_client, street):
    path = f"/staff/ceremonies/invitations/{street.id}/send-again"
    refused = post_form(staff_client, path, {"sent_to": "not an address"})
    assert error_messages(refused.text) == [
        "Enter an email address in the correct format, like name@example.org"]

    done = post_form(staff_client, path, {"sent_to": "new.contact@example.org"})
    assert done.status_code == 302, error_messages(done.text)

    [email] = emails_to("new.contact@example.org")
    assert email.subject == "Invitation: Community awards 2026/27"
    assert f"/ceremonies/invitations/{street.id}" in email.body_text
    assert street.sent_to == "new.contact@example.org"


def test_staff_record_a_reply_taken_by_phone_audited_as_such(
        staff, staff_client, street, ceremony):
    response = post_form(staff_client,
                         f"/staff/ceremonies/invitations/{street.id}/phone-reply", PHONED)

    assert response.status_code == 302
    assert (street.attending, street.guests, street.access_needs, street.photo_consent,
            street.replied_by_phone, street.replied_by_id) == (
        True, 3, "Step-free access", False, True, staff.id)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "ceremony_invitation", AuditEvent.entity_id == street.id)
        .order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.actor_id, event.after) == (
        "ceremony.reply_taken_by_phone", staff.id,
        {"attending": True, "guests": 3, "by_phone": True})
    page = words(staff_client.get(f"/staff/ceremonies/{ceremony.id}").text)
    assert "Coming Taken by phone 3 Jo, Sam and Ali" in page
    assert guests.guest_list_csv([street]).splitlines()[1].endswith(",No,Yes,")


def test_a_member_never_reaches_staffs_invitation_pages(sign_in_as, member, street):
    client = sign_in_as(member)
    for action in ("cancel", "send-again", "phone-reply"):
        assert client.get(f"/staff/ceremonies/invitations/{street.id}/{action}"
                          ).status_code == 403


CHANGED = {"title": "Community awards 2026/27", "day": ["17", "7", "2026"], "at": "7pm",
           "place": "Reading Town Hall", "address": "Blagrave Street", "notes": "",
           "financial_year": "2026/27"}


def test_staff_change_the_ceremony_and_every_organisation_invited_is_told(
        staff_client, street, ceremony, year, audit_actions):
    path = f"/staff/ceremonies/{ceremony.id}/change"
    assert 'value="Oxford Town Hall"' in staff_client.get(path).text
    refused = post_form(staff_client, path, {**CHANGED, "fund": "0"})
    assert error_messages(refused.text) == [
        "Whose recipients are invited cannot change once invitations are sent: cancel them "
        "first"]

    response = post_form(staff_client, path, {**CHANGED, "fund": str(year.ppaf.id)})

    assert response.headers["Location"] == f"/staff/ceremonies/{ceremony.id}"
    *_, told = emails_to("jo@example.org")
    assert told.subject == "Change to the awards ceremony: Community awards 2026/27"
    assert "7pm on 17 July 2026" in told.body_text and "Reading Town Hall" in told.body_text
    assert f"/ceremonies/invitations/{street.id}" in told.body_text
    assert audit_actions("ceremony", ceremony.id)[-1] == "ceremony.changed"
