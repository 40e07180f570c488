"""The Community Foundation allocations a report counts, and the onward grants beneath each.

An allocation is a direct award of the kind delegated: it counts once, in the report's figures,
as the fund's award to the intermediary (when public, like any other award). Its onward grants
never add to the figures; the report shows them beneath it, by priority, key aim and area, as
`grants.direct_awards.operations.onward_figures` adds them up for the allocation's own page.
"""

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.direct_awards.operations.listing import delegated_award_ids
from grants.direct_awards.operations.onward_figures import OnwardSummary, onward_summaries
from grants.reports.operations.counted import counted_awards
from grants.reports.operations.selection import Selection

logger = logging.getLogger(__name__)


def delegated_summaries(session: Session, selection: Selection) -> list[OnwardSummary]:
    """The counted Community Foundation allocations of the selection, in order of decision,
    each with its onward grants added up. One query, and six more when there are any."""
    counted = counted_awards(selection.round_clauses())
    ids = session.scalars(select(counted.c.award_id)
                          .where(counted.c.award_id.in_(delegated_award_ids()))).all()
    summaries = onward_summaries(session, ids).values()
    return sorted(summaries, key=lambda s: (s.decided_on or date.max, s.award_id))
