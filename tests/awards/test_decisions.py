"""Deciding on applications: declarations first, award in full or in part or decline with a
reason, out-of-rank reasons, resent and changed decisions, the proposal to fund in rank order,
the what-if funding line, sign-off by a second member of staff, and who may see the pages."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.awards.models import Award, AwardStatus
from grants.awards.operations.committed import committed_pence
from grants.core.errors import Conflict, Forbidden, ValidationFailed
from grants.decisions.models import Decision, DecisionOutcome
from grants.decisions.operations.board import board as decisions_board
from grants.decisions.operations.declarations import declare
from grants.decisions.operations.guard import decide
from grants.decisions.operations.proposal import apply_proposal, propose_in_rank_order
from grants.decisions.operations.queries import decision_for
from grants.decisions.operations.rules import NOT_FUNDED_REASON, DecisionInput, DecisionRefused
from grants.decisions.operations.sign_off import sign_off, sign_off_problems
from grants.extensions import db
from grants.records.models import AuditEvent
from tests.assessment.screening_data import make_user, words
from tests.awards.decisions_data import (  # noqa: F401  (fixed_clock is a fixture)
    NOT_STAFF,
    NOW,
    PUBLIC_REASON,
    decided,
    deciding_round,
    decision_form,
    declared,
    eligible,
    fixed_clock,
    staff_member,
)
from tests.fixtures.auth import post_form
from tests.fixtures.factories import PriorityFactory, UserFactory

FULL = DecisionOutcome.AWARD_IN_FULL
PART = DecisionOutcome.AWARD_IN_PART
DECLINE = DecisionOutcome.DECLINE

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def round_():
    return deciding_round()


@pytest.fixture
def sam():
    return staff_member("Sam Staff")


@pytest.fixture
def pat():
    return staff_member("Pat Partner")


def events(application_id: int, action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.entity_type == "application",
                                     AuditEvent.entity_id == application_id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def award_of(application) -> Award | None:
    return db.session.scalars(select(Award).where(Award.application_id == application.id)
                              ).one_or_none()


def refusal(callable_, *args, **kwargs) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        callable_(*args, **kwargs)
    db.session.rollback()
    return caught.value.errors


# --- Deciding -------------------------------------------------------------------------------

def test_awarding_in_full_proposes_an_award_of_the_amount_requested(round_, sam):
    priority = PriorityFactory()
    application = eligible(round_, 1, amount_pence=650_000, priority=priority)
    decision = decided(sam, application, FULL, conditions="Report on outcomes in 12 months")
    award = award_of(application)
    assert decision.outcome is FULL and decision.amount_pence == 650_000
    assert decision.decided_by_id == sam.id and decision.decided_at == NOW
    assert award.status is AwardStatus.PROPOSED and award.amount_pence == 650_000
    assert (award.round_id, award.organisation_id, award.priority_id) == (
        round_.id, application.organisation_id, priority.id)
    assert award.conditions == "Report on outcomes in 12 months"
    assert application.status is ApplicationStatus.AWARDED
    assert committed_pence(db.session, round_.id) == 650_000


@pytest.mark.parametrize("amount, message", [
    (None, "Enter the amount to award"),
    (99_999, "at least the round's minimum award of £1,000"),
    (500_000, "less than the amount requested, £5,000"),
    (600_000, "less than the amount requested, £5,000"),
])
def test_an_award_in_part_is_between_the_minimum_and_the_amount_requested(
        round_, sam, amount, message):
    application = eligible(round_, 1, amount_pence=500_000)
    declared(sam, application)
    errors = refusal(decide, db.session, sam, application, DecisionInput(
        public_reason=PUBLIC_REASON, outcome=PART, amount_pence=amount, reason="Partly fundable"))
    assert message in errors["amount"]
    assert award_of(application) is None


def test_an_award_in_part_gives_the_amount_chosen(round_, sam):
    application = eligible(round_, 1, amount_pence=500_000)
    decided(sam, application, PART, amount_pence=100_000, reason="Fund the first phase")
    assert award_of(application).amount_pence == 100_000
    assert application.status is ApplicationStatus.AWARDED


def test_awarding_in_full_is_refused_above_the_rounds_maximum(round_, sam):
    application = eligible(round_, 1, amount_pence=1_200_000)
    declared(sam, application)
    errors = refusal(decide, db.session, sam, application,
                     DecisionInput(public_reason=PUBLIC_REASON, outcome=FULL, reason="Great"))
    assert errors["outcome"] == ("The amount requested, £12,000, is more than the round's "
                                 "maximum award of £10,000: award in part or decline")


def test_a_decision_needs_an_outcome_and_a_reason_and_a_decline_needs_feedback(round_, sam):
    application = eligible(round_, 1)
    declared(sam, application)
    errors = refusal(decide, db.session, sam, application,
                     DecisionInput(public_reason=PUBLIC_REASON, outcome=None))
    assert set(errors) == {"outcome", "reason"}
    errors = refusal(decide, db.session, sam, application,
                     DecisionInput(public_reason=PUBLIC_REASON, outcome=DECLINE, reason="  "))
    assert errors == {"reason": "Enter the reason for the decision",
                      "feedback": "Enter feedback for the applicant: they see it with the "
                                  "reason when you decline"}
    assert db.session.scalar(select(func.count(Decision.id))) == 0


def test_declining_records_the_reason_and_feedback_and_no_award(round_, sam):
    application = eligible(round_, 1)
    decision = decided(sam, application, DECLINE, reason="Does not meet the priorities",
                       feedback="Show how the project reduces reoffending")
    assert (decision.outcome, decision.amount_pence) == (DECLINE, None)
    assert decision.feedback == "Show how the project reduces reoffending"
    assert award_of(application) is None
    assert application.status is ApplicationStatus.DECLINED


def test_deciding_needs_a_declaration_first(round_, sam):
    application = eligible(round_, 1)
    with pytest.raises(DecisionRefused, match="Declare any conflict of interest"):
        decided(sam, application, FULL, declare=False)


def test_a_declared_conflict_stops_that_person_deciding_but_not_another(round_, sam, pat):
    application = eligible(round_, 1)
    declared(sam, application, conflict=True, note="My sister chairs its board")
    with pytest.raises(Forbidden, match="You declared a conflict of interest"):
        decided(sam, application, FULL, declare=False)
    db.session.rollback()
    assert decided(pat, application, FULL).decided_by_id == pat.id
    declaration = events(application.id, "application.decider_declared")[0]
    assert declaration.after["has_conflict"] is True
    assert declaration.after["note"] == "My sister chairs its board"


def test_a_conflict_needs_describing_and_a_declaration_cannot_be_turned_round(round_, sam):
    application = eligible(round_, 1)
    errors = refusal(declare, db.session, sam, application, has_conflict=True)
    assert errors == {"note": "Describe your conflict of interest"}
    declared(sam, application)
    assert declared(sam, application).has_conflict is False  # a resent form
    with pytest.raises(Conflict, match="already declared that you have no conflict"):
        declare(db.session, sam, application, has_conflict=True, note="Oh")


def test_a_resent_decision_makes_one_award_and_one_audit_event(round_, sam):
    application = eligible(round_, 1)
    first = decided(sam, application, FULL, conditions="Quarterly reports")
    second = decided(sam, application, FULL, conditions="Quarterly reports")
    assert first.id == second.id
    assert db.session.scalar(select(func.count(Award.id))) == 1
    assert len(events(application.id, "application.decided")) == 1
    assert events(application.id, "application.decision_changed") == []


def test_changing_a_decision_keeps_one_award_and_audits_each_change(round_, sam, pat):
    application = eligible(round_, 1, amount_pence=500_000)
    decided(sam, application, FULL)
    decided(pat, application, DECLINE, reason="Budget priorities changed",
            feedback="Apply to the next round")
    award = award_of(application)
    assert award.status is AwardStatus.WITHDRAWN
    assert award.withdrawal_reason == "decision changed before publication"
    assert committed_pence(db.session, round_.id) == 0
    assert application.status is ApplicationStatus.DECLINED

    decided(sam, application, PART, amount_pence=300_000, reason="Fund part after all")
    assert award_of(application).id == award.id
    assert award.status is AwardStatus.PROPOSED and award.amount_pence == 300_000
    assert award.withdrawal_reason == ""
    assert committed_pence(db.session, round_.id) == 300_000

    history = events(application.id)
    actions = [e.action for e in history if e.action.startswith("application.decision")
               or e.action == "application.decided"]
    assert actions == ["application.decided", "application.decision_changed",
                       "application.decision_changed"]
    changes = [e for e in history if e.action == "application.decision_changed"]
    assert changes[0].before["outcome"] == "award_in_full"
    assert changes[0].after["outcome"] == "decline"
    assert changes[0].actor_id == pat.id
    assert changes[1].before["award_status"] == "withdrawn"
    assert changes[1].after == changes[1].after | {"outcome": "award_in_part",
                                                   "amount_pence": 300_000,
                                                   "award_status": "proposed"}


def test_only_applications_screened_eligible_are_decided(round_, sam):
    application = eligible(round_, 1, status=ApplicationStatus.SUBMITTED)
    declared(sam, application)
    with pytest.raises(DecisionRefused, match="screened as eligible"):
        decided(sam, application, FULL)


def test_decisions_wait_until_the_round_is_being_assessed(sam):
    closed = deciding_round(assessing_at=None)
    application = eligible(closed, 1)
    declared(sam, application)
    with pytest.raises(DecisionRefused, match="being assessed"):
        decided(sam, application, FULL)


# --- Rank order -----------------------------------------------------------------------------

def test_funding_below_an_unfunded_application_needs_a_reason(round_, sam):
    first, second = eligible(round_, 1), eligible(round_, 2)
    declared(sam, second)
    errors = refusal(decide, db.session, sam, second, DecisionInput(public_reason=PUBLIC_REASON,
        outcome=FULL, reason="Strong"))
    assert errors == {"out_of_rank_reason": "Enter why this application is funded out of "
                      f"rank order: {first.reference}, ranked above this application, is "
                      "not funded"}
    decision = decided(sam, second, FULL, out_of_rank_reason="Geographic spread: Oxfordshire")
    assert decision.out_of_rank_reason == "Geographic spread: Oxfordshire"
    assert "Out of rank order: Geographic spread" in events(second.id)[-1].note


def test_declining_above_a_funded_application_needs_a_reason(round_, sam):
    first, second = eligible(round_, 1), eligible(round_, 2)
    decided(sam, second, FULL, out_of_rank_reason="Geographic spread")
    declared(sam, first)
    errors = refusal(decide, db.session, sam, first, DecisionInput(public_reason=PUBLIC_REASON,
        outcome=DECLINE, reason="Weak", feedback="More detail needed"))
    assert "declined out of rank order" in errors["out_of_rank_reason"]
    assert second.reference in errors["out_of_rank_reason"]


def test_scores_set_the_rank_order(round_, sam):
    low = eligible(round_, 1, score_tenths=550, moderator=sam)
    high = eligible(round_, 2, score_tenths=820, moderator=sam)
    declared(sam, low)
    errors = refusal(decide, db.session, sam, low, DecisionInput(public_reason=PUBLIC_REASON,
        outcome=FULL, reason="Strong"))
    assert f"{high.reference}, ranked above this application" in errors["out_of_rank_reason"]
    assert decided(sam, high, FULL).out_of_rank_reason == ""  # sent later, ranked first


def test_an_out_of_rank_reason_is_kept_only_when_the_decision_is_out_of_rank(round_, sam):
    first = eligible(round_, 1)
    decision = decided(sam, first, FULL, out_of_rank_reason="Not needed")
    assert decision.out_of_rank_reason == ""


# --- Proposing and the funding line -----------------------------------------------------------

def test_the_proposal_funds_in_rank_order_until_the_budget_runs_out(round_, sam):
    apps = [eligible(round_, n, amount_pence=amount) for n, amount in
            enumerate([800_000, 700_000, 600_000, 100_000], start=1)]
    for application in apps:
        declared(sam, application)
    proposal = propose_in_rank_order(db.session, sam, round_.id)
    assert [(item.row.application.reference, item.outcome) for item in proposal.items] == [
        (apps[0].reference, FULL), (apps[1].reference, FULL),
        (apps[2].reference, DECLINE), (apps[3].reference, DECLINE)]
    assert proposal.remaining_pence == 500_000
    apply_proposal(db.session, sam, round_.id, proposal.fingerprint)
    db.session.commit()
    assert committed_pence(db.session, round_.id) == 1_500_000
    declined = db.session.scalars(select(Decision).where(Decision.outcome == DECLINE)).all()
    assert {d.reason for d in declined} == {NOT_FUNDED_REASON}
    assert all(d.feedback for d in declined)


def test_the_proposal_leaves_what_it_may_not_decide_for_staff(round_, sam, pat):
    conflicted, undeclared, third = eligible(round_, 1), eligible(round_, 2), eligible(round_, 3)
    declared(sam, conflicted, conflict=True)
    declared(sam, third)
    proposal = propose_in_rank_order(db.session, sam, round_.id)
    assert [(item.outcome, item.note) for item in proposal.items] == [
        (None, "You declared a conflict of interest: another member of staff must decide"),
        (None, "Declare any conflict of interest first"),
        (None, "Would be out of rank order: decide it yourself"),
    ]
    decided(pat, conflicted, FULL)
    decided(pat, undeclared, FULL)
    proposal = propose_in_rank_order(db.session, sam, round_.id)
    assert [(item.row.application.id, item.outcome) for item in proposal.items] == [
        (third.id, FULL)]


def test_confirming_the_proposal_on_the_page_makes_its_decisions(round_, sam, sign_in_as):
    apps = [eligible(round_, n, amount_pence=900_000) for n in (1, 2, 3)]
    for application in apps:
        declared(sam, application)
    client = sign_in_as(sam)
    page = client.get(f"/staff/rounds/{round_.id}/decisions/proposal")
    text = words(page.get_data(as_text=True))
    assert "Proposed awards 2, £18,000" in text
    response = post_form(client, f"/staff/rounds/{round_.id}/decisions/proposal",
                         {"fingerprint": propose_in_rank_order(
                             db.session, sam, round_.id).fingerprint})
    assert response.status_code == 302
    assert [a.status for a in apps] == [ApplicationStatus.AWARDED, ApplicationStatus.AWARDED,
                                        ApplicationStatus.DECLINED]


def test_confirming_a_proposal_that_changed_meanwhile_is_refused(round_, sam, pat, sign_in_as):
    first, second = eligible(round_, 1), eligible(round_, 2)
    declared(sam, first)
    declared(sam, second)
    client = sign_in_as(sam)
    seen = propose_in_rank_order(db.session, sam, round_.id).fingerprint
    decided(pat, first, DECLINE)
    response = post_form(client, f"/staff/rounds/{round_.id}/decisions/proposal",
                         {"fingerprint": seen}, follow_redirects=True)
    assert "The proposal changed since you opened it" in response.get_data(as_text=True)
    assert second.status is ApplicationStatus.ELIGIBLE


def test_the_funding_line_shows_where_the_money_runs_out_overall_and_per_priority(
        round_, sam, sign_in_as):
    one, two = PriorityFactory(title="Vulnerable people"), PriorityFactory(title="Reoffending")
    for number, amount, priority in [(1, 900_000, one), (2, 600_000, two),
                                     (3, 400_000, one), (4, 300_000, two)]:
        eligible(round_, number, amount_pence=amount, priority=priority)
    board = decisions_board(db.session, sam, round_.id)
    line = board.line
    assert [(c.rank, c.cumulative_pence, c.fits) for c in line.cut_offs] == [
        (1, 900_000, True), (2, 1_500_000, True), (3, 1_900_000, True), (4, 2_200_000, False)]
    assert line.runs_out_at.rank == 4 and line.last_fitting.rank == 3
    by_title = {p.priority.title: p for p in line.priorities}
    assert [r.priority_cumulative_pence for r in by_title["Vulnerable people"].rows] == [
        900_000, 1_300_000]
    assert by_title["Vulnerable people"].funded_pence == 1_300_000
    assert by_title["Reoffending"].funded_pence == 600_000
    text = words(sign_in_as(sam).get(f"/staff/rounds/{round_.id}/decisions")
                 .get_data(as_text=True))
    assert ("The remaining £20,000 covers the top 3 applications (£19,000). The money runs "
            f"out at rank 4, {round_.code}-0004: funding it too would take the total to "
            "£22,000.") in text
    assert f"{one.code}: Vulnerable people: 2 of 2 within the funding line" in text
    assert f"{two.code}: Reoffending: 1 of 2 within the funding line" in text


def test_the_decisions_page_shows_each_decision_and_the_money(round_, sam, sign_in_as):
    first, second, third = (eligible(round_, n) for n in (1, 2, 3))
    decided(sam, first, FULL)
    decided(sam, second, PART, amount_pence=250_000, reason="Part")
    declared(sam, third, conflict=True)
    text = words(sign_in_as(sam).get(f"/staff/rounds/{round_.id}/decisions")
                 .get_data(as_text=True))
    assert "Budget £20,000" in text
    assert "Committed £7,500" in text and "Remaining £12,500" in text
    assert f"{first.reference} {first.organisation.name}" in text
    assert "Award in full £5,000 Sam Staff" in text
    assert "Award in part £2,500 Sam Staff" in text
    assert "Undecided You declared a conflict of interest" in text
    assert "Without a decision 1 of 3 applications" in text


# --- Sign-off -------------------------------------------------------------------------------

def test_sign_off_is_by_someone_who_made_none_of_the_decisions(round_, sam, pat):
    application = eligible(round_, 1)
    decided(sam, application, FULL)
    with pytest.raises(DecisionRefused, match="You made or changed some"):
        sign_off(db.session, sam, round_.id)
    db.session.rollback()
    sign_off(db.session, pat, round_.id)
    db.session.commit()
    assert round_.decisions_signed_off_at == NOW
    assert round_.decisions_signed_off_by_id == pat.id
    assert round_.decided_at == NOW
    assert round_.status.value == "decided"


def test_someone_whose_decision_was_changed_by_another_still_cannot_sign_off(round_, sam, pat):
    application = eligible(round_, 1)
    decided(sam, application, FULL)
    decided(pat, application, DECLINE)
    for person in (sam, pat):
        assert "You made or changed some of these decisions" in " ".join(
            sign_off_problems(db.session, round_, person))


def test_sign_off_needs_every_eligible_application_decided(round_, sam, pat):
    decided(sam, eligible(round_, 1), FULL)
    eligible(round_, 2, status=ApplicationStatus.IN_REVIEW)
    with pytest.raises(DecisionRefused,
                       match="1 eligible application has no decision yet"):
        sign_off(db.session, pat, round_.id)


def test_a_change_after_sign_off_clears_it(round_, sam, pat, sign_in_as):
    application = eligible(round_, 1)
    decided(sam, application, FULL)
    sign_off(db.session, pat, round_.id)
    db.session.commit()
    decided(sam, application, FULL)  # the same again: no change, still signed off
    assert round_.decisions_signed_off_at is not None
    decided(sam, application, PART, amount_pence=200_000, reason="Less")
    assert round_.decisions_signed_off_at is None and round_.decisions_signed_off_by_id is None
    cleared = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "round.decisions_sign_off_cleared")).one()
    assert cleared.entity_id == round_.id and cleared.actor_id == sam.id
    text = words(sign_in_as(pat).get(f"/staff/rounds/{round_.id}/decisions")
                 .get_data(as_text=True))
    assert "Sign-off Not signed off" in text
    assert "Any change to a decision after sign-off clears the sign-off" in text


def test_signing_off_on_the_page(round_, sam, pat, sign_in_as, new_client):
    decided(sam, eligible(round_, 1), FULL)
    decider = sign_in_as(sam)
    page = words(decider.get(f"/staff/rounds/{round_.id}/decisions").get_data(as_text=True))
    assert "You made or changed some of these decisions" in page
    response = post_form(decider, f"/staff/rounds/{round_.id}/sign-off",
                         form_page=f"/staff/rounds/{round_.id}/decisions",
                         follow_redirects=True)
    assert "a second member of staff who made none of them" in response.get_data(as_text=True)
    assert round_.decisions_signed_off_at is None
    second = sign_in_as(pat, on=new_client())
    response = post_form(second, f"/staff/rounds/{round_.id}/sign-off",
                         form_page=f"/staff/rounds/{round_.id}/decisions",
                         follow_redirects=True)
    assert "Decisions signed off" in response.get_data(as_text=True)
    assert round_.decisions_signed_off_by_id == pat.id


# --- The decide page ----------------------------------------------------------------------------

def test_the_decide_page_asks_for_a_declaration_first(round_, sam, sign_in_as):
    application = eligible(round_, 1)
    client = sign_in_as(sam)
    path = f"/staff/applications/{application.id}/decision"
    page = client.get(path).get_data(as_text=True)
    assert "Declare any conflict of interest" in page
    assert 'name="outcome"' not in page
    response = post_form(client, f"{path}/declaration", {"conflict": "no"}, form_page=path)
    assert response.status_code == 302 and response.location.endswith(path)
    assert 'name="outcome"' in client.get(path).get_data(as_text=True)


def test_declaring_a_conflict_on_the_page_blocks_deciding(round_, sam, sign_in_as):
    application = eligible(round_, 1)
    client = sign_in_as(sam)
    path = f"/staff/applications/{application.id}/decision"
    response = post_form(client, f"{path}/declaration", {"conflict": "yes", "note": ""},
                         form_page=path)
    assert "Describe your conflict of interest" in response.get_data(as_text=True)
    post_form(client, f"{path}/declaration", {"conflict": "yes", "note": "I volunteer there"},
              form_page=path)
    page = client.get(path)
    assert "You cannot decide on this application" in page.get_data(as_text=True)
    response = post_form(client, path, decision_form(),
                         form_page=f"/staff/rounds/{application.round_id}/decisions")
    assert response.status_code == 403
    assert decision_for(db.session, application.id) is None


def test_deciding_on_the_page_shows_errors_on_the_fields_then_saves(round_, sam, sign_in_as):
    application = eligible(round_, 1, amount_pence=500_000)
    declared(sam, application)
    client = sign_in_as(sam)
    path = f"/staff/applications/{application.id}/decision"
    response = post_form(client, path, decision_form("award_in_part", amount="50", reason=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Decide" in page
    assert "The amount must be at least the round&#39;s minimum award of £1,000" in page
    assert "Enter the reason for the decision" in page
    response = post_form(client, path, decision_form("award_in_part", amount="£2,500",
                                                     reason="Fund the pilot",
                                                     conditions="Monthly updates"))
    assert response.status_code == 302
    assert response.location.endswith(f"/staff/rounds/{round_.id}/decisions"
                                      f"#application-{application.id}")
    assert award_of(application).amount_pence == 250_000
    page = words(client.get(path).get_data(as_text=True))
    assert "Decision Award in part: £2,500" in page
    assert "Decided by Sam Staff" in page


def test_the_budget_guard_shows_on_the_form(sam, sign_in_as):
    small = deciding_round(budget_pence=600_000, max_award_pence=600_000)
    first, second = eligible(small, 1, amount_pence=400_000), eligible(small, 2)
    decided(sam, first, FULL)
    declared(sam, second)
    response = post_form(sign_in_as(sam), f"/staff/applications/{second.id}/decision",
                         decision_form())
    assert ("Only £2,000 of the round&#39;s £6,000 budget is left; this award of £5,000 "
            "would go over it") in response.get_data(as_text=True)
    assert award_of(second) is None


def test_the_staff_application_page_lists_the_decision_history(round_, sam, pat, sign_in_as):
    application = eligible(round_, 1)
    decided(sam, application, FULL)
    decided(pat, application, DECLINE)
    text = words(sign_in_as(pat).get(f"/staff/applications/{application.id}")
                 .get_data(as_text=True))
    assert "Decision made" in text and "Award in full: £5,000" in text
    assert "Decision changed" in text and "Decline" in text
    assert "No conflict of interest declared by a decider" in text


def test_a_withdrawn_application_releases_its_proposed_award(round_, sam):
    first, second = eligible(round_, 1, amount_pence=1_000_000), eligible(round_, 2)
    decided(sam, first, FULL)
    first.status = ApplicationStatus.WITHDRAWN
    first.withdrawn_at = NOW - timedelta(minutes=1)
    db.session.commit()
    decided(sam, second, FULL, out_of_rank_reason="")
    assert award_of(first).status is AwardStatus.WITHDRAWN
    assert committed_pence(db.session, round_.id) == 500_000


# --- Who may see the pages ------------------------------------------------------------------

STAFF_PATHS = [
    ("get", "/staff/rounds/{round}/decisions"),
    ("get", "/staff/rounds/{round}/decisions/proposal"),
    ("get", "/staff/applications/{application}/decision"),
]


@pytest.mark.parametrize("role", NOT_STAFF)
@pytest.mark.parametrize("method, template", STAFF_PATHS)
def test_only_staff_see_the_decision_pages(round_, sign_in_as, role, method, template):
    application = eligible(round_, 1)
    client = sign_in_as(make_user(role))
    path = template.format(round=round_.id, application=application.id)
    assert getattr(client, method)(path).status_code == 403


@pytest.mark.parametrize("path", ["/staff/rounds/{round}/sign-off",
                                  "/staff/rounds/{round}/publish",
                                  "/staff/rounds/{round}/decisions/proposal",
                                  "/staff/applications/{application}/decision",
                                  "/staff/applications/{application}/decision/declaration"])
def test_only_staff_make_decisions(round_, sign_in_as, path):
    application = eligible(round_, 1)
    client = sign_in_as(UserFactory(roles=[Role.APPLICANT, Role.REVIEWER]))
    response = post_form(client, path.format(round=round_.id, application=application.id),
                         {**decision_form(), "conflict": "no"}, form_page="/account")
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Decision.id))) == 0


def test_signed_out_people_are_sent_to_sign_in(round_, client):
    response = client.get(f"/staff/rounds/{round_.id}/decisions")
    assert response.status_code == 302 and "/sign-in" in response.location


def test_a_draft_application_has_no_decision_page(round_, sam, sign_in_as):
    draft = eligible(round_, 1, status=ApplicationStatus.DRAFT)
    assert sign_in_as(sam).get(f"/staff/applications/{draft.id}/decision").status_code == 404


def test_the_decisions_page_runs_the_same_queries_for_5_and_for_30_applications(
        sam, sign_in_as, count_queries):
    big = deciding_round(budget_pence=50_000_000, max_award_pence=1_000_000)
    priorities = [PriorityFactory(), PriorityFactory()]
    client = sign_in_as(sam)
    counts = {}
    for total, numbers in ((5, range(1, 6)), (30, range(6, 31))):
        for number in numbers:
            application = eligible(big, number, amount_pence=200_000,
                                   priority=priorities[number % 2],
                                   score_tenths=900 - number, moderator=sam)
            if number % 3:
                decided(sam, application, FULL if number % 3 == 1 else DECLINE,
                        out_of_rank_reason="Spread")
        with count_queries() as log:
            response = client.get(f"/staff/rounds/{big.id}/decisions")
        assert response.status_code == 200
        counts[total] = log.count
    assert counts[5] == counts[30], counts
