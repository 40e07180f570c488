"""Bulk assignment: every eligible or in-review application of a round gets its reviewers,
the work shared out as evenly as the rules allow."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application
from grants.assessment.models import ConflictStatus, ReviewAssignment
from grants.assessment.operations.assignment import make_assignment
from grants.assessment.operations.review_queries import assignable_applications, reviewers
from grants.core.errors import ValidationFailed
from grants.core.locks import lock_row
from grants.funds.models import Round
from grants.organisations.models import Membership
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_REVIEWERS_PER_APPLICATION = 10


@dataclass
class Shortfall:
    application: Application
    wanted: int
    given: int
    reasons: list[str]

    @property
    def text(self) -> str:
        return (f"{self.application.reference or 'No reference'} "
                f"({self.application.organisation.name}) has {self.given} of {self.wanted} "
                f"reviewers: " + "; ".join(self.reasons))


@dataclass
class BulkResult:
    made: int = 0
    shortfalls: list[Shortfall] = field(default_factory=list)
    applications: int = 0


@dataclass
class _RoundState:
    """What bulk assignment needs to know about a round, loaded in a few queries."""

    by_pair: dict[tuple[int, int], ReviewAssignment]
    load: dict[int, int]  # standing assignments per reviewer
    active: dict[int, int]  # standing assignments per application
    members: dict[int, set[int]]  # user ids by organisation id, any membership


def _round_state(session: Session, round_id: int, applications: list[Application]
                 ) -> _RoundState:
    assignments = session.scalars(
        select(ReviewAssignment)
        .join(Application, Application.id == ReviewAssignment.application_id)
        .where(Application.round_id == round_id)
    ).all()
    state = _RoundState(by_pair={(a.application_id, a.reviewer_id): a for a in assignments},
                        load=defaultdict(int), active=defaultdict(int),
                        members=defaultdict(set))
    for assignment in assignments:
        if assignment.removed_at is None:
            state.load[assignment.reviewer_id] += 1
            state.active[assignment.application_id] += 1
    organisation_ids = {application.organisation_id for application in applications}
    if organisation_ids:
        for organisation_id, user_id in session.execute(
            select(Membership.organisation_id, Membership.user_id)
            .where(Membership.organisation_id.in_(organisation_ids))
        ):
            state.members[organisation_id].add(user_id)
    return state


def _available(state: _RoundState, application: Application, candidates: list[User]
               ) -> tuple[list[User], dict[str, int]]:
    """The reviewers who may be given the application, least loaded first (then by name and
    id), and how many were left out for each reason."""
    excluded = {"members": 0, "conflict": 0, "removed": 0}
    available = []
    for reviewer in candidates:
        existing = state.by_pair.get((application.id, reviewer.id))
        if existing is not None and existing.removed_at is None:
            continue  # already reviewing it
        if reviewer.id in state.members[application.organisation_id]:
            excluded["members"] += 1
        elif existing is not None and existing.conflict is ConflictStatus.CONFLICT:
            excluded["conflict"] += 1
        elif existing is not None:
            excluded["removed"] += 1
        else:
            available.append(reviewer)
    available.sort(key=lambda r: (state.load[r.id], r.name, r.id))
    return available, excluded


def bulk_assign(session: Session, staff: User, round_: Round, per_application: int | None
                ) -> BulkResult:
    """Give every eligible or in-review application of the round `per_application` standing
    reviewers, choosing each time the least-loaded reviewer who may review it (ties by name,
    then id). Members of the organisation, reviewers who declared a conflict on it and
    reviewers staff removed from it are never chosen. One transaction: the caller commits."""
    # None: the form had only spaces, which pass its "required" check but are no number.
    if per_application is None or not 1 <= per_application <= MAX_REVIEWERS_PER_APPLICATION:
        raise ValidationFailed({"per_application": "Reviewers per application must be a "
                                f"whole number from 1 to {MAX_REVIEWERS_PER_APPLICATION}"})
    lock_row(session, Round, round_.id)
    applications = assignable_applications(session, round_.id)
    candidates = reviewers(session)
    state = _round_state(session, round_.id, applications)
    result = BulkResult(applications=len(applications))
    for application in applications:
        need = per_application - state.active[application.id]
        if need <= 0:
            continue
        available, excluded = _available(state, application, candidates)
        for reviewer in available[:need]:
            state.by_pair[(application.id, reviewer.id)] = make_assignment(
                session, staff, application, reviewer, None, bulk=True)
            state.load[reviewer.id] += 1
            state.active[application.id] += 1
            result.made += 1
        if len(available) < need:
            result.shortfalls.append(Shortfall(
                application=application, wanted=per_application,
                given=state.active[application.id],
                reasons=_shortfall_reasons(len(candidates), excluded)))
    _audit_bulk(session, staff, round_, per_application, result)
    return result


def _shortfall_reasons(candidates: int, excluded: dict[str, int]) -> list[str]:
    reasons = []
    if candidates == 0:
        return ["there are no reviewers: give people the reviewer role first"]
    if excluded["members"]:
        reasons.append(_count(excluded["members"], "reviewer is a member",
                              "reviewers are members") + " of the organisation")
    if excluded["conflict"]:
        reasons.append(_count(excluded["conflict"], "reviewer", "reviewers")
                       + " declared a conflict of interest")
    if excluded["removed"]:
        reasons.append(_count(excluded["removed"], "reviewer was", "reviewers were")
                       + " removed from it by staff (assign them again one by one if needed)")
    reasons.append("there are not enough other reviewers")
    return reasons


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _audit_bulk(session: Session, staff: User, round_: Round, per_application: int,
                result: BulkResult) -> None:
    record_event(session, actor_id=staff.id, action="round.reviewers_bulk_assigned",
                 entity_type="round", entity_id=round_.id,
                 after={"per_application": per_application, "made": result.made,
                        "short": [s.application.id for s in result.shortfalls]})
