"""Staff see a round's expressions of interest and invite or decline each: once, with a
reason to decline, not after the round's decisions; the applicant is told either way."""

from grants.extensions import db
from grants.interest.models import InterestStatus
from grants.organisations.operations.merging import merge_organisations
from tests.fixtures.auth import post_form
from tests.interest.conftest import NOW
from tests.interest.making import sent_interest


def _decide(client, interest, **data):
    return post_form(client, f"/staff/expressions-of-interest/{interest.id}", data)


def test_staff_see_the_round_s_expressions_of_interest_with_their_figures(
        sign_in_as, staff, member, organisation, staged_round):
    sent_interest(staged_round, organisation, member, title="Safer streets")

    page = sign_in_as(staff).get(f"/staff/rounds/{staged_round.id}/expressions-of-interest")

    text = page.get_data(as_text=True)
    assert "Reading Street Support" in text and "Safer streets" in text
    assert "Waiting for an answer</dt><dd class=\"govuk-summary-list__value\">1" in text


def test_an_invitation_is_emailed_and_the_applicant_may_then_start_the_application(
        sign_in_as, client, staff, member, organisation, staged_round, emails_to):
    interest = sent_interest(staged_round, organisation, member)

    answer = _decide(sign_in_as(staff), interest, decision="invite")

    assert answer.status_code == 302
    assert interest.status is InterestStatus.INVITED
    assert "You are invited to apply: PPAF 2026/27 Round 2" in \
        [subject for subject, _ in emails_to(member.email)]
    page = sign_in_as(member).get(f"/expressions-of-interest/{interest.id}")
    assert "Start your application" in page.get_data(as_text=True)


def test_declining_needs_a_reason(sign_in_as, staff, member, organisation, staged_round):
    interest = sent_interest(staged_round, organisation, member)

    page = _decide(sign_in_as(staff), interest, decision="decline", reason="  ")

    assert "Enter the reason the applicant will read" in page.get_data(as_text=True)
    db.session.refresh(interest)
    assert interest.status is InterestStatus.SENT


def test_a_decline_s_reason_is_emailed_and_shown_to_the_applicant(
        sign_in_as, client, staff, member, organisation, staged_round, emails_to):
    interest = sent_interest(staged_round, organisation, member)
    reason = "The round funds work with young people; this project is for older people."

    _decide(sign_in_as(staff), interest, decision="decline", reason=reason)

    assert any(reason in body for _, body in emails_to(member.email))
    page = sign_in_as(member).get(f"/expressions-of-interest/{interest.id}")
    assert reason in page.get_data(as_text=True)


def test_an_answer_once_given_cannot_be_given_again(
        sign_in_as, staff, member, organisation, staged_round):
    interest = sent_interest(staged_round, organisation, member)
    signed_in = sign_in_as(staff)
    _decide(signed_in, interest, decision="invite")

    page = _decide(signed_in, interest, decision="decline", reason="Changed our minds")

    assert "was invited already, so the answer cannot change" in page.get_data(as_text=True)
    db.session.refresh(interest)
    assert interest.status is InterestStatus.INVITED


def test_no_answer_is_given_after_the_round_s_decisions(
        sign_in_as, staff, member, organisation, staged_round):
    interest = sent_interest(staged_round, organisation, member)
    staged_round.decided_at = NOW
    db.session.commit()

    page = _decide(sign_in_as(staff), interest, decision="invite")

    assert "The round&#39;s decisions have been made" in page.get_data(as_text=True)
    db.session.refresh(interest)
    assert interest.status is InterestStatus.SENT


def test_merging_two_records_of_an_organisation_moves_its_expression_of_interest(
        staff, member, organisation, staged_round, organisation_factory):
    kept = organisation_factory(name="Reading Street Support CIO",
                                organisation_type=organisation.organisation_type)
    interest = sent_interest(staged_round, organisation, member)

    merge = merge_organisations(db.session, staff, kept.id, organisation.id,
                                reason="Registered twice")

    assert merge.moved["expressions of interest"] == 1
    db.session.expire_all()
    assert interest.organisation_id == kept.id
