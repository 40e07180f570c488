"""The demo office's round being assessed: it closed two weeks ago, staff have screened every
application (one not eligible), and two reviewers have scored each eligible one. Its asks add
up to more than its budget, so a newcomer can rank, decide, sign off and publish straight after
`make run`."""

import logging
from datetime import timedelta

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.accounts.operations.settings import AccountSettings
from grants.applications.models import (
    Application,
    ApplicationSection,
    ApplicationStatus,
    SectionStatus,
)
from grants.applications.operations.sections import SECTIONS
from grants.applications.operations.submission import next_reference_number
from grants.assessment.models import EligibilityAnswerValue, Recommendation
from grants.assessment.operations import assignment, declarations, reviews, screening
from grants.core import clock
from grants.demo.operations.people import contact_user
from grants.demo.operations.rounds import london_at, open_kind_round, project_costs
from grants.funds.models import Fund, Round
from grants.organisations.models import Organisation
from grants.plans.models import Plan

logger = logging.getLogger(__name__)

# (organisation index, title, amount asked for in pounds, the two reviewers' scores for each
# criterion, or None for the application screened out)
ASSESSED_APPLICATIONS = (
    (0, "Street outreach on Friday and Saturday nights", 9_000, ((5, 4, 5), (4, 5, 4))),
    (1, "Domestic abuse advocacy in Slough schools", 8_500, ((4, 4, 4), (5, 4, 3))),
    (3, "Neighbourhood watch training for new volunteers", 4_000, ((3, 3, 4), (3, 4, 3))),
    (4, "Peer mentoring for people leaving recovery", 7_000, ((3, 2, 3), (2, 3, 3))),
    (5, "Hate crime reporting centre at the mosque", 6_500, None),
)
# The reason the applicant reads for the application screened out.
NOT_ELIGIBLE_REASON = ("The organisation's safeguarding policy was last reviewed in 2023: a "
                       "policy reviewed in the last 12 months is needed")


def assessed_round(session: Session, settings: AccountSettings, fund: Fund, plan: Plan,
                   organisations: list[Organisation], users: dict[str, User]) -> Round:
    """A PPAF round that closed a fortnight ago, screened and reviewed, waiting for decisions:
    £25,000 for £28,500 of eligible asks."""
    today = clock.today_in_london()
    staff = users["staff@example.org"]
    reviewers = [staff, users["reviewer@example.org"]]
    opens_at = london_at(today - timedelta(days=60), 9)
    closes_at = london_at(today - timedelta(days=14), 12)
    round_ = open_kind_round(
        session, fund, plan, opens_at=opens_at, closes_at=closes_at, budget_pence=25_000_00,
        priorities=("P3", "P4"),
        guidance="Projects that reduce re-offending or tackle serious organised crime.")
    round_.assessing_at = closes_at + timedelta(days=1)
    session.add(round_)
    session.flush()
    for index, title, pounds, scores in ASSESSED_APPLICATIONS:
        application = _sent(session, settings, round_, organisations[index], title, pounds)
        _screened(session, staff, application, eligible=scores is not None)
        for reviewer, marks in zip(reviewers, scores or (), strict=False):
            _reviewed(session, staff, reviewer, application, marks)
    session.flush()
    logger.info("seed-demo: round %s screened and reviewed, waiting for decisions",
                round_.code)
    return round_


def _sent(session: Session, settings: AccountSettings, round_: Round,
          organisation: Organisation, title: str, pounds: int) -> Application:
    """An application the organisation's contact sent a few days before the round closed."""
    author = contact_user(session, settings, organisation)
    number = next_reference_number(session, round_.id)
    start = clock.to_london(round_.closes_at).date() + timedelta(days=60)
    priority = round_.priorities[0]
    application = Application(
        round=round_, organisation=organisation, created_by=author, title=title,
        summary=f"{title}, run by {organisation.name}.",
        description="Trained staff and volunteers run weekly sessions, with referrals to "
                    "local services.",
        reference=f"{round_.code}-{number:04d}", sequence=number,
        status=ApplicationStatus.SUBMITTED,
        submitted_at=round_.closes_at - timedelta(days=number + 1),
        planned_start=start, planned_end=start + timedelta(days=330),
        primary_priority=priority, key_aims=list(priority.key_aims[:1]),
        serves_whole_thames_valley=organisation.local_authority is None,
        areas=[organisation.local_authority] if organisation.local_authority else [],
        **project_costs(pounds, workers_percent=70),
        outcomes="Fewer people drawn back into crime, and more who know where to get help.",
        beneficiaries_count=120, beneficiary_groups="People at risk of offending",
        declared_by_name=author.name, declared_by_position="Chair of trustees",
        declared_at=round_.closes_at - timedelta(days=number + 1),
        sections=[ApplicationSection(key=section.key, status=SectionStatus.COMPLETED,
                                     version=1) for section in SECTIONS],
    )
    session.add(application)
    session.flush()
    return application


def _screened(session: Session, staff: User, application: Application, *,
              eligible: bool) -> None:
    """Staff answer every eligibility question: yes, or no to the safeguarding policy."""
    answers = {}
    for question in application.round.eligibility_questions:
        failing = not eligible and "safeguarding" in question.text
        answers[question.id] = screening.AnswerInput(
            EligibilityAnswerValue.NO if failing else EligibilityAnswerValue.YES,
            note="Checked against the documents sent")
    screening.screen_application(session, staff, application, answers,
                                 reason="" if eligible else NOT_ELIGIBLE_REASON)


def _reviewed(session: Session, staff: User, reviewer: User, application: Application,
              marks: tuple[int, ...]) -> None:
    """Assigned by staff, no conflict declared, every criterion scored and submitted."""
    assigned = assignment.assign_reviewer(session, staff, application, reviewer)
    declarations.declare(session, reviewer, assigned, has_conflict=False)
    criteria = application.round.scoring_criteria
    strong = sum(marks) >= 12
    answers = reviews.ReviewAnswers(
        scores={criterion.id: reviews.CriterionAnswer(
            score=mark, comment=("Clear evidence, well planned." if mark >= 4
                                 else "Some gaps in the evidence given."))
            for criterion, mark in zip(criteria, marks, strict=True)},
        recommendation=Recommendation.FUND if strong else Recommendation.DO_NOT_FUND,
        comment="A strong bid." if strong else "Worth funding only if money is left.")
    reviews.save_review(session, reviewer, assigned, answers, submit=True)

