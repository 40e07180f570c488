"""A new application starts with what the person said in the round's "Check if you can
apply": the amount they would ask for, the priority and the areas where the work happens.

Each answer is taken only when the round's rules would take it now (a priority the round
offers, areas on its list, an amount above £0); the sections stay to be checked and completed
as ever, so nothing here completes one.
"""

import logging
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from grants.applications.models import Application
from grants.applications.operations.rules import areas_on_offer, priorities_on_offer
from grants.core.money import MAX_PENCE

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckedStart:
    """The check's answers an application starts with."""

    amount_pence: int | None = None
    priority_id: int | None = None
    whole_thames_valley: bool = False
    area_ids: list[int] = field(default_factory=list)


def start_from_check(session: Session, application: Application, checked: CheckedStart) -> None:
    """Fill the new application's amount asked for, primary priority and areas served from
    the check's answers."""
    amount_pence, priority_id = checked.amount_pence, checked.priority_id
    whole_thames_valley, area_ids = checked.whole_thames_valley, checked.area_ids
    if amount_pence is not None and 0 < amount_pence <= MAX_PENCE:
        application.amount_requested_pence = amount_pence
    priority = next((priority for priority in priorities_on_offer(application.round)
                     if priority.id == priority_id), None)
    if priority is not None:
        application.primary_priority = priority
    if whole_thames_valley:
        application.serves_whole_thames_valley = True
    elif area_ids:
        application.areas = [area for area in areas_on_offer(session, application.round)
                             if area.id in area_ids]
    session.flush()
    logger.info("application %s started from the round's eligibility check", application.id)
