"""Publishing a round's decisions: nothing shows to applicants before (dashboard, application
page, email); afterwards each applicant is told by email and on their dashboard, awards become
offers, and nothing can change. Publishing twice does nothing the second time."""

import pytest
from sqlalchemy import select

from grants.awards.models import Award, AwardStatus
from grants.decisions.models import DecisionOutcome
from grants.decisions.operations import publishing
from grants.decisions.operations.queries import decision_for, published_decision
from grants.decisions.operations.rules import DecisionRefused
from grants.decisions.operations.sign_off import sign_off
from grants.extensions import db
from grants.records.models import AuditEvent, OutboxMessage
from tests.assessment.screening_data import words
from tests.awards.decisions_data import (  # noqa: F401  (fixed_clock is a fixture)
    NOW,
    decided,
    deciding_round,
    eligible,
    fixed_clock,
    member_of,
    staff_member,
)
from tests.fixtures.auth import post_form
from tests.fixtures.factories import OrganisationFactory

pytestmark = pytest.mark.usefixtures("fixed_clock")

CONDITIONS = "Send a short report on the outcomes within 12 months"
REASON = "Other applications met the round's priorities more closely"
FEEDBACK = "Tell us more about how you will reach young people at risk"


@pytest.fixture
def sam():
    return staff_member("Sam Staff")


@pytest.fixture
def pat():
    return staff_member("Pat Partner")


@pytest.fixture
def decided_round(sam):
    """A round with one application awarded in part and one declined; not yet signed off."""
    round_ = deciding_round()
    funded = eligible(round_, 1, amount_pence=600_000, organisation=OrganisationFactory(
        name="Reading Street Support", contact_email="hello@readingstreet.example"))
    declined = eligible(round_, 2, organisation=OrganisationFactory(
        name="Oxford Youth Club", contact_email="hello@oxfordyouth.example"))
    decided(sam, funded, DecisionOutcome.AWARD_IN_PART, amount_pence=450_000,
            reason="Fund the first year", conditions=CONDITIONS)
    decided(sam, declined, DecisionOutcome.DECLINE, reason=REASON, feedback=FEEDBACK)
    return round_, funded, declined


@pytest.fixture
def signed_off(decided_round, pat):
    sign_off(db.session, pat, decided_round[0].id)
    db.session.commit()
    return decided_round


def publish(user, round_):
    result = publishing.publish(db.session, user, round_.id)
    db.session.commit()
    return result


def outcome_emails() -> list[OutboxMessage]:
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.idempotency_key.like("decision-published:%"))
        .order_by(OutboxMessage.to_address)))


def applicant_pages(client, application) -> tuple[str, str]:
    dashboard = words(client.get("/dashboard").get_data(as_text=True))
    view = words(client.get(f"/applications/{application.id}/view").get_data(as_text=True))
    return dashboard, view


def test_before_publishing_applicants_see_no_outcome(signed_off, sign_in_as, new_client):
    _, funded, declined = signed_off
    for application in (funded, declined):
        client = sign_in_as(member_of(application.organisation), on=new_client())
        dashboard, view = applicant_pages(client, application)
        assert "Being assessed" in dashboard and "Awarded" not in dashboard
        assert "Not funded" not in dashboard
        assert "Being assessed" in view
        for hidden in ("offered a grant", "not been funded", "£4,500", CONDITIONS, REASON,
                       FEEDBACK, "offer"):
            assert hidden not in view
    assert outcome_emails() == []
    assert published_decision(db.session, funded) is None


def test_publishing_shows_an_award_on_the_dashboard_and_the_application(
        signed_off, sam, sign_in_as):
    round_, funded, _ = signed_off
    publish(sam, round_)
    award = db.session.scalars(select(Award).where(Award.application_id == funded.id)).one()
    client = sign_in_as(member_of(funded.organisation))
    dashboard, view = applicant_pages(client, funded)
    assert "Awarded" in dashboard
    assert "Status Awarded" in view
    assert "You have been offered a grant of £4,500" in view
    assert "Amount awarded £4,500 of the £6,000 requested" in view
    assert f"Conditions {CONDITIONS}" in view
    assert "Read and accept the offer" in view
    page = client.get(f"/applications/{funded.id}/view").get_data(as_text=True)
    assert f'href="/awards/{award.id}/offer"' in page


def test_publishing_shows_a_decline_with_its_reason_and_feedback(signed_off, sam, sign_in_as):
    round_, _, declined = signed_off
    publish(sam, round_)
    dashboard, view = applicant_pages(sign_in_as(member_of(declined.organisation)), declined)
    assert "Not funded" in dashboard
    assert "this application has not been funded" in view
    assert f"Reason {REASON}" in view and f"Feedback {FEEDBACK}" in view
    assert "Read and accept the offer" not in view


