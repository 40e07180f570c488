"""The decisions page: a round's ranking with each decision, the money committed and left, the
what-if funding line, and what stands between the round and publishing."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application
from grants.assessment.operations import ranking, scoring
from grants.awards.models import Award
from grants.awards.operations.committed import committed_pence
from grants.awards.operations.public_reasons import PublicReason, round_public_reasons
from grants.decisions.models import DeciderDeclaration, Decision
from grants.decisions.operations.funding_line import FundingLine, funding_line
from grants.decisions.operations.publishing import publish_problems
from grants.decisions.operations.queries import (
    decision_ranking,
    round_awards,
    round_decisions,
    user_declarations,
    user_names,
)
from grants.decisions.operations.remaining import RoundRemaining
from grants.decisions.operations.rules import AWARD_OUTCOMES, UNDECIDED_STATUSES, may_change
from grants.decisions.operations.sign_off import sign_off_problems
from grants.funds.models import Round


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
class Board(RoundRemaining):
    """Everything the decisions page shows for a round, for one member of staff."""

    round: Round
    rows: list[BoardRow]
    committed_pence: int
    line: FundingLine
    sign_off_problems: list[str]
    publish_problems: list[str]
    signed_off_by_name: str
    undecided: int
    public_reasons: list[PublicReason]

    @property
    def tie_straddles(self) -> bool:
        """Whether some tie falls on both sides of the funding line."""
        return any(row.row.tie_straddles for row in self.rows)

    @property
    def published(self) -> bool:
        return self.round.decisions_published_at is not None

    @property
    def may_change(self) -> bool:
        return may_change(self.round)


def _funded_side(row: ranking.RankedApplication, decisions: dict[int, Decision]) -> bool:
    decision = decisions.get(row.application.id)
    if decision is not None:
        return decision.outcome in AWARD_OUTCOMES
    return row.within_budget


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
    for group in ranking.tie_groups(ranked.rows):
        # On the funded side: awarded, or waiting and within the remaining budget.
        ranking.mark_tie(group, lambda row: _funded_side(row, decisions))
    rows = [BoardRow(row=row, decision=decisions.get(row.application.id),
                     award=awards.get(row.application.id),
                     declaration=declarations.get(row.application.id),
                     decided_by_name=names.get(getattr(decisions.get(row.application.id),
                                                       "decided_by_id", None), ""))
            for row in ranked.rows]
    return Board(
        round=round_, rows=rows, committed_pence=committed_pence(session, round_id),
        line=funding_line(ranked, lambda row: row.application.status in UNDECIDED_STATUSES),
        sign_off_problems=sign_off_problems(session, round_, user),
        publish_problems=publish_problems(session, round_),
        signed_off_by_name=names.get(round_.decisions_signed_off_by_id, ""),
        undecided=sum(1 for row in ranked.rows
                      if row.application.status in UNDECIDED_STATUSES),
        public_reasons=round_public_reasons(session, round_id),
    )
