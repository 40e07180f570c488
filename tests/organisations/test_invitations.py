"""A member invites someone by email address to join their organisation: the emailed link works
once, until it expires, for the account with that address only, and names the organisation to
nobody else."""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.core import clock
from grants.organisations.models import Membership, MembershipInvitation, MembershipStatus
from grants.records.models import AuditEvent, OutboxMessage
from tests.fixtures.auth import post_form

LINK = re.compile(r"https?://[^\s]+/organisations/invitations/([A-Za-z0-9_-]+)")


@pytest.fixture
def organisation(organisation_factory, membership_factory, user_factory):
    organisation = organisation_factory(name="Wantage Youth Club")
    membership_factory(user=user_factory(name="Jo Member", email="jo@example.org"),
                       organisation=organisation)
    return organisation


@pytest.fixture
def member(organisation):
    return organisation.memberships[0].user


def invite(client, organisation, email: str, *, form_page: str | None = None):
    page = f"/organisations/{organisation.id}/invite"
    return post_form(client, page, {"email": email}, form_page=form_page)


def sent_link(db_session, email: str) -> str:
    message = db_session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == email).order_by(OutboxMessage.id.desc())).first()
    return "/organisations/invitations/" + LINK.search(message.body_text)[1]


def membership_of(db_session, user, organisation):
    return db_session.scalars(select(Membership).where(
        Membership.user_id == user.id, Membership.organisation_id == organisation.id)
    ).one_or_none()


def test_a_member_invites_someone_who_joins_by_the_link(
    organisation, member, user_factory, sign_in_as, new_client, db_session
):
    response = invite(sign_in_as(member), organisation, " Sam@Example.org ")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/organisations/{organisation.id}"
    message = db_session.scalars(select(OutboxMessage)).one()
    assert message.to_address == "sam@example.org"
    assert message.subject == "An invitation to join an organisation on the grants service"
    assert message.body_text.startswith("You have been invited to join an organisation")
    assert "Organisation: Wantage Youth Club" in message.body_text
    assert "Invited by: Jo Member" in message.body_text
    link = sent_link(db_session, "sam@example.org")
    token = link.rsplit("/", 1)[1]
    invitation = db_session.scalars(select(MembershipInvitation)).one()
    # Only a hash of the link's token is kept.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert invitation.expires_at == invitation.created_at + timedelta(days=14)

    sam = user_factory(email="sam@example.org", roles=[])
    client = sign_in_as(sam, on=new_client())
    page = client.get(link)
    assert page.status_code == 200
    assert "Join Wantage Youth Club" in page.get_data(as_text=True)
    joined = post_form(client, link)

    assert joined.status_code == 302
    assert joined.headers["Location"] == f"/organisations/{organisation.id}"
    assert membership_of(db_session, sam, organisation).status is MembershipStatus.ACTIVE
    assert sam.has_role(Role.APPLICANT)
    assert invitation.used_at is not None and invitation.used_by_id == sam.id
    assert client.get(f"/organisations/{organisation.id}").status_code == 200
    assert {"membership.invited", "membership.invitation_accepted"} <= set(
        db_session.scalars(select(AuditEvent.action)))


def test_an_invitation_works_once(
    organisation, member, user_factory, sign_in_as, new_client, db_session
):
    invite(sign_in_as(member), organisation, "sam@example.org")
    link = sent_link(db_session, "sam@example.org")
    sam = user_factory(email="sam@example.org")
    client = sign_in_as(sam, on=new_client())
    page = client.get(link).get_data(as_text=True)
    assert post_form(client, link).status_code == 302
    # Were it used again, it would make this request a membership again.
    membership_of(db_session, sam, organisation).status = MembershipStatus.PENDING
    db_session.commit()  # the refused requests below roll back what they did

    again = client.get(link)
    # The form kept from before the first use is refused too.
    token = re.search(r'name="csrf_token" value="([^"]*)"', page)[1]
    posted_again = client.post(link, data={"csrf_token": token})

    assert again.status_code == posted_again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    assert membership_of(db_session, sam, organisation).status is MembershipStatus.PENDING


def test_an_expired_invitation_is_refused(
    organisation, member, user_factory, sign_in_as, new_client, db_session
):
    invite(sign_in_as(member), organisation, "sam@example.org")
    link = sent_link(db_session, "sam@example.org")
    db_session.scalars(select(MembershipInvitation)).one().expires_at = (
        clock.utcnow() - timedelta(seconds=1))
    db_session.commit()  # the refused requests below roll back what they did
    sam = user_factory(email="sam@example.org")
    client = sign_in_as(sam, on=new_client())

    page = client.get(link)
    posted = post_form(client, link, form_page="/account")

    assert page.status_code == posted.status_code == 410
    assert "This invitation has expired" in page.get_data(as_text=True)
    assert membership_of(db_session, sam, organisation) is None


