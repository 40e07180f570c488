"""seed-demo builds a believable office: the demo is built once for this module (it takes
seconds), and each test reads it, or changes it, in a savepoint of its own."""

import pytest
from sqlalchemy import func, select

from grants.accounts.models import Role, User
from grants.core import clock
from grants.demo.operations.seed import seed_demo
from grants.extensions import db
from grants.funds.models import Fund, Round, RoundKind, RoundStatus
from grants.ledger.models import money_year_of
from grants.ledger.operations.figures import fund_ledger
from grants.organisations.models import Organisation
from grants.reference.operations.seed import seed_reference
from tests.fixtures.factories import account_settings


@pytest.fixture(scope="module")
def people(module_connection):
    """The demo, seeded once for the module: the people it printed."""
    seed_reference(db.session)
    seeded = seed_demo(db.session, account_settings(), allowed=True)
    db.session.commit()
    db.session.remove()
    return seeded


@pytest.fixture(autouse=True)
def demo(people):
    """Every test here reads the demo seeded once."""


def test_seed_demo_creates_a_person_per_role_organisations_in_each_county_and_an_open_round(
    db_session, people,
):

    users = db_session.scalars(select(User)).all()
    assert {role for user in users for role in user.roles} == set(Role)
    assert {person.email for person in people} <= {user.email for user in users}
    sheriff = next(u for u in users if u.has_role(Role.HIGH_SHERIFF))
    assert sheriff.county.name == "Berkshire" and sheriff.term_year

    # Organisations imported with the 2019/20 history have no address, so no council.
    organisations = db_session.scalars(select(Organisation).where(
        Organisation.local_authority_id.is_not(None))).all()
    assert {o.local_authority.county.name for o in organisations} == {
        "Berkshire", "Buckinghamshire", "Oxfordshire"}

    # The imported 2019/20 history (tests/opendata), the High Sheriff awards round
    # (tests/nominations) and the allocation round (tests/allocations) are checked elsewhere.
    rounds = _open_kind_rounds_made_by_the_demo(db_session)
    assert [r.status for r in rounds] == [RoundStatus.PUBLISHED, RoundStatus.ASSESSING,
                                          RoundStatus.OPEN, RoundStatus.OPEN]
    round_ = rounds[2]
    assert round_.fund.code == "PPAF"
    assert [p.code for p in round_.priorities] == ["P1", "P2"]
    assert len(round_.scoring_criteria) == 3 and round_.eligibility_questions


def test_seed_demo_twice_adds_nothing(db_session):
    before = db_session.scalar(select(func.count(User.id)))
    seed_demo(db_session, account_settings(), allowed=True)

    assert db_session.scalar(select(func.count(User.id))) == before
    # and the 2019/20 history, the demo's four bidding rounds, the High Sheriff awards round,
    # the allocation round and the PPAF's direct awards of the year
    assert db_session.scalar(select(func.count(Round.id))) == 3 + 4 + 1 + 1 + 1










def test_seed_demo_fills_the_open_round_with_sent_applications_and_a_draft(db_session):
    from grants.applications.models import Application, ApplicationStatus


    applications = db_session.scalars(select(Application).order_by(Application.id)).all()
    sent = [a for a in applications if a.status is ApplicationStatus.SUBMITTED]
    assert len({a.round_id for a in sent}) == 1
    assert [a.reference for a in sent] == [f"{sent[0].round.code}-{n:04d}" for n in (1, 2, 3, 4)]
    draft = next(a for a in applications if a.status is ApplicationStatus.DRAFT)
    assert draft.organisation.name == "Reading Street Support"
    applicant = db_session.scalars(select(User).where(
        User.email == "applicant@example.org")).one()
    assert draft.organisation_id in {m.organisation_id for m in applicant.memberships}


def test_seed_demo_holds_a_round_that_starts_with_an_expression_of_interest(db_session):
    from grants.interest.models import Interest, InterestStatus

    staged = _open_kind_rounds_made_by_the_demo(db_session)[3]
    interests = db_session.scalars(select(Interest).where(Interest.round_id == staged.id)
                                   .order_by(Interest.id)).all()

    assert staged.interest_closes_at < staged.closes_at
    assert [section.in_interest for section in staged.question_sections] == [True]
    assert [(i.organisation.name, i.status) for i in interests][0] == (
        "Reading Street Support", InterestStatus.DRAFT)
    assert [i.status for i in interests[1:]] == [
        InterestStatus.SENT, InterestStatus.INVITED, InterestStatus.DECLINED]


