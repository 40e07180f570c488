"""The proposal to fund in rank order: award in full while the budget allows, decline the rest
as not funded, and leave to staff anything a conflict, the rank order or a tie across the
funding line keeps from the rule. Confirming it makes each decision through the budget guard."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.assessment.operations import ranking
from grants.core.locks import lock_row
from grants.decisions.models import DecisionOutcome
from grants.decisions.operations.guard import decide
from grants.decisions.operations.queries import (
    decision_ranking,
    round_decisions,
    user_declarations,
)
from grants.decisions.operations.remaining import remaining_pence
from grants.decisions.operations.rules import (
    AWARD_OUTCOMES,
    DECIDABLE_STATUSES,
    FUNDED_REASON,
    NOT_FUNDED_FEEDBACK,
    NOT_FUNDED_REASON,
    DecisionInput,
    DecisionRefused,
    declined_ids,
    funded_ids,
    out_of_rank_conflicts,
)
from grants.funds.models import Round


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
    remaining = remaining_pence(session, round_)
    ranks = {row.application.id: row.rank for row in ranked.rows}
    funded, declined = funded_ids(decisions), declined_ids(decisions)
    money_left = True
    items: list[ProposalItem] = []
    for group in ranking.tie_groups(ranked.rows):
        waiting = [row for row in group if row.application.id not in decisions]
        fits: dict[int, bool] = {}
        left = remaining
        for row in waiting:
            declaration = declarations.get(row.application.id)
            if declaration is None or declaration.has_conflict:
                continue  # left to staff, and spends nothing
            requested = row.application.amount_requested_pence
            fits[row.application.id] = ok = (
                money_left and requested is not None and requested <= left
                and (round_.max_award_pence is None or requested <= round_.max_award_pence))
            money_left = ok
            left -= requested if ok else 0
        # Equal scores on both sides of the line: nothing in the rule chooses between them.
        split = len(set(fits.values())) > 1
        for row in waiting:
            application = row.application
            declaration = declarations.get(application.id)
            if declaration is None or declaration.has_conflict:
                items.append(ProposalItem(row, None, None, (
                    "You declared a conflict of interest: another member of staff must "
                    "decide" if declaration else "Declare any conflict of interest first")))
                continue
            if split:
                items.append(ProposalItem(row, None, None, (
                    "Tied with another application across the funding line: decide it "
                    "yourself, with a reason")))
                continue
            awarding = fits[application.id]
            if out_of_rank_conflicts(ranks, funded, declined, application.id,
                                     awarding=awarding):
                items.append(ProposalItem(row, None, None,
                                          "Would be out of rank order: decide it yourself"))
                continue
            if awarding:
                requested = application.amount_requested_pence
                remaining -= requested
                funded.add(application.id)
                items.append(ProposalItem(row, DecisionOutcome.AWARD_IN_FULL, requested,
                                          FUNDED_REASON))
            else:
                declined.add(application.id)
                items.append(ProposalItem(row, DecisionOutcome.DECLINE, None,
                                          NOT_FUNDED_REASON))
    return Proposal(round=round_, remaining_pence=remaining, items=items)


def apply_proposal(session: Session, user: User, round_id: int,
                   fingerprint: str | None = None) -> Proposal:
    """Make the proposal's decisions, each through `decide` (and so the budget guard). With a
    fingerprint, refuse when the proposal is no longer the one staff saw."""
    lock_row(session, Round, round_id, missing="Round not found")
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
            feedback=NOT_FUNDED_FEEDBACK if declining else "", public_reason_now=False))
    return proposal
