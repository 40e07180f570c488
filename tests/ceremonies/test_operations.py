"""The ceremony's rules: who may be invited (public awards of the year and fund, as the one
publicity rule says), sending each invitation once, the reply and its changes until the
ceremony starts, and certificates only of public awards."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from grants.awards.models import Award, AwardStatus
from grants.ceremonies.operations import certificates, guests, inviting, planning, replying
from grants.ceremonies.operations.replying import Reply
from grants.core.errors import NotFound, Refusal, ValidationFailed
from grants.records.models import OutboxMessage
from tests.ceremonies.conftest import YEAR, entry, invitation_of

pytestmark = pytest.mark.usefixtures("now")  # 11am on 1 June 2026: 2026/27


def names(recipients) -> list[str]:
    return [recipient.organisation.name for recipient in recipients]


def test_the_recipients_are_the_organisations_with_a_public_award_of_the_year_and_fund(
        db_session, year, staff):
    every_fund = planning.create_ceremony(db_session, staff, entry())
    ppaf_only = planning.create_ceremony(db_session, staff, entry(fund_id=year.ppaf.id))
    last_year = planning.create_ceremony(db_session, staff, entry(financial_year="2025/26"))

    # Not the award still unpublished, nor the declined one, nor last year's.
    assert names(inviting.recipients(db_session, every_fund)) == [
        "Oxford Night Shelter", "Reading Community Safety Partnership",
        "Reading Street Support"]
    assert names(inviting.recipients(db_session, ppaf_only)) == [
        "Oxford Night Shelter", "Reading Street Support"]
    assert names(inviting.recipients(db_session, last_year)) == ["Last Year's Choir"]
    street = inviting.recipients(db_session, ppaf_only)[1]
    assert (street.awards, street.amount_pence, street.invited) == (1, 250_000, False)


def test_planning_a_ceremony_is_audited_and_its_time_is_stored_in_utc(
        db_session, year, staff, audit_actions):
    ceremony = planning.create_ceremony(db_session, staff, entry())

    # 6:30pm in London in July is 5:30pm UTC (British Summer Time).
    assert ceremony.starts_at == datetime(2026, 7, 10, 17, 30, tzinfo=UTC)
    assert ceremony.fund_id is None and ceremony.financial_year == YEAR
    assert audit_actions("ceremony", ceremony.id) == ["ceremony.created"]


def test_a_ceremony_in_the_past_or_without_its_details_is_refused(db_session, year, staff):
    with pytest.raises(ValidationFailed) as refused:
        planning.create_ceremony(db_session, staff, entry(
            title=" ", place="", day=date(2026, 5, 31), financial_year="2019/20"))

    assert refused.value.errors == {
        "title": "Enter the ceremony's title", "place": "Enter where the ceremony is held",
        "day": planning.IN_THE_PAST,
        "financial_year": "Choose the financial year whose recipients are invited"}


def test_sending_invitations_emails_each_contact_once_and_is_audited(
        db_session, year, staff, ceremony, audit_actions):
    sent = inviting.send_invitations(db_session, staff, ceremony,
                                     [year.street_support.id, year.night_shelter.id])
    again = inviting.send_invitations(db_session, staff, ceremony, [year.street_support.id])

    assert again == []
    assert {i.organisation.name: i.sent_to for i in sent} == {
        "Reading Street Support": "jo@example.org", "Oxford Night Shelter": ""}
    emails = db_session.scalars(select(OutboxMessage)).all()
    # The shelter has no contact address: invited (its members see it), not emailed.
    assert [(m.to_address, m.subject) for m in emails] == [
        ("jo@example.org", "Invitation: Community awards 2026/27")]
    street = invitation_of(sent, year.street_support)
    assert f"/ceremonies/invitations/{street.id}" in emails[0].body_text
    assert "6:30pm on 10 July 2026" in emails[0].body_text
    assert audit_actions("ceremony", ceremony.id) == ["ceremony.created",
                                                      "ceremony.invitations_sent"]
    assert [r.invited for r in inviting.recipients(db_session, ceremony)] == [True, True]


def test_only_a_recipient_of_the_ceremony_can_be_invited(db_session, year, staff, ceremony):
    for chosen in ([], [year.not_yet_published.id], [year.csf_partnership.id]):
        with pytest.raises(ValidationFailed):
            inviting.send_invitations(db_session, staff, ceremony, chosen)


def test_a_member_replies_and_changes_the_reply_until_the_ceremony_starts(
        db_session, now, year, invited, member, audit_actions):
    invitation = invitation_of(invited, year.street_support)

    replying.reply(db_session, member, invitation, Reply(
        attending=True, guests=3, guest_names="Jo, Ash and Kim",
        access_needs="Step-free access", photo_consent=False))
    assert (invitation.attending, invitation.guests, invitation.photo_consent) == (True, 3, False)
    replying.reply(db_session, member, invitation, Reply(attending=False, guests=3,
                                                         access_needs="kept?"))
    # Not coming: nothing about the people is kept.
    assert (invitation.attending, invitation.guests, invitation.access_needs) == (False, None, "")
    assert audit_actions("ceremony_invitation", invitation.id) == [
        "ceremony.replied", "ceremony.reply_changed"]

    now.set(invitation.ceremony.starts_at)
    with pytest.raises(Refusal, match="The ceremony has started"):
        replying.reply(db_session, member, invitation, Reply(attending=True, guests=1,
                                                             photo_consent=True))


@pytest.mark.parametrize("answer,errors", [
    (Reply(attending=None), {"attending": replying.ATTENDING_MISSING}),
    (Reply(attending=True), {"guests": replying.GUESTS_MISSING,
                             "photo_consent": replying.CONSENT_MISSING}),
    (Reply(attending=True, guests=11, photo_consent=True),
     {"guests": replying.GUESTS_OUT_OF_RANGE}),
    (Reply(attending=True, guests=0, photo_consent=True),
     {"guests": replying.GUESTS_OUT_OF_RANGE}),
])
def test_a_reply_says_whether_they_come_and_if_so_how_many_and_about_photographs(
        db_session, year, invited, member, answer, errors):
    with pytest.raises(ValidationFailed) as refused:
        replying.reply(db_session, member, invitation_of(invited, year.street_support), answer)
    assert refused.value.errors == errors


def test_the_guest_list_counts_replies_people_and_access_needs(
        db_session, year, invited, member, ceremony):
    replying.reply(db_session, member, invitation_of(invited, year.street_support), Reply(
        attending=True, guests=4, access_needs="=HYPERLINK(\"x\")", photo_consent=True))

    listed = guests.guest_list(db_session, ceremony)
    assert guests.figures(listed) == guests.GuestFigures(
        invited=2, replied=1, attending=1, people=4, with_access_needs=1)
    lines = guests.guest_list_csv(listed).splitlines()
    assert lines[0].startswith("Organisation,Invitation emailed to,Invited on")
    assert lines[1] == "Oxford Night Shelter,,2026-06-01,,,,,,,,"
    # What a person typed never runs as a formula in a spreadsheet.
    assert lines[2] == ("Reading Street Support,jo@example.org,2026-06-01,2026-06-01,Yes,4,,"
                        "\"'=HYPERLINK(\"\"x\"\")\",Yes,No,")


def test_certificates_are_of_the_organisations_public_awards_the_ceremony_celebrates(
        db_session, year, staff, award_factory, round_factory):
    ceremony = planning.create_ceremony(db_session, staff, entry())
    invitation, = inviting.send_invitations(db_session, staff, ceremony,
                                            [year.street_support.id])
    # Another award to the same organisation this year, withdrawn: no certificate.
    withdrawn = award_factory(round=year.street_award.round, organisation=year.street_support,
                              amount_pence=10_000, status=AwardStatus.WITHDRAWN)

    assert certificates.certificate_awards(db_session, invitation) == [year.street_award]
    certificate = certificates.certificate_of(
        certificates.certified_award(db_session, year.street_award.id))
    assert (certificate.organisation, certificate.amount_pence, certificate.purpose,
            certificate.fund) == ("Reading Street Support", 250_000, "Outreach evenings",
                                  "Police Property Act Fund")
    # A certificate is only ever of a public award: not withdrawn, declined or unpublished.
    unpublished, declined = (db_session.scalars(select(Award.id).where(
        Award.organisation_id == organisation.id)).one()
        for organisation in (year.not_yet_published, year.declined))
    for award_id in (withdrawn.id, unpublished, declined, 0):
        with pytest.raises(NotFound):
            certificates.certified_award(db_session, award_id)


def test_a_members_dashboard_lists_the_invitations_of_its_organisations(
        db_session, year, invited):
    assert replying.invitations_of(db_session, {year.street_support.id}) == [
        invitation_of(invited, year.street_support)]
    assert replying.invitations_of(db_session, set()) == []
