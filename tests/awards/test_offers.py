"""The recipient's offer page: the agreement, accepting (with its date rules and tick),
declining (which returns the money), and who may see it."""

import logging
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.awards.models import AwardStatus
from grants.awards.operations import offers, terms
from grants.awards.operations.committed import committed_pence
from grants.core import clock
from grants.core.errors import NotFound, ValidationFailed
from grants.extensions import db
from grants.records.models import AuditEvent, OutboxMessage
from tests.awards.paying import (  # noqa: F401  (fixtures)
    AMOUNT,
    OFFERED_AT,
    REPORT_DUE,
    accept,
    accepted_award_fixture,
    fixed_clock_fixture,
    member_fixture,
    offered_award_fixture,
    organisation_fixture,
    published_round_fixture,
)
from tests.fixtures.auth import post_form


def _offer_path(award) -> str:
    return f"/awards/{award.id}/offer"


def _acceptance(**changes) -> dict:
    return {"name": "Jo Member", "position": "Treasurer", "accepted_on": ["9", "3", "2027"],
            "confirm": "y", **changes}


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _emails(key_start: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.idempotency_key.startswith(key_start))))


# --- The agreement ------------------------------------------------------------------------

def test_the_offer_shows_the_grant_agreement_with_amount_conditions_and_dates(
    sign_in_as, member, offered_award
):
    page = sign_in_as(member).get(_offer_path(offered_award)).get_data(as_text=True)

    assert "<h1 class=\"govuk-heading-xl\">Your grant offer</h1>" in page
    assert "Reading Street Support" in page
    assert "Night shelter outreach" in page
    assert "£2,500" in page
    assert "Spend at least £500 on safeguarding training." in page
    assert "Send us photos of the project." in page
    # The spending period is the project's, as the report's date is: never 12 months from
    # accepting for a project with dates of its own.
    assert "12 months" not in page
    assert "by 31 January 2028" in page
    assert "The project runs from 1 April 2027 to 31 January 2028" in page
    assert "30 April 2028" in page  # the report: 3 months after the project ends
    assert "When we may ask for money back" in page
    assert "I accept these terms on behalf of Reading Street Support" in page


def test_the_report_falls_due_three_months_after_the_planned_end_at_the_end_of_a_month(
    offered_award
):
    assert terms.report_due_date(offered_award) == REPORT_DUE
    assert terms.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_without_a_planned_end_the_report_falls_due_three_months_after_the_spending_period(
    award_factory, published_round, organisation
):
    award = award_factory(round=published_round, organisation=organisation,
                          status=AwardStatus.OFFERED, offered_at=OFFERED_AT)

    assert terms.report_due_date(award) is None
    assert terms.report_due_date(award, date(2027, 3, 9)) == date(2028, 6, 9)


def test_the_offer_the_report_and_the_returns_follow_the_same_spending_period(
    offered_award, member
):
    from grants.monitoring.operations import schedule

    before = terms.offer_terms(offered_award)
    accept(offered_award, member)
    after = terms.offer_terms(offered_award)

    assert before.spend_by == after.spend_by == schedule.project_end_on(
        db.session, offered_award) == date(2028, 1, 31)
    assert after.report_due_on == offered_award.report_due_on == terms.report_due_after(
        after.spend_by) == schedule.end_of_grant_due_on(db.session, offered_award)


def test_a_grant_without_planned_dates_is_spent_within_12_months_of_accepting(
    sign_in_as, member, award_factory, published_round, organisation
):
    award = award_factory(round=published_round, organisation=organisation,
                          status=AwardStatus.OFFERED, offered_at=OFFERED_AT)

    page = sign_in_as(member).get(_offer_path(award)).get_data(as_text=True)

    assert "within 12 months of accepting this offer" in page
    award.accepted_on = date(2027, 3, 9)
    period = terms.spending_period(award)
    assert (period.starts_on, period.ends_on, period.planned) == (
        date(2027, 3, 9), date(2028, 3, 9), False)


def test_the_acceptance_date_starts_as_today_in_london(sign_in_as, member, offered_award,
                                                       monkeypatch):
    # 00:30 on 1 April 2027 in London (BST) is still 31 March in UTC.
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2027, 3, 31, 23, 30, tzinfo=UTC))

    page = sign_in_as(member).get(_offer_path(offered_award)).get_data(as_text=True)

    assert 'id="accepted_on-day" name="accepted_on" type="text" value="01"' in page
    assert 'id="accepted_on-month" name="accepted_on" type="text" value="04"' in page


# --- Who sees it --------------------------------------------------------------------------

def test_the_offer_is_not_found_until_the_rounds_decisions_are_published(
    sign_in_as, member, offered_award
):
    offered_award.round.decisions_published_at = None
    db.session.commit()

    assert sign_in_as(member).get(_offer_path(offered_award)).status_code == 404


