"""Funds and rounds as staff set them up: every rule about them lives here.

Rule breaks come back as `ValidationFailed({field: message})`, so a form can show all of them at
once, or as `Conflict` for an action the round's state does not allow. Every change writes an
audit event in the same transaction.
"""

import logging
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.applications.models import Application
from grants.areas.models import County
from grants.awards.operations.committed import committed_pence
from grants.core import clock
from grants.core.errors import Conflict, NotFound, ValidationFailed
from grants.core.formatting import format_london_datetime, format_pounds
from grants.funds.models import (
    CountyAllocation,
    EligibilityQuestion,
    Fund,
    MonitoringSchedule,
    Round,
    RoundKind,
    RoundOrganisationType,
    RoundStatus,
    ScoringCriterion,
)
from grants.organisations.models import OrganisationType
from grants.plans import services as plan_services
from grants.plans.models import KeyAim, Priority
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_FUND_CODE_LENGTH = 20
MAX_ROUND_CODE_LENGTH = 40
MAX_NAME_LENGTH = 200
MAX_WEIGHT = 1000
MAX_SCORE = 100

FUND_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")
ROUND_CODE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")

KIND_LABELS = {
    RoundKind.OPEN: "Open round",
    RoundKind.NOMINATION: "Nomination round",
    RoundKind.ALLOCATION: "Allocation round",
}
KIND_HINTS = {
    RoundKind.OPEN: "Organisations apply and staff assess their applications",
    RoundKind.NOMINATION: "High Sheriffs nominate organisations within an allocation per county",
    RoundKind.ALLOCATION: "Staff record direct allocations, such as formula shares to councils",
}
STATUS_LABELS = {
    RoundStatus.DRAFT: "Draft",
    RoundStatus.UPCOMING: "Launched, not yet open",
    RoundStatus.OPEN: "Open",
    RoundStatus.CLOSED: "Closed",
    RoundStatus.ASSESSING: "Assessing",
    RoundStatus.DECIDED: "Decided",
    RoundStatus.PUBLISHED: "Decisions published",
}


# Funds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundDetails:
    code: str
    name: str
    description: str = ""
    eligible_recipients: str = ""
    legal_basis: str = ""


@dataclass(frozen=True)
class FundSummary:
    fund: Fund
    rounds: int


def list_funds(session: Session) -> list[FundSummary]:
    """Every fund, by code, with how many rounds it has (one query)."""
    rows = session.execute(
        select(Fund, func.count(Round.id))
        .outerjoin(Round, Round.fund_id == Fund.id)
        .group_by(Fund.id)
        .order_by(Fund.code)
    )
    return [FundSummary(fund=fund, rounds=count) for fund, count in rows]


def get_fund(session: Session, fund_id: int) -> Fund:
    fund = session.get(Fund, fund_id)
    if fund is None:
        raise NotFound("There is no such fund")
    return fund


def fund_by_code(session: Session, code: str) -> Fund | None:
    return session.scalars(select(Fund).where(Fund.code == code.strip().upper())).one_or_none()


def _fund_errors(session: Session, details: FundDetails, fund: Fund | None) -> dict[str, str]:
    errors = {}
    if not details.code:
        errors["code"] = "Enter a fund code, like PPAF"
    elif len(details.code) > MAX_FUND_CODE_LENGTH:
        errors["code"] = f"Fund code must be {MAX_FUND_CODE_LENGTH} characters or fewer"
    elif not FUND_CODE.match(details.code):
        errors["code"] = ("Fund code must start with a capital letter and use only capital "
                          "letters, digits and hyphens, like PPAF")
    else:
        other = fund_by_code(session, details.code)
        if other is not None and other is not fund:
            errors["code"] = f"There is already a fund with the code {details.code}"
    if not details.name:
        errors["name"] = "Enter the fund's name"
    elif len(details.name) > MAX_NAME_LENGTH:
        errors["name"] = f"Name must be {MAX_NAME_LENGTH} characters or fewer"
    return errors


def _fund_snapshot(fund: Fund) -> dict[str, Any]:
    return {"code": fund.code, "name": fund.name, "description": fund.description,
            "eligible_recipients": fund.eligible_recipients, "legal_basis": fund.legal_basis}


