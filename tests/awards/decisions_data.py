"""Test data for decisions: a round being assessed, applications screened eligible (ranked by
an agreed score, by default one that follows their number), staff who decide and a second
member of staff who signs off, and helpers that go through the services."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from grants.accounts.models import Role, User
from grants.applications.models import Application, ApplicationStatus
from grants.assessment.models import Moderation
from grants.assessment.operations.kept_scores import refresh_score
from grants.core import clock
from grants.decisions.models import DecisionOutcome
from grants.decisions.operations import declarations
from grants.decisions.operations.guard import decide
from grants.decisions.operations.queries import declaration_for
from grants.decisions.operations.rules import DecisionInput
from grants.extensions import db
from grants.funds.models import Round
from tests.fixtures.factories import (
    ApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
)

# The round closed a week ago and is being assessed; decisions happen now.
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
NOT_STAFF = [Role.APPLICANT, Role.REVIEWER, Role.HIGH_SHERIFF]
PANEL_CHAIR_EMAIL = "panel.chair@example.org"

# The reason for an award written for publication, as staff would type it.
PUBLIC_REASON = "The project serves the round's priority in an area with few other services"



@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    return NOW


def deciding_round(**values) -> Round:
    """A round being assessed: budget £20,000, awards from £1,000 to £10,000."""
    settings = {
        "code": "PPAF-2026-5",
        "title": "PPAF 2026/27 Round 5",
        "opens_at": NOW - timedelta(days=35),
        "closes_at": NOW - timedelta(days=7),
        "launched_at": NOW - timedelta(days=40),
        "assessing_at": NOW - timedelta(days=5),
        "budget_pence": 2_000_000,
        "min_award_pence": 100_000,
        "max_award_pence": 1_000_000,
    }
    settings.update(values)
    round_ = RoundFactory(**settings)
    db.session.commit()
    return round_


def _panel_chair():
    """The member of staff who records the agreed scores the test data gives."""
    found = db.session.scalars(select(User).where(User.email == PANEL_CHAIR_EMAIL)).first()
    return found or UserFactory(roles=[Role.STAFF], name="Panel Chair",
                                email=PANEL_CHAIR_EMAIL)


def eligible(round_: Round, number: int, *, amount_pence: int = 500_000, priority=None,
             organisation=None, status: ApplicationStatus = ApplicationStatus.ELIGIBLE,
             score_tenths: int | None = None, moderator=None, unscored: bool = False,
             **values) -> Application:
    """An application screened eligible, ranked by an agreed score: `score_tenths`, or by
    default one that ranks it by `number` (90.0% less a tenth a number), since equal scores
    tie whenever the applications were sent. `unscored` leaves it without a score."""
    if score_tenths is None and not unscored:
        score_tenths = 900 - number
    moderator = moderator or (_panel_chair() if score_tenths is not None else None)
    application = ApplicationFactory(
        round=round_, organisation=organisation or OrganisationFactory(),
        reference=f"{round_.code}-{number:04d}", sequence=number, status=status,
        title=f"Project {number}", summary=f"Summary of project {number}",
        amount_requested_pence=amount_pence, primary_priority=priority,
        submitted_at=NOW - timedelta(days=8, minutes=-number), **values)
    if score_tenths is not None:
        db.session.add(Moderation(application_id=application.id,
                                  agreed_score_tenths=score_tenths, reason="Agreed by panel",
                                  moderated_by_id=moderator.id, moderated_at=NOW))
        db.session.flush()
        refresh_score(db.session, application.id)  # as the moderation service does
        db.session.commit()
    return application


def staff_member(name: str = "Sam Staff", **values):
    return UserFactory(roles=[Role.STAFF], name=name, **values)


def member_of(organisation, **values):
    user = UserFactory(roles=[Role.APPLICANT], **values)
    MembershipFactory(user=user, organisation=organisation)
    return user


def declared(user, application, *, conflict: bool = False, note: str = ""):
    declaration = declarations.declare(db.session, user, application, has_conflict=conflict,
                                       note=note or ("I am a trustee" if conflict else ""))
    db.session.commit()
    return declaration


def decided(user, application, outcome: DecisionOutcome = DecisionOutcome.AWARD_IN_FULL, *,
            amount_pence: int | None = None, reason: str = "A strong application",
            conditions: str = "", feedback: str = "", out_of_rank_reason: str = "",
            public_reason: str = PUBLIC_REASON, declare: bool = True):
    """Decide through the service (declaring no conflict first), then commit as a request
    would."""
    if declare and declaration_for(db.session, application.id, user.id) is None:
        declared(user, application)
    if outcome is DecisionOutcome.DECLINE and not feedback:
        feedback = "Other applications met the priorities more closely"
    decision = decide(db.session, user, application, DecisionInput(
        outcome=outcome, amount_pence=amount_pence, reason=reason, conditions=conditions,
        feedback=feedback, out_of_rank_reason=out_of_rank_reason, public_reason=public_reason))
    db.session.commit()
    return decision


def decision_form(outcome: str = "award_in_full", *, amount: str = "",
                  reason: str = "A strong application", conditions: str = "",
                  feedback: str = "", out_of_rank_reason: str = "",
                  public_reason: str = PUBLIC_REASON) -> dict:
    """The decision form's fields as a browser sends them."""
    return {"outcome": outcome, "amount": amount, "reason": reason, "conditions": conditions,
            "feedback": feedback, "out_of_rank_reason": out_of_rank_reason,
            "public_reason": public_reason}