def test_seed_demo_includes_a_round_whose_decisions_are_published(db_session):
    from grants.awards.models import Award, AwardStatus, PaymentStatus
    from grants.awards.operations.committed import committed_pence


    decided = _open_kind_rounds_made_by_the_demo(db_session)[0]
    awards = db_session.scalars(select(Award).where(Award.round_id == decided.id)
                                .order_by(Award.id)).all()
    assert [a.status for a in awards] == [AwardStatus.PAID, AwardStatus.OFFERED]
    assert [p.status for p in awards[0].payments] == [PaymentStatus.APPROVED]
    assert committed_pence(db_session, decided.id) == 920_000 <= decided.budget_pence


def _open_kind_rounds_made_by_the_demo(session) -> list[Round]:
    """The demo's own bidding rounds (not imported), earliest first: decided, being assessed,
    open, and open starting with an expression of interest."""
    from grants.awards.models import Award, AwardSource

    imported = select(Award.round_id).where(Award.source == AwardSource.IMPORTED)
    return list(session.scalars(
        select(Round).where(Round.kind == RoundKind.OPEN, Round.id.not_in(imported))
        .order_by(Round.closes_at)))


def test_seed_demo_records_the_ppafs_money_so_every_round_fits_and_limits_it(db_session):

    ppaf = db_session.scalars(select(Fund).where(Fund.code == "PPAF")).one()
    csf = db_session.scalars(select(Fund).where(Fund.code == "CSF")).one()
    ledger = fund_ledger(db_session, ppaf)
    history = ledger.year("2019/20")
    current = ledger.year(money_year_of(clock.today_in_london()))

    assert ppaf.budgets_limited_by_money_paid_in and not csf.budgets_limited_by_money_paid_in
    assert (history.paid_in_pence, history.committed_pence, history.available_pence) == (
        372_500_00, 348_533_00, 23_967_00)
    assert current.paid_in_pence >= 300_000_00 and current.committed_pence > 0
    assert min(row.available_pence for row in ledger.years) >= 0


# --- The round being assessed: decide, sign off and publish straight away ---------------------

def test_seed_demo_holds_a_round_screened_and_reviewed_with_its_scores_in(db_session):
    from grants.applications.models import Application, ApplicationStatus
    from grants.assessment.models import ApplicationScore


    assessed = _open_kind_rounds_made_by_the_demo(db_session)[1]
    applications = db_session.scalars(select(Application).where(
        Application.round_id == assessed.id).order_by(Application.sequence)).all()
    assert [a.status for a in applications] == [ApplicationStatus.IN_REVIEW] * 4 + [
        ApplicationStatus.INELIGIBLE]
    scores = {score.application_id: score for score in db_session.scalars(
        select(ApplicationScore).where(ApplicationScore.application_id.in_(
            [a.id for a in applications])))}
    assert [scores[a.id].review_count for a in applications[:4]] == [2, 2, 2, 2]
    asked = sum(a.amount_requested_pence for a in applications[:4])
    assert asked > assessed.budget_pence  # staff must choose
    applicant = db_session.scalars(select(User).where(
        User.email == "applicant@example.org")).one()
    assert applications[0].organisation_id in {m.organisation_id for m in applicant.memberships}


def test_a_newcomer_can_decide_sign_off_and_publish_the_assessed_round(db_session):
    from grants.decisions.operations import (
        declarations,
        guard,
        proposal,
        publishing,
        queries,
        sign_off,
    )
    from grants.decisions.operations.rules import DecisionInput, DecisionRefused

    assessed = _open_kind_rounds_made_by_the_demo(db_session)[1]
    staff, admin = (db_session.scalars(select(User).where(User.email == email)).one()
                    for email in ("staff@example.org", "admin@example.org"))

    ranked = proposal.decision_ranking(db_session, assessed.id, proposal.DECIDABLE_STATUSES)
    for row in ranked.rows:
        declarations.declare(db_session, staff, row.application, has_conflict=False)
    made = proposal.apply_proposal(db_session, staff, assessed.id)
    # Funding in rank order leaves each award's reason for publication to staff.
    with pytest.raises(DecisionRefused, match="no reason for the award written for publica"):
        sign_off.sign_off(db_session, admin, assessed.id)
    for item in made.awards:
        decision = queries.decision_for(db_session, item.row.application.id)
        guard.decide(db_session, staff, item.row.application, DecisionInput(
            outcome=decision.outcome, reason=decision.reason,
            public_reason="It serves the round's priority where little else does"))
    sign_off.sign_off(db_session, admin, assessed.id)
    published = publishing.publish(db_session, staff, assessed.id)

    assert len(made.items) == 4 and all(item.outcome for item in made.items)
    assert published.awarded and published.declined
    assert assessed.status is RoundStatus.PUBLISHED