def create_fund(session: Session, details: FundDetails, *, actor_id: int | None) -> Fund:
    errors = _fund_errors(session, details, None)
    if errors:
        raise ValidationFailed(errors)
    fund = Fund(**details.__dict__)
    session.add(fund)
    session.flush()
    record_event(session, actor_id=actor_id, action="fund.created", entity_type="fund",
                 entity_id=fund.id, after=_fund_snapshot(fund))
    logger.info("fund %s created as %s", fund.id, fund.code)
    return fund


def update_fund(session: Session, fund: Fund, details: FundDetails, *,
                actor_id: int | None) -> Fund:
    errors = _fund_errors(session, details, fund)
    if errors:
        raise ValidationFailed(errors)
    before = _fund_snapshot(fund)
    for name, value in details.__dict__.items():
        setattr(fund, name, value)
    session.flush()
    _record_changes(session, "fund.updated", "fund", fund.id, before, _fund_snapshot(fund),
                    actor_id)
    return fund


# Rounds: reading --------------------------------------------------------------------------


def get_round(session: Session, round_id: int) -> Round:
    """The round with everything its staff page shows, in a fixed number of queries."""
    round_ = session.scalars(
        select(Round)
        .where(Round.id == round_id)
        .options(
            joinedload(Round.fund),
            selectinload(Round.priorities),
            selectinload(Round.key_aims).joinedload(KeyAim.priority),
            selectinload(Round.organisation_type_rows),
            selectinload(Round.eligibility_questions),
            selectinload(Round.scoring_criteria),
            selectinload(Round.county_allocations).joinedload(CountyAllocation.county),
        )
    ).one_or_none()
    if round_ is None:
        raise NotFound("There is no such round")
    return round_


def first_submission_at(session: Session, round_id: int) -> datetime | None:
    """When the round's first application was submitted, or None when none has been."""
    return session.scalar(
        select(func.min(Application.submitted_at)).where(Application.round_id == round_id)
    )


def locked_reason(session: Session, round_: Round, what: str) -> str | None:
    """Why `what` (e.g. "its scoring criteria") can no longer change, or None while it can.

    Once an application is submitted, what the round asks and scores and whom it is for are
    fixed, so every application is judged on the same terms.
    """
    first = first_submission_at(session, round_.id)
    if first is None:
        return None
    return (f"Applications have been submitted to this round (the first at "
            f"{format_london_datetime(first)}), so {what} can no longer change")


@dataclass(frozen=True)
class PriorityChoice:
    """A priority staff may choose for a round, with the key aims they may choose under it."""

    priority: Priority
    key_aims: list[KeyAim]


def priority_choices(session: Session, round_: Round) -> list[PriorityChoice]:
    """The current plan's priorities and key aims that are not retired, plus any (retired or of
    an earlier plan) that the round already funds, so saving never drops them unseen."""
    plan = plan_services.current_plan(session)
    offered = plan_services.offerable_priorities(session, plan) if plan is not None else []
    aims: dict[int, dict[int, KeyAim]] = {}
    priorities: dict[int, Priority] = {}
    for item in offered:
        priorities[item.priority.id] = item.priority
        aims[item.priority.id] = {aim.id: aim for aim in item.key_aims}
    for priority in round_.priorities:
        priorities.setdefault(priority.id, priority)
        aims.setdefault(priority.id, {})
    for aim in round_.key_aims:
        if aim.priority_id in aims:
            aims[aim.priority_id].setdefault(aim.id, aim)
    return [
        PriorityChoice(priority, sorted(aims[priority.id].values(), key=lambda a: a.number))
        for priority in sorted(priorities.values(), key=lambda p: (p.plan_id, p.number))
    ]


def counties_with_high_sheriffs(session: Session) -> list[County]:
    return list(session.scalars(
        select(County).where(County.has_high_sheriff).order_by(County.name)
    ))


@dataclass(frozen=True)
class RoundOverview:
    """What the staff round page shows besides the round itself."""

    round: Round
    status: RoundStatus
    committed_pence: int
    allocated_pence: int
    first_submission_at: datetime | None
    actions: frozenset[str]

    @property
    def remaining_pence(self) -> int:
        return self.round.budget_pence - self.committed_pence

    @property
    def setup_locked(self) -> bool:
        """Questions, criteria, priorities and organisation types are fixed."""
        return self.first_submission_at is not None


