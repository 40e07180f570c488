"""Decisions on a round's applications: conflict-of-interest declarations, the one guarded
service that makes and changes decisions, the proposal to fund in rank order and the what-if
funding line, the second member of staff's sign-off, and publishing to applicants.

The budget guard lives in `decide`: it locks the round's row before reading the committed
money, so two staff deciding at the same moment, a resent form or a changed decision can never
take the round's committed money over its budget. Committed money is always
`grants.awards.services.committed_pence`.
"""

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, render_template
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload
from werkzeug.routing import BuildError

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.assessment.operations import ranking, scoring
from grants.assessment.operations.recipients import applicant_recipients
from grants.auth import permissions
from grants.awards.models import (
    RELEASED_STATUSES,
    Award,
    AwardStatus,
    DeciderDeclaration,
    Decision,
    DecisionOutcome,
)
from grants.awards.services import committed_pence
from grants.core import clock
from grants.core.errors import Conflict, Forbidden, NotFound, Refusal, ValidationFailed
from grants.core.formatting import format_pounds
from grants.core.links import external_url
from grants.funds.models import Round, RoundStatus
from grants.plans.models import Priority
from grants.records.models import AuditEvent
from grants.records.services import queue_email, record_event

logger = logging.getLogger(__name__)

# Screened eligible and not yet told: the applications staff decide on.
DECIDABLE_STATUSES = frozenset({
    ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW,
    ApplicationStatus.AWARDED, ApplicationStatus.DECLINED,
})
UNDECIDED_STATUSES = frozenset({ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW})
# After publishing, awarded applications move on (offer accepted, paid ...) and keep their place.
PUBLISHED_STATUSES = frozenset({
    ApplicationStatus.AWARDED, ApplicationStatus.DECLINED, ApplicationStatus.OFFER_ACCEPTED,
    ApplicationStatus.PAID, ApplicationStatus.MONITORING_DUE, ApplicationStatus.CLOSED,
})
SHOWN_STATUSES = DECIDABLE_STATUSES | PUBLISHED_STATUSES
DECIDING_ROUND_STATUSES = frozenset({RoundStatus.ASSESSING, RoundStatus.DECIDED})
AWARD_OUTCOMES = frozenset({DecisionOutcome.AWARD_IN_FULL, DecisionOutcome.AWARD_IN_PART})
DECISION_ACTIONS = ("application.decided", "application.decision_changed")

NOT_FUNDED_REASON = "Not funded: the round's budget was used by higher-ranked applications"
NOT_FUNDED_FEEDBACK = ("The round received more applications than its budget could fund. "
                       "Yours was assessed and ranked, but the budget was used by "
                       "applications ranked above it.")
FUNDED_REASON = "Funded in full, in rank order, within the round's budget"
CHANGED_BEFORE_PUBLICATION = "decision changed before publication"
WITHDRAWN_BEFORE_PUBLICATION = "application withdrawn by the applicant before publication"
MAX_TEXT = 5000
MAX_NOTE = 2000


class DecisionRefused(Refusal):
    """The decision cannot be made, changed, signed off or published now; the message says
    why."""

    status_code = 409


class OverBudget(DecisionRefused):
    """The award would take the round's committed money over its budget."""


@dataclass(frozen=True)
class DecisionInput:
    """A decision as staff typed it. `amount_pence` is read for an award in part only."""

    outcome: DecisionOutcome | None
    amount_pence: int | None = None
    reason: str = ""
    conditions: str = ""
    feedback: str = ""
    out_of_rank_reason: str = ""


# --- Locking ------------------------------------------------------------------------------

def lock_round(session: Session, round_id: int) -> Round:
    """The round's row, locked for the rest of the transaction and read afresh.

    On PostgreSQL `SELECT ... FOR UPDATE` makes anyone else deciding in the round wait until
    this transaction ends. SQLite ignores FOR UPDATE but lets one writer in at a time, so an
    UPDATE that changes nothing takes its write lock first, before anything is read.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(Round).where(Round.id == round_id).values(id=Round.id)
                        .execution_options(synchronize_session=False))
    round_ = session.scalars(
        select(Round).where(Round.id == round_id).with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if round_ is None:
        raise NotFound("Round not found")
    return round_


def _fresh_application(session: Session, application_id: int) -> Application:
    application = session.scalars(
        select(Application).where(Application.id == application_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if application is None:
        raise NotFound("Application not found")
    return application


# --- Reading ------------------------------------------------------------------------------

def decision_for(session: Session, application_id: int) -> Decision | None:
    return session.scalars(
        select(Decision).where(Decision.application_id == application_id)).one_or_none()


def award_for(session: Session, application_id: int) -> Award | None:
    return session.scalars(
        select(Award).where(Award.application_id == application_id)).one_or_none()


def declaration_for(session: Session, application_id: int,
                    user_id: int) -> DeciderDeclaration | None:
    return session.scalars(
        select(DeciderDeclaration).where(DeciderDeclaration.application_id == application_id,
                                         DeciderDeclaration.user_id == user_id)
    ).one_or_none()


def round_decisions(session: Session, round_id: int) -> dict[int, Decision]:
    """The round's decisions by application id, in one query."""
    rows = session.scalars(
        select(Decision).join(Application, Application.id == Decision.application_id)
        .where(Application.round_id == round_id))
    return {decision.application_id: decision for decision in rows}