def test_seed_demo_includes_a_published_direct_award_from_the_ppafs_available_money(
        db_session):
    from grants.awards.models import AwardSource, AwardStatus
    from grants.awards.operations.publicity import is_public
    from grants.direct_awards.models import DirectAward, DirectAwardKind
    from grants.opendata.operations.export import Selection
    from grants.opendata.operations.register import register_page


    direct = db_session.scalars(select(DirectAward).where(
        DirectAward.kind == DirectAwardKind.DIRECT)).one()
    award = direct.award
    assert (award.source, award.status, award.round.kind) == (
        AwardSource.DIRECT, AwardStatus.OFFERED, RoundKind.DIRECT)
    assert (award.organisation.name, award.amount_pence) == ("Banbury Mosque Community Trust",
                                                             4_500_00)
    assert is_public(award) and award.public_reason
    assert (direct.recorded_by.email, direct.signed_off_by.email) == ("staff@example.org",
                                                                     "admin@example.org")
    year = money_year_of(clock.today_in_london())
    assert award.round.financial_year == year == award.round.title.split()[-1]
    committed = fund_ledger(db_session, award.round.fund).year(year).committed_pence
    # the direct award and the Community Foundation allocation
    assert committed >= award.round.budget_pence == 4_500_00 + 15_000_00
    register = register_page(db_session, Selection(fund="PPAF", year=year), 1)
    assert "Banbury Mosque Community Trust" in {row.recipient for row in register.items}


def test_seed_demo_includes_a_community_foundation_allocation_with_onward_grants(
        db_session):
    from grants.awards.operations.publicity import is_public
    from grants.direct_awards.models import DirectAward, DirectAwardKind
    from grants.direct_awards.operations.onward_figures import onward_summaries
    from grants.reports.operations.panel import panel_report
    from grants.reports.operations.selection import year_selection

    direct = db_session.scalars(select(DirectAward).where(
        DirectAward.kind == DirectAwardKind.DELEGATED)).one()
    assert is_public(direct.award)
    summary = onward_summaries(db_session, [direct.award_id])[direct.award_id]
    assert (summary.intermediary, summary.allocated_pence, summary.grants,
            summary.amount_pence) == ("Berkshire Community Foundation", 15_000_00, 3, 10_500_00)
    assert [row.code for row in summary.by_priority] == ["P1", "P2", "none"]
    year = money_year_of(clock.today_in_london())
    paragraphs = panel_report(db_session, year_selection(db_session, year, "PPAF")
                              ).round_paragraphs
    assert any("£15,000 was allocated through Berkshire Community Foundation, which made 3 "
               "grants to Reading Youth Mentors, Slough Victim Support Circle and Wokingham "
               "Street Pastors, £10,500 in all" in paragraph for paragraph in paragraphs)


def test_seed_demo_invites_this_years_recipients_replies_by_phone_and_cancels_one(
        db_session):
    from grants.awards.models import Award
    from grants.awards.operations.publicity import public_awards
    from grants.ceremonies.models import Ceremony, CeremonyInvitation
    from grants.records.models import OutboxMessage

    ceremony = db_session.scalars(select(Ceremony)).one()
    year = clock.financial_year_of(clock.today_in_london())
    assert ceremony.financial_year == year and ceremony.starts_at > clock.utcnow()
    recipients = set(db_session.scalars(
        select(Award.organisation_id).join(Round, Round.id == Award.round_id)
        .where(public_awards(), Round.financial_year == year)))
    invitations = db_session.scalars(select(CeremonyInvitation)).all()
    assert {i.organisation_id for i in invitations} == recipients and recipients
    # One reply online, one taken by phone, and one invitation cancelled (its contact told).
    assert sorted((i.attending, i.guests, i.replied_by_phone)
                  for i in invitations if i.replied) == [(True, 2, True), (True, 3, False)]
    cancelled, = (i for i in invitations if i.cancelled)
    assert not cancelled.replied
    assert db_session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.subject == f"Invitation: {ceremony.title}")) == len(invitations)
    assert db_session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.subject == f"Invitation cancelled: {ceremony.title}")) == 1

    seed_demo(db_session, account_settings(), allowed=True)
    assert db_session.scalar(select(func.count(Ceremony.id))) == 1