def round_overview(session: Session, round_id: int) -> RoundOverview:
    round_ = get_round(session, round_id)
    status = round_.status
    return RoundOverview(
        round=round_,
        status=status,
        committed_pence=committed_pence(session, round_.id),
        allocated_pence=sum(a.amount_pence for a in round_.county_allocations),
        first_submission_at=first_submission_at(session, round_.id),
        actions=available_actions(round_, status),
    )


def available_actions(round_: Round, status: RoundStatus) -> frozenset[str]:
    """The staff actions the round's state allows: launch, start_assessment, mark_decided,
    archive, copy."""
    actions = {"copy"}
    if round_.archived_at is None:
        if status is RoundStatus.DRAFT:
            actions.add("launch")
        if status is RoundStatus.CLOSED:
            actions.add("start_assessment")
        if status is RoundStatus.ASSESSING:
            actions.add("mark_decided")
        if status is not RoundStatus.OPEN:
            actions.add("archive")
    return frozenset(actions)


# Rounds: codes and settings ---------------------------------------------------------------


def financial_year_first(closes_at: datetime) -> int:
    """The first calendar year of the financial year a round closing then belongs to."""
    return clock.financial_year_start(
        clock.financial_year_of(clock.to_london(closes_at).date())
    )


def suggest_round_code(session: Session, fund: Fund, closes_at: datetime) -> str:
    """`{fund}-{first year of the financial year}-{n}`: n counts the fund's rounds in that year.

    The January 2020 round of the PPAF, after one earlier round that year, is PPAF-2019-2.
    """
    prefix = f"{fund.code}-{financial_year_first(closes_at)}-"
    taken = set(session.scalars(
        select(Round.code).where(Round.code.startswith(prefix, autoescape=True))
    ))
    number = len(taken) + 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


@dataclass(frozen=True)
class RoundSettings:
    """A round's own fields as staff type them (money in pence, times aware UTC)."""

    title: str
    kind: RoundKind
    opens_at: datetime
    closes_at: datetime
    budget_pence: int
    min_award_pence: int | None = None
    max_award_pence: int | None = None
    guidance: str = ""
    code: str = ""  # blank: the suggested code

    @classmethod
    def of(cls, round_: Round) -> "RoundSettings":
        return cls(title=round_.title, kind=round_.kind, opens_at=round_.opens_at,
                   closes_at=round_.closes_at, budget_pence=round_.budget_pence,
                   min_award_pence=round_.min_award_pence,
                   max_award_pence=round_.max_award_pence, guidance=round_.guidance,
                   code=round_.code)


def _title_errors(settings: RoundSettings) -> dict[str, str]:
    if not settings.title.strip():
        return {"title": "Enter the round's title"}
    if len(settings.title) > MAX_NAME_LENGTH:
        return {"title": f"Title must be {MAX_NAME_LENGTH} characters or fewer"}
    return {}


def _code_errors(session: Session, code: str, round_: Round | None) -> dict[str, str]:
    if not code:
        return {}
    if len(code) > MAX_ROUND_CODE_LENGTH:
        return {"code": f"Round code must be {MAX_ROUND_CODE_LENGTH} characters or fewer"}
    if not ROUND_CODE.match(code):
        return {"code": "Round code must use only capital letters, digits and single hyphens, "
                        "like PPAF-2026-1"}
    other = session.scalars(select(Round).where(Round.code == code)).one_or_none()
    if other is not None and other is not round_:
        return {"code": f"Another round already has the code {code}"}
    return {}


def _money_errors(settings: RoundSettings) -> dict[str, str]:
    """Minimum, maximum and budget in order; open rounds must give both award limits."""
    errors = {}
    low, high, budget = settings.min_award_pence, settings.max_award_pence, settings.budget_pence
    if settings.kind is RoundKind.OPEN:
        if low is None:
            errors["min_award"] = "Enter the minimum award for an open round"
        if high is None:
            errors["max_award"] = "Enter the maximum award for an open round"
    if low is not None and high is not None and low > high:
        errors["min_award"] = (f"The minimum award must be no more than the maximum award "
                               f"({format_pounds(high)})")
    if high is not None and high > budget:
        errors["max_award"] = (f"The maximum award must be no more than the budget "
                               f"({format_pounds(budget)})")
    return errors


def _date_errors(settings: RoundSettings) -> dict[str, str]:
    if settings.closes_at <= settings.opens_at:
        return {"closes_at": "The closing date and time must be after the opening date and time"}
    return {}


