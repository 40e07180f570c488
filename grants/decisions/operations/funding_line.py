"""The what-if funding line: for each cut-off, what funding the top applications waiting for a
decision in full would cost and whether what is left of the budget covers it, overall and seen
from each primary priority. The running totals are the ranking's own (`ranking.rank_rows`),
held against the round's remaining budget: awards already made count against it first."""

from collections.abc import Callable
from dataclasses import dataclass, field

from grants.assessment.operations import ranking
from grants.plans.models import Priority


@dataclass(frozen=True)
class CutOff:
    """Funding the top `rank` applications waiting for a decision in full: the total, and
    whether what is left of the budget covers it."""

    rank: int
    row: ranking.RankedApplication
    cumulative_pence: int
    fits: bool
    remaining_pence: int

    @property
    def left_pence(self) -> int:
        """What would be left of the remaining budget after this cut-off (below zero: over)."""
        return self.remaining_pence - self.cumulative_pence

    @property
    def over_pence(self) -> int:
        return -self.left_pence


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
    remaining_pence: int
    cut_offs: list[CutOff]
    priorities: list[PriorityLine]

    @property
    def tie_straddles(self) -> bool:
        return any(cut.row.tie_straddles for cut in self.cut_offs)

    @property
    def last_fitting(self) -> CutOff | None:
        fitting = [cut for cut in self.cut_offs if cut.fits]
        return fitting[-1] if fitting else None

    @property
    def runs_out_at(self) -> CutOff | None:
        """The first cut-off the budget does not cover: where the money runs out."""
        return next((cut for cut in self.cut_offs if not cut.fits), None)


def funding_line(ranked: ranking.Ranking,
                 waiting: Callable[[ranking.RankedApplication], bool]) -> FundingLine:
    """For each cut-off k, the cost of funding the top k applications waiting for a decision
    in full and whether the remaining budget covers it (the ranking's running totals); and the
    same line seen from each primary priority."""
    cut_offs = [CutOff(rank=position, row=row, cumulative_pence=row.running_total_pence,
                       fits=row.within_budget, remaining_pence=ranked.remaining_pence)
                for position, row in enumerate(filter(waiting, ranked.rows), start=1)]
    lines: dict[int | None, PriorityLine] = {}
    for cut in cut_offs:
        application = cut.row.application
        line = lines.setdefault(application.primary_priority_id,
                                PriorityLine(priority=application.primary_priority))
        running = line.requested_pence + cut.row.amount_requested_pence
        line.rows.append(PriorityCutOff(cut_off=cut, priority_cumulative_pence=running))
    ordered = sorted(lines.values(), key=lambda line: (
        line.priority is None, line.priority.number if line.priority else 0))
    return FundingLine(budget_pence=ranked.budget_pence, remaining_pence=ranked.remaining_pence,
                       cut_offs=cut_offs, priorities=ordered)
