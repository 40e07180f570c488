"""Recording a direct award: an award made outside any round for an urgent need, with its
reason written for publication, what it is for, the priority and key aims it supports, the
organisation, the amount and who decided it.

It is paid from the fund's available money: the ledger guard refuses an amount above what the
fund has available in the award's financial year (that of the day it was decided), under the
fund's row lock, and once recorded the award is committed in the fund's ledger. It stays
proposed, known to staff alone, until a second member of staff signs it off
(`grants.direct_awards.operations.signing_off`).
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.auth import permissions
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.awards.operations.committed import settle_direct_budget
from grants.awards.operations.public_reasons import public_reason_problem
from grants.core import clock
from grants.core.errors import Conflict, Forbidden, or_not_found
from grants.core.formatting import format_london_date
from grants.core.money import format_pounds
from grants.core.problems import amount_problem, refuse_any, text_problem
from grants.direct_awards.models import (
    MAX_DELEGATE_LENGTH,
    DecisionMaker,
    DirectAward,
    DirectAwardKind,
)
from grants.direct_awards.operations.rounds import direct_round
from grants.funds.models import Fund
from grants.ledger.models import money_year_of
from grants.ledger.operations.guard import check_direct_award_fits
from grants.organisations.models import Organisation
from grants.plans.models import KeyAim, Priority
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_TITLE = 300
MAX_TEXT = 5000
# The earliest day an award can have been decided: older dates are slips of the keyboard (the
# day the ledger takes money paid in from, too).
EARLIEST_DAY = date(1990, 4, 1)
DELEGATE_MISSING = "Enter the name and role of the person who decided the award"


@dataclass(frozen=True)
class DirectAwardEntry:
    """A direct award as staff type it."""

    organisation_id: int | None
    amount_pence: int | None
    decided_on: date | None
    decision_maker: DecisionMaker | None
    delegate_name: str
    title: str  # what it is for, in a few words: "Emergency repairs after a flood"
    public_reason: str  # why it was made, written for publication
    priority_id: int | None
    key_aim_ids: Sequence[int] = ()
    description: str = ""
    conditions: str = ""
    serves_whole_thames_valley: bool = True
    # A Community Foundation allocation is `DELEGATED`: the organisation is the intermediary,
    # and its key aims may be of several priorities, the ones its onward grants must serve.
    kind: DirectAwardKind = DirectAwardKind.DIRECT

    @property
    def year(self) -> str:
        """The financial year the award belongs to, and commits the fund's money in: that of
        the day it was decided."""
        return money_year_of(self.decided_on)


@dataclass(frozen=True)
class _Checked:
    organisation: Organisation
    priority: Priority
    key_aims: list[KeyAim]


def _day_problem(decided_on: date | None) -> str | None:
    if decided_on is None:
        return "Enter the date the award was decided"
    if decided_on > clock.today_in_london():
        return "The date the award was decided must be today or in the past"
    if decided_on < EARLIEST_DAY:
        return ("The date the award was decided must be on or after "
                f"{format_london_date(EARLIEST_DAY)}")
    return None


def _decision_maker_problems(entry: DirectAwardEntry, delegate: str) -> dict[str, str | None]:
    if entry.decision_maker is None:
        return {"decision_maker": "Choose who decided the award"}
    if entry.decision_maker is DecisionMaker.DELEGATE:
        return {"delegate_name": text_problem(
            delegate, DELEGATE_MISSING, MAX_DELEGATE_LENGTH, "The delegate's name and role")}
    return {}


def _aims_problem(entry: DirectAwardEntry, priority: Priority | None,
                  aims: list[KeyAim]) -> str | None:
    if priority is None:
        return None
    if not entry.key_aim_ids:
        return "Choose at least one key aim the award supports"
    if entry.kind is DirectAwardKind.DELEGATED:
        # The priorities an intermediary serves are its priority and those of its key aims.
        if (len(aims) != len(set(entry.key_aim_ids))
                or any(aim.retired_at or aim.priority.retired_at
                       or aim.priority.plan_id != priority.plan_id for aim in aims)):
            return "Choose key aims of the current plan's priorities"
        return None
    if (len(aims) != len(set(entry.key_aim_ids))
            or any(aim.priority_id != priority.id or aim.retired_at for aim in aims)):
        return f"Choose key aims of {priority.code} {priority.title}"
    return None


def check_entry(session: Session, entry: DirectAwardEntry) -> _Checked:
    """Every answer checked at once: refused with each field's problem."""
    organisation = (session.get(Organisation, entry.organisation_id)
                    if entry.organisation_id else None)
    priority = session.get(Priority, entry.priority_id) if entry.priority_id else None
    if priority is not None and priority.retired_at is not None:
        priority = None
    aims = list(session.scalars(select(KeyAim).where(KeyAim.id.in_(set(entry.key_aim_ids)))))
    refuse_any({
        "organisation": None if organisation else "Choose the organisation the award is made to",
        "amount": amount_problem(entry.amount_pence, "Enter the amount of the award"),
        "decided_on": _day_problem(entry.decided_on),
        **_decision_maker_problems(entry, entry.delegate_name.strip()),
        "title": text_problem(entry.title.strip(), "Enter what the award is for, like "
                              "Emergency repairs after a flood", MAX_TITLE,
                              "What the award is for"),
        "description": (text_problem(entry.description.strip(), "", MAX_TEXT, "The description")
                        if entry.description.strip() else None),
        "public_reason": public_reason_problem(entry.public_reason),
        "priority": None if priority else "Choose the priority the award supports",
        "key_aims": _aims_problem(entry, priority, aims),
        "conditions": (text_problem(entry.conditions.strip(), "", MAX_TEXT, "The conditions")
                       if entry.conditions.strip() else None),
    })
    return _Checked(organisation, priority, aims)