def _launched_errors(settings: RoundSettings, round_: Round) -> dict[str, str]:
    """What may no longer change once a round is launched, and only later closing after that."""
    if round_.launched_at is None:
        return {}
    errors = {}
    frozen = (
        ("code", settings.code != round_.code, "The round code"),
        ("kind", settings.kind is not round_.kind, "The kind of round"),
        ("opens_at", settings.opens_at != round_.opens_at, "The opening date and time"),
        ("min_award", settings.min_award_pence != round_.min_award_pence, "The minimum award"),
        ("max_award", settings.max_award_pence != round_.max_award_pence, "The maximum award"),
    )
    for field, changed, what in frozen:
        if changed:
            errors[field] = f"{what} cannot change once the round is launched"
    if settings.closes_at != round_.closes_at:
        if round_.assessing_at is not None:
            errors["closes_at"] = "The closing date cannot change once assessment has started"
        elif settings.closes_at < round_.closes_at:
            errors["closes_at"] = ("Once the round is launched its closing date can only move "
                                   f"later than {format_london_datetime(round_.closes_at)}")
    return errors


def _budget_errors(session: Session, settings: RoundSettings, round_: Round) -> dict[str, str]:
    """A budget never goes below what is committed to awards or allocated to counties."""
    if settings.budget_pence >= round_.budget_pence:
        return {}
    committed = committed_pence(session, round_.id)
    if settings.budget_pence < committed:
        return {"budget": f"The budget cannot be less than the {format_pounds(committed)} "
                          "already committed to awards"}
    allocated = sum(a.amount_pence for a in round_.county_allocations)
    if settings.kind is RoundKind.NOMINATION and settings.budget_pence < allocated:
        return {"budget": f"The budget cannot be less than the {format_pounds(allocated)} "
                          "allocated to counties"}
    return {}


def round_settings_errors(session: Session, settings: RoundSettings,
                          round_: Round | None = None) -> dict[str, str]:
    """Every rule a round's own fields break, by form field (empty when none)."""
    errors: dict[str, str] = {}
    errors.update(_title_errors(settings))
    errors.update(_code_errors(session, settings.code, round_))
    errors.update(_date_errors(settings))
    errors.update(_money_errors(settings))
    if round_ is not None:
        errors.update(_budget_errors(session, settings, round_))
        errors.update(_launched_errors(settings, round_))
    return errors


def validate_round(session: Session, settings: RoundSettings, round_: Round | None = None
                   ) -> None:
    errors = round_settings_errors(session, settings, round_)
    if errors:
        raise ValidationFailed(errors)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _round_snapshot(round_: Round) -> dict[str, Any]:
    return {
        "code": round_.code, "title": round_.title, "kind": round_.kind.value,
        "opens_at": _iso(round_.opens_at), "closes_at": _iso(round_.closes_at),
        "budget_pence": round_.budget_pence, "min_award_pence": round_.min_award_pence,
        "max_award_pence": round_.max_award_pence, "guidance": round_.guidance,
        "launched_at": _iso(round_.launched_at), "assessing_at": _iso(round_.assessing_at),
        "decided_at": _iso(round_.decided_at), "archived_at": _iso(round_.archived_at),
    }


def _record_changes(session: Session, action: str, entity_type: str, entity_id: int,
                    before: dict[str, Any], after: dict[str, Any], actor_id: int | None
                    ) -> None:
    """An audit event with only the values that changed (none when nothing did)."""
    changed = [key for key in after if before.get(key) != after[key]]
    if changed:
        record_event(session, actor_id=actor_id, action=action, entity_type=entity_type,
                     entity_id=entity_id, before={k: before.get(k) for k in changed},
                     after={k: after[k] for k in changed})


def _apply_settings(round_: Round, settings: RoundSettings) -> None:
    round_.title = settings.title.strip()
    round_.kind = settings.kind
    round_.opens_at = settings.opens_at
    round_.closes_at = settings.closes_at
    round_.budget_pence = settings.budget_pence
    round_.min_award_pence = settings.min_award_pence
    round_.max_award_pence = settings.max_award_pence
    round_.guidance = settings.guidance.strip()


