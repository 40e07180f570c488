"""The demo office's own rounds: one decided earlier in the year (a grant paid, one offered,
one declined) and a Police Property Act Fund round open today with applications sent in and
a draft."""

import logging
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.accounts.operations.settings import AccountSettings
from grants.applications.models import (
    Application,
    ApplicationSection,
    ApplicationStatus,
    BudgetLine,
    SectionStatus,
)
from grants.applications.operations.sections import SECTIONS
from grants.applications.operations.submission import next_reference_number, submit_application
from grants.areas.models import LocalAuthority
from grants.awards.models import (
    Award,
    AwardStatus,
    BankDetails,
    Payment,
    PaymentStatus,
)
from grants.core import clock
from grants.decisions.models import Decision, DecisionOutcome
from grants.demo.operations.people import contact_user
from grants.funds.models import (
    CheckQuestion,
    EligibilityQuestion,
    Fund,
    Round,
    RoundKind,
    RoundOrganisationType,
    ScoringCriterion,
    default_financial_year,
)
from grants.funds.operations.codes import code_prefix, suggest_round_code
from grants.offices.operations.speaking import office_facts
from grants.organisations.models import Organisation, OrganisationType
from grants.plans.models import Plan

logger = logging.getLogger(__name__)


ELIGIBILITY_QUESTIONS = (
    ("Is the organisation a charity, CIO, charitable company, CIC or constituted community "
     "group based in or serving {office.short_name}?", True),
    ("Does the organisation have a safeguarding policy reviewed in the last 12 months?", True),
    ("Will the money be spent within 12 months of the award?", True),
    ("Has the organisation sent its end-of-grant report for any earlier award?", False),
)

SCORING_CRITERIA = (
    ("Fit with the round's priorities",
     "How clearly the project supports the priorities and key aims it names.", 40, 5),
    ("Need and evidence", "The evidence of need in the areas served.", 30, 5),
    ("Delivery and value for money", "A realistic plan, budget and outcomes.", 30, 5),
)


def london_at(day, hour: int) -> datetime:
    """The hour on the day in London, as UTC."""
    return datetime.combine(day, time(hour), tzinfo=clock.LONDON).astimezone(UTC)


def project_costs(pounds: int, *, workers_percent: int) -> dict:
    """A demo application's money: it asks for the whole cost, split between sessional
    workers (this share) and venue hire and materials."""
    return {"amount_requested_pence": pounds * 100, "total_cost_pence": pounds * 100,
            "budget_lines": [
                BudgetLine(position=1, description="Sessional workers",
                           amount_pence=pounds * workers_percent),
                BudgetLine(position=2, description="Venue hire and materials",
                           amount_pence=pounds * (100 - workers_percent))]}


DEMO_APPLICATIONS = (
    (1, "Safe at home: refuge outreach in Slough", 9_500, "P1", ("E06000039",), True),
    (2, "Street Doctors first aid for young people", 7_200, "P2", ("E06000042",), True),
    (4, "Recovery cafe evening sessions", 4_800, "P1", ("E07000178", "E07000177"), True),
    (5, "Faith leaders against hate crime", 3_000, "P2", None, True),
    (0, "Night shelter outreach", 5_000, "P1", ("E06000038",), False),
)


def demo_applications(session: Session, settings: AccountSettings, round_: Round,
                      organisations: list[Organisation], applicant: User) -> None:
    """Four applications sent by the organisations' own contacts and one draft, half done, for
    the demo applicant: what a round looks like a week after it opened."""
    authorities = {la.gss_code: la for la in session.scalars(select(LocalAuthority))}
    priorities = {p.code: p for p in round_.priorities}
    start = clock.to_london(round_.closes_at).date() + timedelta(days=45)
    for index, title, pounds, priority, served, submitted in DEMO_APPLICATIONS:
        organisation = organisations[index]
        author = applicant if not submitted else contact_user(session, settings, organisation)
        application = Application(
            round=round_, organisation=organisation, created_by=author, title=title,
            summary=f"{title}: a twelve-month project run by {organisation.name}.",
            description="Trained volunteers and staff deliver weekly sessions, with referrals "
                        "to local support services.",
            planned_start=start, planned_end=start + timedelta(days=330),
            primary_priority=priorities[priority],
            key_aims=list(priorities[priority].key_aims[:2]),
            serves_whole_thames_valley=served is None,
            areas=[authorities[gss] for gss in served or ()],
            **project_costs(pounds, workers_percent=60),
            outcomes="People are safer and know where to get help.",
            beneficiaries_count=150, beneficiary_groups="Local residents at risk",
        )
        session.add(application)
        done = SECTIONS if submitted else SECTIONS[:2]
        application.sections = [
            ApplicationSection(key=section.key, status=SectionStatus.COMPLETED, version=1)
            for section in done]
        if submitted:
            application.declared_by_name = author.name
            application.declared_by_position = "Chair of trustees"
            application.declared_at = clock.utcnow()
            session.flush()
            submit_application(session, author, application)
    session.flush()