def user_names(session: Session, user_ids: Collection[int | None]) -> dict[int, str]:
    """People's names by id, in one query (decisions name their decider by id only)."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def round_awards(session: Session, round_id: int) -> dict[int, Award]:
    """The round's awards made from applications, by application id, in one query."""
    rows = session.scalars(
        select(Award).where(Award.round_id == round_id, Award.application_id.is_not(None)))
    return {award.application_id: award for award in rows}


def user_declarations(session: Session, round_id: int,
                      user_id: int) -> dict[int, DeciderDeclaration]:
    """The user's declarations on the round's applications, by application id."""
    rows = session.scalars(
        select(DeciderDeclaration)
        .join(Application, Application.id == DeciderDeclaration.application_id)
        .where(Application.round_id == round_id, DeciderDeclaration.user_id == user_id))
    return {row.application_id: row for row in rows}


def decision_ranking(session: Session, round_id: int,
                     statuses: Collection[ApplicationStatus] = SHOWN_STATUSES
                     ) -> ranking.Ranking:
    """The round's ranking including decided applications, in five queries.

    `ranking.load_ranking` ranks only applications still waiting for a decision (eligible or
    in review); deciding must keep every application in its place, so this ranks the given
    statuses with the ranking module's own rules.
    """
    return ranking.rank_round(session, round_id, list(statuses))


def out_of_rank_conflicts(order: Sequence[int], funded: Collection[int], application_id: int,
                          *, awarding: bool) -> list[int]:
    """The applications that put this decision out of rank order: when awarding, those ranked
    above it without an award (declined or undecided); when declining, those ranked below it
    that have one. `order` is the application ids in rank order; `funded` those awarded."""
    if application_id not in order:
        return []
    position = list(order).index(application_id)
    if awarding:
        return [other for other in order[:position] if other not in funded]
    return [other for other in order[position + 1:] if other in funded]


def _funded_ids(decisions: dict[int, Decision]) -> set[int]:
    return {app_id for app_id, d in decisions.items() if d.outcome in AWARD_OUTCOMES}


def decider_name(session: Session, decision: Decision | None) -> str:
    if decision is None:
        return ""
    return user_names(session, [decision.decided_by_id]).get(decision.decided_by_id, "")


def published_decision(session: Session, application: Application) -> Decision | None:
    """The decision the applicant may see: only once the round's decisions are published."""
    if application.round.decisions_published_at is None:
        return None
    if application.status not in PUBLISHED_STATUSES:
        return None
    return decision_for(session, application.id)


def offer_url(award_id: int) -> str:
    """The absolute link to the award's offer page (built by the awards area; its path is
    fixed so an email queued before that page exists still works once it does)."""
    try:
        return external_url("awards.view_offer", award_id=award_id)
    except BuildError:
        return current_app.config["BASE_URL"].rstrip("/") + f"/awards/{award_id}/offer"


# --- Declaring conflicts of interest --------------------------------------------------------

def declare(session: Session, user: User, application: Application, *,
            has_conflict: bool | None, note: str = "") -> DeciderDeclaration:
    """Whoever decides on an application first declares any conflict of interest with it. A
    conflict means they cannot decide on it. A repeated form changes nothing."""
    if not permissions.may_decide(user):
        raise Forbidden("Only staff decide on applications")
    round_ = lock_round(session, application.round_id)
    if round_.decisions_published_at is not None:
        raise DecisionRefused("This round's decisions have been published")
    note = (note or "").strip()
    existing = declaration_for(session, application.id, user.id)
    if existing is not None:
        if existing.has_conflict == has_conflict:
            return existing
        raise Conflict("You have already declared "
                       + ("a conflict of interest" if existing.has_conflict
                          else "that you have no conflict of interest")
                       + " with this application")
    if has_conflict is None:
        raise ValidationFailed({"conflict": "Select whether you have a conflict of interest"})
    if has_conflict and not note:
        raise ValidationFailed({"note": "Describe your conflict of interest"})
    if len(note) > MAX_NOTE:
        raise ValidationFailed({"note": f"Description must be {MAX_NOTE:,} characters or fewer"})
    declaration = DeciderDeclaration(application_id=application.id, user_id=user.id,
                                     has_conflict=has_conflict, note=note if has_conflict else "",
                                     declared_at=clock.utcnow())
    session.add(declaration)
    session.flush()
    record_event(
        session, actor_id=user.id, action="application.decider_declared",
        entity_type="application", entity_id=application.id,
        after={"has_conflict": has_conflict, "note": declaration.note,
               "declaration_id": declaration.id},
        note=("Conflict of interest declared by a decider: " + note) if has_conflict
        else "No conflict of interest declared by a decider",
    )
    logger.info("user %s declared %s on application %s", user.id,
                "a conflict" if has_conflict else "no conflict", application.id)
    return declaration