def test_a_proposed_award_has_no_offer_to_see(sign_in_as, member, offered_award):
    offered_award.status = AwardStatus.PROPOSED
    offered_award.offered_at = None
    db.session.commit()

    assert sign_in_as(member).get(_offer_path(offered_award)).status_code == 404


@pytest.mark.parametrize("path", ["offer", "decline", "bank-details"])
def test_people_outside_the_organisation_are_told_the_offer_does_not_exist(
    sign_in_as, new_client, user_factory, offered_award, path
):
    for outsider in (user_factory(roles=[Role.APPLICANT]), user_factory(roles=[Role.STAFF])):
        client = sign_in_as(outsider, on=new_client())
        assert client.get(f"/awards/{offered_award.id}/{path}").status_code == 404


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(client, offered_award):
    response = client.get(_offer_path(offered_award))

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_only_a_member_can_accept_through_the_service(user_factory, offered_award):
    with pytest.raises(NotFound):
        offers.accept_offer(db.session, user_factory(roles=[Role.STAFF]), offered_award,
                            name="Someone", position="Officer", accepted_on=date(2027, 3, 9),
                            confirmed=True)


# --- Accepting ----------------------------------------------------------------------------

def test_accepting_records_who_accepted_and_when_then_asks_for_bank_details(
    sign_in_as, member, offered_award
):
    client = sign_in_as(member)

    response = post_form(client, _offer_path(offered_award), _acceptance())

    assert response.status_code == 302
    assert response.headers["Location"] == f"/awards/{offered_award.id}/bank-details"
    db.session.refresh(offered_award)
    assert offered_award.status is AwardStatus.ACCEPTED
    assert offered_award.accepted_at == clock.utcnow()
    assert (offered_award.accepted_by_name, offered_award.accepted_by_position,
            offered_award.accepted_on) == ("Jo Member", "Treasurer", date(2027, 3, 9))
    assert offered_award.report_due_on == REPORT_DUE
    assert offered_award.application.status is ApplicationStatus.OFFER_ACCEPTED


def test_accepting_is_audited_and_emailed_to_the_organisations_contact(member, offered_award):
    accept(offered_award, member)

    [event] = _events("award.accepted")
    assert (event.actor_id, event.entity_type, event.entity_id) == (
        member.id, "award", offered_award.id)
    assert event.before == {"status": "offered"}
    assert event.after["status"] == "accepted"
    assert event.after["amount_pence"] == AMOUNT
    assert event.after["report_due_on"] == "2028-04-30"
    [email] = _emails("award-accepted:")
    assert email.to_address == "contact@example.org"
    assert "Jo Member (Treasurer) accepted" in email.body_text
    assert "Spend the grant by: 31 January 2028" in email.body_text  # the project's end
    assert "30 April 2028" in email.body_text


def test_accepting_twice_makes_one_acceptance(member, offered_award):
    accept(offered_award, member)
    accept(offered_award, member, accepted_on=date(2027, 3, 10))

    assert offered_award.accepted_on == date(2027, 3, 9)
    assert len(_events("award.accepted")) == 1
    assert len(_emails("award-accepted:")) == 1


def test_an_accepted_offer_shows_who_accepted_it_and_links_to_bank_details(
    sign_in_as, member, accepted_award
):
    page = sign_in_as(member).get(_offer_path(accepted_award)).get_data(as_text=True)

    assert "Your grant agreement" in page
    assert "Jo Member (Treasurer) accepted this grant" in page
    assert "9 March 2027" in page
    assert "by 31 January 2028" in page  # the project's end, not 12 months on
    assert f'href="/awards/{accepted_award.id}/bank-details"' in page
    assert "Accept the offer</button>" not in page


@pytest.mark.parametrize("day,message", [
    (["11", "3", "2027"], "The date you accept the offer must be today or in the past"),
    (["28", "2", "2027"], "The date you accept the offer must be on or after the date of the "
                          "offer, 1 March 2027"),
    (["", "", ""], "Enter the date you accept the offer"),
    (["31", "2", "2027"], "Not a valid date value."),
])
def test_the_acceptance_date_must_be_between_the_offer_and_today(
    sign_in_as, member, offered_award, day, message
):
    client = sign_in_as(member)

    response = post_form(client, _offer_path(offered_award), _acceptance(accepted_on=day))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Your grant offer" in page
    assert message.replace("'", "&#39;") in page
    db.session.refresh(offered_award)
    assert offered_award.status is AwardStatus.OFFERED


def test_acceptance_can_be_dated_today_or_the_day_of_the_offer(member, offered_award):
    for accepted_on in (date(2027, 3, 1), date(2027, 3, 10)):
        assert offers._acceptance_date_error(offered_award, accepted_on) is None


def test_accepting_needs_the_tick_on_behalf_of_the_organisation(sign_in_as, member,
                                                                offered_award):
    data = _acceptance()
    del data["confirm"]

    response = post_form(sign_in_as(member), _offer_path(offered_award), data)

    assert ("Confirm that you accept these terms on behalf of Reading Street Support"
            in response.get_data(as_text=True))
    db.session.refresh(offered_award)
    assert offered_award.status is AwardStatus.OFFERED
    assert _events("award.accepted") == []


