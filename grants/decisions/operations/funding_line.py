"""The what-if funding line: for each cut-off, what funding the top applications in full would
cost and whether the budget covers it, overall and seen from each primary priority."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from grants.assessment.operations import ranking
from grants.plans.models import Priority


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
