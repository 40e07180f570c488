"""The rules every decision follows: which applications and rounds are decided, the wording of
the not-funded decision, what a decision as typed holds, and the refusals deciding can meet."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from grants.applications.models import Application, ApplicationStatus
from grants.awards.operations.publicity import decisions_published
from grants.core.errors import Refusal
from grants.decisions.models import Decision, DecisionOutcome
from grants.funds.models import Round, RoundStatus

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
    public_reason: str = ""  # the award's reason, written for publication
    # False when funding in rank order: staff write each award's reason afterwards, and
    # sign-off and publishing wait for it (`grants.awards.operations.public_reasons`).
    public_reason_now: bool = True


def why_not_decidable(round_: Round, application: Application) -> str | None:
    """Why the application cannot be decided (or its decision changed) now, or None."""
    if decisions_published(round_):
        return "This round's decisions have been published, so they can no longer be changed"
    if round_.status not in DECIDING_ROUND_STATUSES:
        return ("Decisions are made once the round is being assessed; this round is "
                f"{round_.status.value}")
    if application.status not in DECIDABLE_STATUSES:
        return ("Only an application screened as eligible can be decided; this one is "
                f"{application.status.value.replace('_', ' ')}")
    return None


def may_change(round_: Round) -> bool:
    """Whether the round's decisions may still be made or changed."""
    return not decisions_published(round_) and round_.status in DECIDING_ROUND_STATUSES


@dataclass(frozen=True)
class RankConflicts:
    """The applications that put a decision out of rank order: `ranked` those above it (when
    awarding) or below it (when declining), `tied` those sharing its rank."""

    ranked: list[int]
    tied: list[int]

    def __bool__(self) -> bool:
        return bool(self.ranked or self.tied)


def out_of_rank_conflicts(ranks: Mapping[int, int], funded: Collection[int],
                          declined: Collection[int], application_id: int,
                          *, awarding: bool) -> RankConflicts:
    """The applications that put this decision out of rank order. When awarding: those ranked
    above it without an award (declined or undecided), and those tied with it that are
    declined. When declining: those ranked below it that have an award, and those tied with it
    that have one. A tie is split by whichever decision funds one and declines another, and
    that decision needs the reason; an undecided tie-mate splits nothing yet.

    `ranks` is each application's shared rank by id, in rank order; `funded` the applications
    awarded, `declined` those declined."""
    rank = ranks.get(application_id)
    if rank is None:
        return RankConflicts([], [])
    others = [(other, other_rank) for other, other_rank in ranks.items()
              if other != application_id]
    if awarding:
        return RankConflicts(
            ranked=[other for other, r in others if r < rank and other not in funded],
            tied=[other for other, r in others if r == rank and other in declined])
    return RankConflicts(
        ranked=[other for other, r in others if r > rank and other in funded],
        tied=[other for other, r in others if r == rank and other in funded])


def funded_ids(decisions: dict[int, Decision]) -> set[int]:
    """The applications (of decisions by application id) given an award."""
    return {app_id for app_id, d in decisions.items() if d.outcome in AWARD_OUTCOMES}


def declined_ids(decisions: dict[int, Decision]) -> set[int]:
    """The applications (of decisions by application id) declined."""
    return {app_id for app_id, d in decisions.items() if d.outcome is DecisionOutcome.DECLINE}


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