def test_an_invitation_is_refused_to_another_account_without_naming_the_organisation(
    organisation, member, user_factory, sign_in_as, new_client, db_session
):
    invite(sign_in_as(member), organisation, "sam@example.org")
    link = sent_link(db_session, "sam@example.org")
    someone_else = user_factory(email="someone.else@example.org")
    client = sign_in_as(someone_else, on=new_client())

    page = client.get(link)
    posted = post_form(client, link, form_page="/account")

    assert page.status_code == posted.status_code == 403
    text = page.get_data(as_text=True) + posted.get_data(as_text=True)
    assert "sent to a different email address" in text
    assert "Wantage Youth Club" not in text
    assert membership_of(db_session, someone_else, organisation) is None
    assert db_session.scalars(select(MembershipInvitation.used_at)).one() is None


def test_someone_not_signed_in_is_asked_to_sign_in_and_told_nothing_more(
    organisation, member, sign_in_as, new_client, db_session
):
    invite(sign_in_as(member), organisation, "sam@example.org")
    link = sent_link(db_session, "sam@example.org")
    visitor = new_client()

    page = visitor.get(link)
    posted = post_form(visitor, link, form_page="/sign-in")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Sign in to accept your invitation" in text
    assert "Wantage Youth Club" not in text
    assert f'href="/sign-in?next={link}"' in text
    assert posted.status_code == 302 and posted.headers["Location"].startswith("/sign-in")


def test_a_link_no_invitation_has_is_not_found(user_factory, sign_in_as):
    client = sign_in_as(user_factory())

    assert client.get("/organisations/invitations/made-up").status_code == 404
    assert client.get("/organisations/invitations/" + "a" * 200).status_code == 404


def test_only_members_and_staff_invite(
    organisation, user_factory, membership_factory, sign_in_as, new_client, db_session
):
    outsider = sign_in_as(user_factory())
    pending = user_factory()
    membership_factory(user=pending, organisation=organisation, status=MembershipStatus.PENDING)

    refused = [invite(client, organisation, "sam@example.org", form_page="/account").status_code
               for client in (outsider, sign_in_as(pending, on=new_client()))]
    staff = invite(sign_in_as(user_factory(roles=[Role.STAFF]), on=new_client()), organisation,
                   "sam@example.org")

    assert refused == [404, 404]
    assert staff.status_code == 302
    assert db_session.scalars(select(OutboxMessage.to_address)).all() == ["sam@example.org"]


def test_a_bad_address_is_refused_on_its_field(organisation, member, sign_in_as, db_session):
    response = invite(sign_in_as(member), organisation, "not an address")

    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.get_data(as_text=True)
    assert db_session.scalars(select(MembershipInvitation)).all() == []


def test_the_organisation_page_leads_to_inviting_and_lists_invitations_waiting(
    organisation, member, sign_in_as
):
    client = sign_in_as(member)
    invite(client, organisation, "sam@example.org")

    page = client.get(f"/organisations/{organisation.id}").get_data(as_text=True)
    invite_page = client.get(f"/organisations/{organisation.id}/invite").get_data(as_text=True)

    assert f'href="/organisations/{organisation.id}/invite">Invite someone to join' in page
    assert "Invitations not used yet" in invite_page and "sam@example.org" in invite_page


def test_a_merge_keeps_the_duplicates_invitations_working(
    organisation, member, organisation_factory, membership_factory, user_factory, sign_in_as,
    new_client, db_session
):
    duplicate = organisation_factory(name="Wantage Youth Club CIO")
    membership_factory(user=member, organisation=duplicate)
    invite(sign_in_as(member), duplicate, "sam@example.org")
    link = sent_link(db_session, "sam@example.org")
    staff_client = sign_in_as(user_factory(roles=[Role.STAFF]), on=new_client())
    assert post_form(staff_client, f"/organisations/{organisation.id}/merge/{duplicate.id}",
                     {"reason": "Entered twice"}).status_code == 302
    sam = user_factory(email="sam@example.org")
    client = sign_in_as(sam, on=new_client())

    assert post_form(client, link).status_code == 302
    assert membership_of(db_session, sam, organisation).status is MembershipStatus.ACTIVE