DECIDED_APPLICATIONS = (
    (2, "Knife crime awareness in Milton Keynes schools", 7_200, 7_200, AwardStatus.PAID),
    (3, "Neighbourhood watch for older residents", 3_500, 2_000, AwardStatus.OFFERED),
    (5, "Prison leavers' mentoring", 6_000, None, None),
)


def decided_round(session: Session, settings: AccountSettings, fund: Fund, plan: Plan,
                  organisations: list[Organisation], users: dict[str, User]) -> Round:
    """A round that closed months ago and has published its decisions: one grant paid, one
    offered and waiting for an answer, one application not funded."""
    today = clock.today_in_london()
    staff, admin = users["staff@example.org"], users["admin@example.org"]
    opens_at = london_at(today - timedelta(days=200), 9)
    closes_at = london_at(today - timedelta(days=150), 12)
    decided_at = closes_at + timedelta(days=40)
    year = default_financial_year(opens_at)
    priorities = [p for p in plan.priorities if p.code in {"P3", "P4"}]
    round_ = Round(
        fund=fund, code=f"{code_prefix(fund, year)}1", financial_year=year,
        title=f"{fund.code} {year} Round 1",
        kind=RoundKind.OPEN, opens_at=opens_at, closes_at=closes_at,
        budget_pence=60_000_00, min_award_pence=1_000_00, max_award_pence=10_000_00,
        guidance="Projects that reduce re-offending or tackle serious organised crime.",
        launched_at=opens_at - timedelta(days=14), assessing_at=closes_at + timedelta(days=1),
        decided_at=decided_at, decisions_signed_off_at=decided_at,
        decisions_signed_off_by_id=admin.id, decisions_published_at=decided_at,
        priorities=priorities,
        organisation_type_rows=[RoundOrganisationType(organisation_type=kind)
                                for kind in OrganisationType],
    )
    session.add(round_)
    session.flush()
    for index, title, requested, awarded, award_status in DECIDED_APPLICATIONS:
        organisation = organisations[index]
        author = contact_user(session, settings, organisation)
        number = next_reference_number(session, round_.id)
        application = Application(
            round=round_, organisation=organisation, created_by=author, title=title,
            summary=f"{title}, run by {organisation.name}.",
            reference=f"{round_.code}-{number:04d}", sequence=number,
            submitted_at=closes_at - timedelta(days=3),
            primary_priority=priorities[0], amount_requested_pence=requested * 100,
            total_cost_pence=requested * 100,
            planned_start=closes_at.date() + timedelta(days=60),
            planned_end=closes_at.date() + timedelta(days=360),
            status=ApplicationStatus.DECLINED if awarded is None else (
                ApplicationStatus.PAID if award_status is AwardStatus.PAID
                else ApplicationStatus.AWARDED),
        )
        application.sections = [
            ApplicationSection(key=section.key, status=SectionStatus.COMPLETED, version=1)
            for section in SECTIONS]
        session.add(application)
        session.flush()
        outcome = (DecisionOutcome.DECLINE if awarded is None else
                   DecisionOutcome.AWARD_IN_FULL if awarded == requested
                   else DecisionOutcome.AWARD_IN_PART)
        session.add(Decision(
            application=application, outcome=outcome,
            amount_pence=None if awarded is None else awarded * 100,
            reason="Scored well against the round's criteria" if awarded
            else "Ranked below the applications the budget could fund",
            feedback="" if awarded else "A strong idea; we would welcome a bid with clearer "
                                        "outcomes in a later round.",
            decided_by_id=staff.id, decided_at=decided_at))
        if awarded is None:
            continue
        award = Award(
            round=round_, organisation=organisation, application=application,
            amount_pence=awarded * 100, status=award_status, priority=priorities[0],
            title=title, awarded_on=decided_at.date(), offered_at=decided_at,
            conditions="Spend the grant on the project described in the application by its "
                       "end date, and send an end-of-grant report within three months.",
            public_reason=f"{organisation.name}'s bid scored well against the round's "
                          "criteria and serves the priority it was made under.")
        session.add(award)
        if award_status is AwardStatus.PAID:
            award.accepted_at = decided_at + timedelta(days=5)
            award.accepted_on = award.accepted_at.date()
            award.accepted_by_name, award.accepted_by_position = author.name, "Treasurer"
            award.report_due_on = application.planned_end + timedelta(days=92)
            session.flush()
            session.add(BankDetails(award=award, account_name=organisation.name,
                                    sort_code="309430", account_number="00733445",
                                    entered_by_id=author.id, entered_at=award.accepted_at,
                                    verified_by_id=staff.id, verified_at=award.accepted_at))
            session.add(Payment(award=award, amount_pence=award.amount_pence,
                                paid_on=award.accepted_on + timedelta(days=7),
                                reference="BACS-2026-0117", status=PaymentStatus.APPROVED,
                                recorded_by_id=staff.id, approved_by_id=admin.id,
                                approved_at=award.accepted_at + timedelta(days=7)))
    session.flush()
    return round_