def create_round(session: Session, fund: Fund, settings: RoundSettings, *,
                 actor_id: int | None) -> Round:
    """A new draft round of the fund; a blank code becomes the suggested one."""
    validate_round(session, settings)
    round_ = Round(fund=fund, code=settings.code or suggest_round_code(
        session, fund, settings.closes_at))
    _apply_settings(round_, settings)
    if settings.kind is RoundKind.ALLOCATION:
        # Councils and partnerships send twice-yearly returns on their allocations.
        round_.monitoring = MonitoringSchedule.TWICE_YEARLY
    session.add(round_)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.created", entity_type="round",
                 entity_id=round_.id, after=_round_snapshot(round_))
    logger.info("round %s created as %s with budget %d pence", round_.id, round_.code,
                round_.budget_pence)
    return round_


def _locked(session: Session, round_: Round) -> Round:
    """The round's row, locked for this transaction and read afresh (budget and state writes
    must not race another request's)."""
    return session.scalars(
        select(Round).where(Round.id == round_.id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def update_round(session: Session, round_: Round, settings: RoundSettings, *,
                 actor_id: int | None) -> Round:
    """Change a round's own fields. A blank code on a draft becomes the suggested one."""
    round_ = _locked(session, round_)
    if not settings.code and round_.launched_at is None:
        settings = replace(settings, code=_code_for_draft(session, round_, settings.closes_at))
    validate_round(session, settings, round_)
    before = _round_snapshot(round_)
    round_.code = settings.code
    _apply_settings(round_, settings)
    session.flush()
    _record_changes(session, "round.updated", "round", round_.id, before,
                    _round_snapshot(round_), actor_id)
    if before["budget_pence"] != round_.budget_pence:
        logger.info("round %s budget changed from %d to %d pence", round_.id,
                    before["budget_pence"], round_.budget_pence)
    return round_


def _code_for_draft(session: Session, round_: Round, closes_at: datetime) -> str:
    """A draft's code when staff leave it blank: its own while it already has the fund and
    financial year of the closing date, otherwise the next suggested one."""
    prefix = f"{round_.fund.code}-{financial_year_first(closes_at)}-"
    if round_.code.startswith(prefix):
        return round_.code
    return suggest_round_code(session, round_.fund, closes_at)


# Rounds: what they fund, whom for, what they ask and score ---------------------------------


def _refuse_when_locked(session: Session, round_: Round, what: str, field: str) -> None:
    reason = locked_reason(session, round_, what)
    if reason is not None:
        raise ValidationFailed({field: reason})


def set_priorities(session: Session, round_: Round, priority_ids: list[int],
                   key_aim_ids: list[int], *, actor_id: int | None) -> Round:
    """The priorities (and key aims within them) the round funds; open rounds need one."""
    _refuse_when_locked(session, round_, "the priorities it funds", "priorities")
    choices = {choice.priority.id: choice for choice in priority_choices(session, round_)}
    wanted = list(dict.fromkeys(priority_ids))
    chosen = [choices[i].priority for i in wanted if i in choices]
    errors = {}
    if len(chosen) != len(wanted):
        errors["priorities"] = "Choose priorities from the list"
    elif round_.kind is RoundKind.OPEN and not chosen:
        errors["priorities"] = "Choose at least one priority for an open round"
    aims = {aim.id: aim for i in wanted if i in choices for aim in choices[i].key_aims}
    if any(i not in aims for i in key_aim_ids):
        errors["key_aims"] = ("Choose only key aims of the priorities you choose: tick each "
                              "key aim's priority too, or untick the key aim")
    if errors:
        raise ValidationFailed(errors)
    before = _setup_snapshot(round_)
    round_.priorities = chosen
    round_.key_aims = [aims[i] for i in dict.fromkeys(key_aim_ids)]
    session.flush()
    _record_changes(session, "round.priorities_changed", "round", round_.id, before,
                    _setup_snapshot(round_), actor_id)
    return round_


def set_organisation_types(session: Session, round_: Round, types: list[OrganisationType], *,
                           actor_id: int | None) -> Round:
    """The kinds of organisation that may apply."""
    _refuse_when_locked(session, round_, "who may apply", "organisation_types")
    before = _setup_snapshot(round_)
    wanted = set(types)
    for row in list(round_.organisation_type_rows):
        if row.organisation_type not in wanted:
            round_.organisation_type_rows.remove(row)
    for kind in OrganisationType:
        if kind in wanted and kind not in round_.organisation_types:
            round_.organisation_type_rows.append(RoundOrganisationType(organisation_type=kind))
    session.flush()
    _record_changes(session, "round.organisation_types_changed", "round", round_.id, before,
                    _setup_snapshot(round_), actor_id)
    return round_


def allocation_field(county: County) -> str:
    """The form field of a county's allocation."""
    return f"county_{county.id}"


def set_county_allocations(session: Session, round_: Round, amounts: dict[int, int | None],
                           *, actor_id: int | None) -> Round:
    """A nomination round's allocation per county (None: no allocation); they must add up to
    no more than the budget."""
    if round_.kind is not RoundKind.NOMINATION:
        raise Conflict("Only nomination rounds have allocations per county")
    round_ = _locked(session, round_)
    counties = counties_with_high_sheriffs(session)
    total = sum(amounts.get(c.id) or 0 for c in counties)
    if total > round_.budget_pence and counties:
        raise ValidationFailed({allocation_field(counties[0]): (
            f"The allocations add up to {format_pounds(total)}, which is more than the "
            f"round's budget of {format_pounds(round_.budget_pence)}")})
    before = _setup_snapshot(round_)
    existing = {a.county_id: a for a in round_.county_allocations}
    for county in counties:
        amount, row = amounts.get(county.id), existing.get(county.id)
        if amount is None and row is not None:
            round_.county_allocations.remove(row)
        elif amount is not None and row is not None:
            row.amount_pence = amount
        elif amount is not None:
            round_.county_allocations.append(CountyAllocation(county=county, amount_pence=amount))
    session.flush()
    _record_changes(session, "round.allocations_changed", "round", round_.id, before,
                    _setup_snapshot(round_), actor_id)
    logger.info("round %s county allocations now total %d pence", round_.id, total)
    return round_


def _setup_snapshot(round_: Round) -> dict[str, Any]:
    return {
        "priorities": sorted(p.code for p in round_.priorities),
        "key_aims": sorted(aim.code for aim in round_.key_aims),
        "organisation_types": sorted(t.value for t in round_.organisation_types),
        "county_allocations": {a.county.name: a.amount_pence
                               for a in round_.county_allocations},
    }


@dataclass(frozen=True)
class QuestionDetails:
    text: str
    guidance: str = ""
    mandatory: bool = True


@dataclass(frozen=True)
class CriterionDetails:
    name: str
    guidance: str = ""
    weight: int = 1
    max_score: int = 5


QUESTIONS_LOCKED = "its eligibility questions"
CRITERIA_LOCKED = "its scoring criteria"


def get_question(round_: Round, question_id: int) -> EligibilityQuestion:
    for question in round_.eligibility_questions:
        if question.id == question_id:
            return question
    raise NotFound("There is no such question in this round")


def get_criterion(round_: Round, criterion_id: int) -> ScoringCriterion:
    for criterion in round_.scoring_criteria:
        if criterion.id == criterion_id:
            return criterion
    raise NotFound("There is no such criterion in this round")


def _question_errors(details: QuestionDetails) -> dict[str, str]:
    return {} if details.text.strip() else {"text": "Enter the question"}


def _question_snapshot(question: EligibilityQuestion) -> dict[str, Any]:
    return {"position": question.position, "text": question.text,
            "guidance": question.guidance, "mandatory": question.mandatory}


def _next_position(items: list) -> int:
    return max((item.position for item in items), default=0) + 1


def add_question(session: Session, round_: Round, details: QuestionDetails, *,
                 actor_id: int | None) -> EligibilityQuestion:
    _refuse_when_locked(session, round_, QUESTIONS_LOCKED, "text")
    errors = _question_errors(details)
    if errors:
        raise ValidationFailed(errors)
    question = EligibilityQuestion(position=_next_position(round_.eligibility_questions),
                                   text=details.text.strip(), guidance=details.guidance.strip(),
                                   mandatory=details.mandatory)
    round_.eligibility_questions.append(question)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.question_added",
                 entity_type="round", entity_id=round_.id, after=_question_snapshot(question))
    return question


def update_question(session: Session, question: EligibilityQuestion, details: QuestionDetails,
                    *, actor_id: int | None) -> EligibilityQuestion:
    _refuse_when_locked(session, question.round, QUESTIONS_LOCKED, "text")
    errors = _question_errors(details)
    if errors:
        raise ValidationFailed(errors)
    before = _question_snapshot(question)
    question.text = details.text.strip()
    question.guidance = details.guidance.strip()
    question.mandatory = details.mandatory
    session.flush()
    _record_changes(session, "round.question_changed", "round", question.round_id, before,
                    _question_snapshot(question), actor_id)
    return question


def remove_question(session: Session, question: EligibilityQuestion, *,
                    actor_id: int | None) -> None:
    round_ = question.round
    _refuse_when_locked(session, round_, QUESTIONS_LOCKED, "text")
    before = _question_snapshot(question)
    round_.eligibility_questions.remove(question)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.question_removed",
                 entity_type="round", entity_id=round_.id, before=before)