def test_the_service_refuses_an_acceptance_without_a_name_position_or_tick(member,
                                                                         offered_award):
    with pytest.raises(ValidationFailed) as refusal:
        offers.accept_offer(db.session, member, offered_award, name=" ", position="",
                            accepted_on=date(2027, 3, 9), confirmed=False)

    assert set(refusal.value.errors) == {"name", "position", "confirm"}


def test_a_withdrawn_offer_cannot_be_accepted(member, offered_award):
    offered_award.status = AwardStatus.WITHDRAWN
    db.session.commit()

    with pytest.raises(offers.OfferRefused, match="This offer was withdrawn"):
        accept(offered_award, member)


def test_acceptance_and_decline_are_logged_with_ids_and_no_personal_data(
    caplog, member, offered_award, award_factory, published_round, organisation
):
    second = award_factory(round=published_round, organisation=organisation,
                           status=AwardStatus.OFFERED, offered_at=OFFERED_AT,
                           amount_pence=70_000)
    with caplog.at_level(logging.INFO, logger="grants.awards"):
        accept(offered_award, member)
        offers.decline_offer(db.session, member, second, "We merged with another charity")

    messages = [r.getMessage() for r in caplog.records
                if r.name == "grants.awards.operations.offers"]
    assert messages == [
        f"award {offered_award.id} accepted by user {member.id}: 250000 pence committed in "
        f"round {published_round.id}",
        f"award {second.id} declined by user {member.id}: 70000 pence returned to round "
        f"{published_round.id}",
    ]
    assert not any("Jo Member" in m or "Treasurer" in m or "merged" in m for m in messages)


# --- Declining ----------------------------------------------------------------------------

def test_declining_returns_the_money_to_the_rounds_budget(sign_in_as, member, offered_award,
                                                          published_round):
    before = committed_pence(db.session, published_round.id)

    response = post_form(sign_in_as(member), f"/awards/{offered_award.id}/decline",
                         {"reason": "The hall we planned to use has closed."})

    assert response.status_code == 302
    assert response.headers["Location"] == _offer_path(offered_award)
    db.session.refresh(offered_award)
    assert offered_award.status is AwardStatus.DECLINED
    assert offered_award.recipient_declined_at == clock.utcnow()
    assert offered_award.recipient_decline_reason == "The hall we planned to use has closed."
    assert before == AMOUNT
    assert committed_pence(db.session, published_round.id) == before - AMOUNT


def test_declining_is_audited_and_emailed(member, offered_award):
    offers.decline_offer(db.session, member, offered_award, "The project cannot go ahead")

    [event] = _events("award.declined")
    assert event.after == {"status": "declined", "released_pence": AMOUNT,
                           "reason": "The project cannot go ahead"}
    [email] = _emails("award-declined:")
    assert email.to_address == "contact@example.org"
    assert "The project cannot go ahead" in email.body_text


def test_declining_needs_a_reason(sign_in_as, member, offered_award):
    response = post_form(sign_in_as(member), f"/awards/{offered_award.id}/decline",
                         {"reason": "  "})

    page = response.get_data(as_text=True)
    assert "<title>Error: Decline the grant offer" in page
    assert "Enter why you are declining the offer" in page
    db.session.refresh(offered_award)
    assert offered_award.status is AwardStatus.OFFERED


def test_a_declined_offer_shows_it_was_declined_and_cannot_be_accepted(sign_in_as, member,
                                                                       offered_award):
    offers.decline_offer(db.session, member, offered_award, "No longer needed")
    db.session.commit()
    client = sign_in_as(member)

    page = client.get(_offer_path(offered_award)).get_data(as_text=True)
    response = post_form(client, _offer_path(offered_award), _acceptance())

    assert "Grant offer declined" in page
    assert "Reason given: No longer needed" in page
    assert "Accept the offer</button>" not in page
    assert response.status_code == 302
    db.session.refresh(offered_award)
    assert offered_award.status is AwardStatus.DECLINED


def test_an_accepted_offer_cannot_be_declined(member, accepted_award):
    with pytest.raises(offers.OfferRefused, match="already been accepted"):
        offers.decline_offer(db.session, member, accepted_award, "Changed our minds")


def test_an_award_that_does_not_exist_looks_like_one_that_is_not_theirs(
    sign_in_as, user_factory, offered_award
):
    client = sign_in_as(user_factory(roles=[Role.APPLICANT]))

    missing = client.get(f"/awards/{offered_award.id + 1000}/offer")
    not_theirs = client.get(_offer_path(offered_award))

    assert missing.status_code == not_theirs.status_code == 404
    assert missing.get_data(as_text=True).split("<main")[1].split("</main>")[0] == (
        not_theirs.get_data(as_text=True).split("<main")[1].split("</main>")[0])
