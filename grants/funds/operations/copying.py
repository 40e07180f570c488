"""Copying a round as a new draft a year on, with everything it asks, scores and funds."""

import logging
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from grants.core import clock
from grants.core.errors import Conflict
from grants.funds.models import (
    MAX_NAME_LENGTH,
    SET_UP_BY_STAFF,
    CheckQuestion,
    CountyAllocation,
    EligibilityQuestion,
    Round,
    RoundOrganisationType,
    ScoringCriterion,
)
from grants.funds.operations.codes import suggest_round_code
from grants.funds.operations.history import round_snapshot
from grants.funds.operations.round_questions import copy_sections
from grants.funds.operations.settings import DIRECT_AWARDS_KEPT
from grants.ledger.operations.guard import check_budget_fits
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def _a_year_later(moment: datetime) -> datetime:
    """The same London wall-clock time a year on (28 February for 29 February; a time the
    clocks skip moves on an hour)."""
    local = clock.to_london(moment)
    day = local.date()
    try:
        day = day.replace(year=day.year + 1)
    except ValueError:
        day = date(day.year + 1, 2, 28)
    at = time(local.hour, local.minute, local.second)
    try:
        return clock.london_to_utc(day, at)
    except clock.TimeError:
        return clock.london_to_utc(day, time(local.hour + 1, local.minute))


def copy_round(session: Session, source: Round, *, actor_id: int | None) -> Round:
    """A new draft with the source's settings, questions (its own, its eligibility questions
    and its eligibility check's), criteria, priorities, organisation types and allocations, its
    dates and financial year a year on and a new suggested code. Its budget must fit within the
    money available to the fund in that year, when the fund is so limited."""
    if source.kind not in SET_UP_BY_STAFF:
        raise Conflict(DIRECT_AWARDS_KEPT)
    opens_at, closes_at = _a_year_later(source.opens_at), _a_year_later(source.closes_at)
    financial_year = clock.financial_year_after(source.financial_year)
    check_budget_fits(session, source.fund_id, financial_year, source.budget_pence,
                      field="status")
    copy = Round(
        fund=source.fund,
        code=suggest_round_code(session, source.fund, financial_year),
        financial_year=financial_year,
        title=f"{source.title} (copy)"[:MAX_NAME_LENGTH],
        kind=source.kind, opens_at=opens_at, closes_at=closes_at,
        budget_pence=source.budget_pence, min_award_pence=source.min_award_pence,
        max_award_pence=source.max_award_pence, guidance=source.guidance,
        priorities=[p for p in source.priorities if p.retired_at is None],
        key_aims=[a for a in source.key_aims
                  if a.retired_at is None and a.priority.retired_at is None],
        organisation_type_rows=[RoundOrganisationType(organisation_type=row.organisation_type)
                                for row in source.organisation_type_rows],
        eligibility_questions=[
            EligibilityQuestion(position=q.position, text=q.text, guidance=q.guidance,
                                mandatory=q.mandatory) for q in source.eligibility_questions],
        check_questions=[
            CheckQuestion(position=q.position, text=q.text, needed_answer=q.needed_answer,
                          reason=q.reason) for q in source.check_questions],
        scoring_criteria=[
            ScoringCriterion(position=c.position, name=c.name, guidance=c.guidance,
                             weight=c.weight, max_score=c.max_score)
            for c in source.scoring_criteria],
        county_allocations=[CountyAllocation(county_id=a.county_id, amount_pence=a.amount_pence)
                            for a in source.county_allocations],
        question_sections=copy_sections(source),
    )
    session.add(copy)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.copied", entity_type="round",
                 entity_id=copy.id, before={"copied_from": source.code},
                 after=round_snapshot(copy))
    logger.info("round %s copied from round %s as %s", copy.id, source.id, copy.code)
    return copy