# --- Deciding -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Values:
    """A checked decision: what the Decision (and its Award) will hold."""

    outcome: DecisionOutcome
    amount_pence: int | None
    reason: str
    conditions: str
    feedback: str
    out_of_rank_reason: str

    @property
    def awarding(self) -> bool:
        return self.outcome in AWARD_OUTCOMES



def why_not_decidable(round_: Round, application: Application) -> str | None:
    """Why the application cannot be decided (or its decision changed) now, or None."""
    if round_.decisions_published_at is not None:
        return "This round's decisions have been published, so they can no longer be changed"
    if round_.status not in DECIDING_ROUND_STATUSES:
        return ("Decisions are made once the round is being assessed; this round is "
                f"{round_.status.value}")
    if application.status not in DECIDABLE_STATUSES:
        return ("Only an application screened as eligible can be decided; this one is "
                f"{application.status.value.replace('_', ' ')}")
    return None


def _check_decider(session: Session, user: User, application: Application) -> None:
    if not permissions.may_decide(user):
        raise Forbidden("Only staff decide on applications")
    declaration = declaration_for(session, application.id, user.id)
    if declaration is None:
        raise DecisionRefused("Declare any conflict of interest with this application before "
                              "you decide on it")
    if not permissions.may_decide_on(user, declaration):
        raise Forbidden("You declared a conflict of interest with this application, so you "
                        "cannot decide on it. Ask another member of staff to decide")


