"""The ceremony's pages: staff plan a ceremony, invite its recipients, read the guest list and
download it; a member of an invited organisation replies, changes the reply and downloads a
certificate; nobody else sees the invitation."""

import io
from datetime import date, time

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from grants.ceremonies.models import Ceremony, CeremonyInvitation
from grants.ceremonies.operations.inviting import send_invitations
from grants.ceremonies.operations.planning import create_ceremony
from grants.extensions import db
from tests.assessment.screening_data import words
from tests.ceremonies.conftest import entry, invitation_of
from tests.fixtures.auth import post_form
from tests.funds.conftest import error_messages

pytestmark = pytest.mark.usefixtures("now")  # 11am on 1 June 2026: 2026/27

PLANNED = {"title": "PPAF awards 2026/27", "day": ["10", "7", "2026"], "at": "6:30pm",
           "place": "Oxford Town Hall", "address": "St Aldate's", "notes": "",
           "financial_year": "2026/27"}


def test_staff_plan_a_ceremony_and_invite_every_recipient_by_default(staff_client, year):
    assert 'href="/staff/ceremonies"' in staff_client.get("/staff/").text
    page = staff_client.get("/staff/ceremonies/new").text
    assert 'value="2026/27" checked' in page

    response = post_form(staff_client, "/staff/ceremonies/new",
                         {**PLANNED, "fund": str(year.ppaf.id)})

    ceremony = db.session.scalars(select(Ceremony)).one()
    assert response.headers["Location"] == f"/staff/ceremonies/{ceremony.id}/invite"
    invite = staff_client.get(response.headers["Location"]).text
    # Both PPAF recipients are ticked; the shelter's missing contact address is said.
    assert invite.count("checked") == 2
    assert "No contact address" in invite
    assert "Waiting Youth Club" not in invite

    response = post_form(staff_client, f"/staff/ceremonies/{ceremony.id}/invite",
                         {"organisations": [str(year.street_support.id)]})
    assert response.headers["Location"] == f"/staff/ceremonies/{ceremony.id}"
    page = words(staff_client.get(response.headers["Location"]).text)
    assert "1 invitation sent." in page
    assert "Organisations invited 1 Replied 0" in page
    assert "Reading Street Support Emailed 1 June 2026 No reply yet" in page
    listed = words(staff_client.get("/staff/ceremonies").text)
    assert "PPAF awards 2026/27" in listed and "6:30pm on 10 July 2026" in listed


def test_a_refused_plan_shows_each_problem_on_its_field(staff_client, year):
    response = post_form(staff_client, "/staff/ceremonies/new",
                         {**PLANNED, "title": "", "day": ["1", "5", "2026"], "at": "25pm"})

    assert response.status_code == 200
    assert error_messages(response.text) == [
        "Enter the ceremony's title", "Enter an hour from 1 to 12 with am or pm"]
    response = post_form(staff_client, "/staff/ceremonies/new",
                         {**PLANNED, "day": ["1", "5", "2026"]})
    assert error_messages(response.text) == ["The ceremony must be in the future"]
    assert db.session.scalars(select(Ceremony)).all() == []


def test_inviting_nobody_is_refused_on_the_page(staff_client, ceremony):
    response = post_form(staff_client, f"/staff/ceremonies/{ceremony.id}/invite", {})

    assert error_messages(response.text) == ["Choose the organisations to invite"]


def test_staff_download_the_guest_list_as_csv(staff_client, ceremony, invited):
    response = staff_client.get(f"/staff/ceremonies/{ceremony.id}/guests.csv")

    assert response.mimetype == "text/csv"
    assert "ceremony-" in response.headers["Content-Disposition"]
    lines = response.text.lstrip("\ufeff").splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "Organisation", "Oxford Night Shelter", "Reading Street Support"]


