"""One shared data set for the hostile-input tests: the demo office, plus the records that only
exist further along the life cycle (a reviewer's assignment and review, a complete draft,
decisions to make, sign off and publish, allocation shares to confirm, a monitoring report, a
payment awaiting approval, documents, a request to join), with every person's password known."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from grants.accounts.models import Role, User, roles_for
from grants.accounts.operations import sessions as signed_in_sessions
from grants.accounts.operations.passwords import hash_password
from grants.accounts.operations.tokens import (
    make_password_reset_token,
    make_verification_token,
)
from grants.allocations.models import AllocationRecipient
from grants.allocations.operations import factors as allocation_factors
from grants.allocations.operations import inputs as allocation_inputs
from grants.allocations.operations import proposal as allocation_proposal
from grants.allocations.operations import recipients as allocation_recipients
from grants.allocations.operations import top_slice as allocation_top_slice
from grants.applications.models import Application, ApplicationStatus, Document, DocumentKind
from grants.applications.operations.sections import SECTIONS, questions_key
from grants.assessment.models import (
    Clarification,
    ConflictStatus,
    CriterionScore,
    Recommendation,
    Review,
    ReviewAssignment,
    ScreeningDecision,
    ScreeningOutcome,
)
from grants.assessment.operations import kept_scores
from grants.awards.models import (
    Award,
    AwardSource,
    AwardStatus,
    BankDetails,
    Payment,
    PaymentStatus,
)
from grants.ceremonies.models import Ceremony, CeremonyInvitation
from grants.ceremonies.operations.planning import CeremonyEntry, create_ceremony
from grants.core import clock
from grants.decisions.operations.sign_off import sign_off
from grants.demo.operations.allocations import FACTORS, INPUTS
from grants.demo.operations.seed import seed_demo
from grants.direct_awards.models import DecisionMaker, OnwardGrant
from grants.direct_awards.operations.recording import DirectAwardEntry, record_direct_award
from grants.documents.models import OrganisationDocument
from grants.extensions import db
from grants.funds.models import (
    CheckQuestion,
    EligibilityQuestion,
    Fund,
    QuestionKind,
    QuestionSection,
    Round,
    RoundKind,
    RoundQuestion,
    RoundStatus,
    ScoringCriterion,
)
from grants.interest.models import Interest, InterestStatus
from grants.ledger.operations.paid_in import PaidInEntry, add_entry
from grants.monitoring.models import MonitoringDocument, MonitoringReport, ReportKind, ReportStatus
from grants.nominations.models import Nomination, NominationStatus
from grants.opendata.models import MonthlyPublication
from grants.organisations.models import (
    Membership,
    MembershipInvitation,
    MembershipStatus,
    Organisation,
)
from grants.organisations.notifications import make_claim_token
from grants.organisations.operations import invitations
from grants.plans.models import KeyAim, Plan, Priority
from grants.reference.operations.seed import seed_reference
from tests.applications.completing import complete
from tests.awards import decisions_data as deciding
from tests.fixtures.factories import (
    TEST_PASSWORD,
    ApplicationFactory,
    OfficeFactory,
    OrganisationFactory,
    RoundFactory,
    account_settings,
)

PDF = b"%PDF-1.4\n% a stored document\n%%EOF\n"
PDF_SHA256 = hashlib.sha256(PDF).hexdigest()
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# The link of the newcomer's invitation to join the applicant's organisation.
INVITATION_TOKEN = "an-invitation-for-the-newcomer"
# The kinds of signed-in person a form may be meant for, in the order the walk tries them.
PEOPLE = ("applicant", "recipient", "paid_recipient", "staff", "admin", "reviewer", "sheriff",
          "newcomer", "forgetful", "two_factor", "halfway", "unverified", "anonymous")


@dataclass
class World:
    emails: dict[str, str]
    # For each URL argument, the values the walk tries, best first.
    arguments: dict[str, list]
    # Values for one endpoint's arguments, where the general ones would not fit.
    endpoint_arguments: dict[str, dict[str, list]] = field(default_factory=dict)
    # Pages that answer a post, not a GET: the fields to post to their address to see them.
    page_posts: dict[str, dict[str, str]] = field(default_factory=dict)


def _user(session, email: str, name: str, roles=(Role.APPLICANT,)) -> User:
    user = User(email=email, name=name,
                password_hash=hash_password(TEST_PASSWORD, account_settings()),
                email_verified_at=clock.utcnow())
    user.role_rows.extend(roles_for(roles, OfficeFactory().id))
    session.add(user)
    session.flush()
    return user


def _by_email(session, email: str) -> User:
    return session.scalars(select(User).where(User.email == email)).one()


def nomination_round_of(session) -> Round:
    """The latest nomination round whose decisions are published: an accepted award's
    recipient sees it only in such a round."""
    return session.scalars(select(Round).where(Round.kind == RoundKind.NOMINATION,
                                               Round.decisions_published_at.is_not(None))
                           .order_by(Round.id.desc())).first()


def _accepted_award(session, round_: Round, organisation, member: User, *, verified_by):
    """An accepted award whose bank details staff have checked (or not yet)."""
    now = clock.utcnow()
    award = Award(round=round_, organisation=organisation, amount_pence=100_000,
                  status=AwardStatus.ACCEPTED, source=AwardSource.NOMINATION,
                  nominating_county_id=organisation.local_authority.county_id
                  if organisation.local_authority else None,
                  title="Accepted award", offered_at=now, accepted_at=now,
                  accepted_by_name="Ash Applicant", accepted_by_position="Chair",
                  accepted_on=date.today())
    award.bank_details.append(BankDetails(
        account_name="Reading Street Support", sort_code="123456", account_number="12345678",
        entered_by_id=member.id, verified_by_id=verified_by.id if verified_by else None,
        verified_at=now if verified_by else None))
    session.add(award)
    return award


def other_organisation_of(session) -> Organisation:
    return session.scalars(select(Organisation).where(~Organisation.memberships.any())
                           .order_by(Organisation.id)).first()


def _round_being_assessed(session, fund: Fund, organisation: Organisation, staff: User):
    """A round past its closing date, being assessed, with one eligible application."""
    now = clock.utcnow()
    round_ = Round(fund=fund, code="HOSTILE-ASSESS", title="A round being assessed",
                   kind=RoundKind.OPEN, launched_at=now - timedelta(days=60),
                   opens_at=now - timedelta(days=50), closes_at=now - timedelta(days=20),
                   assessing_at=now - timedelta(days=10), budget_pence=10_000_000,
                   min_award_pence=100_000, max_award_pence=500_000)
    round_.scoring_criteria.append(ScoringCriterion(position=1, name="Need", guidance="",
                                                    weight=1, max_score=5))
    application = Application(round=round_, organisation=organisation,
                              status=ApplicationStatus.ELIGIBLE, title="Street safety",
                              reference="HOSTILE-ASSESS-001", sequence=1,
                              amount_requested_pence=200_000, total_cost_pence=250_000,
                              submitted_at=now - timedelta(days=25))
    session.add_all([round_, application, ScreeningDecision(
        application=application, outcome=ScreeningOutcome.ELIGIBLE, decided_by_id=staff.id)])
    return round_, application


def _allocation_to_confirm(session, confirmed: Round, staff: User):
    """A copy of the demo's allocation round with its shares proposed, not yet confirmed."""
    round_ = Round(fund=confirmed.fund, code="HOSTILE-CSF", title="Allocations to confirm",
                   kind=RoundKind.ALLOCATION, budget_pence=confirmed.budget_pence,
                   opens_at=confirmed.opens_at, closes_at=confirmed.closes_at,
                   launched_at=confirmed.launched_at)
    session.add(round_)
    session.flush()
    allocation_top_slice.set_top_slice(session, staff, round_.id, basis_points=1000)
    recipients = allocation_recipients.set_recipients(session, staff, round_.id, [
        r.organisation_id for r in session.scalars(select(AllocationRecipient).where(
            AllocationRecipient.round_id == confirmed.id))])
    factors = allocation_factors.set_factors(
        session, staff, round_.id, [allocation_factors.FactorRow(*row) for row in FACTORS])
    allocation_inputs.save_inputs(session, staff, round_.id, {
        (recipient.id, factor.id): Decimal(value)
        for recipient in recipients
        for factor, value in zip(factors, INPUTS[recipient.organisation.name], strict=True)})
    allocation_proposal.propose_shares(session, staff, round_.id)
    return round_, recipients[0]