def _criterion_errors(details: CriterionDetails) -> dict[str, str]:
    errors = {}
    if not details.name.strip():
        errors["name"] = "Enter the criterion's name"
    elif len(details.name) > MAX_NAME_LENGTH:
        errors["name"] = f"Name must be {MAX_NAME_LENGTH} characters or fewer"
    if not 1 <= details.weight <= MAX_WEIGHT:
        errors["weight"] = f"Weight must be a whole number from 1 to {MAX_WEIGHT}"
    if not 1 <= details.max_score <= MAX_SCORE:
        errors["max_score"] = f"Maximum score must be a whole number from 1 to {MAX_SCORE}"
    return errors


def _criterion_snapshot(criterion: ScoringCriterion) -> dict[str, Any]:
    return {"position": criterion.position, "name": criterion.name,
            "guidance": criterion.guidance, "weight": criterion.weight,
            "max_score": criterion.max_score}


def add_criterion(session: Session, round_: Round, details: CriterionDetails, *,
                  actor_id: int | None) -> ScoringCriterion:
    _refuse_when_locked(session, round_, CRITERIA_LOCKED, "name")
    errors = _criterion_errors(details)
    if errors:
        raise ValidationFailed(errors)
    criterion = ScoringCriterion(position=_next_position(round_.scoring_criteria),
                                 name=details.name.strip(), guidance=details.guidance.strip(),
                                 weight=details.weight, max_score=details.max_score)
    round_.scoring_criteria.append(criterion)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.criterion_added",
                 entity_type="round", entity_id=round_.id, after=_criterion_snapshot(criterion))
    return criterion