def _text(errors: dict[str, str], name: str, value: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        errors[name] = f"{label} must be {MAX_TEXT:,} characters or fewer"
    return value


def _award_amount(errors: dict[str, str], round_: Round, requested: int | None,
                  data: DecisionInput) -> int | None:
    """The amount an award outcome gives, or None with the reason in `errors`."""
    maximum = round_.max_award_pence
    if requested is None:
        errors["outcome"] = "This application asks for no amount, so it can only be declined"
        return None
    if data.outcome is DecisionOutcome.AWARD_IN_FULL:
        if maximum is not None and requested > maximum:
            errors["outcome"] = (f"The amount requested, {format_pounds(requested)}, is more "
                                 "than the round's maximum award of "
                                 f"{format_pounds(maximum)}: award in part or decline")
            return None
        return requested
    amount = data.amount_pence
    minimum = round_.min_award_pence or 1
    if amount is None:
        errors["amount"] = "Enter the amount to award"
    elif amount < minimum:
        errors["amount"] = ("The amount must be at least the round's minimum award of "
                            f"{format_pounds(minimum)}")
    elif amount >= requested:
        errors["amount"] = (f"An award in part must be less than the amount requested, "
                            f"{format_pounds(requested)}; to give it all, award in full")
    elif maximum is not None and amount > maximum:
        errors["amount"] = ("The amount must not be more than the round's maximum award of "
                            f"{format_pounds(maximum)}")
    else:
        return amount
    return None


def _references(rows_by_id: dict[int, Application], ids: list[int]) -> str:
    refs = [rows_by_id[i].reference or f"application {i}" for i in ids]
    return ", ".join(refs[:5]) + (f" and {len(refs) - 5} more" if len(refs) > 5 else "")


def out_of_rank_explanation(session: Session, application: Application,
                            outcome: DecisionOutcome) -> str | None:
    """Why deciding `outcome` on the application needs an out-of-rank reason, or None."""
    ranked = decision_ranking(session, application.round_id, DECIDABLE_STATUSES)
    decisions = round_decisions(session, application.round_id)
    return _out_of_rank_message(ranked, decisions, application.id, outcome in AWARD_OUTCOMES)


def _out_of_rank_message(ranked: ranking.Ranking, decisions: dict[int, Decision],
                         application_id: int, awarding: bool) -> str | None:
    order = [row.application.id for row in ranked.rows]
    funded = _funded_ids(decisions) - {application_id}
    others = out_of_rank_conflicts(order, funded, application_id, awarding=awarding)
    if not others:
        return None
    refs = _references({row.application.id: row.application for row in ranked.rows}, others)
    verb = "is" if len(others) == 1 else "are"
    if awarding:
        return f"{refs}, ranked above this application, {verb} not funded"
    return f"{refs}, ranked below this application, {verb} funded"


def _checked(session: Session, round_: Round, application: Application,
             data: DecisionInput) -> _Values:
    """The decision's values once every rule on them holds; otherwise ValidationFailed."""
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", data.reason, "The reason")
    conditions = _text(errors, "conditions", data.conditions, "The conditions")
    feedback = _text(errors, "feedback", data.feedback, "The feedback")
    out_of_rank = _text(errors, "out_of_rank_reason", data.out_of_rank_reason,
                        "The reason for funding out of rank order")
    amount: int | None = None
    if data.outcome is None:
        errors["outcome"] = "Select the decision: award in full, award in part or decline"
    elif data.outcome in AWARD_OUTCOMES:
        amount = _award_amount(errors, round_, application.amount_requested_pence, data)
    elif not feedback:
        errors.setdefault("feedback", "Enter feedback for the applicant: they see it with "
                                      "the reason when you decline")
    if not reason:
        errors.setdefault("reason", "Enter the reason for the decision")
    if data.outcome is not None:
        awarding = data.outcome in AWARD_OUTCOMES
        why = out_of_rank_explanation(session, application, data.outcome)
        if why is None:
            out_of_rank = ""
        elif not out_of_rank:
            errors.setdefault("out_of_rank_reason",
                              ("Enter why this application is funded out of rank order: "
                               if awarding else
                               "Enter why this application is declined out of rank order: ")
                              + why)
    if errors:
        raise ValidationFailed(errors)
    awarding = data.outcome in AWARD_OUTCOMES
    return _Values(outcome=data.outcome, amount_pence=amount, reason=reason,
                   conditions=conditions if awarding else "",
                   feedback="" if awarding else feedback, out_of_rank_reason=out_of_rank)


def _unchanged(decision: Decision | None, award: Award | None, application: Application,
               values: _Values) -> bool:
    """Whether the decision already stands exactly so (a resent form)."""
    if decision is None:
        return False
    holds_money = award is not None and award.status not in RELEASED_STATUSES
    if values.awarding:
        state_ok = (holds_money and award.amount_pence == values.amount_pence
                    and application.status is ApplicationStatus.AWARDED)
    else:
        state_ok = not holds_money and application.status is ApplicationStatus.DECLINED
    return state_ok and (decision.outcome, decision.amount_pence, decision.reason,
                         decision.conditions, decision.feedback,
                         decision.out_of_rank_reason) == (
        values.outcome, values.amount_pence, values.reason, values.conditions,
        values.feedback, values.out_of_rank_reason)


def _guard_budget(session: Session, round_: Round, award: Award | None,
                  values: _Values) -> None:
    """Refuse an award that would take the round's committed money over its budget. The
    round's row is locked, so nobody else's award can land between this check and the write."""
    own = award.amount_pence if award is not None and award.status not in RELEASED_STATUSES \
        else 0
    others = committed_pence(session, round_.id) - own
    amount = values.amount_pence or 0
    if others + amount > round_.budget_pence:
        left = max(round_.budget_pence - others, 0)
        raise OverBudget(
            f"Only {format_pounds(left)} of the round's {format_pounds(round_.budget_pence)} "
            f"budget is left; this award of {format_pounds(amount)} would go over it",
            field="amount" if values.outcome is DecisionOutcome.AWARD_IN_PART else "outcome")


def _state(decision: Decision | None, award: Award | None,
           application: Application) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {"outcome": decision.outcome.value, "amount_pence": decision.amount_pence,
            "reason": decision.reason, "conditions": decision.conditions,
            "feedback": decision.feedback, "out_of_rank_reason": decision.out_of_rank_reason,
            "decided_by_id": decision.decided_by_id,
            "award_id": award.id if award else None,
            "award_status": award.status.value if award else None,
            "application_status": application.status.value}


def _write_award(session: Session, application: Application, award: Award | None,
                 values: _Values, now: datetime) -> Award | None:
    if not values.awarding:
        if award is not None and award.status not in RELEASED_STATUSES:
            award.status = AwardStatus.WITHDRAWN
            award.withdrawn_at = now
            award.withdrawal_reason = CHANGED_BEFORE_PUBLICATION
        return award
    if award is None:
        award = Award(round_id=application.round_id, organisation_id=application.organisation_id,
                      application_id=application.id, amount_pence=values.amount_pence)
        award.key_aims = list(application.key_aims)
        session.add(award)
    award.amount_pence = values.amount_pence
    award.status = AwardStatus.PROPOSED
    award.conditions = values.conditions
    award.priority_id = application.primary_priority_id
    award.title = application.title
    award.description = application.summary
    award.withdrawn_at = None
    award.withdrawal_reason = ""
    return award


def _clear_sign_off(session: Session, round_: Round, user: User, reference: str) -> None:
    """A change after sign-off needs the decisions signed off again."""
    if round_.decisions_signed_off_at is None:
        return
    before = {"decisions_signed_off_at": round_.decisions_signed_off_at.isoformat(),
              "decisions_signed_off_by_id": round_.decisions_signed_off_by_id}
    round_.decisions_signed_off_at = None
    round_.decisions_signed_off_by_id = None
    session.flush()
    record_event(session, actor_id=user.id, action="round.decisions_sign_off_cleared",
                 entity_type="round", entity_id=round_.id, before=before,
                 after={"decisions_signed_off_at": None},
                 note=f"The decision on {reference} changed after sign-off")
    logger.info("round %s: sign-off cleared by a change to a decision", round_.id)


def _summary(values: _Values) -> str:
    if values.awarding:
        return f"{values.outcome.label}: {format_pounds(values.amount_pence)}"
    return "Decline"


def decide(session: Session, user: User, application: Application,
           data: DecisionInput) -> Decision:
    """Make or change the application's decision, within the round's budget.

    Locks the round's row first, so decisions in the same round happen one at a time; then
    checks the decider's declaration, the round's rules and the budget; then writes the
    Decision, the Award (proposed, or withdrawn when the outcome becomes a decline) and the
    application's status, with an audit event. Sending the same decision again changes
    nothing. A change after sign-off clears the sign-off.
    """
    round_ = lock_round(session, application.round_id)
    application = _fresh_application(session, application.id)
    _release_withdrawn_awards(session, round_, user.id)
    why = why_not_decidable(round_, application)
    if why:
        raise DecisionRefused(why)
    _check_decider(session, user, application)
    values = _checked(session, round_, application, data)
    decision = decision_for(session, application.id)
    award = award_for(session, application.id)
    if _unchanged(decision, award, application, values):
        return decision
    if values.awarding:
        _guard_budget(session, round_, award, values)
    before = _state(decision, award, application)
    now = clock.utcnow()
    if decision is None:
        decision = Decision(application_id=application.id, outcome=values.outcome,
                            reason=values.reason)
        session.add(decision)
    decision.outcome = values.outcome
    decision.amount_pence = values.amount_pence
    decision.reason = values.reason
    decision.conditions = values.conditions
    decision.feedback = values.feedback
    decision.out_of_rank_reason = values.out_of_rank_reason
    decision.decided_by_id = user.id
    decision.decided_at = now
    award = _write_award(session, application, award, values, now)
    application.status = (ApplicationStatus.AWARDED if values.awarding
                          else ApplicationStatus.DECLINED)
    session.flush()
    record_event(
        session, actor_id=user.id,
        action="application.decided" if before is None else "application.decision_changed",
        entity_type="application", entity_id=application.id, before=before,
        after=_state(decision, award, application) | {"decision_id": decision.id},
        note=_summary(values) + (f". Out of rank order: {values.out_of_rank_reason}"
                                 if values.out_of_rank_reason else ""),
    )
    _clear_sign_off(session, round_, user, application.reference or str(application.id))
    logger.info("application %s decided %s by user %s: %s pence (award %s, round %s)",
                application.id, values.outcome.value, user.id, values.amount_pence or 0,
                award.id if award else None, round_.id)
    return decision


def _release_withdrawn_awards(session: Session, round_: Round, actor_id: int | None) -> None:
    """An application withdrawn by its applicant after an award was proposed holds no money."""
    awards = session.scalars(
        select(Award).join(Application, Application.id == Award.application_id)
        .where(Award.round_id == round_.id, Application.status == ApplicationStatus.WITHDRAWN,
               Award.status.not_in(RELEASED_STATUSES | {AwardStatus.ACCEPTED,
                                                        AwardStatus.PAID, AwardStatus.CLOSED}))
    ).all()
    for award in awards:
        before = {"award_status": award.status.value}
        award.status = AwardStatus.WITHDRAWN
        award.withdrawn_at = clock.utcnow()
        award.withdrawal_reason = WITHDRAWN_BEFORE_PUBLICATION
        session.flush()
        record_event(session, actor_id=actor_id, action="application.award_released",
                     entity_type="application", entity_id=award.application_id, before=before,
                     after={"award_status": award.status.value, "award_id": award.id},
                     note="The application was withdrawn, so its award holds no money")
        logger.info("award %s of withdrawn application %s released: %s pence", award.id,
                    award.application_id, award.amount_pence)


# --- The what-if funding line -------------------------------------------------------------

@dataclass(frozen=True)
class CutOff:
    """Funding the top `rank` applications in full: the total, and whether the budget
    covers it."""

    rank: int
    row: ranking.RankedApplication
    cumulative_pence: int
    fits: bool


@dataclass(frozen=True)
class PriorityCutOff:
    cut_off: CutOff
    priority_cumulative_pence: int


@dataclass
class PriorityLine:
    """One primary priority's applications in rank order, against the overall funding line."""

    priority: Priority | None
    rows: list[PriorityCutOff] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.priority is None:
            return "No primary priority"
        return f"{self.priority.code}: {self.priority.title}"

    @property
    def requested_pence(self) -> int:
        return self.rows[-1].priority_cumulative_pence if self.rows else 0

    @property
    def funded(self) -> list[PriorityCutOff]:
        return [row for row in self.rows if row.cut_off.fits]

    @property
    def funded_pence(self) -> int:
        return sum(row.cut_off.row.amount_requested_pence for row in self.funded)


@dataclass
class FundingLine:
    budget_pence: int
    cut_offs: list[CutOff]
    priorities: list[PriorityLine]

    @property
    def last_fitting(self) -> CutOff | None:
        fitting = [cut for cut in self.cut_offs if cut.fits]
        return fitting[-1] if fitting else None

    @property
    def runs_out_at(self) -> CutOff | None:
        """The first cut-off the budget does not cover: where the money runs out."""
        return next((cut for cut in self.cut_offs if not cut.fits), None)


def funding_line(rows: Sequence[ranking.RankedApplication], budget_pence: int) -> FundingLine:
    """For each cut-off k, the cost of funding the top k applications in full and whether the
    budget covers it; and the same line seen from each primary priority."""
    cut_offs: list[CutOff] = []
    total = 0
    for position, row in enumerate(rows, start=1):
        total += row.amount_requested_pence
        cut_offs.append(CutOff(rank=position, row=row, cumulative_pence=total,
                               fits=total <= budget_pence))
    lines: dict[int | None, PriorityLine] = {}
    for cut in cut_offs:
        application = cut.row.application
        line = lines.setdefault(application.primary_priority_id,
                                PriorityLine(priority=application.primary_priority))
        running = line.requested_pence + cut.row.amount_requested_pence
        line.rows.append(PriorityCutOff(cut_off=cut, priority_cumulative_pence=running))
    ordered = sorted(lines.values(), key=lambda line: (
        line.priority is None, line.priority.number if line.priority else 0))
    return FundingLine(budget_pence=budget_pence, cut_offs=cut_offs, priorities=ordered)


# --- Proposing: fund in rank order until the budget runs out -------------------------------

@dataclass(frozen=True)
class ProposalItem:
    row: ranking.RankedApplication
    outcome: DecisionOutcome | None  # None: left for staff to decide
    amount_pence: int | None
    note: str


@dataclass
class Proposal:
    """What "fund in rank order" would decide on the applications without a decision yet."""

    round: Round
    remaining_pence: int
    items: list[ProposalItem]

    @property
    def awards(self) -> list[ProposalItem]:
        return [item for item in self.items if item.outcome in AWARD_OUTCOMES]

    @property
    def declines(self) -> list[ProposalItem]:
        return [item for item in self.items if item.outcome is DecisionOutcome.DECLINE]

    @property
    def skipped(self) -> list[ProposalItem]:
        return [item for item in self.items if item.outcome is None]

    @property
    def awarded_pence(self) -> int:
        return sum(item.amount_pence or 0 for item in self.awards)

    @property
    def fingerprint(self) -> str:
        """Identifies the proposal, so confirming it confirms what was shown."""
        return ",".join(f"{item.row.application.id}:"
                        f"{item.outcome.value if item.outcome else 'skip'}"
                        for item in self.items)


def propose_in_rank_order(session: Session, user: User, round_id: int) -> Proposal:
    """Award in full, in rank order, while the budget allows; decline the rest with the
    not-funded reason. Only applications without a decision, on which this user declared no
    conflict; anything that would break rank order is left for staff."""
    ranked = decision_ranking(session, round_id, DECIDABLE_STATUSES)
    round_ = ranked.round
    decisions = round_decisions(session, round_id)
    declarations = user_declarations(session, round_id, user.id)
    remaining = round_.budget_pence - committed_pence(session, round_id)
    order = [row.application.id for row in ranked.rows]
    funded = _funded_ids(decisions)
    money_left = True
    items: list[ProposalItem] = []
    for row in ranked.rows:
        application = row.application
        if application.id in decisions:
            continue
        declaration = declarations.get(application.id)
        if declaration is None or declaration.has_conflict:
            items.append(ProposalItem(row, None, None, (
                "You declared a conflict of interest: another member of staff must decide"
                if declaration else "Declare any conflict of interest first")))
            continue
        requested = application.amount_requested_pence
        fits = (money_left and requested is not None and requested <= remaining
                and (round_.max_award_pence is None or requested <= round_.max_award_pence))
        money_left = bool(fits)
        if out_of_rank_conflicts(order, funded, application.id, awarding=fits):
            items.append(ProposalItem(row, None, None,
                                      "Would be out of rank order: decide it yourself"))
            continue
        if fits:
            remaining -= requested
            funded.add(application.id)
            items.append(ProposalItem(row, DecisionOutcome.AWARD_IN_FULL, requested,
                                      FUNDED_REASON))
        else:
            items.append(ProposalItem(row, DecisionOutcome.DECLINE, None, NOT_FUNDED_REASON))
    return Proposal(round=round_, remaining_pence=remaining, items=items)


def apply_proposal(session: Session, user: User, round_id: int,
                   fingerprint: str | None = None) -> Proposal:
    """Make the proposal's decisions, each through `decide` (and so the budget guard). With a
    fingerprint, refuse when the proposal is no longer the one staff saw."""
    lock_round(session, round_id)
    proposal = propose_in_rank_order(session, user, round_id)
    if fingerprint is not None and proposal.fingerprint != fingerprint:
        raise DecisionRefused("The proposal changed since you opened it (someone decided "
                              "meanwhile). Check it again before you confirm it")
    for item in proposal.items:
        if item.outcome is None:
            continue
        declining = item.outcome is DecisionOutcome.DECLINE
        decide(session, user, item.row.application, DecisionInput(
            outcome=item.outcome, reason=item.note,
            feedback=NOT_FUNDED_FEEDBACK if declining else ""))
    return proposal


# --- Sign-off -----------------------------------------------------------------------------

def undecided_applications(session: Session, round_id: int) -> list[Application]:
    return list(session.scalars(
        select(Application)
        .where(Application.round_id == round_id, Application.status.in_(UNDECIDED_STATUSES))
        .order_by(Application.reference)))


def decider_ids(session: Session, round_id: int) -> set[int]:
    """Everyone who made or changed any of the round's decisions (from the audit record, so a
    decision someone else changed later still counts)."""
    application_ids = select(Application.id).where(Application.round_id == round_id)
    audited = session.scalars(
        select(AuditEvent.actor_id).distinct()
        .where(AuditEvent.entity_type == "application", AuditEvent.action.in_(DECISION_ACTIONS),
               AuditEvent.entity_id.in_(application_ids), AuditEvent.actor_id.is_not(None)))
    current = session.scalars(
        select(Decision.decided_by_id).distinct()
        .join(Application, Application.id == Decision.application_id)
        .where(Application.round_id == round_id))
    return set(audited) | set(current)


def sign_off_problems(session: Session, round_: Round, user: User) -> list[str]:
    """Why this user may not sign off the round's decisions now; empty when they may."""
    problems: list[str] = []
    if round_.decisions_published_at is not None:
        return ["The decisions have been published"]
    if round_.status not in DECIDING_ROUND_STATUSES:
        return ["Decisions are signed off once the round is being assessed"]
    undecided = undecided_applications(session, round_.id)
    if undecided:
        count = len(undecided)
        problems.append(f"{count} eligible application{'' if count == 1 else 's'} "
                        f"{'has' if count == 1 else 'have'} no decision yet")
    elif not round_decisions(session, round_.id):
        problems.append("There are no decisions to sign off")
    if not permissions.may_sign_off_decisions(user, decider_ids(session, round_.id)):
        problems.append("You made or changed some of these decisions: a second member of "
                        "staff who made none of them must sign them off")
    return problems


def sign_off(session: Session, user: User, round_id: int) -> Round:
    """A second member of staff, who made none of the round's decisions, signs them off."""
    round_ = lock_round(session, round_id)
    if round_.decisions_signed_off_at is not None and round_.decisions_published_at is None:
        return round_  # already signed off: a repeated form
    problems = sign_off_problems(session, round_, user)
    if problems:
        raise DecisionRefused(". ".join(problems))
    now = clock.utcnow()
    before = {"decisions_signed_off_at": None, "decided_at": _iso(round_.decided_at),
              "status": round_.status.value}
    round_.decisions_signed_off_at = now
    round_.decisions_signed_off_by_id = user.id
    if round_.decided_at is None:
        round_.decided_at = now
    session.flush()
    record_event(session, actor_id=user.id, action="round.decisions_signed_off",
                 entity_type="round", entity_id=round_.id, before=before,
                 after={"decisions_signed_off_at": _iso(now),
                        "decisions_signed_off_by_id": user.id,
                        "decided_at": _iso(round_.decided_at), "status": round_.status.value,
                        "committed_pence": committed_pence(session, round_.id)})
    logger.info("round %s: decisions signed off by user %s", round_.id, user.id)
    return round_


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- Publishing ---------------------------------------------------------------------------

@dataclass
class Published:
    round: Round
    awarded: int = 0
    declined: int = 0
    already: bool = False


def publish_problems(session: Session, round_: Round) -> list[str]:
    if round_.decisions_published_at is not None:
        return ["The decisions have been published"]
    problems = []
    if round_.decisions_signed_off_at is None:
        problems.append("A second member of staff must sign off the decisions before they "
                        "are published")
    undecided = undecided_applications(session, round_.id)
    if undecided:
        problems.append(f"{len(undecided)} eligible application"
                        f"{'' if len(undecided) == 1 else 's'} still "
                        f"{'needs' if len(undecided) == 1 else 'need'} a decision")
    return problems


def publish(session: Session, user: User, round_id: int) -> Published:
    """Tell every applicant their outcome: awards become offers; each applicant gets an email
    and sees the outcome on their dashboard. Publishing again does nothing."""
    if not permissions.may_decide(user):
        raise Forbidden("Only staff publish decisions")
    round_ = lock_round(session, round_id)
    if round_.decisions_published_at is not None:
        return Published(round=round_, already=True)
    problems = publish_problems(session, round_)
    if problems:
        raise DecisionRefused(". ".join(problems))
    _release_withdrawn_awards(session, round_, user.id)
    now = clock.utcnow()
    round_.decisions_published_at = now
    result = Published(round=round_)
    decisions = round_decisions(session, round_id)
    awards = round_awards(session, round_id)
    applications = session.scalars(
        select(Application)
        .where(Application.round_id == round_id,
               Application.status.in_([ApplicationStatus.AWARDED, ApplicationStatus.DECLINED]))
        .options(joinedload(Application.organisation))
        .order_by(Application.reference)).all()
    for application in applications:
        decision = decisions.get(application.id)
        if decision is None:
            continue
        _publish_one(session, user, application, decision, awards.get(application.id), now)
        if decision.outcome in AWARD_OUTCOMES:
            result.awarded += 1
        else:
            result.declined += 1
    session.flush()
    record_event(session, actor_id=user.id, action="round.decisions_published",
                 entity_type="round", entity_id=round_.id,
                 before={"decisions_published_at": None},
                 after={"decisions_published_at": _iso(now), "awarded": result.awarded,
                        "declined": result.declined,
                        "committed_pence": committed_pence(session, round_.id)})
    logger.info("round %s: decisions published by user %s (%s awarded, %s declined)",
                round_.id, user.id, result.awarded, result.declined)
    return result


def _publish_one(session: Session, user: User, application: Application, decision: Decision,
                 award: Award | None, now: datetime) -> None:
    awarded = decision.outcome in AWARD_OUTCOMES and award is not None
    if awarded and award.status is AwardStatus.PROPOSED:
        award.status = AwardStatus.OFFERED
        award.offered_at = now
        award.awarded_on = award.awarded_on or clock.to_london(now).date()
    session.flush()
    record_event(session, actor_id=user.id, action="application.decision_published",
                 entity_type="application", entity_id=application.id,
                 after={"decision_id": decision.id, "outcome": decision.outcome.value,
                        "award_id": award.id if awarded else None,
                        "award_status": award.status.value if awarded else None},
                 note="Decision published to the applicant")
    template = "decisions/emails/awarded.txt" if awarded else "decisions/emails/declined.txt"
    subject = (f"Application {application.reference}: "
               + ("you have been offered a grant" if awarded else "decision"))
    body = render_template(
        template, application=application, decision=decision, award=award,
        offer_url=offer_url(award.id) if awarded else None,
        view_url=external_url("applications.view_application", application_id=application.id),
        dashboard_url=external_url("organisations.dashboard"))
    for suffix, address in applicant_recipients(session, application):
        queue_email(session, to_address=address, subject=subject, body_text=body,
                    idempotency_key=f"decision-published:{decision.id}{suffix}")
    if awarded:
        logger.info("award %s offered to organisation %s: %s pence", award.id,
                    application.organisation_id, award.amount_pence)


# --- The decisions page -------------------------------------------------------------------

@dataclass(frozen=True)
class BoardRow:
    row: ranking.RankedApplication
    decision: Decision | None
    award: Award | None
    declaration: DeciderDeclaration | None
    decided_by_name: str = ""

    @property
    def application(self) -> Application:
        return self.row.application

    @property
    def score_text(self) -> str:
        return scoring.one_decimal(self.row.ranking_score)


@dataclass
class Board:
    """Everything the decisions page shows for a round, for one member of staff."""

    round: Round
    rows: list[BoardRow]
    committed_pence: int
    line: FundingLine
    sign_off_problems: list[str]
    publish_problems: list[str]
    signed_off_by_name: str
    undecided: int

    @property
    def remaining_pence(self) -> int:
        return self.round.budget_pence - self.committed_pence

    @property
    def published(self) -> bool:
        return self.round.decisions_published_at is not None

    @property
    def may_change(self) -> bool:
        return not self.published and self.round.status in DECIDING_ROUND_STATUSES


def board(session: Session, user: User, round_id: int) -> Board:
    """The decisions page: the ranking with each decision, the money, the what-if funding line
    and what stands between the round and publishing, in a fixed number of queries."""
    ranked = decision_ranking(session, round_id)
    round_ = ranked.round
    decisions = round_decisions(session, round_id)
    awards = round_awards(session, round_id)
    declarations = user_declarations(session, round_id, user.id)
    names = user_names(session, [d.decided_by_id for d in decisions.values()]
                       + [round_.decisions_signed_off_by_id])
    rows = [BoardRow(row=row, decision=decisions.get(row.application.id),
                     award=awards.get(row.application.id),
                     declaration=declarations.get(row.application.id),
                     decided_by_name=names.get(getattr(decisions.get(row.application.id),
                                                       "decided_by_id", None), ""))
            for row in ranked.rows]
    return Board(
        round=round_, rows=rows, committed_pence=committed_pence(session, round_id),
        line=funding_line(ranked.rows, round_.budget_pence),
        sign_off_problems=sign_off_problems(session, round_, user),
        publish_problems=publish_problems(session, round_),
        signed_off_by_name=names.get(round_.decisions_signed_off_by_id, ""),
        undecided=sum(1 for row in ranked.rows
                      if row.application.status in UNDECIDED_STATUSES),
    )


def get_round(session: Session, round_id: int) -> Round:
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise NotFound("Round not found")
    return round_