def _already_recorded(session: Session, fund: Fund, entry: DirectAwardEntry,
                      title: str) -> DirectAward | None:
    """The same award recorded already and waiting for sign-off (a form sent twice)."""
    candidates = session.scalars(
        select(DirectAward).join(DirectAward.award)
        .where(DirectAward.signed_off_at.is_(None), DirectAward.kind == entry.kind,
               Award.organisation_id == entry.organisation_id,
               Award.amount_pence == entry.amount_pence, Award.awarded_on == entry.decided_on,
               Award.title == title))
    return next((direct for direct in candidates
                 if direct.award.round.fund_id == fund.id
                 and direct.award.status is AwardStatus.PROPOSED), None)


def _kind_words(kind: DirectAwardKind) -> str:
    return ("Community Foundation allocation" if kind is DirectAwardKind.DELEGATED
            else "direct award")


def _areas_of(organisation: Organisation) -> list:
    if organisation.areas:
        return list(organisation.areas)
    return [organisation.local_authority] if organisation.local_authority else []


def record_direct_award(session: Session, user: User, fund_id: int,
                        entry: DirectAwardEntry) -> DirectAward:
    """Record a direct award of the fund, committed from the money the fund has available in
    its financial year and waiting for a second member of staff to sign it off."""
    if not permissions.may_record_direct_awards(user):
        raise Forbidden("Only staff record direct awards")
    fund = or_not_found(session.get(Fund, fund_id), "There is no such fund")
    checked = check_entry(session, entry)
    title = entry.title.strip()
    year = entry.year
    # Locks the fund's row: the ledger, and the year's direct awards round, are ours until
    # the request ends.
    check_direct_award_fits(session, fund.id, year, entry.amount_pence)
    if _already_recorded(session, fund, entry, title) is not None:
        raise Conflict(f"This {_kind_words(entry.kind)} of {format_pounds(entry.amount_pence)} "
                       f"to {checked.organisation.name} is already recorded, waiting for "
                       "sign-off")
    round_ = direct_round(session, fund, year, actor_id=user.id)
    whole = entry.serves_whole_thames_valley
    award = Award(
        round=round_, organisation=checked.organisation, source=AwardSource.DIRECT,
        status=AwardStatus.PROPOSED, amount_pence=entry.amount_pence, title=title,
        description=entry.description.strip(), public_reason=entry.public_reason.strip(),
        conditions=entry.conditions.strip(), priority=checked.priority,
        key_aims=checked.key_aims, serves_whole_thames_valley=whole,
        areas=[] if whole else _areas_of(checked.organisation), awarded_on=entry.decided_on)
    direct = DirectAward(award=award, kind=entry.kind, decision_maker=entry.decision_maker,
                         delegate_name=(entry.delegate_name.strip()
                                        if entry.decision_maker is DecisionMaker.DELEGATE
                                        else ""),
                         recorded_by_id=user.id, recorded_at=clock.utcnow())
    session.add_all([award, direct])
    session.flush()
    settle_direct_budget(session, round_)
    record_event(session, actor_id=user.id, action="award.direct_recorded", entity_type="award",
                 entity_id=award.id,
                 after={"round_id": round_.id, "fund_id": fund.id, "financial_year": year,
                        "organisation_id": checked.organisation.id,
                        "amount_pence": award.amount_pence, "title": title,
                        "kind": entry.kind.value,
                        "decided_on": entry.decided_on.isoformat(),
                        "decision_maker": direct.decision_maker.value,
                        "delegate_name": direct.delegate_name,
                        "priority_id": checked.priority.id,
                        "key_aim_ids": sorted(aim.id for aim in checked.key_aims),
                        "status": award.status.value})
    logger.info("direct award %s recorded by user %s: %d pence to organisation %s from fund "
                "%s in %s", award.id, user.id, award.amount_pence, checked.organisation.id,
                fund.id, year)
    return direct