def update_criterion(session: Session, criterion: ScoringCriterion, details: CriterionDetails,
                     *, actor_id: int | None) -> ScoringCriterion:
    _refuse_when_locked(session, criterion.round, CRITERIA_LOCKED, "name")
    errors = _criterion_errors(details)
    if errors:
        raise ValidationFailed(errors)
    before = _criterion_snapshot(criterion)
    criterion.name = details.name.strip()
    criterion.guidance = details.guidance.strip()
    criterion.weight = details.weight
    criterion.max_score = details.max_score
    session.flush()
    _record_changes(session, "round.criterion_changed", "round", criterion.round_id, before,
                    _criterion_snapshot(criterion), actor_id)
    return criterion


def remove_criterion(session: Session, criterion: ScoringCriterion, *,
                     actor_id: int | None) -> None:
    round_ = criterion.round
    _refuse_when_locked(session, round_, CRITERIA_LOCKED, "name")
    before = _criterion_snapshot(criterion)
    round_.scoring_criteria.remove(criterion)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.criterion_removed",
                 entity_type="round", entity_id=round_.id, before=before)


# Rounds: launch and the later steps ---------------------------------------------------------


def _kind_launch_errors(round_: Round) -> dict[str, str]:
    errors = {}
    if round_.kind is RoundKind.OPEN:
        if not round_.priorities:
            errors["priorities"] = "Choose at least one priority for an open round"
        if not round_.organisation_type_rows:
            errors["organisation_types"] = "Choose at least one type of organisation that may apply"
        if not round_.scoring_criteria:
            errors["scoring_criteria"] = "Add at least one scoring criterion"
    if round_.kind is RoundKind.NOMINATION:
        allocated = sum(a.amount_pence for a in round_.county_allocations)
        if not round_.county_allocations:
            errors["county_allocations"] = "Set an allocation for at least one county"
        elif allocated > round_.budget_pence:
            errors["county_allocations"] = (
                f"The allocations add up to {format_pounds(allocated)}, which is more than "
                f"the budget of {format_pounds(round_.budget_pence)}")
    return errors


def launch_problems(session: Session, round_: Round) -> dict[str, str]:
    """Why the draft round cannot be launched yet, by the section to fix (empty when it can)."""
    settings = RoundSettings.of(round_)
    errors = {**_title_errors(settings), **_date_errors(settings), **_money_errors(settings)}
    if round_.closes_at <= clock.utcnow():
        errors.setdefault("closes_at", "The closing date has passed: move it later to launch "
                                       "the round")
    errors.update(_kind_launch_errors(round_))
    return errors