def _rounds_to_sign_off_and_publish(staff: User, admin: User) -> tuple[Round, Round]:
    """Two rounds whose one application the admin decided: one for a second member of staff
    (`staff`) to sign off, one they signed off, to publish."""
    now = clock.utcnow()
    made = []
    for number, code in enumerate(("HOSTILE-SIGN", "HOSTILE-PUBLISH"), start=1):
        round_ = deciding.deciding_round(
            code=code, title=f"A round to {code.split('-')[1].lower()}",
            launched_at=now - timedelta(days=40), opens_at=now - timedelta(days=35),
            closes_at=now - timedelta(days=7), assessing_at=now - timedelta(days=5))
        deciding.decided(admin, deciding.eligible(round_, number))
        made.append(round_)
    sign_off(db.session, staff, made[1].id)
    db.session.commit()
    return made[0], made[1]


def build_world(session, storage) -> World:
    """Seed the demo office and the records further along; commit so errors keep them."""
    seed_reference(session)
    seed_demo(session, account_settings(), allowed=True)
    for user in session.scalars(select(User)):
        user.password_hash = hash_password(TEST_PASSWORD, account_settings())

    applicant = _by_email(session, "applicant@example.org")
    staff = _by_email(session, "staff@example.org")
    admin = _by_email(session, "admin@example.org")
    reviewer = _by_email(session, "reviewer@example.org")
    newcomer = _user(session, "newcomer@example.org", "Nia Newcomer")
    forgetful = _user(session, "forgetful@example.org", "Fen Forgetful")
    joiner = _user(session, "joiner@example.org", "Jan Joiner")
    two_factor = _user(session, "two.factor@example.org", "Tal Two-Factor")
    two_factor.totp_secret = TOTP_SECRET
    two_factor.totp_confirmed_at = clock.utcnow()
    unverified = _user(session, "unverified@example.org", "Uma Unverified")
    unverified.email_verified_at = None

    organisation = applicant.memberships[0].organisation
    pending = Membership(user=joiner, organisation=organisation,
                         status=MembershipStatus.PENDING)
    session.add(pending)

    applications = session.scalars(select(Application).order_by(Application.id)).all()
    draft = next(a for a in applications if a.organisation_id == organisation.id
                 and a.status == ApplicationStatus.DRAFT)
    submitted = [a for a in applications if a.status == ApplicationStatus.SUBMITTED]
    awards = session.scalars(select(Award).order_by(Award.id)).all()
    offered = next(a for a in awards if a.application_id and a.status.value == "offered")
    paid = next(a for a in awards if a.application_id and a.status.value == "paid")
    recipient = next(m.user for m in offered.organisation.memberships)
    paid_recipient = next(m.user for m in paid.organisation.memberships)
    sheriff_award = next((a for a in awards if a.organisation_id == organisation.id), None)

    assignment = ReviewAssignment(application=submitted[0], reviewer=reviewer, assigned_by=staff)
    reviewed = ReviewAssignment(application=submitted[1], reviewer=reviewer, assigned_by=staff,
                                conflict=ConflictStatus.NO_CONFLICT,
                                declared_at=clock.utcnow())
    review = Review(assignment=reviewed, recommendation=Recommendation.FUND,
                    comment="A clear plan.", submitted_at=clock.utcnow(),
                    score_numerator=100, score_denominator=1,  # every criterion at its maximum
                    scores=[CriterionScore(criterion=criterion, score=criterion.max_score,
                                           comment="Good.")
                            for criterion in submitted[1].round.scoring_criteria])
    declared = ReviewAssignment(application=submitted[2], reviewer=reviewer, assigned_by=staff,
                                conflict=ConflictStatus.NO_CONFLICT,
                                declared_at=clock.utcnow())
    session.add_all([assignment, reviewed, review, declared])
    session.flush()
    kept_scores.refresh_score(session, submitted[1].id)  # as submitting through the service does
    asked = next(a for a in submitted if a.organisation_id == paid.organisation_id)
    session.add(Clarification(application_id=asked.id, question="Who runs the sessions?",
                              asked_by_id=staff.id))
    old_plan = Plan(office=OfficeFactory(), code="HOSTILE-OLD-PLAN", title="An earlier plan",
                    valid_from=date(2017, 4, 1),
                    valid_to=date(2021, 3, 31), is_current=False)
    unused = Priority(plan=old_plan, code="P1", number=1, title="An unused priority")
    unused_aim = KeyAim(priority=unused, number=1, text="An unused key aim")
    retired = Priority(plan=old_plan, code="P2", number=2, title="A retired priority",
                       retired_at=clock.utcnow())
    retired_aim = KeyAim(priority=unused, number=2, text="A retired key aim",
                         retired_at=clock.utcnow())
    session.add_all([old_plan, unused, unused_aim, retired, retired_aim])
    fund = session.scalars(select(Fund).where(Fund.code == "PPAF")).one()
    draft_round = Round(fund=fund, code="HOSTILE-DRAFT", title="A round still in draft",
                        kind=RoundKind.OPEN,
                        opens_at=clock.utcnow() + timedelta(days=30),
                        closes_at=clock.utcnow() + timedelta(days=60),
                        budget_pence=10_000_000, min_award_pence=100_000,
                        max_award_pence=500_000)
    draft_round.scoring_criteria.append(ScoringCriterion(
        position=1, name="Need", guidance="", weight=1, max_score=5))
    draft_round.eligibility_questions.append(EligibilityQuestion(
        position=1, text="Is the organisation based in the Thames Valley?"))
    draft_round.question_sections.extend([
        _questions_of_every_kind(), QuestionSection(position=2, title="A second section")])
    draft_round.check_questions.append(CheckQuestion(
        position=1, text="Do you have a safeguarding policy?", needed_answer=True,
        reason="it funds organisations with a safeguarding policy"))
    session.add(draft_round)
    # The draft's round asks its own questions too, so the walk reaches their section's page.
    draft.round.question_sections.append(_questions_of_every_kind())
    # Closed, not yet assessed: the demo's closed rounds have all published their decisions.
    closed_round = Round(fund=fund, code="HOSTILE-CLOSED", title="A round closed for bids",
                         kind=RoundKind.OPEN, launched_at=clock.utcnow() - timedelta(days=60),
                         opens_at=clock.utcnow() - timedelta(days=50),
                         closes_at=clock.utcnow() - timedelta(days=20),
                         budget_pence=10_000_000, min_award_pence=100_000,
                         max_award_pence=500_000)
    session.add(closed_round)
    assessed, screened = _round_being_assessed(session, fund, other_organisation_of(session),
                                               staff)
    accepted = [_accepted_award(session, nomination_round_of(session), organisation, applicant,
                                verified_by=staff if verified else None)
                for verified in (True, False)]

    report = MonitoringReport(award=paid, kind=ReportKind.END_OF_GRANT,
                              due_on=date.today() + timedelta(days=30))
    sent_report = MonitoringReport(award=paid, kind=ReportKind.INTERIM,
                                   due_on=date.today() - timedelta(days=5),
                                   status=ReportStatus.SUBMITTED, submitted_at=clock.utcnow(),
                                   submitted_by_id=paid_recipient.id,
                                   delivered="Twelve sessions.")
    session.add_all([report, sent_report])
    payment = Payment(award=paid, amount_pence=1_000, paid_on=date.today(),
                      reference="HOSTILE-1", status=PaymentStatus.AWAITING_APPROVAL,
                      recorded_by_id=staff.id)
    session.add(payment)
    document = Document(application=draft, kind=DocumentKind.SAFEGUARDING_POLICY,
                        original_filename="policy.pdf", storage_key=storage.save(PDF),
                        content_type="application/pdf", size_bytes=len(PDF), sha256=PDF_SHA256,
                        uploaded_by_id=applicant.id)
    report_document = MonitoringDocument(
        report=report, original_filename="evidence.pdf", storage_key=storage.save(PDF),
        content_type="application/pdf", size_bytes=len(PDF), sha256=PDF_SHA256,
        uploaded_by_id=paid_recipient.id)
    # The organisation keeps a safeguarding policy of its own, which the draft could use.
    kept_document = OrganisationDocument(
        organisation_id=organisation.id, kind=DocumentKind.SAFEGUARDING_POLICY,
        document_date=clock.today_in_london() - timedelta(days=30),
        original_filename="kept policy.pdf", storage_key=storage.save(PDF),
        content_type="application/pdf", size_bytes=len(PDF), sha256="1" * 64,
        uploaded_by_id=applicant.id)
    session.add_all([document, report_document, kept_document])
    session.flush()

    rounds = session.scalars(select(Round).order_by(Round.id)).all()
    open_round = next(r for r in rounds if r.kind == RoundKind.OPEN
                      and r.status == RoundStatus.OPEN)
    allocation_round = next(r for r in rounds if r.kind == RoundKind.ALLOCATION)
    nomination_round = next(r for r in rounds if r.kind == RoundKind.NOMINATION
                            and r.status == RoundStatus.OPEN)
    decided_round = next(r for r in rounds if r.status == RoundStatus.PUBLISHED)
    # The demo's round that starts with an expression of interest: the applicant's is a draft
    # ready to send, and another organisation's waits for staff's answer.
    staged_round = next(r for r in rounds if r.interest_closes_at is not None)
    interests = session.scalars(select(Interest).where(Interest.round_id == staged_round.id)
                                .order_by(Interest.id)).all()
    draft_interest = next(i for i in interests if i.status is InterestStatus.DRAFT)
    waiting_interest = next(i for i in interests if i.status is InterestStatus.SENT)
    plan = session.scalars(select(Plan).order_by(Plan.id)).first()
    priority = session.scalars(select(Priority).where(Priority.plan_id == plan.id)
                               .order_by(Priority.id)).first()
    key_aim = session.scalars(select(KeyAim).where(KeyAim.priority_id == priority.id)
                              .order_by(KeyAim.id)).first()
    nominations = session.scalars(select(Nomination).order_by(Nomination.id)).all()
    # The demo's High Sheriffs of this year are those who nominated; earlier ones cannot.
    waiting = [n for n in nominations if n.status == NominationStatus.SUBMITTED]
    sheriff = waiting[0].nominated_by
    other_organisation = session.scalars(
        select(Organisation).where(Organisation.id.not_in(
            [organisation.id, offered.organisation_id, paid.organisation_id]))
        .order_by(Organisation.id)).first()
    session.commit()
    # Further along: a complete draft (in a round of its own: one application per organisation
    # and round), decisions to make, sign off and publish, and shares to confirm. Staff have
    # declared no conflict with the assessed application, so they see its decision form; the
    # admin has not, so they see the declaration form.
    complete_draft = complete(ApplicationFactory(
        round=RoundFactory(fund=fund, code="HOSTILE-OPEN", launched_at=clock.utcnow()),
        organisation=organisation, status=ApplicationStatus.DRAFT))
    deciding.declared(staff, screened)
    to_sign, to_publish = _rounds_to_sign_off_and_publish(staff, admin)
    to_confirm, share = _allocation_to_confirm(session, allocation_round, staff)
    # An invitation for the newcomer to join the applicant's organisation.
    session.add(MembershipInvitation(
        organisation=organisation, email=newcomer.email, invited_by=applicant,
        token_hash=invitations.hashed(INVITATION_TOKEN),
        expires_at=clock.utcnow() + timedelta(days=14)))
    # A second record of the organisation, holding nothing yet, for staff to merge into it.
    second_record = OrganisationFactory(name=f"{organisation.name} (entered twice)",
                                        charity_regulator=None, charity_number=None,
                                        company_number=None)
    # A direct award the admin recorded, for staff to sign off (or withdraw), and the money
    # for it in the PPAF, which the rounds above (made without its guard) have overcommitted.
    add_entry(session, fund, PaidInEntry(
        received_on=clock.today_in_london(), amount_pence=1_000_000_00,
        source="Proceeds of property", reference="Hostile tests' money"), actor_id=None)
    to_sign_off = record_direct_award(session, admin, fund.id, DirectAwardEntry(
        organisation_id=organisation.id, amount_pence=100_000,
        decided_on=clock.today_in_london(), decision_maker=DecisionMaker.DELEGATE,
        delegate_name="Dana Deputy, Chief Executive", title="Urgent repairs",
        public_reason="The hall was flooded.", priority_id=priority.id,
        key_aim_ids=[key_aim.id]))
    # A ceremony nobody is invited to yet, for staff to invite the year's recipients to (the
    # demo's has invited them all already, and one of them has replied).
    to_invite = create_ceremony(session, staff, CeremonyEntry(
        title="Another awards evening", day=clock.today_in_london() + timedelta(days=30),
        at=time(18, 0), place="Reading Town Hall",
        financial_year=clock.financial_year_of(clock.today_in_london())))
    # A month's published file, to download.
    session.add(MonthlyPublication(month="2026-11", version=1, grant_count=1,
                                   amount_pence=100_000, content='{"grants": []}'))
    session.commit()

    onward_grants = list(session.scalars(select(OnwardGrant).order_by(OnwardGrant.id)))
    first = lambda model, **where: session.scalars(  # noqa: E731
        select(model).filter_by(**where).order_by(model.id)).first()
    criterion = first(ScoringCriterion, round_id=open_round.id)
    question = first(EligibilityQuestion, round_id=open_round.id)
    # The open round's own question in its eligibility check (the demo's rounds ask one).
    check_question = first(CheckQuestion, round_id=open_round.id)
    recipient_row = first(AllocationRecipient, round_id=allocation_round.id)
    details = first(BankDetails, award_id=paid.id)
    rounds_tried = [open_round, allocation_round, nomination_round, decided_round]
    arguments = {
        "application_id": [draft.id, asked.id, submitted[0].id, paid.application_id],
        "award_id": [a.id for a in (offered, paid, sheriff_award, accepted[1])
                     if a is not None],
        "paid_award_id": [paid.id],
        "round_id": [r.id for r in rounds_tried],
        "round_code": [r.code for r in rounds_tried],
        "organisation_id": [organisation.id, other_organisation.id],
        "nomination_id": [n.id for n in nominations],
        "report_id": [report.id, sent_report.id],
        "plan_id": [plan.id, old_plan.id],
        "priority_id": [priority.id],
        "key_aim_id": [key_aim.id],
        "fund_id": [session.scalars(select(Fund).order_by(Fund.id)).first().id],
        "payment_id": [payment.id],
        "assignment_id": [assignment.id, reviewed.id, declared.id],
        "review_id": [review.id],
        "criterion_id": [criterion.id] if criterion else [],
        "question_id": [question.id] if question else [],
        "check_question_id": [check_question.id] if check_question else [],
        "document_id": [document.id, report_document.id],
        "kept_document_id": [kept_document.id],
        "details_id": [details.id] if details else [],
        "recipient_id": [recipient_row.id] if recipient_row else [],
        "membership_id": [pending.id],
        "user_id": [applicant.id],
        "decision": ["approve", "reject"],
        "month": ["2026-11"],
        "version": [1],
        "ceremony_id": [session.scalars(select(Ceremony).order_by(Ceremony.id)).first().id],
        # The demo's invitations, the one replied to first.
        "invitation_id": list(session.scalars(select(CeremonyInvitation.id).order_by(
            CeremonyInvitation.replied_at.is_(None), CeremonyInvitation.id))),
        # The walk tries the first few: the round's own section among them.
        "key": _section_keys(draft),
    }
    old_plan_values = {"plan_id": [old_plan.id]}
    being_assessed = {"round_id": [assessed.id], "application_id": [screened.id]}
    endpoint_arguments = {
        **dict.fromkeys(["assessment.assign_reviewer", "assessment.reverse_screening",
                         "funds.mark_decided", "decisions.decide", "decisions.propose",
                         "decisions.declare"],
                        being_assessed),
        "decisions.sign_off": {"round_id": [to_sign.id]},
        "decisions.publish": {"round_id": [to_publish.id]},
        **dict.fromkeys(["allocations.confirm", "allocations.propose"],
                        {"round_id": [to_confirm.id]}),
        "allocations.override": {"round_id": [to_confirm.id], "recipient_id": [share.id]},
        "applications.submit_application": {"application_id": [complete_draft.id]},
        "organisations.merge_duplicate": {"organisation_id": [organisation.id],
                                          "duplicate_id": [second_record.id]},
        "awards.record_payment": {"award_id": [accepted[0].id]},
        **dict.fromkeys(["direct_awards.sign_off_direct_award",
                         "direct_awards.withdraw_direct_award"],
                        {"award_id": [to_sign_off.award_id]}),
        # The demo's Community Foundation allocation and its onward grants.
        **dict.fromkeys(["direct_awards.onward_grants", "direct_awards.add_onward_grant",
                         "direct_awards.upload_onward_grants",
                         "direct_awards.remove_onward_grant"],
                        {"award_id": [onward_grants[0].award_id],
                         "onward_grant_id": [grant.id for grant in onward_grants]}),
        "funds.start_assessment": {"round_id": [closed_round.id]},
        "ceremonies.invite_recipients": {"ceremony_id": [to_invite.id]},
        "awards.verify_bank_details": {"award_id": [accepted[1].id],
                                       "details_id": [accepted[1].bank_details[0].id]},
        "plans.delete_priority": {**old_plan_values, "priority_id": [unused.id]},
        "plans.reinstate_priority": {**old_plan_values, "priority_id": [retired.id]},
        "plans.delete_key_aim": {**old_plan_values, "priority_id": [unused.id],
                                 "key_aim_id": [unused_aim.id]},
        "plans.reinstate_key_aim": {**old_plan_values, "priority_id": [unused.id],
                                    "key_aim_id": [retired_aim.id]},
        **{endpoint: {"round_id": [draft_round.id],
                      "criterion_id": [draft_round.scoring_criteria[0].id],
                      "question_id": [draft_round.eligibility_questions[0].id],
                      "question_section_id": [draft_round.question_sections[0].id],
                      "round_question_id": [draft_round.question_sections[0].questions[1].id],
                      "way": ["down"]}
           for endpoint in ("funds.edit_criterion", "funds.remove_criterion",
                            "funds.edit_question", "funds.remove_question",
                            "funds.launch_round", "funds.new_question_section",
                            "funds.edit_question_section", "funds.remove_question_section",
                            "funds.move_question_section", "funds.new_application_question",
                            "funds.edit_application_question",
                            "funds.remove_application_question",
                            "funds.move_application_question")},
        # An open round's check questions are fixed: staff change a draft's.
        **{endpoint: {"round_id": [draft_round.id],
                      "check_question_id": [draft_round.check_questions[0].id]}
           for endpoint in ("funds.new_check_question", "funds.edit_check_question",
                            "funds.remove_check_question")},
        "accounts.reset_password": {"token": [make_password_reset_token(
            account_settings().secret_key, forgetful.id, forgetful.password_hash)]},
        "nominations.claim_organisation": {"token": [make_claim_token(
            other_organisation.id, newcomer.email)]},
        "accounts.verify_email": {"token": [make_verification_token(
            account_settings().secret_key, unverified.id, unverified.email)]},
        "organisations.accept_invitation": {"token": [INVITATION_TOKEN]},
        "documents.remove_organisation_document": {"organisation_id": [organisation.id],
                                                   "document_id": [kept_document.id]},
        "interest.start_interest": {"round_code": [staged_round.code]},
        **dict.fromkeys(["interest.edit_interest", "interest.send_interest"],
                        {"interest_id": [draft_interest.id]}),
        "interest.decide_interest": {"interest_id": [waiting_interest.id]},
        # A round's stage is set up before it opens.
        "interest.set_up_stage": {"round_id": [draft_round.id]},
    }
    # The applicant is signed in on a phone too: their account page offers to sign out there.
    signed_in_sessions.begin(session, applicant, user_agent="Mozilla/5.0 (iPhone) Safari/604.1")
    emails = {
        "applicant": applicant.email, "recipient": recipient.email,
        "paid_recipient": paid_recipient.email, "staff": staff.email, "admin": admin.email,
        "reviewer": reviewer.email, "sheriff": sheriff.email, "newcomer": newcomer.email,
        "forgetful": forgetful.email, "two_factor": two_factor.email,
        "halfway": two_factor.email, "unverified": unverified.email,
    }
    return World(emails=emails, arguments=arguments, endpoint_arguments=endpoint_arguments)


def _questions_of_every_kind() -> QuestionSection:
    """A section of a round's own questions, one of each kind, the last asked only after a
    "Yes"."""
    kinds = list(QuestionKind)
    questions = [RoundQuestion(
        position=position, kind=kind, wording=f"A question taking {kind.label.lower()}",
        word_limit=50 if kind is QuestionKind.LONG_TEXT else None,
        choices=["First", "Second"] if kind in (QuestionKind.ONE_CHOICE,
                                                QuestionKind.SEVERAL_CHOICES) else [])
        for position, kind in enumerate(kinds, 1)]
    yes_no = next(q for q in questions if q.kind is QuestionKind.YES_NO)
    questions[-1].condition_question, questions[-1].condition_answer = yes_no, "Yes"
    return QuestionSection(position=1, title="The round's own questions", questions=questions)


def _section_keys(draft: Application) -> list[str]:
    """The draft's sections, the round's own among the first few the walk tries."""
    keys = [section.key for section in SECTIONS]
    own = [questions_key(section.id) for section in draft.round.question_sections]
    return keys[1:4] + own + keys[:1] + keys[4:]
