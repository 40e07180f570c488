"""Test data for the staff list, screening, questions and notes: a round that has closed, its
eligibility questions, and applications sent to it."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from grants.accounts.models import Role
from grants.applications.models import Application, ApplicationStatus
from grants.assessment.models import EligibilityAnswer, EligibilityAnswerValue
from grants.extensions import db
from grants.funds.models import EligibilityQuestion, Round, RoundOrganisationType
from grants.organisations.models import OrganisationType
from grants.records.operations.audit import record_event
from tests.fixtures.factories import (
    CountyFactory,
    MembershipFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
)

# The round closed a week ago; screening happens now.
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
NOT_STAFF = [Role.APPLICANT, Role.REVIEWER, Role.HIGH_SHERIFF]


def closed_round(**values) -> Round:
    settings = {
        "code": "PPAF-2026-2",
        "title": "PPAF 2026/27 Round 2",
        "opens_at": NOW - timedelta(days=35),
        "closes_at": NOW - timedelta(days=7),
        "launched_at": NOW - timedelta(days=40),
        "min_award_pence": 100_000,
        "max_award_pence": 1_000_000,
    }
    settings.update(values)
    round_ = RoundFactory(**settings)
    round_.organisation_type_rows = [
        RoundOrganisationType(organisation_type=kind)
        for kind in (OrganisationType.REGISTERED_CHARITY, OrganisationType.COMMUNITY_GROUP)]
    db.session.commit()
    return round_


def add_questions(round_: Round, *questions: tuple[str, bool]) -> list[EligibilityQuestion]:
    """(text, mandatory) for each question, in order."""
    rows = [EligibilityQuestion(round=round_, position=n, text=text, mandatory=mandatory,
                                guidance=f"Guidance for {text.lower()}")
            for n, (text, mandatory) in enumerate(questions, start=1)]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def member_of(organisation, **values):
    user = UserFactory(roles=[Role.APPLICANT], **values)
    MembershipFactory(user=user, organisation=organisation)
    return user


def make_user(role: Role, **values):
    if role is Role.HIGH_SHERIFF:
        return UserFactory(roles=[role], county=CountyFactory(), term_year=2026, **values)
    return UserFactory(roles=[role], **values)


def sent(round_: Round, organisation=None, *, by=None,
         status: ApplicationStatus = ApplicationStatus.SUBMITTED, **values) -> Application:
    """An application sent to the round (by `by`, a member, when given), with the next
    reference of the round."""
    organisation = organisation or OrganisationFactory()
    number = (db.session.scalar(select(func.max(Application.sequence)).where(
        Application.round_id == round_.id)) or 0) + 1
    settings = {
        "title": "Night shelter outreach",
        "amount_requested_pence": 500_000,
        "submitted_at": NOW - timedelta(days=8, minutes=-number),
    }
    settings.update(values)
    application = Application(
        round=round_, organisation=organisation, sequence=number,
        reference=f"{round_.code}-{number:04d}", status=status, created_by=by, **settings)
    db.session.add(application)
    db.session.flush()
    if by is not None:
        record_event(db.session, actor_id=by.id, action="application.submitted",
                     entity_type="application", entity_id=application.id)
    db.session.commit()
    return application


def answer(application: Application, question: EligibilityQuestion,
           value: EligibilityAnswerValue, by, note: str = "") -> EligibilityAnswer:
    row = EligibilityAnswer(application_id=application.id, question_id=question.id,
                            answer=value, note=note, answered_by_id=by.id)
    db.session.add(row)
    db.session.commit()
    return row


def words(html: str) -> str:
    """The page's words, without tags or repeated spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")