def _require_status(round_: Round, wanted: RoundStatus, action: str) -> None:
    if round_.archived_at is not None:
        raise Conflict(f"This round is archived, so it cannot {action}")
    status = round_.status
    if status is not wanted:
        label = STATUS_LABELS[wanted].lower()
        article = "an" if label[0] in "aeiou" else "a"
        raise Conflict(f"Only {article} {label} round can {action}; this round is "
                       f"{STATUS_LABELS[status].lower()}")


def launch_round(session: Session, round_: Round, *, actor_id: int | None) -> Round:
    """Make a draft visible to applicants: upcoming until it opens, then open until it closes."""
    round_ = _locked(session, round_)
    _require_status(round_, RoundStatus.DRAFT, "be launched")
    problems = launch_problems(session, round_)
    if problems:
        raise ValidationFailed(problems)
    return _stamp(session, round_, "launched_at", "round.launched", actor_id)


def start_assessment(session: Session, round_: Round, *, actor_id: int | None) -> Round:
    round_ = _locked(session, round_)
    _require_status(round_, RoundStatus.CLOSED, "start assessment")
    return _stamp(session, round_, "assessing_at", "round.assessment_started", actor_id)


def mark_decided(session: Session, round_: Round, *, actor_id: int | None) -> Round:
    round_ = _locked(session, round_)
    _require_status(round_, RoundStatus.ASSESSING, "be marked decided")
    return _stamp(session, round_, "decided_at", "round.decided", actor_id)


def archive_round(session: Session, round_: Round, *, actor_id: int | None) -> Round:
    """Hide the round from applicants and the default staff view. An open round stays."""
    round_ = _locked(session, round_)
    if round_.archived_at is not None:
        raise Conflict("This round is already archived")
    if round_.status is RoundStatus.OPEN:
        closes = format_london_datetime(round_.closes_at)
        raise Conflict("An open round cannot be archived: applicants may be working on "
                       f"applications until it closes at {closes}")
    return _stamp(session, round_, "archived_at", "round.archived", actor_id)


def _stamp(session: Session, round_: Round, column: str, action: str,
           actor_id: int | None) -> Round:
    before = {column: None, "status": round_.status.value}
    setattr(round_, column, clock.utcnow())
    session.flush()
    record_event(session, actor_id=actor_id, action=action, entity_type="round",
                 entity_id=round_.id, before=before,
                 after={column: _iso(getattr(round_, column)), "status": round_.status.value})
    logger.info("round %s: %s", round_.id, action)
    return round_


# Rounds: copying ----------------------------------------------------------------------------


def _a_year_later(moment: datetime) -> datetime:
    """The same London wall-clock time a year on (28 February for 29 February; a time the
    clocks skip moves on an hour)."""
    local = clock.to_london(moment)
    day = local.date()
    try:
        day = day.replace(year=day.year + 1)
    except ValueError:
        day = date(day.year + 1, 2, 28)
    at = time(local.hour, local.minute)
    try:
        return clock.london_to_utc(day, at)
    except clock.TimeError:
        return clock.london_to_utc(day, time(local.hour + 1, local.minute))


def copy_round(session: Session, source: Round, *, actor_id: int | None) -> Round:
    """A new draft with the source's settings, questions, criteria, priorities, organisation
    types and allocations, its dates a year on and a new suggested code."""
    opens_at, closes_at = _a_year_later(source.opens_at), _a_year_later(source.closes_at)
    copy = Round(
        fund=source.fund,
        code=suggest_round_code(session, source.fund, closes_at),
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
        scoring_criteria=[
            ScoringCriterion(position=c.position, name=c.name, guidance=c.guidance,
                             weight=c.weight, max_score=c.max_score)
            for c in source.scoring_criteria],
        county_allocations=[CountyAllocation(county_id=a.county_id, amount_pence=a.amount_pence)
                            for a in source.county_allocations],
    )
    session.add(copy)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.copied", entity_type="round",
                 entity_id=copy.id, before={"copied_from": source.code},
                 after=_round_snapshot(copy))
    logger.info("round %s copied from round %s as %s", copy.id, source.id, copy.code)
    return copy
