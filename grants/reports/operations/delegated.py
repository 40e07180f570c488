"""The Community Foundation allocations a report counts, and the onward grants beneath each.

An allocation is a direct award of the kind delegated: it counts once, in the report's figures,
as the fund's award to the intermediary (when public, like any other award). Its onward grants
never add to the figures; the report shows them beneath it, by priority, key aim and area, as
`grants.direct_awards.operations.onward_figures` adds them up for the allocation's own page.
"""

import logging
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.awards.models import Award
from grants.core import data_version
from grants.direct_awards.models import OnwardGrant
from grants.direct_awards.operations.listing import delegated_award_ids
from grants.direct_awards.operations.onward_figures import OnwardSummary, onward_summaries
from grants.funds.models import Fund, Round
from grants.organisations.models import Organisation
from grants.plans.models import KeyAim, Priority
from grants.reports.operations.counted import counted_awards
from grants.reports.operations.progress import Initiative
from grants.reports.operations.selection import Selection

logger = logging.getLogger(__name__)


def delegated_summaries(session: Session, selection: Selection) -> tuple[OnwardSummary, ...]:
    """The counted Community Foundation allocations of the selection, in order of decision,
    each with its onward grants added up. One query, and six more when there are any; kept
    until the data changes (`grants.core.data_version`)."""
    key = ("delegated summaries", selection.kind, tuple(sorted(selection.parameters().items())))
    return data_version.kept(session, key, lambda: _work_out_summaries(session, selection))


def _work_out_summaries(session: Session, selection: Selection) -> tuple[OnwardSummary, ...]:
    counted = counted_awards(selection.round_clauses())
    ids = session.scalars(select(counted.c.award_id)
                          .where(counted.c.award_id.in_(delegated_award_ids()))).all()
    summaries = onward_summaries(session, ids).values()
    return tuple(sorted(summaries, key=lambda s: (s.decided_on or date.max, s.award_id)))


def onward_initiatives(session: Session, award_ids: list[int]) -> list[Initiative]:
    """The onward grants of these counted Community Foundation allocations, each under its
    key aim (else its priority, else none), as initiatives made through the foundation: the
    progress report lists them beneath the fund's own, and their money is the allocation's,
    never added again. One query when there are any allocations, else none."""
    if not award_ids:
        return []
    priority_id = func.coalesce(KeyAim.priority_id, OnwardGrant.priority_id)
    rows = session.execute(
        select(Priority.code, Priority.number, Priority.title, KeyAim.number, KeyAim.text,
               Fund.name, Organisation.name, OnwardGrant.recipient_name, OnwardGrant.title)
        .select_from(OnwardGrant)
        .join(Award, Award.id == OnwardGrant.award_id)
        .join(Round, Round.id == Award.round_id)
        .join(Fund, Fund.id == Round.fund_id)
        .join(Organisation, Organisation.id == Award.organisation_id)
        .outerjoin(KeyAim, KeyAim.id == OnwardGrant.key_aim_id)
        .outerjoin(Priority, Priority.id == priority_id)
        .where(OnwardGrant.award_id.in_(sorted(set(award_ids))))
    ).all()
    return [
        Initiative(priority_code=p_code, priority_number=p_number, priority_title=p_title,
                   key_aim_number=aim_number, key_aim_text=aim_text, fund_name=fund_name,
                   high_sheriff=False, organisation_name=recipient, title=title,
                   through=intermediary)
        for (p_code, p_number, p_title, aim_number, aim_text, fund_name, intermediary,
             recipient, title) in rows]