def open_round(session: Session, fund: Fund, plan: Plan) -> Round:
    """A PPAF round that opened a week ago and closes in four weeks, at noon."""
    today = clock.today_in_london()
    return open_kind_round(
        session, fund, plan, opens_at=london_at(today - timedelta(days=7), 9),
        closes_at=london_at(today + timedelta(days=28), 12), budget_pence=150_000_00,
        priorities=("P1", "P2"),
        guidance=(
            "This round funds projects that support two strategic priorities of the Police "
            "and Crime Plan: Vulnerability, and Prevention and Early Intervention. Bids from "
            "£1,000 to £10,000 for projects that can be delivered within 12 months."
        ))


def open_kind_round(session: Session, fund: Fund, plan: Plan, *, opens_at: datetime,
                    closes_at: datetime, budget_pence: int, priorities: tuple[str, ...],
                    guidance: str) -> Round:
    """A launched PPAF bidding round on the plan's priorities with these codes, with the demo's
    eligibility questions, eligibility check question and scoring criteria, numbered next in
    its year."""
    office = office_facts(session, fund.office_id)
    year = default_financial_year(opens_at)
    code = suggest_round_code(session, fund, year)
    number = code.rpartition("-")[2]
    chosen = [p for p in plan.priorities if p.code in priorities]
    return Round(
        fund=fund,
        code=code,
        financial_year=year,
        title=f"{fund.code} {year} Round {number}",
        kind=RoundKind.OPEN,
        opens_at=opens_at,
        closes_at=closes_at,
        budget_pence=budget_pence,
        min_award_pence=1_000_00,
        max_award_pence=10_000_00,
        guidance=guidance,
        launched_at=opens_at - timedelta(days=14),
        priorities=chosen,
        key_aims=[aim for priority in chosen for aim in priority.key_aims],
        organisation_type_rows=[
            RoundOrganisationType(organisation_type=kind) for kind in (
                OrganisationType.REGISTERED_CHARITY, OrganisationType.CIO,
                OrganisationType.CHARITABLE_COMPANY, OrganisationType.CIC,
                OrganisationType.COMMUNITY_GROUP, OrganisationType.FAITH_GROUP,
            )
        ],
        eligibility_questions=[
            EligibilityQuestion(position=i, text=text.format(office=office),
                                mandatory=mandatory)
            for i, (text, mandatory) in enumerate(ELIGIBILITY_QUESTIONS, start=1)
        ],
        check_questions=[CheckQuestion(
            position=1, text="Has your organisation been operating for at least 12 months?",
            needed_answer=True,
            reason="it funds organisations that have been operating for at least 12 months")],
        scoring_criteria=[
            ScoringCriterion(position=i, name=name, guidance=guidance, weight=weight,
                             max_score=max_score)
            for i, (name, guidance, weight, max_score) in enumerate(SCORING_CRITERIA, start=1)
        ],
    )
