"""The dashboard tells applicants why an application is not eligible and when staff ask a
question, and nothing else of the assessment."""

from datetime import UTC, datetime, timedelta

from grants.applications.models import ApplicationStatus
from grants.assessment.models import Clarification, ScreeningDecision, ScreeningOutcome


def test_the_dashboard_shows_the_ineligible_reason_and_questions_waiting(
    user_factory, organisation_factory, membership_factory, application_factory, sign_in_as,
    db_session
):
    member = user_factory()
    organisation = organisation_factory()
    membership_factory(user=member, organisation=organisation)
    staff = user_factory()
    sent = datetime(2026, 11, 1, tzinfo=UTC)
    ineligible = application_factory(organisation=organisation, title="Late night buses",
                                     status=ApplicationStatus.INELIGIBLE, submitted_at=sent)
    asked = application_factory(organisation=organisation, title="Youth boxing club",
                                status=ApplicationStatus.IN_REVIEW, submitted_at=sent)
    eligible_again = application_factory(organisation=organisation, title="Street pastors",
                                         status=ApplicationStatus.IN_REVIEW, submitted_at=sent)
    later = sent + timedelta(days=2)
    db_session.add_all([
        # The decision that stands is the latest: its reason is shown, an earlier one's not.
        ScreeningDecision(application_id=ineligible.id, outcome=ScreeningOutcome.INELIGIBLE,
                          reason="The budget is missing.", decided_by_id=staff.id,
                          decided_at=sent),
        ScreeningDecision(application_id=ineligible.id, outcome=ScreeningOutcome.INELIGIBLE,
                          reason="The project is outside Thames Valley.",
                          decided_by_id=staff.id, decided_at=later),
        ScreeningDecision(application_id=eligible_again.id,
                          outcome=ScreeningOutcome.INELIGIBLE, reason="No safeguarding policy.",
                          decided_by_id=staff.id, decided_at=sent),
        ScreeningDecision(application_id=eligible_again.id, outcome=ScreeningOutcome.ELIGIBLE,
                          reason="The policy was sent.", is_reversal=True,
                          decided_by_id=staff.id, decided_at=later),
        Clarification(application_id=asked.id, question="How many sessions a week?",
                      asked_by_id=staff.id),
        Clarification(application_id=asked.id, question="Who runs them?",
                      asked_by_id=staff.id),
        Clarification(application_id=asked.id, question="Where?", asked_by_id=staff.id,
                      answer="The leisure centre.", answered_by_id=member.id,
                      answered_at=later),
    ])
    db_session.commit()

    page = sign_in_as(member).get("/dashboard").get_data(as_text=True)

    assert "Why: The project is outside Thames Valley." in page
    assert page.count("Why: ") == 1
    assert f"/applications/{asked.id}/questions" in page
    assert "Answer 2 questions from the grants team" in page
    assert page.count("from the grants team") == 1


def test_the_dashboard_links_to_an_offer_only_once_decisions_are_published(
    user_factory, organisation_factory, membership_factory, application_factory, award_factory,
    round_factory, sign_in_as, db_session
):
    from grants.awards.models import AwardStatus

    member = user_factory()
    organisation = organisation_factory()
    membership_factory(user=member, organisation=organisation)
    round_ = round_factory()
    application = application_factory(organisation=organisation, round=round_,
                                      status=ApplicationStatus.AWARDED,
                                      submitted_at=datetime(2026, 11, 1, tzinfo=UTC))
    award = award_factory(round=round_, organisation=organisation, application=application,
                          status=AwardStatus.OFFERED,
                          offered_at=datetime(2026, 11, 20, tzinfo=UTC))
    client = sign_in_as(member)

    assert f"/awards/{award.id}/offer" not in client.get("/dashboard").get_data(as_text=True)
    round_.decisions_published_at = datetime(2026, 11, 20, tzinfo=UTC)
    db_session.commit()
    page = client.get("/dashboard").get_data(as_text=True)
    assert f"/awards/{award.id}/offer" in page
    assert "Accept or decline your grant offer" in page