def test_a_member_replies_changes_the_reply_and_staff_see_it(
        sign_in_as, new_client, staff_client, year, ceremony, invited, member):
    invitation = invitation_of(invited, year.street_support)
    path = f"/ceremonies/invitations/{invitation.id}"
    client = sign_in_as(member, on=new_client())
    assert path in client.get("/dashboard").text

    response = post_form(client, path, {"attending": "yes"})
    assert error_messages(response.text) == [
        "Enter how many people will attend",
        "Choose whether the people attending may be photographed"]
    response = post_form(client, path, {
        "attending": "yes", "guests": "3", "guest_names": "Jo, Ash and Kim",
        "access_needs": "A wheelchair space", "photo_consent": "no"})
    assert response.headers["Location"] == path
    page = client.get(path).text
    assert "Thank you. We look forward to seeing you." in page
    assert 'value="3" checked' in page and "Change your reply" in page

    guests = words(staff_client.get(f"/staff/ceremonies/{ceremony.id}").text)
    assert "Coming 3 people from 1 organisation" in guests
    assert ("Reading Street Support Emailed 1 June 2026 Coming 3 Jo, Ash and Kim A wheelchair "
            "space No photographs") in guests

    post_form(client, path, {"attending": "no"})
    db.session.expire_all()
    assert db.session.get(CeremonyInvitation, invitation.id).guests is None


def test_after_the_ceremony_starts_the_reply_shows_but_cannot_change(
        db_session, sign_in_as, now, year, staff, member):
    # A ceremony starting a minute from now (12:01 in London is 11:01 UTC in June).
    ceremony = create_ceremony(db_session, staff, entry(day=date(2026, 6, 1), at=time(12, 1)))
    invitation, = send_invitations(db_session, staff, ceremony, [year.street_support.id])
    path = f"/ceremonies/invitations/{invitation.id}"
    client = sign_in_as(member)
    now.set(ceremony.starts_at)

    page = words(client.get(path).text)
    assert "The ceremony has started, so replies can no longer be changed" in page
    assert "Send your reply" not in page
    post_form(client, path, {"attending": "yes", "guests": "2", "photo_consent": "yes"},
              form_page="/dashboard")
    db.session.expire_all()
    assert db.session.get(CeremonyInvitation, invitation.id).replied_at is None


def test_another_organisations_member_is_told_the_invitation_does_not_exist(
        sign_in_as, year, invited, other_member):
    street = invitation_of(invited, year.street_support)
    client = sign_in_as(other_member)

    assert client.get(f"/ceremonies/invitations/{street.id}").status_code == 404
    assert client.get(f"/awards/{year.street_award.id}/certificate").status_code == 404


def test_a_member_downloads_a_certificate_naming_the_award_fund_and_commissioner(
        app, sign_in_as, year, invited, member):
    invitation = invitation_of(invited, year.street_support)
    client = sign_in_as(member)
    link = f"/awards/{year.street_award.id}/certificate"
    assert link in client.get(f"/ceremonies/invitations/{invitation.id}").text

    response = client.get(link)

    assert response.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(response.data)).pages).split())
    assert "Reading Street Support" in text
    assert "£2,500" in text
    assert "Outreach evenings" in text
    assert "Police Property Act Fund, 2026/27" in text
    assert app.config["COMMISSIONER_NAME"] in text
    # Only its own organisation's awards: not the CSF award, another organisation's.
    assert client.get(f"/awards/{year.csf_award.id}/certificate").status_code == 404


def test_a_cancelled_invitation_stops_its_reply_but_not_the_awards_certificate(
        sign_in_as, staff_client, year, invited, member):
    invitation = invitation_of(invited, year.street_support)
    post_form(staff_client, f"/staff/ceremonies/invitations/{invitation.id}/cancel", {})
    client = sign_in_as(member)

    assert client.get(f"/ceremonies/invitations/{invitation.id}").status_code == 404
    offer = client.get(f"/awards/{year.street_award.id}/offer").text
    link = f"/awards/{year.street_award.id}/certificate"
    assert link in offer
    assert client.get(link).mimetype == "application/pdf"


def test_a_recipient_never_invited_downloads_its_certificate_from_its_award_page(
        sign_in_as, year, member):
    client = sign_in_as(member)
    link = f"/awards/{year.street_award.id}/certificate"

    assert link in client.get(f"/awards/{year.street_award.id}/offer").text
    assert client.get(link).mimetype == "application/pdf"