def test_publishing_emails_each_applicant_their_outcome(signed_off, sam, app):
    round_, funded, declined = signed_off
    publish(sam, round_)
    award = db.session.scalars(select(Award).where(Award.application_id == funded.id)).one()
    declined_email, awarded_email = outcome_emails()  # by address
    assert awarded_email.to_address == "hello@readingstreet.example"
    assert awarded_email.subject == (f"Application {funded.reference}: you have been offered "
                                     "a grant")
    assert "Amount awarded: £4,500 (you asked for £6,000)" in awarded_email.body_text
    assert CONDITIONS in awarded_email.body_text
    base = app.config["BASE_URL"].rstrip("/")
    assert f"{base}/awards/{award.id}/offer" in awarded_email.body_text
    assert declined_email.to_address == "hello@oxfordyouth.example"
    assert declined_email.subject == f"Application {declined.reference}: decision"
    assert REASON in declined_email.body_text and FEEDBACK in declined_email.body_text
    assert "£" not in declined_email.body_text


def test_publishing_makes_the_awards_offers_and_is_audited(signed_off, sam):
    round_, funded, declined = signed_off
    result = publish(sam, round_)
    assert (result.awarded, result.declined) == (1, 1)
    award = db.session.scalars(select(Award).where(Award.application_id == funded.id)).one()
    assert award.status is AwardStatus.OFFERED
    assert award.offered_at == NOW and award.awarded_on == NOW.date()
    assert round_.decisions_published_at == NOW
    assert round_.status.value == "published"
    published = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "application.decision_published")).all()
    assert {event.entity_id for event in published} == {funded.id, declined.id}
    round_event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "round.decisions_published")).one()
    assert round_event.after["awarded"] == 1 and round_event.after["committed_pence"] == 450_000


def test_publishing_twice_does_nothing_the_second_time(signed_off, sam, pat):
    round_, _, _ = signed_off
    publish(sam, round_)
    emails, events = len(outcome_emails()), db.session.query(AuditEvent).count()
    assert publish(pat, round_).already
    assert len(outcome_emails()) == emails
    assert db.session.query(AuditEvent).count() == events
    assert round_.decisions_published_at == NOW


def test_publishing_waits_for_sign_off(decided_round, sam, sign_in_as):
    round_, funded, _ = decided_round
    with pytest.raises(DecisionRefused, match="must sign off the decisions"):
        publish(sam, round_)
    db.session.rollback()
    response = post_form(sign_in_as(sam), f"/staff/rounds/{round_.id}/publish",
                         form_page=f"/staff/rounds/{round_.id}/decisions",
                         follow_redirects=True)
    assert "must sign off the decisions before they are published" in response.get_data(
        as_text=True)
    assert round_.decisions_published_at is None
    assert outcome_emails() == []


def test_publishing_waits_for_every_eligible_application_to_be_decided(signed_off, sam):
    round_, _, _ = signed_off
    eligible(round_, 3)  # e.g. screening reversed after sign-off
    with pytest.raises(DecisionRefused, match="1 eligible application still needs"):
        publish(sam, round_)


def test_decisions_cannot_change_after_publishing(signed_off, sam, pat, sign_in_as):
    round_, funded, _ = signed_off
    publish(sam, round_)
    with pytest.raises(DecisionRefused, match="have been published"):
        decided(sam, funded, DecisionOutcome.DECLINE, declare=False)
    db.session.rollback()
    client = sign_in_as(sam)
    path = f"/staff/applications/{funded.id}/decision"
    page = words(client.get(path).get_data(as_text=True))
    assert "can no longer be changed" in page and 'name="outcome"' not in page
    response = post_form(client, path, {"outcome": "decline", "reason": "Changed my mind",
                                        "feedback": "Sorry"},
                         form_page=f"/staff/rounds/{round_.id}/decisions")
    assert response.status_code == 302 and response.location.endswith(path)
    assert decision_for(db.session, funded.id).outcome is \
        DecisionOutcome.AWARD_IN_PART
    with pytest.raises(DecisionRefused, match="published"):
        sign_off(db.session, pat, round_.id)


def test_publishing_on_the_page(signed_off, sam, sign_in_as):
    round_, funded, _ = signed_off
    client = sign_in_as(sam)
    page = words(client.get(f"/staff/rounds/{round_.id}/decisions").get_data(as_text=True))
    assert "Signed off by Pat Partner" in page
    response = post_form(client, f"/staff/rounds/{round_.id}/publish",
                         form_page=f"/staff/rounds/{round_.id}/decisions",
                         follow_redirects=True)
    text = words(response.get_data(as_text=True))
    assert "Decisions published: 1 awarded and 1 declined" in text
    assert "These decisions were published" in text
    assert "Propose funding in rank order" not in text


def test_an_application_withdrawn_before_publishing_is_told_nothing_and_holds_no_money(
        signed_off, sam):
    round_, funded, _ = signed_off
    funded.status = funded.status.WITHDRAWN
    db.session.commit()
    result = publish(sam, round_)
    award = db.session.scalars(select(Award).where(Award.application_id == funded.id)).one()
    assert award.status is AwardStatus.WITHDRAWN
    assert (result.awarded, result.declined) == (0, 1)
    assert [email.to_address for email in outcome_emails()] == ["hello@oxfordyouth.example"]
    assert published_decision(db.session, funded) is None
